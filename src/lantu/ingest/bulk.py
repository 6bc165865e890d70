"""A long CSV table read and checked column by column: the fast lane of ``lantu import`` and the
web import.

A plain long table (``region_code, period, indicator, value, …``; one header line, no quotes, no
blank or ragged lines, no control characters) is split into its cells at once and checked a
column at a time: each distinct region, period, indicator, unit and flag text is looked up once
(``pd.factorize``), the numbers are read as one array, the links judged as one column, and the
rules of what may be written are asked of the whole table at once
(:func:`lantu.domain.gate.observation_frame_problems`). Nothing is turned into an object per row;
the store writes the frame in bulk (:func:`lantu.store.bulk.apply_frame`) and, told the rules the
table passed (:class:`lantu.domain.gate.Rules`), does not ask them again.

It is the same import, not a second one: every lookup and every message comes from the row
reader of :mod:`lantu.ingest.tables` (its ``_Rows``), a cell the fast lane does not read at sight
(``5,571.17亿元``, ``—``, a unit to convert that cannot be) goes through that reader's
``_observation``, and a file that is not plain goes to :func:`~lantu.ingest.tables.read_raw`
whole. The report is the same: every problem with its file, row, column and reason, and nothing
is written when there is one.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lantu.domain import Observation, gate
from lantu.domain.errors import ValidationError
from lantu.domain.indicators import SMALLEST
from lantu.domain.links import url_problems
from lantu.domain.observations import (
    FRAME_COLUMNS,
    Source,
    check_quality,
    format_flags,
    infer_qualities,
    key_order,
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
    #: columns not read (``备注2``), as the row reader notes them (:func:`th.unread`)
    notes: list[str] = _field(default_factory=list)
    #: the rules of the gate every row of ``frame`` passed (the store need not ask again)
    rules: gate.Rules | None = None
    #: whether ``frame`` is in key order (:func:`lantu.domain.observations.key_order`)
    in_key_order: bool = False


class _Digest:
    """The SHA-256 of a file's bytes, computed in a thread: ``hashlib`` lets go of the
    interpreter lock over data of more than 2 KiB, so on a machine with two cores the 20–30 ms
    a 12 MB table takes run beside its decoding and splitting, which hold the lock."""

    def __init__(self, data: bytes):
        self._hash = hashlib.sha256()
        self._thread = threading.Thread(target=self._hash.update, args=(data,),
                                        name="lantu-sha256", daemon=True)
        self._thread.start()

    def hexdigest(self) -> str:
        self._thread.join()
        return self._hash.hexdigest()


@dataclass
class _Plain:
    header: list[str]
    canon: list[str | None]
    cells: list[np.ndarray]  # strings (object arrays), one per header cell
    lines: np.ndarray  # the row number of each record in the file
    encoding: str
    sha256: str
    delimiter: str = ","


#: the bytes a plain file may hold (no quotes, no control characters but tab and line breaks);
#: in UTF-8 and GBK no byte of a multi-byte character is among the others
_PLAIN_BYTES = bytes(b for b in range(256)
                     if b != 0x22 and b != 0x7F and (b >= 0x20 or b in (0x09, 0x0A, 0x0D)))
def read_plain(path: str | Path, name: str | None = None) -> _Plain | None:
    """The cells of a plain long CSV table, or None when the file is anything else (then
    :func:`lantu.ingest.tables.read_raw` reads it, or refuses it with its reason).

    Plain: one header line naming region, period, indicator and value; every line with as
    many cells as the header; no quotes, blank lines or control characters. Such a text is
    split into its cells at once (one ``split`` of the whole text: no cell can hold a
    delimiter or a line break)."""
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES or not path.is_file():
        return None
    if path.stat().st_size > t.MAX_FILE_BYTES:
        return None
    data = path.read_bytes()
    if len(data) > t.MAX_FILE_BYTES or data.startswith((tr._ZIP_MAGIC, tr._OLE2_MAGIC)):
        return None
    if data.translate(None, _PLAIN_BYTES):
        return None  # quotes or control characters: the row reader reads (or refuses) them
    digest = _Digest(data)  # on the other core while the text is decoded and split
    text, enc = tr._decode(data, name or str(path))  # refused as the reader does, under ``name``:
    # an upload's, not where it was staged (probe25)
    if any(mark in text for mark in tv.INVISIBLE):  # one fast scan a mark
        text = tv._INVISIBLE_RE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # the text as it is when it ends in one line break (no copy of a large text), else stripped
    trailing = int(text.endswith("\n") and not text.endswith("\n\n"))
    body = text if trailing else text.rstrip("\n")
    delim = tr._sniff_delimiter(body, path.suffix.lower())
    head = body[:body.find("\n")] if "\n" in body else body
    header = [re.sub(r"\s+", " ", h.strip()) for h in head.split(delim)]
    canon = th._canon(header)
    names = [c for c in canon if c]
    if (not all(header) or len(set(names)) != len(names) or tr._header_score(header) < 2
            or not {"region", "period", "indicator", "value"} <= set(names)
            or {"kind", "target_period", "machine_read"} & set(names)
            or any(u.meant for u in th.unread_columns(header, canon))):
        return None  # a slip of a column name (vlaue): the row reader refuses it
    records, width = body.count("\n") - trailing, len(header)
    if records > t.MAX_ROWS or not records:
        return None
    # every line ends in a mark (NUL: no cell holds one) that must fall where a line of
    # ``width`` cells ends: a blank or ragged line shifts it (then the row reader reads it)
    flat = body.replace("\n", f"{delim}\x00{delim}").split(delim)
    if trailing:  # the last line break made a mark and an empty cell
        del flat[-2:]
    if len(flat) != (records + 1) * (width + 1) - 1:
        return None
    flat.append("\x00")  # the last line's mark: a grid of lines, each ending in its mark
    grid = np.fromiter(flat, dtype=object, count=len(flat)).reshape(records + 1, width + 1)
    del flat
    if set(grid[:, width]) != {"\x00"}:
        return None
    cells = [grid[1:, j].copy() for j in range(width)]  # without the header
    del grid
    if " " in body or "\t" in body:  # blanks around a cell go, as the row reader strips them
        for j, col in enumerate(cells):
            if " " in "".join(col) or "\t" in "".join(col):
                cells[j] = np.array([c.strip() for c in col], dtype=object)
    # a row with one cell filled (a footnote) lacks a region or an indicator
    some = np.flatnonzero((cells[canon.index("region")] == "")
                          | (cells[canon.index("indicator")] == ""))
    filled = sum((col[some] != "").astype(int) for col in cells) if len(some) else np.zeros(0)
    if (np.asarray(filled) <= 1).any() or any(th._canon([c])[0] for c in set(cells[0])):
        return None  # footnotes, a repeated header: the row reader
    label = enc if delim == "," else f"{enc}, {'tab' if delim == chr(9) else repr(delim)}"
    return _Plain(header, canon, cells, np.arange(2, records + 2), label,
                  digest.hexdigest(), delim)


def parse_plain(plain: _Plain, file: str, cat: t.Catalogue) -> FrameTable:
    """Check a plain long table column-wise into an observation frame, or raise
    :class:`~lantu.ingest.tables.ImportRefused` listing every problem (as the row reader
    would: same rows, columns and reasons)."""
    return _Columns(plain, file, cat).parse()


def _take(answers: list[Any], codes: np.ndarray) -> np.ndarray:
    """One answer per distinct text spread over the rows (``codes`` from ``pd.factorize``)."""
    out = np.empty(len(answers), dtype=object)
    out[:] = answers
    return out[codes]


def _rank(answers: list[Any], codes: np.ndarray) -> np.ndarray:
    """Per row, the rank of what its text stands for among the distinct answers, as text."""
    return np.unique(np.asarray([str(a) for a in answers], dtype=object),
                     return_inverse=True)[1][codes]


def _same_as(answers: list[Any], codes: np.ndarray) -> np.ndarray:
    """Per row, a number for what its text stands for (equal for texts that name one thing)."""
    return pd.factorize(np.asarray([str(a) for a in answers], dtype=object))[0][codes]


class _Columns:
    """One pass per column; problems are collected by stage and sorted into row order."""

    def __init__(self, plain: _Plain, file: str, cat: t.Catalogue):
        self.p, self.file, self.cat = plain, file, cat
        self.rows = t._Rows(file, cat, delimiter=plain.delimiter)
        self.found: list[tuple[int, int, t.Problem]] = []  # (row, stage, problem)
        self.texts: Any = ()  # the distinct texts of the column looked up last
        self.n = len(plain.lines)
        self.line = plain.lines

    def cell(self, name: str) -> np.ndarray:
        if name not in self.p.canon:
            return np.full(self.n, "", dtype=object)
        return self.p.cells[self.p.canon.index(name)]

    def col(self, name: str) -> str:
        return self.p.header[self.p.canon.index(name)] if name in self.p.canon else name

    def _stage(self, stage: int, before: int) -> None:
        for p in self.rows.problems[before:]:
            self.found.append((p.row or 0, stage, p))
        del self.rows.problems[before:]

    def lookup(self, stage: int, values: np.ndarray,
               look: Callable[[t._Rows, int, str], Any]) -> tuple[list[Any], np.ndarray]:
        """``look(reader, row, text)`` (a method of the row reader) once per distinct text; a
        text it finds wrong is asked again for each of its rows, so each row is named.
        Returns the answer of each distinct text and, per row, which text it holds."""
        codes, texts = pd.factorize(values)
        scratch = t._Rows(self.file, self.cat)
        answers: list[Any] = []
        bad = np.zeros(len(texts), dtype=bool)
        for k, text in enumerate(texts):
            answers.append(look(scratch, 0, text))
            bad[k] = bool(scratch.problems)
            scratch.problems.clear()
        self.texts = texts
        before = len(self.rows.problems)
        for i in np.flatnonzero(bad[codes]):
            look(self.rows, int(self.line[i]), values[i])
        self._stage(stage, before)
        return answers, codes

    def parse(self) -> FrameTable:
        rows, n = self.rows, self.n
        rcol, pcol, icol = self.col("region"), self.col("period"), self.col("indicator")
        region, rc = self.lookup(0, self.cell("region"), lambda rd, r, x: rd.region(r, rcol, x))
        period, pc = self.lookup(1, self.cell("period"), lambda rd, r, x: rd.period(r, pcol, x))
        self.named: set[int] = set()  # rows the month rule refused (the duplicates say no more)
        if lost := t.october_lost(self.texts):  # 2023.1 that may be October (the row reader's)
            before = len(rows.problems)
            for i in np.flatnonzero(np.isin(pc, [k for k, x in enumerate(self.texts)
                                                 if x in lost])):
                t.month_problem(rows, int(self.line[i]), pcol, self.texts[pc[i]], number=False)
                self.named.add(int(self.line[i]))
            self._stage(1, before)
        elif any(t.dotted_january(x) for x in self.texts):  # 2023.1 the file cannot tell
            before = len(rows.problems)
            texts = list(self.cell("period"))
            doubts = t.october_doubts(texts, list(zip(self.cell("region"),
                                                      self.cell("indicator"))))
            for i, why in doubts.items():
                t.month_problem(rows, int(self.line[i]), pcol, texts[i], number=False, why=why)
                self.named.add(int(self.line[i]))
            self._stage(1, before)
        ind, ic = self.lookup(2, self.cell("indicator"),
                              lambda rd, r, x: rd.indicator(r, icol, x))
        # the source: a link that is not http(s) or an unknown quality leaves the row out
        url, excerpt = unescape_column(self.cell("source_url")), unescape_column(self.cell("excerpt"))
        note = self.cell("note")
        source_ok = np.ones(n, dtype=bool)
        before = len(rows.problems)
        for i, reason in enumerate(url_problems(url)):
            if reason:
                rows.problem(int(self.line[i]), "source_url", reason, url[i])
                source_ok[i] = False
        self._stage(3, before)
        fc, flag_texts = pd.factorize(self.cell("flags"))
        flag_sets = [_flags_or_none(f) for f in flag_texts]
        stated = self.cell("source_quality")
        quality = np.full(n, None, dtype=object)
        empty = stated == ""
        if "source_quality" in self.p.canon and not empty.all():
            answers, qc = self.lookup(4, stated, _quality)
            quality = _take(answers, qc)
            source_ok &= quality != None  # noqa: E711 - element-wise
        if empty.any():
            at = np.flatnonzero(empty)
            quality[at] = infer_qualities(url[at], _take(flag_sets, fc[at]), note[at])
        file_name = t._source_name(self.file)
        source_file = self.cell("source_file")
        source_file = np.where(source_file != "", source_file,
                               np.where(url == "", file_name, "")).astype(object)
        frame = pd.DataFrame(dtype=object, data={
            "region_code": _take(region, rc),
            "period": _take([str(p) if p is not None else "" for p in period], pc),
            "indicator_code": _take([i.code if i is not None else "" for i in ind], ic),
            "value": np.nan, "unit": _take([i.unit if i is not None else "" for i in ind], ic),
            "flags": "", "source_url": url, "source_file": source_file, "excerpt": excerpt,
            "source_note": note, "source_quality": quality,
            "source_published": self.cell("source_published")})
        frame["value"] = frame["value"].astype(float)
        frame["line"] = self.line
        ready = (np.array([r is not None for r in region], dtype=bool)[rc]
                 & np.array([p is not None for p in period], dtype=bool)[pc]
                 & np.array([i is not None for i in ind], dtype=bool)[ic] & source_ok)
        keep, gaps = self.values(frame, ready, ind, ic, fc, flag_texts, flag_sets)
        # a key given twice (the codes the texts stand for, so 太原市 and 140100 are one)
        key = ((_same_as(region, rc).astype(np.int64) * (len(period) + 1)
                + _same_as([str(p) for p in period], pc)) * (len(ind) + 1)
               + _same_as([i.code if i is not None else "" for i in ind], ic))
        twice = np.zeros(n, dtype=bool)
        twice[keep] = pd.Series(key[keep]).duplicated(keep=False).to_numpy(bool)
        if twice.any():
            stay = np.ones(n, dtype=bool)
            stay[twice] = self.duplicates(frame[twice])
            keep &= stay
        if self.found:
            self.found.sort(key=lambda f: (f[0], f[1]))
            dup = [p for _, s, p in self.found if s == 9]
            raise t.ImportRefused(self.file, [p for _, s, p in self.found if s != 9] + dup)
        # in the order the store writes it (done here, where a second process may read it),
        # each key column ranked by its distinct texts' answers
        ranks = [_rank(texts, codes) for texts, codes in (
            (region, rc), ([str(p) for p in period], pc),
            ([i.code if i is not None else "" for i in ind], ic))]
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
            ranks = [r[keep] for r in ranks]
        frame = frame.take(key_order(frame, ranks)).reset_index(drop=True)
        _, notes = th.unread(self.p.header, self.p.canon,
                             lambda j: int((self.p.cells[j] != "").sum()))
        return FrameTable(self.file, "long", self.p.encoding, self.p.sha256, frame, gaps, notes,
                          gate.Rules(self.cat.indicators, self.cat.today), in_key_order=True)

    def values(self, frame: pd.DataFrame, ready: np.ndarray, ind: list, ic: np.ndarray,
               fc: np.ndarray, flag_texts: np.ndarray, flag_sets: list[frozenset[str] | None]
               ) -> tuple[np.ndarray, int]:
        """The numbers: plain ones in the indicator's unit (or one it converts to exactly) are
        read as one array; any other cell goes through the row reader; then the gate checks
        every row at once. Returns which rows make observations and how many cells were
        gaps."""
        rows, n = self.rows, self.n
        raw, unit_cell = self.cell("value"), self.cell("unit")
        value_col, unit_col = self.col("value"), self.col("unit")
        plain, numbers = _plain_numbers(raw)
        # the factor of each (unit text, indicator) pair, asked once
        uc, units = pd.factorize(unit_cell)
        width = len(ind) + 1
        pair = uc.astype(np.int64) * width + ic
        asked = ready & plain
        factor = np.full(n, np.nan)
        if asked.any():
            pk, pairs = pd.factorize(pair[asked])
            factor[asked] = np.array([_factor(units[k // width], ind[k % width])
                                      for k in pairs], dtype=float)[pk]
        fast = asked & ~np.isnan(factor)
        values = np.full(n, np.nan)
        values[fast] = (numbers[fast] if numbers is not None else raw[fast].astype(float)) + 0.0
        for i in np.flatnonzero(fast & (factor != 1.0)):
            values[i] = t.scale_exactly(values[i], factor[i])
        fast &= np.isfinite(values)
        frame["value"] = values
        frame["flags"] = _take([format_flags(f or frozenset()) for f in flag_sets], fc)
        # every other cell: the row reader, one row at a time (an odd few, as a rule)
        odd = np.zeros(n, dtype=bool)
        gaps = 0
        before = len(rows.problems)
        for i in np.flatnonzero(~fast):
            res = self._one_row(frame, i, ind[ic[i]], ready[i], raw[i], unit_cell[i],
                                flag_texts[fc[i]], value_col, unit_col)
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
                frame if len(idx) == n else frame.iloc[idx], self.cat.indicators,
                self.cat.today):
            i = idx[pos]
            keep[i] = False
            rows.problem(int(self.line[i]), field_col.get(field, field), reason,
                         raw[i] if field == "value" else None)
        self._stage(5, before)
        before = len(rows.problems)
        unknown = np.array([f is None for f in flag_sets], dtype=bool)
        for i in np.flatnonzero(keep & fast & unknown[fc]):
            rows.flags(int(self.line[i]), flag_texts[fc[i]])
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

    def duplicates(self, sub: pd.DataFrame) -> np.ndarray:
        """Rows that share a key: the same value once, a different value is a problem (as
        :func:`lantu.ingest.tables._check_duplicates` words it). Returns which of ``sub``
        stay."""
        parsed = t.ParsedTable(self.file, "long", "", "")
        for r in sub.itertuples(index=False):
            parsed.observations.append(Observation(r.region_code, r.period, r.indicator_code,
                                                   r.value))
            parsed.lines.append(int(r.line))
        texts = self.cell("period")[sub.index.to_numpy()]
        dotted = {int(line): text for line, text in zip(sub["line"], texts)
                  if t.dotted_january(text)}
        before = len(self.rows.problems)
        t._check_duplicates(parsed, self.rows, dotted, self.col("period"), self.named)
        self._stage(9, before)
        return sub["line"].isin(set(parsed.lines)).to_numpy(bool)


def unescape_column(col: np.ndarray) -> np.ndarray:
    """:func:`lantu.tabular.unescape_text` on a column (only cells that start with ``'``)."""
    if "\x1f'" not in "\x1f" + "\x1f".join(col):
        return col
    out = col.copy()
    for i in np.flatnonzero(np.char.startswith(col.astype(str), "'")):
        out[i] = unescape_text(col[i])
    return out


def _plain_numbers(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Which cells are plain decimal numbers (:data:`lantu.ingest.tables._PLAIN`), and the
    numbers of a column read at once: one of digits, points and minus signs only (Python's
    ``float`` reads each of its cells to the number the row reader gives it); None else.
    A cell the float does not hold as written — digits that are not all 0 read as 0
    (``0.000…07`` past 323 decimals), or a subnormal — is not plain: the row reader refuses it
    by the one rule of numbers (:func:`lantu.domain.indicators.number_problem`), naming its
    row; found column-wise, and only the zeros' texts are looked at again."""
    if set("".join(cells)) <= _DIGITS and all(cells):
        try:
            numbers = cells.astype(float)
        except ValueError:
            pass
        else:
            plain = (numbers == 0) | (np.abs(numbers) >= SMALLEST)
            zero = np.flatnonzero(numbers == 0)
            if len(zero):  # a zero of digits 1-9 (only 0, points and signs make a 0)
                plain[zero] = np.char.strip(cells[zero].astype(str), "0.-") == ""
            return plain, numbers
    return (np.fromiter((bool(tv._PLAIN.match(c)) for c in cells), dtype=bool,
                        count=len(cells)), None)


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
