"""Reading milestone tables: the ``M.csv`` of ``lantu extract --milestones``
(``region_code, year, kind, text, excerpt, start, end, nodes``) and the export of
``lantu export milestones`` (which adds ``source_url, archive``; ``source_quality`` and
``machine_read`` are read too). Whether a row is machine-read is read as for figures and
targets (:func:`lantu.domain.review.row_machine_read`): a ``machine_read`` column, or the older
``reviewed`` (its opposite; a row whose two cells contradict each other is refused); a table
with neither is machine-read (the ``M.csv`` of ``lantu extract``). Every row is checked; a
problem names the file, row and column and nothing is imported until the whole file is right."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from lantu.domain import MilestoneFact, ValidationError
from lantu.domain.review import MACHINE_READ, ReviewCellError, row_machine_read
from lantu.ingest.tables import _ALIASES as _TABLE_ALIASES
from lantu.ingest.tables import Catalogue, ImportRefused, RawTable, _Rows

MILESTONE_COLUMNS = ("region_code", "year", "kind", "text", "excerpt", "start", "end", "nodes")
_ALIASES = {"region": "region_code", "地区": "region_code", "年份": "year", "类别": "kind",
            "内容": "text", "摘录": "excerpt", "原文": "excerpt", "规划节点": "nodes",
            "source": "source_url", "来源": "source_url", "存档": "archive",
            "来源质量": "source_quality", "已审核": "reviewed"}
# the names of the machine_read column are those of every other table
_ALIASES.update({k: v for k, v in _TABLE_ALIASES.items() if v == MACHINE_READ})


def _canon(header: Sequence[str]) -> list[str]:
    out = []
    for h in header:
        k = unicodedata.normalize("NFKC", h).strip().lower()
        out.append(_ALIASES.get(k, k))
    return out


def is_milestone_table(header: Sequence[str]) -> bool:
    """A header with ``year``, ``kind`` and ``text`` and no indicator: a milestone table."""
    names = set(_canon(header))
    return {"year", "kind", "text"} <= names and not names & {"indicator", "indicator_code"}


def parse_milestones(raw: RawTable, cat: Catalogue, *, source_url: str = "", archive: str = "",
                     reviewed: bool | None = None) -> list[MilestoneFact]:
    """Milestones of a table, or :class:`ImportRefused` with every problem.

    ``source_url``/``archive`` are the source of rows that name none (an ``M.csv`` read from one
    report); a row without any source is refused: a milestone keeps its source. ``reviewed``
    overrides the columns (``lantu import --reviewed`` after a person went through the file,
    ``--machine-read`` to keep every row machine-read).
    """
    canon = _canon(raw.header)
    rows = _Rows(raw.file, cat)
    rows.problems.extend(raw.problems)
    missing = [c for c in ("region_code", "year", "kind", "text") if c not in canon]
    if missing:
        rows.problem(raw.header_row, None, f"a milestone table needs the columns {missing}")
        raise ImportRefused(raw.file, rows.problems)
    col = {name: raw.header[i] for i, name in enumerate(canon)}
    out: list[MilestoneFact] = []
    seen: dict[tuple, int] = {}
    for line, cells in raw.rows:
        c = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(canon)}
        region = rows.region(line, col["region_code"], c["region_code"])
        ok = True
        nums: dict[str, int | None] = {}
        for name in ("year", "start", "end"):
            text = c.get(name, "")
            if not text and name != "year":
                nums[name] = None
                continue
            try:
                nums[name] = int(float(text)) if float(text).is_integer() else int(text)
            except ValueError:
                rows.problem(line, col.get(name, name), "must be a whole number", text)
                ok = False
        try:  # a table that says nothing is the M.csv of lantu extract: machine-read
            machine_read = row_machine_read(c) is not False
        except ReviewCellError as exc:
            rows.problem(line, col.get(exc.column, exc.column), str(exc), exc.value)
            ok = False
        url = c.get("source_url", "") or source_url
        arch = c.get("archive", "") or archive
        if not (url or arch):
            rows.problem(line, col.get("source_url", "source_url"),
                         "no source: give source_url or archive columns, or --source-url / "
                         "--archive for the report the file was read from")
            ok = False
        if region is None or not ok:
            continue
        try:
            m = MilestoneFact(region_code=region, year=nums["year"], kind=c["kind"],
                              text=c["text"], excerpt=c.get("excerpt", ""), start=nums["start"],
                              end=nums["end"], nodes=c.get("nodes", ""), source_url=url,
                              archive=arch,
                              source_quality=c.get("source_quality") or "official_report",
                              reviewed=reviewed if reviewed is not None else not machine_read)
        except ValidationError as exc:
            rows.problem(line, col.get(exc.field or "", exc.field), str(exc).split(": ", 1)[-1])
            continue
        if m.key in seen:
            rows.problem(line, col["text"], f"the same milestone is on row {seen[m.key]}", m.text)
            continue
        seen[m.key] = line
        out.append(m)
    if rows.problems:
        raise ImportRefused(raw.file, rows.problems)
    return out
