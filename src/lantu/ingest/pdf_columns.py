"""The reading order of a PDF page set in two columns: the left column top to bottom, then the
right one — not line by line across the page.

A PDF keeps where each piece of text stands, not in which order it is read; a page whose two
columns are written line by line across it (as many converters write them) was read so,
``地区生产总值 一般公共预算收入`` / ``5571.17亿元 500.2亿元``, and a figure went to the indicator of
the other column. :func:`column_text` takes the pieces of a page with their positions (what
pypdf's text visitor gives, :func:`lantu.ingest.textio._read_pdf`) and answers the page's text
read column by column, or None when the page is not two columns — then the reader keeps
pypdf's own text, as before.

A page is two columns when a gutter runs down it: an upright line between a quarter and three
quarters of the page's width that the text of at most a quarter of its lines crosses (a heading
across both columns, read in its place), with at least three lines of text on each side, each
side's lines one run of text each (a table's row has several cells to a side: not columns),
starting at the side's margin or indented by a paragraph's two characters, and most of them
long and running to the side's edge — text wrapped there, not a table of names beside figures
(``地区生产总值`` … ``5571.17亿元``), whose cells read by columns would part each name from its
figure.

Within a column a line wrapped at the column's edge is joined to the next (Chinese has no
blanks between words: joined without one, and so is a number wrapped at its digits); a line
indented starts a paragraph, and one stopping short of the edge (a paragraph's last line, a
heading) ends one. The widths of the pieces are estimated from their characters (a Chinese
character one em, a Latin letter or digit about half), which is enough to find a gutter of a
few points.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

__all__ = ["Piece", "column_text"]

#: the share of a page's lines that may cross the gutter (headings across both columns)
_MAX_SPANNING = 0.25
#: the lines of text each column needs for a page to be read as two
_MIN_LINES = 3
#: the share of a column's lines that must be one run of text (a table's rows are several)
_MIN_SINGLE = 0.8
#: the share of a column's lines that run to its edge (wrapped text), and the median length of
#: its lines in characters: a column of text, not a table's column of names or figures
_MIN_FULL, _MIN_CHARS = 0.5, 8


@dataclass(frozen=True)
class Piece:
    """A piece of text where the page puts it: ``x``, ``y`` its start on the baseline (points,
    y upwards), ``size`` its font size in points."""

    x: float
    y: float
    size: float
    text: str

    @property
    def end(self) -> float:
        """Where the piece ends, estimated from its characters."""
        return self.x + self.size * sum(_em(c) for c in self.text)


def _em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    return 0.3 if ch.isspace() else 0.55


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _joint(before: str, after: str) -> str:
    """What joins a line wrapped at the column's edge to the next: nothing beside a Chinese
    character (no blanks between words) or inside a number wrapped at its digits (收入5 /
    00.2亿元 is 500.2), else a blank (Latin words)."""
    if _wide(before) or _wide(after) or (before in "0123456789." and after in "0123456789."):
        return ""
    return " "


@dataclass
class _Run:
    """The pieces of one line on one side of the gutter, joined."""

    x: float
    end: float
    size: float
    text: str


def _lines(pieces: list[Piece]) -> list[list[Piece]]:
    """The pieces grouped into lines (a baseline within a third of the size), top first."""
    out: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (-p.y, p.x)):
        if out and abs(out[-1][0].y - p.y) <= 0.35 * max(p.size, out[-1][0].size):
            out[-1].append(p)
        else:
            out.append([p])
    return [sorted(line, key=lambda p: p.x) for line in out]


def _runs(pieces: list[Piece]) -> list[_Run]:
    """Pieces next to each other (a gap under an em) as one run, a wider gap a new run."""
    runs: list[_Run] = []
    for p in pieces:
        if runs and p.x - runs[-1].end < 1.0 * p.size:
            r = runs[-1]
            gap = " " if p.x - r.end > 0.25 * p.size and not (
                _wide(r.text[-1]) or _wide(p.text[0])) else ""
            r.text, r.end = r.text + gap + p.text, max(r.end, p.end)
        else:
            runs.append(_Run(p.x, p.end, p.size, p.text))
    return runs


def _gutter(lines: list[list[Piece]], width: float) -> float | None:
    """The upright line between a quarter and three quarters of the width that the fewest
    lines cross (the middle of the widest such band), if few enough cross it."""
    lo, hi = int(width * 0.25), int(width * 0.75)
    if hi <= lo:
        return None
    delta = [0] * (hi - lo + 2)  # lines crossing each whole point lo…hi, by differences
    for line in lines:
        spans = sorted((p.x, p.end) for p in line)
        merged: list[list[float]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        for a, b in merged:  # the whole points x with a < x < b
            first, last = max(lo, int(a) + 1), min(hi, -int(-b) - 1)
            if first <= last:
                delta[first - lo] += 1
                delta[last - lo + 1] -= 1
    crossing, c = [], 0
    for d in delta[:-1]:
        c += d
        crossing.append(c)
    # only where at least _MIN_LINES lines have text wholly on each side (not past the text)
    ends = sorted(min(p.end for p in line) for line in lines)
    starts = sorted(max(p.x for p in line) for line in lines)
    for i in range(len(crossing)):
        x = lo + i
        if bisect_right(ends, x) < _MIN_LINES or len(starts) - bisect_left(starts, x) < _MIN_LINES:
            crossing[i] = len(lines) + 1
    fewest = min(crossing)
    if fewest > _MAX_SPANNING * len(lines):
        return None
    best, start = (0, 0), None  # (band, first index) of the widest band at the fewest
    for i, c in enumerate(crossing + [fewest + 1]):
        if c == fewest and start is None:
            start = i
        elif c != fewest and start is not None:
            best = max(best, (i - start, -start))
            start = None
    band, first = best[0], -best[1]
    return float(lo + first + band // 2)


def _column_ok(runs: list[list[_Run]]) -> bool:
    """Enough lines, each one run, starting at the column's margin or a paragraph's indent."""
    lines = [r for r in runs if r]
    if len(lines) < _MIN_LINES:
        return False
    if sum(1 for r in lines if len(r) == 1) < _MIN_SINGLE * len(lines):
        return False
    margin = min(r[0].x for r in lines)
    if sum(1 for r in lines if r[0].x - margin <= 2.5 * r[0].size) < _MIN_SINGLE * len(lines):
        return False
    # text wrapped at the column's edge: most lines run to it and are long (a table of names
    # and figures side by side has short cells that stop anywhere)
    edge = max(r[-1].end for r in lines)
    full = sum(1 for r in lines if r[-1].end >= edge - 2 * r[-1].size)
    lengths = sorted(len(r[0].text) for r in lines)
    return full >= _MIN_FULL * len(lines) and lengths[len(lengths) // 2] >= _MIN_CHARS


def _paragraphs(runs: list[_Run]) -> list[str]:
    """A column's lines as paragraphs: a wrapped line joined to the next."""
    if not runs:
        return []
    margin = min(r.x for r in runs)
    edge = max(r.end for r in runs)
    out: list[str] = []
    prev: _Run | None = None
    for r in runs:
        indented = r.x - margin > 1.2 * r.size
        ended = prev is not None and prev.end < edge - 2 * prev.size  # a wrapped line fills it
        if prev is None or indented or ended:
            out.append(r.text)
        else:
            joint = _joint(out[-1][-1:] or " ", r.text[0])
            out[-1] += joint + r.text
        prev = r
    return out


def column_text(pieces: list[Piece], width: float) -> str | None:
    """The text of a page of ``width`` points read column by column, or None when its
    ``pieces`` do not stand in two columns (see the module's rule).

    >>> left = ["2023年全市地区生产", "总值5571.17亿元。", "全市常住人口543.5", "万人。"]
    >>> # the right column's second line stops short of the edge: its paragraph ends there
    >>> right = ["全年一般公共预算收", "入500.2亿元。", "社会消费品零售总额", "2100.3亿元。"]
    >>> pieces = [Piece(x, 780 - 15 * i, 10.5, t) for i in range(4)
    ...           for x, t in ((56, left[i]), (310, right[i]))]
    >>> print(column_text(pieces, 595))
    2023年全市地区生产总值5571.17亿元。全市常住人口543.5万人。
    全年一般公共预算收入500.2亿元。
    社会消费品零售总额2100.3亿元。
    >>> column_text([Piece(56, 780 - 15 * i, 10.5, t) for i, t in enumerate(left)], 595) is None
    True
    """
    pieces = [p for p in pieces if p.text.strip() and p.size > 0]
    lines = _lines(pieces)
    if len(lines) < _MIN_LINES or width <= 0:
        return None
    gutter = _gutter(lines, width)
    if gutter is None:
        return None
    # each line: ("span", runs) when a piece crosses the gutter, else ("cols", left, right)
    layout: list[tuple[list[_Run], list[_Run], list[_Run]]] = []
    for line in lines:
        if any(p.x < gutter < p.end for p in line):
            layout.append((_runs(line), [], []))
        else:
            layout.append(([], _runs([p for p in line if p.end <= gutter]),
                           _runs([p for p in line if p.x >= gutter])))
    if not (_column_ok([left for span, left, _ in layout if not span])
            and _column_ok([right for span, _, right in layout if not span])):
        return None
    out: list[str] = []
    left_runs: list[_Run] = []
    right_runs: list[_Run] = []

    def flush() -> None:
        out.extend(_paragraphs(left_runs))
        out.extend(_paragraphs(right_runs))
        left_runs.clear()
        right_runs.clear()

    for span, left, right in layout:
        if span:
            flush()
            out.append(" ".join(r.text for r in span))
        else:
            left_runs.extend(left)
            right_runs.extend(right)
    flush()
    return "\n".join(t.strip() for t in out if t.strip())
