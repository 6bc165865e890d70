"""A long CSV table read and checked column by column: the fast lane of ``lantu import`` and the
web import.

A plain long table (``region_code, period, indicator, value, …``; one header line, no quotes, no
blank or ragged lines, no control characters) is read by pandas' C reader and checked a column at
a time: each distinct region, period, indicator, unit and flag text is looked up once, the
numbers are read as one array, the links judged as one column, and the rules of what may be
written are asked of the whole table at once (:func:`lantu.domain.gate.observation_frame_problems`).
Nothing is turned into an object per row; the store writes the frame in bulk
(:func:`lantu.store.bulk.apply_frame`).

It is the same import, not a second one: every lookup and every message comes from the row
reader of :mod:`lantu.ingest.tables` (its ``_Rows``), a cell the fast lane does not read at sight
(``5,571.17亿元``, ``—``, a unit to convert that cannot be) goes through that reader's
``_observation``, and a file that is not plain goes to :func:`~lantu.ingest.tables.read_raw`
whole. The report is the same: every problem with its file, row, column and reason, and nothing
is written when there is one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lantu.domain import Observation, gate
from lantu.domain.errors import ValidationError
from lantu.domain.links import url_problems
from lantu.domain.observations import (
    FRAME_COLUMNS,
    Source,
    check_quality,
    format_flags,
    infer_qualities,
    parse_flags,
)
from lantu.domain.units import conversion_factor
from lantu.ingest import tables as t
from lantu.ingest import tables_headers as th
from lantu.ingest import tables_read as tr
from lantu.ingest import tables_values as tv
from lantu.tabular import unescape_text

_SUFFIXES = (".csv", ".txt", ".tsv")
_DIGITS = frozenset("0123456789.-")


@dataclass
class FrameTable:
    """A long table read into an observation frame (:data:`FRAME_COLUMNS` and ``line``, the
    row of the file each came from)."""

    file: str
    layout: str
    encoding: str
    sha256: str
    frame: pd.DataFrame
    gaps: int = 0
    #: the rules of the gate every row of ``frame`` passed (the store need not ask again)
    rules: gate.Rules | None = None


@dataclass
class _Plain:
    header: list[str]
    canon: list[str | None]
    cells: pd.DataFrame  # strings, one column per header cell
    lines: np.ndarray  # the row number of each record in the file
    encoding: str
    sha256: str


def read_plain(path: str | Path) -> _Plain | None:
    """The cells of a plain long CSV table, or None when the file is anything else (then
    :func:`lantu.ingest.tables.read_raw` reads it, or refuses it with its reason)."""
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES or not path.is_file():
        return None
    if path.stat().st_size > t.MAX_FILE_BYTES:
        return None
    data = path.read_bytes()
    if len(data) > t.MAX_FILE_BYTES or data.startswith((tr._ZIP_MAGIC, tr._OLE2_MAGIC)):
        return None
    text, enc = tr._decode(data, str(path))  # an undecodable file is refused as the reader does
    cleaned = tv._INVISIBLE_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    # pandas reads the bytes themselves when cleaning changed nothing (but a leading BOM)
    as_bytes = enc == "utf-8" and cleaned == text.removeprefix("\ufeff")
    text = cleaned
    body = text.rstrip("\n")
    if '"' in text or tr._CONTROL.search(text):
        return None
    delim = tr._sniff_delimiter(text, path.suffix.lower())
    head = body.split("\n", 1)[0]
    header = [re.sub(r"\s+", " ", h.strip()) for h in head.split(delim)]
    canon = th._canon(header)
    names = [c for c in canon if c]
    if (not all(header) or len(set(names)) != len(names) or tr._header_score(header) < 2
            or not {"region", "period", "indicator", "value"} <= set(names)
            or {"kind", "target_period"} & set(names)):
        return None
    lines = body.split("\n")
    if len(lines) > t.MAX_ROWS + 1 or len(lines) < 2:
        return None
    if body.count(delim) != len(lines) * (len(header) - 1):
        return None  # a blank or ragged row (a longer one stops pandas): the row reader
    try:
        source = io.BytesIO(data) if as_bytes else io.StringIO(body)
        cells = pd.read_csv(source, sep=delim, header=None, skiprows=1, dtype=object,
                            encoding="utf-8-sig" if as_bytes else None,
                            keep_default_na=False, na_filter=False, quoting=csv.QUOTE_NONE,
                            engine="c", skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError):
        return None
    if cells.shape != (len(lines) - 1, len(header)):
        return None
    if " " in body or "\t" in body:  # blanks around a cell go, as the row reader strips them
        for j in range(cells.shape[1]):
            col = cells.iloc[:, j]
            if " " in "".join(col) or "\t" in "".join(col):
                cells.iloc[:, j] = col.str.strip()
    # a row with one cell filled (a footnote) lacks a region or an indicator
    some = np.flatnonzero(((cells.iloc[:, canon.index("region")] == "")
                           | (cells.iloc[:, canon.index("indicator")] == "")).to_numpy(bool))
    filled = (cells.iloc[some] != "").sum(axis=1).to_numpy()
    first = cells.iloc[:, 0]
    if (filled <= 1).any() or any(th._canon([c])[0] for c in first.unique()):  # footnotes, a repeated header: the row reader
        return None
    label = enc if delim == "," else f"{enc}, {'tab' if delim == chr(9) else repr(delim)}"
    return _Plain(header, canon, cells, np.arange(2, len(lines) + 1), label,
                  hashlib.sha256(data).hexdigest())


def parse_plain(plain: _Plain, file: str, cat: t.Catalogue) -> FrameTable:
    """Check a plain long table column-wise into an observation frame, or raise
    :class:`~lantu.ingest.tables.ImportRefused` listing every problem (as the row reader
    would: same rows, columns and reasons)."""
    return _Columns(plain, file, cat).parse()


class _Columns:
    """One pass per column; problems are collected by stage and sorted into row order."""

    def __init__(self, plain: _Plain, file: str, cat: t.Catalogue):
        self.p, self.file, self.cat = plain, file, cat
        self.rows = t._Rows(file, cat)
        self.found: list[tuple[int, int, t.Problem]] = []  # (row, stage, problem)
        self.n = len(plain.cells)
        self.line = plain.lines

    def cell(self, name: str) -> pd.Series:
        if name not in self.p.canon:
            return pd.Series([""] * self.n, dtype=object)
        return self.p.cells.iloc[:, self.p.canon.index(name)]

    def col(self, name: str) -> str:
        return self.p.header[self.p.canon.index(name)] if name in self.p.canon else name

    def _stage(self, stage: int, before: int) -> None:
        for p in self.rows.problems[before:]:
            self.found.append((p.row or 0, stage, p))
        del self.rows.problems[before:]

    def lookup(self, stage: int, values: pd.Series,
               look: Callable[[t._Rows, int, str], Any]) -> list[Any]:
        """``look(reader, row, text)`` (a method of the row reader) once per distinct text; a
        text it finds wrong is asked again for each of its rows, so each row is named."""
        scratch = t._Rows(self.file, self.cat)
        answers: dict[str, tuple[Any, bool]] = {}
        texts = values.tolist()
        for text in dict.fromkeys(texts):
            answers[text] = (look(scratch, 0, text), bool(scratch.problems))
            scratch.problems.clear()
        before = len(self.rows.problems)
        out = [answers[text][0] for text in texts]
        if any(bad for _, bad in answers.values()):
            for i, text in enumerate(texts):
                if answers[text][1]:
                    look(self.rows, int(self.line[i]), text)
        self._stage(stage, before)
        return out

    def parse(self) -> FrameTable:
        rows, n = self.rows, self.n
        text = unescape_column
        rcol, pcol, icol = self.col("region"), self.col("period"), self.col("indicator")
        region = self.lookup(0, self.cell("region"), lambda rd, r, x: rd.region(r, rcol, x))
        period = self.lookup(1, self.cell("period"), lambda rd, r, x: rd.period(r, pcol, x))
        ind = self.lookup(2, self.cell("indicator"), lambda rd, r, x: rd.indicator(r, icol, x))
        # the source: a link that is not http(s) or an unknown quality leaves the row out
        url, excerpt = text(self.cell("source_url")), text(self.cell("excerpt"))
        note = self.cell("note")
        source_ok = np.ones(n, dtype=bool)
        before = len(rows.problems)
        urls = url.tolist()
        for i, reason in enumerate(url_problems(urls)):
            if reason:
                rows.problem(int(self.line[i]), "source_url", reason, urls[i])
                source_ok[i] = False
        self._stage(3, before)
        flag_text = self.cell("flags").tolist()
        flag_sets = {f: _flags_or_none(f) for f in dict.fromkeys(flag_text)}
        stated = self.cell("source_quality")
        if "source_quality" in self.p.canon and (stated != "").any():
            quality = self.lookup(4, stated, _quality)
            source_ok &= np.array([q is not None for q in quality], dtype=bool)
        else:
            quality = [None] * n
        stated_list, notes = stated.tolist(), note.tolist()
        empty = [i for i in range(n) if stated_list[i] == ""]
        if empty:
            inferred = infer_qualities([urls[i] for i in empty],
                                       [flag_sets[flag_text[i]] or () for i in empty],
                                       [notes[i] for i in empty])
            for i, q in zip(empty, inferred):
                quality[i] = q
        file_name = t._source_name(self.file)
        source_file = self.cell("source_file").where(self.cell("source_file") != "",
                                                     np.where(url == "", file_name, ""))
        frame = pd.DataFrame(dtype=object, data={
            "region_code": region, "period": [str(p) if p is not None else "" for p in period],
            "indicator_code": [i.code if i is not None else "" for i in ind],
            "value": np.nan, "unit": [i.unit if i is not None else "" for i in ind],
            "flags": "", "source_url": url.to_numpy(object),
            "source_file": source_file.to_numpy(object), "excerpt": excerpt.to_numpy(object),
            "source_note": note.to_numpy(object), "source_quality": quality,
            "source_published": self.cell("source_published").to_numpy(object)})
        frame["value"] = frame["value"].astype(float)
        frame["line"] = self.line
        ready = (np.array([r is not None for r in region]) & np.array([p is not None for p in period])
                 & np.array([i is not None for i in ind]) & source_ok)
        keep, gaps = self.values(frame, ready, ind, flag_text, flag_sets)
        frame = frame[keep]
        frame = self.duplicates(frame)
        if self.found:
            self.found.sort(key=lambda f: (f[0], f[1]))
            dup = [p for _, s, p in self.found if s == 9]
            raise t.ImportRefused(self.file, [p for _, s, p in self.found if s != 9] + dup)
        return FrameTable(self.file, "long", self.p.encoding, self.p.sha256,
                          frame.reset_index(drop=True), gaps,
                          gate.Rules(self.cat.indicators, self.cat.today))

    def values(self, frame: pd.DataFrame, ready: np.ndarray, ind: list, flag_text: list[str],
               flag_sets: dict[str, frozenset[str] | None]) -> tuple[np.ndarray, int]:
        """The numbers: plain ones in the indicator's unit (or one it converts to exactly) are
        read as one array and checked by the gate at once; any other cell goes through the row
        reader. Returns which rows make observations and how many cells were gaps."""
        rows, n = self.rows, self.n
        raw_col = self.cell("value")
        raw, unit_cell = raw_col.tolist(), self.cell("unit").tolist()
        value_col, unit_col = self.col("value"), self.col("unit")
        plain = _plain_numbers(raw)
        factor = np.full(n, np.nan)
        pairs: dict[tuple[str, str], float] = {}
        for i in np.flatnonzero(ready & plain):
            key = (unit_cell[i], ind[i].code)
            if key not in pairs:
                pairs[key] = _factor(unit_cell[i], ind[i])
            factor[i] = pairs[key]
        fast = ready & plain & ~np.isnan(factor)
        values = np.full(n, np.nan)
        values[fast] = np.array([raw[i] for i in np.flatnonzero(fast)], dtype=float) + 0.0
        for i in np.flatnonzero(fast & (factor != 1.0)):
            values[i] = t.scale_exactly(values[i], factor[i])
        fast &= np.isfinite(values)
        frame["value"] = values
        shown = {f: format_flags(flags or frozenset()) for f, flags in flag_sets.items()}
        frame["flags"] = [shown[f] for f in flag_text]
        # every other cell: the row reader, one row at a time (an odd few, as a rule)
        odd = np.zeros(n, dtype=bool)
        gaps = 0
        before = len(rows.problems)
        for i in np.flatnonzero(~fast):
            res = self._one_row(frame, i, ind[i], ready[i], raw[i], unit_cell[i],
                                flag_text[i], value_col, unit_col)
            if res == "gap":
                gaps += 1
            elif isinstance(res, Observation):
                odd[i] = True
                frame.iloc[i, frame.columns.get_loc("value")] = res.value
                frame.iloc[i, frame.columns.get_loc("flags")] = format_flags(res.flags)
        self._stage(5, before)
        # the gate on every row at once: the admissible range and the rest of its rules
        keep = fast | odd
        before = len(rows.problems)
        idx = np.flatnonzero(keep)
        field_col = {"value": value_col, "unit": unit_col, "period": self.col("period"),
                     "indicator": self.col("indicator")}
        for pos, field, reason in gate.observation_frame_problems(
                frame.iloc[idx], self.cat.indicators, self.cat.today):
            i = idx[pos]
            keep[i] = False
            rows.problem(int(self.line[i]), field_col.get(field, field), reason,
                         raw[i] if field == "value" else None)
        self._stage(5, before)
        before = len(rows.problems)
        for i in np.flatnonzero(keep & fast):
            if flag_sets[flag_text[i]] is None:
                rows.flags(int(self.line[i]), flag_text[i])
                keep[i] = False
        self._stage(6, before)
        return keep, gaps

    def _one_row(self, frame: pd.DataFrame, i: int, ind: Any, ready: bool, raw_value: str,
                 unit: str, flags: str, value_col: str, unit_col: str) -> Any:
        r = frame.iloc[i]
        src = None
        if ready:
            src = Source(url=r["source_url"], file=r["source_file"], excerpt=r["excerpt"],
                         note=r["source_note"], quality=r["source_quality"],
                         published=r["source_published"])
        return t._observation(self.rows, int(self.line[i]), value_col,
                              r["region_code"] if ready else None,
                              t.Period.parse(r["period"]) if ready else None,
                              ind if ready else None, raw_value, unit, flags, src, unit_col)

    def duplicates(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A key given twice: the same value once, a different value is a problem (as
        :func:`lantu.ingest.tables._check_duplicates` words it)."""
        key = ["region_code", "period", "indicator_code"]
        twice = frame.duplicated(key, keep=False).to_numpy(bool)
        if not twice.any():
            return frame
        sub = frame[twice]
        parsed = t.ParsedTable(self.file, "long", "", "")
        for r in sub.itertuples(index=False):
            parsed.observations.append(Observation(r.region_code, r.period, r.indicator_code,
                                                   r.value))
            parsed.lines.append(int(r.line))
        before = len(self.rows.problems)
        t._check_duplicates(parsed, self.rows)
        self._stage(9, before)
        kept = set(parsed.lines)
        return frame[~twice | frame["line"].isin(kept).to_numpy(bool)]


def unescape_column(col: pd.Series) -> pd.Series:
    """:func:`lantu.tabular.unescape_text` on a column (only cells that start with ``'``)."""
    marked = col.str.startswith("'").to_numpy(bool)
    if not marked.any():
        return col.reset_index(drop=True)
    out = col.copy()
    out[marked] = col[marked].map(unescape_text)
    return out.reset_index(drop=True)


def _plain_numbers(cells: list[str]) -> np.ndarray:
    """Which cells are plain decimal numbers (:data:`lantu.ingest.tables._PLAIN`); a column of
    digits, points and minus signs only is read at once (Python's ``float`` reads each of its
    cells to the number the row reader gives it)."""
    if set("".join(cells)) <= _DIGITS and all(cells):
        try:
            np.array(cells, dtype=float)
            return np.ones(len(cells), dtype=bool)
        except ValueError:
            pass
    return np.fromiter((bool(tv._PLAIN.match(c)) for c in cells), dtype=bool, count=len(cells))


def _flags_or_none(text: str) -> frozenset[str] | None:
    try:
        return parse_flags(text)
    except ValidationError:
        return None


def _quality(rows: t._Rows, row: int, text: str) -> str | None:
    try:
        return check_quality(text)
    except ValidationError as exc:
        rows.problem(row, "source_quality", str(exc).split(": ", 1)[-1], text)
        return None


def _factor(unit: str, ind: Any) -> float:
    """The exact factor from a row's unit to the indicator's, NaN when the row reader must
    read the row (a derived indicator, a unit that does not convert, a scale word)."""
    if ind.is_derived:
        return math.nan
    stated = t._unit(unit)
    target = t._unit(ind.unit)
    if not stated or stated == target:
        return 1.0
    try:
        return conversion_factor(stated, ind.unit)
    except ValidationError:
        return math.nan


__all__ = ["FRAME_COLUMNS", "FrameTable", "parse_plain", "read_plain"]
