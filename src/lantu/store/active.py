"""Evidence that acts when it is opened: what an Office file or a PDF may not hold to be kept
and handed to another user.

Evidence is uploaded by one department and opened by supervisors in Word, Excel or a PDF
reader. Macros are refused by :func:`lantu.store.files.sniff`; the other ways a document acts
on opening are refused here (:func:`active_problem`, asked by ``store_upload`` before a file is
written):

- Office packages: a relationship to anything outside the file other than a hyperlink (a
  remote template, an external OLE object as in "Follina" CVE-2022-30190, a remote frame or
  image that leaks the reader's address and Windows credentials); an embedded object or
  control (``oleObject``, ActiveX), an altChunk (HTML or MHT rendered inside the document), an
  external workbook or DDE link, a data connection, an Excel 4.0 macro sheet; a Word field that
  runs a program or fetches a file (``DDE``, ``DDEAUTO``, ``INCLUDETEXT``, ``INCLUDEPICTURE``,
  ``IMPORT``, ``LINK``, read through runs, prefixes and character references by an XML parser);
  an Excel formula or defined name that calls out (a DDE reference ``app|topic!item``,
  ``WEBSERVICE``, ``RTD``, ``CALL``, ``REGISTER``, ``EXEC``). Embedded chart data
  (``embeddings/*.xlsx``) and hyperlinks stay.
- PDFs: an action or object that runs script or another program or carries files
  (``/JavaScript``, ``/Launch``, ``/EmbeddedFile(s)``, ``/RichMedia``, ``/XFA``,
  ``/SubmitForm``, ``/ImportData``, ``/GoToE``, ``/GoToR``), found however the name is written
  (``/#4Aava#53cript``) and inside compressed object streams. A link to a page or a web
  address stays.

Only evidence is checked: a text uploaded for review or a table for import is read, never
handed back.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lantu.domain.packages import duplicate_part_problem, unreadable_part_problem
from lantu.tabular import formula_calls_out

#: the most bytes of a package's XML this check reads (a bigger one is refused unread: a zip
#: bomb), as python-docx's limit for the texts Lantu reads (``textio.MAX_DOCX_UNPACKED_BYTES``)
MAX_XML_BYTES = 32 * 1024 * 1024
#: the most bytes of decoded PDF streams searched for hidden names (the rest is refused)
MAX_PDF_DECODED_BYTES = 64 * 1024 * 1024

#: relationship types (the last part of the type URI) that fetch, embed or run something,
#: inside the package or not
_ACTIVE_RELATIONSHIPS = frozenset(
    "attachedtemplate oleobject afchunk subdocument frame externallink externallinkpath "
    "control activexcontrol activexcontrolbinary vbaproject wordvbadata xlmacrosheet "
    "xlintlmacrosheet connections querytable".split())
#: folders whose parts act on opening whatever points at them
_ACTIVE_FOLDERS = ("activex/", "externallinks/", "macrosheets/", "connections.xml",
                   "querytables/", "dialogsheets/")
#: parts that hold no field, formula or link (styles, themes, fonts, shared texts): not read
_PLAIN_PARTS = ("styles.xml", "stylesWithEffects.xml".lower(), "fonttable.xml", "numbering.xml",
                "sharedstrings.xml", "theme1.xml", "theme2.xml")
#: what an embedded part may be: chart data (a workbook or document, checked as the file is)
_PACKAGES = (".xlsx", ".docx", ".pptx")
_EMBEDDABLE = (*_PACKAGES, ".png", ".jpeg", ".jpg", ".emf", ".wmf")
#: how deep packages may be embedded in one another (a chart's workbook is one deep)
MAX_NESTING = 2
_FIELD = re.compile(r"\b(DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|IMPORT|LINK)\b", re.IGNORECASE)

_PDF_ACTIVE = frozenset(
    "JavaScript Launch EmbeddedFile EmbeddedFiles RichMedia RichMediaExecute XFA SubmitForm "
    "ImportData GoToE GoToR".split())
_PDF_NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def active_problem(data: bytes, content_type: str) -> str | None:
    """Why evidence of ``content_type`` (as :func:`~lantu.store.files.sniff` found it) would act
    when opened, or None."""
    if content_type == "application/pdf":
        return pdf_problem(data)
    if content_type.startswith("application/vnd.openxmlformats"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return office_problem(zf)
        except (zipfile.BadZipFile, ValueError, KeyError, RuntimeError, OSError, EOFError):
            return "not a readable Office file"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _parse(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]):
    """The part's XML tree, read within the byte budget (None when over it); no entity is
    expanded and nothing is fetched."""
    from lxml import etree

    with zf.open(info) as fh:
        raw = fh.read(budget[0] + 1)
    budget[0] -= len(raw)
    if budget[0] < 0:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        return etree.Element("unreadable")


def holds_macros(names, content_types: bytes) -> bool:
    """Whether a package with these part names and ``[Content_Types].xml`` holds macros (a
    ``vbaProject.bin``, a macro-enabled content type): the one macro test of evidence."""
    types = content_types.lower()
    return any(n.lower().endswith("vbaproject.bin") for n in names) or \
        b"macroenabled" in types or b"vbaproject" in types


def office_problem(zf: zipfile.ZipFile, budget: list[int] | None = None,
                   depth: int = 0) -> str | None:
    """Why an Office package would act when opened (see the module), or None. A package
    embedded in it (chart data) is checked the same way, at most :data:`MAX_NESTING` deep,
    within the one byte budget."""
    budget = budget if budget is not None else [MAX_XML_BYTES]
    if why := duplicate_part_problem(zf.infolist()) or unreadable_part_problem(zf.infolist()):
        return why
    for info in zf.infolist():
        name = info.filename.lower()
        if any(f in name for f in _ACTIVE_FOLDERS):
            return f"the file holds {info.filename} (an external link, control or macro sheet)"
        if "/embeddings/" in name:
            if not name.endswith(_EMBEDDABLE):
                return f"the file embeds an object ({info.filename})"
            if name.endswith(_PACKAGES) and (why := _embedded_problem(zf, info, budget, depth)):
                return f"{info.filename}: {why}"
    for info in zf.infolist():
        name = info.filename.lower()
        if not (name.endswith(".rels") or name.endswith(".xml") and name.startswith(
                ("word/", "xl/")) and not name.endswith(_PLAIN_PARTS)):
            continue
        tree = _parse(zf, info, budget)
        if tree is None:
            return f"the file's XML is over {MAX_XML_BYTES // 2**20} MiB (refused unread)"
        if why := _tree_problem(tree, name):
            return why
    return None


def _embedded_problem(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int],
                      depth: int) -> str | None:
    if depth >= MAX_NESTING:
        return f"packages nested more than {MAX_NESTING} deep"
    with zf.open(info) as fh:
        raw = fh.read(budget[0] + 1)
    budget[0] -= len(raw)
    if budget[0] < 0:
        return f"the file unpacks to over {MAX_XML_BYTES // 2**20} MiB (refused unread)"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as inner:
            names = inner.namelist()
            types = inner.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if holds_macros(names, types[:budget[0]]):
                return "an embedded file holds macros"
            return office_problem(inner, budget, depth + 1)
    except (zipfile.BadZipFile, ValueError, KeyError, RuntimeError, OSError, EOFError):
        return "an embedded package that cannot be read"


#: the elements this check reads (any namespace prefix: lxml's ``{*}``), found by the parser
_ELEMENTS = tuple("{*}" + t for t in (
    "Relationship", "instrText", "fldSimple", "altChunk", "subDoc", "ddeLink", "oleObject",
    "OLEObject", "f", "definedName"))


def _tree_problem(tree, name: str) -> str | None:
    fields: list[str] = []
    for el in tree.iter(*_ELEMENTS):
        tag = _local(el.tag)
        if tag == "relationship":
            kind = (el.get("Type") or "").rsplit("/", 1)[-1].lower()
            external = (el.get("TargetMode") or "").lower() == "external"
            if kind in _ACTIVE_RELATIONSHIPS or (external and kind != "hyperlink"):
                return f"the file links or embeds something that acts when opened ({kind})"
        elif tag == "instrtext":
            fields.append(el.text or "")
        elif tag == "fldsimple":
            fields.extend(f" {v} " for k, v in el.attrib.items() if _local(k) == "instr")
        elif tag in ("f", "definedname"):
            if name.startswith("xl/") and formula_calls_out(el.text or ""):
                return "the workbook has a formula that calls another program or the network"
        else:
            return f"the file holds an active element ({el.tag.rsplit('}', 1)[-1]})"
    if fields and (m := _FIELD.search("".join(fields))):
        return f"the document has a {m.group(1).upper()} field (it runs or fetches when opened)"
    return None


def _pdf_names(data: bytes) -> set[str]:
    out = set()
    for m in _PDF_NAME.finditer(data):
        raw = m.group(1)
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), raw)
        out.add(raw.decode("latin-1"))
    return out


def _decode(body: bytes, filters: list[str], budget: int) -> bytes:
    import base64

    for f in filters:
        if f in ("FlateDecode", "Fl"):
            body = zlib.decompressobj().decompress(body, budget + 1)
        elif f in ("ASCIIHexDecode", "AHx"):
            body = bytes.fromhex(re.sub(rb"[^0-9A-Fa-f]", b"", body.split(b">")[0]).decode())
        elif f in ("ASCII85Decode", "A85"):
            body = base64.a85decode(body.strip().removesuffix(b"~>"), adobe=False)
        else:
            raise ValueError(f"filter {f}")
    return body


#: the filters an object stream may use to be read here (what PDF producers write)
_READABLE_FILTERS = ("FlateDecode", "Fl", "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85")
_OTHER_FILTERS = ("LZWDecode", "LZW", "RunLengthDecode", "RL", "CCITTFaxDecode", "CCF",
                  "JBIG2Decode", "DCTDecode", "DCT", "JPXDecode", "Crypt")


def _object_streams(data: bytes):
    """The decoded bytes of each object stream (a stream whose dictionary names ``/ObjStm`` or
    ``/First``: where PDF 1.5 packs dictionaries, compressed); a text (why) for one that is
    packed past the budget or with a filter not read here. Page and image streams are not
    decoded: they hold no action."""
    budget = MAX_PDF_DECODED_BYTES
    for m in _PDF_STREAM.finditer(data):
        start = data.rfind(b"obj", 0, m.start())
        dictionary = _pdf_names(data[max(start, 0):m.start()])
        if not {"ObjStm", "First"} & dictionary:
            continue
        if other := sorted(dictionary & set(_OTHER_FILTERS)):
            yield f"the PDF packs objects with /{other[0]}, which is not read here"
            return
        end = data.find(b"endstream", m.end())
        filters = [n for n in dictionary if n in _READABLE_FILTERS]
        try:
            body = _decode(data[m.end():end if end >= 0 else len(data)], filters, budget)
        except (zlib.error, ValueError):
            continue
        budget -= len(body)
        if budget < 0:
            yield (f"the PDF's object streams unpack to over {MAX_PDF_DECODED_BYTES // 2**20} "
                   "MiB (refused: it could be a decompression bomb)")
            return
        yield body


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF would run script, another program or carry files when opened, or None. Names
    are read from every byte of the file (not only between objects: a dictionary can be made
    to look like stream data to a reader that does not parse) and from the object streams;
    the names sought are long or only meaningful together (``/JS`` is run only by an action
    whose ``/S`` is ``/JavaScript``), so bytes of an image do not spell one by chance."""
    names = _pdf_names(data)
    for body in _object_streams(data):
        if isinstance(body, str):
            return body
        names |= _pdf_names(body)
    found = sorted(names & _PDF_ACTIVE)
    if found:
        return f"the PDF holds /{found[0]} (script, a program or files that act when opened)"
    return None
