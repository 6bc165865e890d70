"""Read a text document (.md, .txt, .html, .docx, text .pdf) into plain Unicode text.

Every reader returns a :class:`Document` whose ``text`` is what the extractor and the plan parser
work on; character offsets reported by them point into ``Document.text``. Encodings UTF-8,
UTF-8 with BOM and GBK/GB18030 are recognised. Anything that cannot be read gives a
:class:`TextReadError` naming the file and the reason.
"""

from __future__ import annotations

import contextvars
import io
import logging
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lantu.domain.gate import UNSTORABLE
from lantu.domain.packages import duplicate_part_problem, unreadable_part_problem
from lantu.domain.textcodec import (  # noqa: F401  (the one rule, re-exported)
    _UTF16_WITHOUT_MARK,
    Undecodable,
    _looks_utf8,
    _utf16_without_mark,
    decode_text,
)
from lantu.errors import UsageError
from lantu.ingest.tables_values import _INVISIBLE_RE
from lantu.locale import plural

__all__ = ["Document", "TextReadError", "SUPPORTED_EXTENSIONS", "Undecodable", "read_text",
           "decode_bytes", "decode_text"]

SUPPORTED_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm", ".docx", ".pdf")

#: Largest file read, in bytes; a guard against reading something that is not a document at all.
MAX_BYTES = 200 * 1024 * 1024

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FM_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


class TextReadError(UsageError):
    """A document could not be read; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


#: what the gate refuses in a stored text (:data:`lantu.domain.gate.UNSTORABLE`: controls,
#: noncharacters, bidi controls, internal format characters, line separators), which a
#: document's text is rid of before anything is taken from it
_CONTROLS = UNSTORABLE
#: what of it is a line break in a document: vertical tab, form feed, the information
#: separators, and the line and paragraph separators U+2028/U+2029
_BREAKS = "\x0b\x0c\x1c\x1d\x1e\u2028\u2029"


@dataclass(frozen=True)
class Document:
    """Plain text of a document with where it came from.

    Attributes
    ----------
    text : str
        The document's text (front matter removed, HTML/DOCX/PDF reduced to paragraphs).
    source_url : str or None
        Official URL from the front matter (``source:`` or ``url:``) or an HTML canonical link.
    title : str or None
        Title from the front matter, HTML ``<title>``, or the DOCX/PDF metadata.
    path : str
        The file that was read.
    notes : tuple of str
        What the reader could not read and the reader of the text should know: the pages of a
        PDF without a text layer among pages with one (:func:`no_text_pages_note`). Every
        reader of a document shows them (``lantu extract``, ``lantu plan parse``, the text
        review's page).
    """

    text: str
    source_url: str | None
    title: str | None
    path: str
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # nothing the gate refuses in stored text reaches an excerpt or a title: a form feed,
        # vertical tab or U+2028/U+2029 is a line break, any other a blank — one for one,
        # so offsets into the text stay where they were
        # Marks no one sees (a soft hyphen, a zero-width space, a BOM) are removed, as a table
        # removes them from its cells (``tables_values.INVISIBLE``): a page's ``55&shy;71.17亿元``
        # shows 5571.17 and was read as GDP 71.17 (probe14)
        for name in ("text", "title"):
            value = getattr(self, name)
            if value and _INVISIBLE_RE.search(value):
                object.__setattr__(self, name, value := _INVISIBLE_RE.sub("", value))
            if value and _CONTROLS.search(value):
                object.__setattr__(self, name, _CONTROLS.sub(
                    lambda m: "\n" if m.group() in _BREAKS else " ", value))


def decode_bytes(data: bytes, path: str | Path = "<bytes>", *, declared: str | None = None) -> str:
    """Decode the bytes of a text document by the one rule of :func:`decode_text` (UTF-16 with
    its mark, UTF-8 with or without BOM, GBK/GB18030; a charset the text declares, ``declared``);
    where that rule finds neither UTF-8 nor GBK, the encoding is guessed
    (``charset_normalizer``) before the file is refused.

    Parameters
    ----------
    data : bytes
        Raw file content.
    path : str or Path
        Used in error messages only.
    declared : str, optional
        The charset the document names for itself (an HTML page's ``<meta charset>``).

    Returns
    -------
    str
        The decoded text, without a BOM and with ``\\r\\n`` normalised to ``\\n``.

    Raises
    ------
    TextReadError
        When the bytes are empty, binary, damaged UTF-8, or decode as none of the encodings.

    Examples
    --------
    >>> decode_bytes("增长6%左右".encode("gbk"))
    '增长6%左右'
    """
    text: str | None = None
    try:
        text, _ = decode_text(data, declared=declared)
    except Undecodable as exc:
        if exc.damaged_utf8 or exc.line is None:
            binary = exc.reason.startswith("the file is binary")
            raise TextReadError(path, "binary content (NUL bytes), not a text document" if binary
                                else exc.reason) from None
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        if best is not None and best.encoding:
            try:
                text = data.decode(best.encoding)
            except (UnicodeDecodeError, LookupError):
                text = None
        if text is None:
            raise TextReadError(path, "not UTF-8 or GBK/GB18030 text (undecodable bytes)") from None
    text = text.lstrip("\ufeff")
    _check_not_junk(text, path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_not_junk(text: str, path: str | Path) -> None:
    """Reject text that decoded but is mostly control characters or private-use code points."""
    sample = text[:20000]
    if not sample:
        return
    bad = sum(
        1
        for ch in sample
        if (ord(ch) < 32 and ch not in "\n\r\t\f")
        or 0xE000 <= ord(ch) <= 0xF8FF
        or ch == "\ufffd"
    )
    if bad / len(sample) > 0.05:
        raise TextReadError(path, f"binary junk: {bad} of {len(sample)} characters are control or undefined characters")


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        lm = _FM_LINE.match(line)
        if lm:
            meta[lm.group(1).lower()] = lm.group(2).strip().strip("'\"")
    return meta, text[m.end():]


def _read_plain(path: Path, data: bytes, markdown: bool) -> Document:
    text = decode_bytes(data, path)
    meta: dict[str, str] = {}
    if markdown or text.startswith("---"):
        meta, text = _split_front_matter(text)
    if not text.strip():
        raise TextReadError(path, "no text after the front matter")
    url = meta.get("source") or meta.get("url") or meta.get("source_url")
    return Document(text=text, source_url=url or None, title=meta.get("title") or None, path=str(path))


_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "caption",
               "figure", "figcaption", "main", "aside", "address", "details", "summary")
#: cells of a row: each begins with a tab, as a .docx table's cells do (``<td>5121.61</td><td>5573.74</td>``
#: read as 5121.615573.74 before)
_CELL_TAGS = ("td", "th")
#: what a page holds but never shows, and text it strikes out (``text-decoration: line-through``,
#: as ``<del>`` does: :data:`_STRUCK`, probe25)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|"
                           r"text-decoration(?:-line)?\s*:[^;]*\bline-through)\b", re.I)

#: an element a page sets above the line by its style (what Word and WPS write for a superscript)
_RAISED_STYLE = re.compile(r"(?:^|;)\s*vertical-align\s*:\s*super\b", re.I)
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")


def raised_text(text: str) -> str:
    """Text set above the line — a page's ``<sup>``, a .docx run in superscript — as it can be
    told from the text around it: in superscript characters where each has one
    (``m<sup>2</sup>`` → m², a footnote marker ``1`` → ¹), else in brackets (``注1`` → [注1]).
    Read as plain text it ran into the figure beside it: ``5571.17<sup>1</sup>亿元`` was the
    figure 5571.171, ``总值<sup>1</sup>5571.17`` 15571.17. (A subscript stays plain text: it is
    a name's part, ``PM<sub>2.5</sub>``, ``CO<sub>2</sub>``, not a marker.)

    >>> raised_text("1"), raised_text("注1"), raised_text("[2]"), raised_text("①")
    ('¹', '[注1]', '[2]', '①')
    """
    t = text.strip()
    if not t:
        return ""
    if all(ord(c) in _SUPERSCRIPT for c in t):
        return t.translate(_SUPERSCRIPT)
    if all(not c.isascii() and unicodedata.normalize("NFKC", c) != c for c in t):
        return t  # marks already (①, ⑴, ¹): told from a figure as they stand, not bracketed
    return t if t[0] in "[(（【" else f"[{t}]"


#: elements whose text is not the page's: a ``<template>`` (never shown) and text struck out —
#: ``<del>``, ``<s>``, ``<strike>``, a redline's deleted figure, as a .docx's ``w:del`` is not
#: read: ``总值<del>9999</del><ins>5571.17</ins>亿元`` was ``99995571.17``, no figure (probe25)
_STRUCK = frozenset({"template", "del", "s", "strike"})


def _hidden_element(tag) -> bool:
    """An element a browser does not show: ``hidden``, ``display:none``, ``visibility:hidden``
    in its own style, a ``<template>``; and text struck out (:data:`_STRUCK`)."""
    if tag.name in _STRUCK or tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


#: a rule of a page's style sheet: its selectors and its declarations (no nesting: at-rules
#: such as ``@media print { … }`` are cut out first, :data:`_AT_BLOCK`)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_AT_BLOCK = re.compile(r"@[^{};]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}|@[^{};]*;")


def _hide_by_style_sheets(soup) -> None:
    """Mark ``hidden`` every element a ``<style>`` sheet of the page hides (``display:none``,
    ``visibility:hidden``), so that :func:`_hidden_element` — the one rule of what a page does
    not show — leaves it out as it leaves out an element hidden by its own style: a figure in a
    ``<span class="x">`` under ``.x{display:none}`` was read (probe16; ``#h{…}`` the same).
    Plain selectors only (``.x``, ``#h``, ``p.note``, ``div span``, lists of them): a selector
    with a pseudo-class (``:hover``) or inside an at-rule (``@media print``) hides nothing on
    the screen, and a later rule showing the element again is not weighed (a page that hides
    and then shows the same text is not seen in the wild)."""
    sheets = [_CSS_COMMENT.sub("", t.get_text()) for t in soup.find_all("style")]
    for sheet in sheets:
        for selectors, body in _CSS_RULE.findall(_AT_BLOCK.sub("", sheet)):
            if not _HIDDEN_STYLE.search(body.strip().lstrip("{")):
                continue
            for selector in selectors.split(","):
                selector = selector.strip()
                if not selector or ":" in selector or "@" in selector:
                    continue
                try:
                    found = soup.select(selector)
                except Exception:  # noqa: BLE001 - a selector soupsieve cannot read hides nothing
                    continue
                for tag in found:
                    tag["hidden"] = ""


def _text_with_breaks(soup) -> str:
    """The text of a parsed page with a line break around every block element, in one pass
    over the tree without recursion: inserting the breaks into the tree costs time for every
    element already there (20,000 paragraphs took a minute), and a page may be nested
    thousands deep."""
    from bs4 import CData, NavigableString, Tag

    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            parts.append("\n")
        elif isinstance(node, Tag):
            if _hidden_element(node):
                continue
            if node.name == "sup" or _RAISED_STYLE.search(str(node.get("style") or "")):
                parts.append(raised_text(node.get_text()))
                continue
            if node.name in _CELL_TAGS:
                parts.append("\t")
            if node.name in _BLOCK_TAGS:
                parts.append("\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) in (NavigableString, CData):  # as get_text: no comments, doctypes
            parts.append(str(node).replace("\t", " "))  # a tab in a page is a blank
    return "".join(parts)


_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page names in its first 4 KB (``<meta charset="big5">`` or the
    ``http-equiv`` form), or None."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _read_html(path: Path, data: bytes) -> Document:
    from bs4 import BeautifulSoup

    text = decode_bytes(data, path, declared=_declared_charset(data))
    soup = BeautifulSoup(text, "lxml")
    if soup.body is None and soup.find() is None:
        raise TextReadError(path, "no HTML content")
    title = soup.title.get_text(strip=True) if soup.title else None
    url = None
    link = soup.find("link", rel="canonical")
    if link is not None and link.get("href"):
        url = str(link.get("href"))
    _hide_by_style_sheets(soup)
    for tag in soup(["script", "style", "nav", "noscript", "header", "footer", "iframe", "form"]):
        tag.decompose()
    raw = _text_with_breaks(soup)
    # blanks collapse; the tab before each cell of a table row stays (numerals never join
    # across it: 2022 and 2023 in two cells are no 20222023)
    lines = [re.sub(r" ?\t[ \t]*", "\t", re.sub(r"[ \u3000\xa0]+", " ", ln)).strip()
             for ln in raw.splitlines()]
    body = "\n\n".join(ln for ln in lines if ln)
    if not body.strip():
        raise TextReadError(path, "the HTML page has no text")
    return Document(text=body, source_url=url, title=title or None, path=str(path))


#: Largest total size a .docx may unpack to. python-docx parses the whole document into memory
#: (about twelve times its XML), so a zip bomb of a few hundred kilobytes would otherwise take
#: gigabytes; a long work report's document.xml is a few megabytes.
MAX_DOCX_UNPACKED_BYTES = 32 * 1024 * 1024


def _read_docx(path: Path, data: bytes) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            twice = duplicate_part_problem(zf.infolist()) or unreadable_part_problem(zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TextReadError(path, f"not a readable .docx (truncated or corrupt: {exc})") from exc
    if twice:
        raise TextReadError(path, twice)
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise TextReadError(path, f"the .docx unpacks to {unpacked / 2**20:.0f} MiB, over the "
                                  f"limit of {MAX_DOCX_UNPACKED_BYTES / 2**20:.0f} MiB (refused: "
                                  "it could be a zip bomb)")
    try:
        import docx  # python-docx

        d = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TextReadError(path, f"not a readable .docx (truncated or corrupt: {exc})") from exc
    except Exception as exc:  # lxml or python-docx internals on a broken package
        raise TextReadError(path, f"not a readable .docx ({type(exc).__name__}: {exc})") from exc
    token = _RUN_STYLES.set(_docx_run_styles(d))
    size_token = _TEXT_SIZE.set(_docx_text_size(d))
    try:
        parts = [b for b in _docx_blocks(d.element.body) if b.strip()]
    finally:
        _TEXT_SIZE.reset(size_token)
        _RUN_STYLES.reset(token)
    text = "\n\n".join(parts)
    if not text.strip():
        raise TextReadError(path, "the .docx has no text")
    title = (d.core_properties.title or "").strip() or None
    chunks = sum(1 for _ in d.element.body.iter(_W + "altChunk"))
    objects = sum(1 for _ in d.element.body.iter(_OLE_OBJECT))
    notes = ((embedded_documents_note(chunks),) if chunks else ()) + \
        ((embedded_objects_note(objects),) if objects else ())
    return Document(text=text, source_url=None, title=title, path=str(path), notes=notes)


def embedded_documents_note(count: int) -> str:
    """THE wording of a .docx's embedded documents (``w:altChunk``: an HTML, RTF or .docx part
    Word shows inline and merges only when the file is saved again): their text is not read,
    and they are named rather than dropped without a word (probe18)."""
    return (f"the .docx embeds {plural(count, 'other document')} (w:altChunk: HTML, RTF or .docx pasted "
            "in) whose text is not read; open the file in Word or WPS and save it again, or check "
            "that part by eye")


def embedded_objects_note(count: int) -> str:
    """THE wording of a .docx's embedded objects (OLE: a workbook or another file pasted in and
    shown as its picture): their figures are not read, and they are named rather than dropped
    without a word, as ``w:altChunk`` is (probe25)."""
    return (f"the .docx embeds {plural(count, 'object')} (OLE: a workbook or another file pasted "
            "in and shown as a picture) whose figures are not read; check them by eye")


_OLE_OBJECT = "{urn:schemas-microsoft-com:office:office}OLEObject"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: what a .docx holds but does not show as text: deleted and moved-away runs, field codes,
#: properties, and the fallback copy of a drawing or text box (``mc:Fallback`` repeats what
#: its ``mc:Choice`` shows)
_DOCX_UNSHOWN = frozenset({_W + "del", _W + "moveFrom", _W + "instrText", _W + "delText",
                           _W + "rPr", _W + "pPr", _W + "sectPr", _W + "tblPr", _W + "tcPr",
                           _W + "trPr", _W + "sdtPr", _W + "sdtEndPr",
                           "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"})
#: wrappers whose children are paragraphs and tables as if they stood in the parent
#: (content controls, custom XML, a choice of markup)
_DOCX_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml",
                            "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
                            "AlternateContent",
                            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"})


def _docx_blocks(parent) -> list[str]:
    """The paragraphs and tables under ``parent`` (the body, a table cell, a content control)
    in reading order, each as one text: a paragraph's runs with their tabs and line breaks
    (``5571<w:tab/>12.3`` must not read as 557112.3), a table as its rows, one line each, its
    cells separated by tabs; the paragraphs of one cell are separate lines, and a table nested
    in a cell is read once, as part of that cell (not again as rows of the outer table)."""
    blocks: list[str] = []
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            blocks.append(_docx_paragraph(child).strip())
        elif tag == _W + "tbl":
            blocks.append(_docx_table(child))
        elif tag in _DOCX_WRAPPERS and not _placeholder(child):
            blocks.extend(_docx_blocks(child))
    return blocks


def _placeholder(el) -> bool:
    """A content control showing its placeholder (``w:showingPlcHdr``): the grey hint of a form
    ("click to enter"), no content — its hint ``地区生产总值9999亿元`` was read (probe25)."""
    if el.tag != _W + "sdt":
        return False
    pr = el.find(_W + "sdtPr")
    return pr is not None and _on(pr.find(_W + "showingPlcHdr"))


def _docx_table(tbl) -> str:
    rows = []
    for tr in _docx_children(tbl, _W + "tr"):
        cells = ["\n".join(b for b in _docx_blocks(tc) if b.strip()).strip()
                 for tc in _docx_children(tr, _W + "tc")]
        line = "\t".join(cells).strip()
        if line:
            rows.append(line)
    return "\n".join(rows)


def _docx_children(parent, tag: str) -> list:
    """The ``tag`` children of ``parent``, looking through content controls and custom XML
    (a row or a cell may stand inside one)."""
    out = []
    for child in parent.iterchildren():
        if child.tag == tag:
            out.append(child)
        elif child.tag in _DOCX_WRAPPERS and not _placeholder(child):
            out.extend(_docx_children(child, tag))
    return out


def _docx_paragraph(p) -> str:
    """A paragraph's text as shown: runs in order, a tab as a tab, a line break as a line
    break, a paragraph inside it (a text box) on lines of its own."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(p, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            parts.append("\n")
            continue
        tag = node.tag
        if not isinstance(tag, str) or tag in _DOCX_UNSHOWN or _placeholder(node):
            continue
        if tag == _W + "r" and (shown := _docx_run_shown(node)) is not None:
            parts.append(shown)  # hidden, or raised: decided by the run's own properties
        elif tag == _W + "t":
            parts.append(node.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        else:
            if tag in (_W + "p", _W + "tbl", _W + "tr") and node is not p:
                parts.append("\n")
                stack.append((node, True))
            elif tag == _W + "tc":
                parts.append("\t")
            stack.extend((child, False) for child in reversed(node))
    return "".join(parts)


def _on(el) -> bool:
    """A .docx on/off property (``<w:vanish/>``, ``w:val="0"`` or ``"false"`` is off)."""
    return el is not None and el.get(_W + "val", "true") not in ("0", "false", "off")


#: the character styles of the .docx being read that hide their runs ("hidden") or raise them
#: ("superscript"): a run may take either from its style (``<w:rStyle w:val="FootnoteRef"/>``)
_RUN_STYLES: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "_RUN_STYLES", default=None)


def _docx_run_styles(d) -> dict[str, str]:
    """Which character styles hide or raise their runs, following ``basedOn``."""
    own: dict[str, tuple[str | None, str | None]] = {}
    try:
        root = d.styles.element
    except Exception:  # noqa: BLE001 - a document without a styles part
        return {}
    for st in root.iterchildren(_W + "style"):
        sid = st.get(_W + "styleId")
        if not sid:
            continue
        rpr, based = st.find(_W + "rPr"), st.find(_W + "basedOn")
        effect = None
        if rpr is not None:
            align = rpr.find(_W + "vertAlign")
            effect = "hidden" if _on(rpr.find(_W + "vanish")) else \
                "superscript" if align is not None and align.get(_W + "val") == "superscript" \
                else None
        own[sid] = (effect, None if based is None else based.get(_W + "val"))
    out: dict[str, str] = {}
    for sid in own:
        seen, cur = set(), sid
        while cur in own and cur not in seen:
            seen.add(cur)
            effect, cur_based = own[cur]
            if effect:
                out[sid] = effect
                break
            cur = cur_based or ""
    return out


#: the size of the text of the .docx being read where a run gives none, in half-points: its
#: Normal style's, else its defaults', else Word's own (10 pt)
_TEXT_SIZE: contextvars.ContextVar[int] = contextvars.ContextVar("_TEXT_SIZE", default=20)


def _half_points(rpr) -> int | None:
    """The size a run's properties give (``<w:sz w:val="14"/>``: 7 pt), or None."""
    sz = None if rpr is None else rpr.find(_W + "sz")
    try:
        return int(sz.get(_W + "val")) if sz is not None else None
    except (TypeError, ValueError):
        return None


def _docx_text_size(d) -> int:
    """The size of a run that gives none: the Normal paragraph style's, else the document's
    defaults (``w:docDefaults``), else 20 (10 pt, Word's when neither says)."""
    try:
        root = d.styles.element
    except Exception:  # noqa: BLE001 - a document without a styles part
        return 20
    for st in root.iterchildren(_W + "style"):
        if st.get(_W + "type") == "paragraph" and st.get(_W + "default") in ("1", "true") and (
                size := _half_points(st.find(_W + "rPr"))) is not None:
            return size
    defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    size = _half_points(defaults)
    return size if size is not None else 20


def _position(rpr) -> int:
    """How far a run's properties raise it (``w:position``, half-points; lowered below 0)."""
    pos = rpr.find(_W + "position") if rpr is not None else None
    try:
        return int(pos.get(_W + "val", "0")) if pos is not None else 0
    except (TypeError, ValueError):
        return 0


def _raised_by_position(r, rpr) -> bool:
    """Whether a run is set as a marker by its position: raised above the line
    (``w:position`` > 0) and smaller than the text beside it — the nearest run before it in
    its paragraph that is not so raised, else the nearest after, each of its own size or the
    document's (:data:`_TEXT_SIZE`). What WPS and hand formatting write for a footnote marker
    or a unit's power instead of ``vertAlign`` superscript; a raised run of the text's own size
    (a typographic shift) stays plain."""
    size = _half_points(rpr)
    if _position(rpr) <= 0 or size is None:
        return False
    default = _TEXT_SIZE.get()
    for preceding in (True, False):
        for sib in r.itersiblings(_W + "r", preceding=preceding):
            srpr = sib.find(_W + "rPr")
            if _position(srpr) > 0 or not any((t.text or "").strip()
                                               for t in sib.iter(_W + "t")):
                continue
            near = _half_points(srpr)
            return size < (near if near is not None else default)
    return size < default


def _docx_run_shown(r) -> str | None:
    """What a run shows when its own properties change it: nothing when it is hidden
    (``w:vanish``: Word shows it only with formatting marks on — a figure typed over and
    hidden is not the text's), its text raised (:func:`raised_text`) when it is in
    superscript or raised by position as a marker is (:func:`_raised_by_position`); None when
    the run is plain (read as any element is)."""
    rpr = r.find(_W + "rPr")
    if rpr is None:
        return None
    style = rpr.find(_W + "rStyle")
    styles = _RUN_STYLES.get() or {}
    by_style = styles.get(style.get(_W + "val", "")) if style is not None else None
    vanish = rpr.find(_W + "vanish")
    if _on(vanish) or (vanish is None and by_style == "hidden"):
        return ""
    align = rpr.find(_W + "vertAlign")
    where = by_style if align is None else align.get(_W + "val")
    if where != "superscript" and not (where != "subscript" and _raised_by_position(r, rpr)):
        return None
    return raised_text("".join(t.text or "" for t in r.iter(_W + "t")))


#: Most bytes of page content (the decoded content streams of all pages together) a PDF may
#: hold for its text to be read. Reading text costs about 3 s per MB of text operators, and a
#: 20 KB file can unpack to tens of MB (or give many pages one huge stream): a long work
#: report has a few MB.
MAX_PDF_CONTENT_BYTES = 8 * 1024 * 1024


def _pdf_content_bytes(reader) -> int:
    """The decoded size of every page's content, stopping once over the limit (each stream is
    decoded once: pypdf keeps it, and bounds a single stream itself)."""
    total = 0
    for page in reader.pages:
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > MAX_PDF_CONTENT_BYTES:
            break
    return total


def _pdf_page_text(page) -> str:
    """A page's text in reading order: pypdf's, which follows the content stream, unless the
    page stands in two columns written line by line across it — then column by column
    (:func:`lantu.ingest.pdf_columns.column_text`, from the pieces pypdf reports with their
    positions)."""
    from lantu.ingest.pdf_columns import Piece, column_text

    pieces: list[Piece] = []
    broken = False

    def visit(text: str, cm, tm, font_dict, font_size) -> None:
        nonlocal broken
        t = text.strip("\r\n")
        if not t.strip():
            return
        if "\n" in t or "\r" in t:  # lines of one piece: where each stands is not told
            broken = True
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        pieces.append(Piece(float(x), float(y), float(font_size or 0) * float(scale), t.strip()))

    text = page.extract_text(visitor_text=visit) or ""
    if broken or not pieces:
        return text
    try:
        width = float(page.mediabox.width)
    except Exception:  # noqa: BLE001 - a page without a usable box keeps pypdf's text
        return text
    return column_text(pieces, width) or text


_PYPDF_QUIET = threading.Lock()
_pypdf_readers = 0
_pypdf_level = logging.NOTSET


@contextmanager
def pypdf_quiet() -> Iterator[None]:
    """pypdf's warnings silenced while Lantu reads a PDF, and only then: pypdf logs each object
    it repairs ("Ignoring wrong pointing object 7 0"), 48 lines of its English on standard error
    for a PDF with a broken cross-reference table, which is read (probe16); what cannot be read
    is said once, by the refusal. The ``pypdf`` logger's level is ERROR while a reading is in
    progress (in any thread: a count of readers) and what it was before once the last ends —
    it used to be left at ERROR for the whole process (left12)."""
    global _pypdf_readers, _pypdf_level
    log = logging.getLogger("pypdf")
    with _PYPDF_QUIET:
        if _pypdf_readers == 0:
            _pypdf_level = log.level
            log.setLevel(logging.ERROR)
        _pypdf_readers += 1
    try:
        yield
    finally:
        with _PYPDF_QUIET:
            _pypdf_readers -= 1
            if _pypdf_readers == 0:
                log.setLevel(_pypdf_level)


def _read_pdf(path: Path, data: bytes) -> Document:
    with pypdf_quiet():
        return _read_pdf_text(path, data)


def _read_pdf_text(path: Path, data: bytes) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise TextReadError(path, "not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))  # opens a PDF protected by no user password
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("a user password is needed")
        if _pdf_content_bytes(reader) > MAX_PDF_CONTENT_BYTES:
            raise TextReadError(path, f"the PDF's pages hold more than "
                                      f"{MAX_PDF_CONTENT_BYTES / 2**20:.0f} MiB of content "
                                      "(refused: reading it would take minutes; it could be a "
                                      "decompression bomb)")
        pages = [_pdf_page_text(page) for page in reader.pages]
    except TextReadError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        # "truncated or corrupt: File has not been decrypted" named no cause a person can act on
        raise TextReadError(path, "the PDF is encrypted (password-protected, or with a "
                                  "cipher Lantu cannot open); save a copy without the password "
                                  "or print it to a new PDF, then upload that") from exc
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise TextReadError(path, f"not a readable PDF (truncated or corrupt: {exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise TextReadError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise TextReadError(path, "the PDF has no pages")
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise TextReadError(
            path, f"the PDF has no text layer ({plural(len(pages), 'page')}; a scanned image needs OCR first)"
        )
    title = None
    try:
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)
    except Exception:  # metadata is optional and sometimes broken
        title = None
    blank = [k for k, page in enumerate(pages, 1) if not page.strip()]
    return Document(text=text.replace("\r\n", "\n"), source_url=None, title=title, path=str(path),
                    notes=(no_text_pages_note(blank),) if blank else ())


def no_text_pages_note(pages: list[int]) -> str:
    """THE wording of the pages of a PDF that hold no text layer among pages that do (a photo,
    a scanned annex, a table pasted as a picture): they are not refused — that would refuse
    every bulletin with a photo — but named, so that no figure on them is lost without a word
    (probe14 left it, probe16). ``rsn.pdf_pages_no_text``.

    >>> no_text_pages_note([2]), no_text_pages_note([2, 5])
    ('page 2 has no text layer (an image or a scan): what it shows is not read; check it by eye', 'pages 2, 5 have no text layer (an image or a scan): what they show is not read; check them by eye')
    """
    if len(pages) == 1:
        return (f"page {pages[0]} has no text layer (an image or a scan): what it shows is not "
                "read; check it by eye")
    return (f"pages {', '.join(map(str, pages))} have no text layer (an image or a scan): what "
            "they show is not read; check them by eye")


def read_text(path: str | Path) -> Document:
    """Read a document into plain text.

    Parameters
    ----------
    path : str or Path
        A ``.md`` (YAML front matter is removed; its ``source``/``url`` and ``title`` are kept),
        ``.txt``, ``.html``/``.htm``, ``.docx`` or text ``.pdf`` file. Text files may be UTF-8,
        UTF-8 with BOM or GBK/GB18030.

    Returns
    -------
    Document
        ``text`` plus ``source_url``, ``title`` and ``path``.

    Raises
    ------
    TextReadError
        For a missing or empty file, binary junk, an unsupported extension, a truncated or corrupt
        DOCX/PDF, or a PDF without a text layer; the message names the file and the reason.

    Examples
    --------
    >>> doc = read_text("corpus/work-reports/140100-taiyuan/2023.md")  # doctest: +SKIP
    >>> doc.source_url  # doctest: +SKIP
    'https://www.taiyuan.gov.cn/zfgzbg/20230331/30032208.html'
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise TextReadError(
            p, f"unsupported extension {ext or '(none)'!r}; expected one of {', '.join(SUPPORTED_EXTENSIONS)}"
        )
    if not p.exists():
        raise TextReadError(p, "no such file")
    if not p.is_file():
        raise TextReadError(p, "not a regular file")
    size = p.stat().st_size
    if size == 0:
        raise TextReadError(p, "the file is empty")
    if size > MAX_BYTES:
        raise TextReadError(p, f"file too large ({size} bytes, limit {MAX_BYTES})")
    data = p.read_bytes()
    if ext in (".md", ".markdown"):
        return _read_plain(p, data, markdown=True)
    if ext == ".txt":
        return _read_plain(p, data, markdown=False)
    if ext in (".html", ".htm"):
        return _read_html(p, data)
    if ext == ".docx":
        return _read_docx(p, data)
    return _read_pdf(p, data)
