"""Reading a text in the web: a work report or bulletin an analyst uploads is read with the
readers of ``lantu extract`` (:func:`lantu.ingest.textio.read_text`), its figures, targets and
milestones found by the same extractors (``lantu extract … --milestones``) and kept as a
*review*: one item per row, each with the offsets of its clause in the text, and a status
(``pending``, ``accepted``, ``rejected``). A person accepts, edits or rejects each; the accepted
ones are imported with their source through :func:`lantu.services.import_reviewed` (the gate and
the one transaction of every table import).

A review is plain data (a JSON-ready ``dict``): the web app keeps it in its staging area between
requests. Everything here is pure but :func:`import_review`.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lantu.domain import MILESTONE_KINDS, ValidationError, check_region_code
from lantu.domain.indicators import read_typed_number
from lantu.domain.milestones import MAX_MILESTONE_TEXT, parse_nodes
from lantu.domain.observations import SOURCE_QUALITIES, check_quality
from lantu.domain.periods import read_year
from lantu.domain.targets import QUALIFIERS
from lantu.ingest.extract import extract_text, validate_year
from lantu.ingest.tables import RawTable
from lantu.ingest.textio import Document
from lantu.store import Database
from lantu.store.files import UploadRefused, name_problem, sniff, text_problem_of
from lantu.tabular import escape_text

__all__ = ["DOC_KINDS", "FIGURE_KINDS", "STATUSES", "TEXT_EXTENSIONS", "build_review",
           "decide", "import_review", "segments", "upload_extension"]

#: what the uploaded bytes may be read as: by content, the name only tells text formats apart
TEXT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
DOC_KINDS = ("auto", "report", "bulletin")
FIGURE_KINDS = ("observed", "target")
STATUSES = ("pending", "accepted", "rejected")
#: the longest milestone text a person may write: the milestone's own rule
MAX_TEXT = MAX_MILESTONE_TEXT

_TYPES = {"application/pdf": ".pdf",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def upload_extension(data: bytes, name: str, *, max_bytes: int) -> str:
    """The extension an uploaded text is read as, decided by its bytes: a PDF, a DOCX (not
    macro-enabled) or plain text (then ``.md``/``.html``/``.txt`` by the name, read as such,
    never served back). Raises :class:`~lantu.store.files.UploadRefused` (413 too large, 415 any
    other type, an executable or macro-enabled name, an empty file).

    Examples
    --------
    >>> upload_extension("各位代表：".encode(), "2024.md", max_bytes=100)
    '.md'
    >>> upload_extension(b"%PDF-1.7 ...", "report.txt", max_bytes=100)
    '.pdf'
    """
    if len(data) > max_bytes:
        raise UploadRefused(f"the file has {len(data)} bytes; the limit is {max_bytes}", 413)
    if not data:
        raise UploadRefused("the file is empty", 415)
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(base).suffix.lower()
    # an HTML page is read as text here (never served back), so only its other marks count
    if reason := name_problem(base[: -len(suffix)] if suffix in (".html", ".htm") else base):
        raise UploadRefused(reason, 415)
    ctype = sniff(data)
    if ctype in _TYPES:
        return _TYPES[ctype]
    if ctype == "text/plain":  # text by the one rule (decode_text), as evidence is
        return suffix if suffix in TEXT_EXTENSIONS else ".txt"
    if reason := text_problem_of(data):  # UTF-16 without its mark, UTF-8 cut or damaged: say
        raise UploadRefused(reason, 415)  # so (the one rule, as evidence), not "no allowed type"
    raise UploadRefused("a work report or bulletin must be .md, .txt, .html, .docx or a PDF with "
                        "a text layer (checked by content)", 415)


def _figure(i: int, r: Any) -> dict[str, Any]:
    return {"id": i, "type": "figure", "status": "pending", "edited": False,
            "start": r.start, "end": r.end, "excerpt": r.excerpt, "region_code": r.region_code,
            "period": r.period, "indicator": r.indicator, "kind": r.kind, "value": r.value,
            "value_high": r.value_high, "qualifier": r.qualifier, "unit": r.unit,
            "flags": r.flags}


def _milestone(i: int, m: Any) -> dict[str, Any]:
    return {"id": i, "type": "milestone", "status": "pending", "edited": False,
            "start": m.start, "end": m.end, "excerpt": m.excerpt, "region_code": m.region_code,
            "year": m.year, "kind": m.kind, "text": m.text, "nodes": list(m.nodes)}


def build_review(doc: Document, *, file: str, region_code: str, year: int,
                 doc_kind: str = "auto", actor: str = "") -> dict[str, Any]:
    """Read a document's figures, targets and milestones into a review (all ``pending``).

    Figures and targets come from :func:`lantu.ingest.extract.extract_text`, milestones from
    :func:`lantu.ingest.milestones.extract_milestones` with the default plan's node keywords
    where the region is the default's: what ``lantu extract … --milestones`` writes. Items are
    in text order; ``start``/``end`` locate each one's clause in ``text``.
    """
    from lantu.ingest.milestones import default_node_keywords, extract_milestones

    code = check_region_code(region_code)
    y = validate_year(year)
    if doc_kind not in DOC_KINDS:
        raise ValidationError(f"kind must be one of {', '.join(DOC_KINDS)}, got {doc_kind!r}",
                              field="kind")
    rows = extract_text(doc.text, code, y, doc_type=doc_kind)
    found = extract_milestones(doc.text, region_code=code, year=y,
                               node_keywords=default_node_keywords(code))
    keyed = [((r.start, 0), r, _figure) for r in rows] + \
        [((m.start, 1), m, _milestone) for m in found]
    keyed.sort(key=lambda k: k[0])
    items = [make(i, obj) for i, (_, obj, make) in enumerate(keyed, start=1)]
    bulletin = doc_kind == "bulletin" or (doc_kind == "auto" and "统计公报" in doc.text[:400])
    return {"file": file, "region_code": code, "year": y, "doc_kind": doc_kind,
            "source_url": doc.source_url or "", "title": doc.title or "", "text": doc.text,
            "notes": list(doc.notes),
            "quality": "official_statistics" if bulletin else "official_report",
            "sha256": hashlib.sha256(doc.text.encode()).hexdigest(), "created_by": actor,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "items": items}


def _number(text: str, name: str, *, required: bool = True) -> float | None:
    text = (text or "").strip().replace(",", "")  # a figure copied from a text: 1,234.5
    if not text:
        if required:
            raise ValidationError(f"{name} is empty", field=name)
        return None
    try:  # the one rule of a number a person types (not 1_0; full-width made ASCII; -0 is 0)
        return read_typed_number(text)
    except ValueError as exc:
        raise ValidationError(f"{name} must be a number: {exc}", field=name) from None


def _year(text: str, name: str) -> int:
    try:  # the one reading of a typed year: four digits 0-9 of the one year rule
        return read_year(str(text))
    except ValueError as exc:
        raise ValidationError(str(exc), field=name) from None


def decide(item: dict[str, Any], action: str, form: dict[str, str] | None = None, *,
           nodes: set[str] | None = None) -> None:
    """Apply a person's decision to an item: ``accept``, ``reject``, ``reset`` (pending again) or
    ``edit`` (change its fields from ``form`` and accept it). An edit is checked field by field
    (a :class:`~lantu.domain.ValidationError` names the field); whether the indicator is known
    and the value admissible is the gate's to say when the accepted items are imported; a
    milestone's plan nodes must be among ``nodes`` (the plans' node codes) when given."""
    if action in ("accept", "reject"):
        item["status"] = action + "ed"
        return
    if action == "reset":
        item["status"] = "pending"
        return
    if action != "edit":
        raise ValidationError(f"unknown action {action!r}", field="action")
    f = form or {}
    if item["type"] == "figure":
        kind = f.get("kind", "").strip()
        if kind not in FIGURE_KINDS:
            raise ValidationError(f"kind must be observed or target, got {kind!r}", field="kind")
        qualifier = f.get("qualifier", "").strip()
        if qualifier and qualifier not in QUALIFIERS:
            raise ValidationError(f"qualifier must be empty or one of {', '.join(QUALIFIERS)}, "
                                  f"got {qualifier!r}", field="qualifier")
        indicator = f.get("indicator", "").strip()
        if not indicator:
            raise ValidationError("indicator is empty", field="indicator")
        item.update(kind=kind, qualifier=qualifier, indicator=indicator[:100],
                    value=_number(f.get("value", ""), "value"),
                    value_high=_number(f.get("value_high", ""), "value_high", required=False),
                    period=_year(f.get("period", ""), "period"))
    else:
        kind = f.get("kind", "").strip()
        if kind not in MILESTONE_KINDS:
            raise ValidationError(f"kind must be one of {', '.join(MILESTONE_KINDS)}, got "
                                  f"{kind!r}", field="kind")
        text = " ".join(f.get("text", "").split())
        if not text or len(text) > MAX_TEXT:
            raise ValidationError(f"text must have 1 to {MAX_TEXT} characters", field="text")
        linked = list(parse_nodes(f.get("nodes", "")))
        if nodes is not None and (unknown := [n for n in linked if n not in nodes]):
            raise ValidationError(f"no plan node {', '.join(unknown)}", field="nodes")
        item.update(kind=kind, text=text, year=_year(f.get("year", ""), "year"), nodes=linked)
    item["edited"] = True
    item["status"] = "accepted"


def segments(text: str, items: list[dict[str, Any]]) -> list[tuple[str, list[int], list[int]]]:
    """The text cut at every clause boundary: ``(piece, ids of the items whose clause covers it,
    ids of the items whose clause starts there)``, so a page can mark each clause and anchor it
    (clauses may overlap: several figures in one).

    Examples
    --------
    >>> segments("ab cd ef", [{"id": 1, "start": 3, "end": 5}])
    [('ab ', [], []), ('cd', [1], [1]), (' ef', [], [])]
    """
    spans = [(it["id"], it["start"], it["end"]) for it in items
             if it.get("start") is not None and it.get("end") is not None
             and 0 <= it["start"] < it["end"] <= len(text)]
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    return [(text[a:b], [i for i, s, e in spans if s <= a and b <= e],
             [i for i, s, _ in spans if s == a]) for a, b in zip(cuts, cuts[1:])]


def _figure_table(review: dict, accepted: list[dict], *, source_url: str, document: str,
                  quality: str) -> RawTable:
    header = ["region_code", "period", "indicator", "kind", "value", "value_high", "qualifier",
              "unit", "excerpt", "flags", "source_url", "source_file", "source_quality"]
    rows = []
    for it in accepted:
        rows.append((it["id"], [it["region_code"], str(it["period"]), it["indicator"],
                                it["kind"], repr(float(it["value"])),
                                "" if it["value_high"] is None else repr(float(it["value_high"])),
                                it["qualifier"] or "", it["unit"] or "", escape_text(it["excerpt"]),
                                it["flags"] or "", escape_text(source_url),
                                "" if source_url else document,
                                quality]))
    # the cells are text as a CSV holds them (escaped like an export, read back by the parser)
    return RawTable(document, header, rows, "review", review["sha256"])


def _milestone_table(review: dict, accepted: list[dict], *, source_url: str, archive: str,
                     quality: str) -> RawTable:
    header = ["region_code", "year", "kind", "text", "excerpt", "start", "end", "nodes",
              "source_url", "archive", "source_quality"]
    rows = [(it["id"], [it["region_code"], str(it["year"]), it["kind"], it["text"],
                        it["excerpt"], "" if it["start"] is None else str(it["start"]),
                        "" if it["end"] is None else str(it["end"]), ";".join(it["nodes"]),
                        source_url, archive, quality]) for it in accepted]
    return RawTable(review["file"], header, rows, "review", review["sha256"])


def import_review(db: Database, review: dict[str, Any], *, actor: str, source_url: str = "",
                  archive: str = "", document: str = "", quality: str = "") -> Any:
    """Import the accepted items of ``review`` with their source, all or nothing, through
    :func:`lantu.services.import_reviewed`: the figures keep their clause as the excerpt and
    ``document`` (else the archive, else the uploaded file's name) as their file where no URL
    is given; the milestones are marked reviewed by ``actor``. The import batch and the audit
    log say who reviewed, when, from which document, and how many items were rejected.

    Raises
    ------
    ValidationError
        Nothing accepted, no source at all, a bad source quality.
    ImportRefused
        What the gate refused, each problem on the row number of the review table.
    """
    from lantu import services

    accepted = [it for it in review["items"] if it["status"] == "accepted"]
    if not accepted:
        raise ValidationError("accept at least one item before importing", field="items")
    source_url, archive = source_url.strip(), archive.strip()
    document = document.strip() or archive or review["file"]
    if not (source_url or archive or document):
        raise ValidationError("give the text's URL, its archive or its name", field="source_url")
    quality = check_quality(quality or review["quality"])
    if quality not in SOURCE_QUALITIES[:4]:
        raise ValidationError("a reviewed text needs a source quality other than none",
                              field="source_quality")
    figures = _figure_table(review, [it for it in accepted if it["type"] == "figure"],
                            source_url=source_url, document=archive or document,
                            quality=quality)
    milestones = _milestone_table(review, [it for it in accepted if it["type"] == "milestone"],
                                  source_url=source_url, archive=archive or document,
                                  quality=quality)
    extra = {"review": {"reviewed_by": actor,
                        "reviewed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "document": document, "source_url": source_url, "archive": archive,
                        "source_quality": quality, "uploaded_by": review.get("created_by", ""),
                        "accepted": len(accepted),
                        "rejected": sum(it["status"] == "rejected" for it in review["items"]),
                        "edited": sum(bool(it["edited"]) for it in accepted)}}
    return services.import_reviewed(db, figures, milestones, actor=actor, extra=extra)
