"""The headers of a table: column names (English, Chinese, aliases) to canonical columns, and the
:class:`Catalogue` that names regions and indicators by code or Chinese name. A stage of
:mod:`lantu.ingest.tables`; it uses :mod:`lantu.ingest.tables_values` only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from lantu.domain import Indicator, Region
from lantu.domain.periods import YEAR_HEADING
from lantu.domain.textcodec import shown_name
from lantu.ingest.tables_values import _INVISIBLE_RE

# -- header recognition --------------------------------------------------------------------------

_ALIASES = {
    "region_code": "region", "region": "region", "地区": "region", "地区代码": "region",
    "区划代码": "region", "行政区划代码": "region", "城市": "region", "地市": "region",
    "period": "period", "year": "period", "年份": "period", "年度": "period", "时期": "period",
    "时间": "period", "统计时间": "period",
    "indicator": "indicator", "indicator_code": "indicator", "指标": "indicator",
    "指标代码": "indicator", "指标名称": "indicator",
    "value": "value", "数值": "value", "值": "value", "数据": "value",
    "unit": "unit", "单位": "unit", "计量单位": "unit",
    "flags": "flags", "标记": "flags",
    "source_url": "source_url", "source": "source_url", "来源": "source_url", "来源网址": "source_url",
    "excerpt": "excerpt", "摘录": "excerpt", "原文": "excerpt",
    "note": "note", "备注": "note", "说明": "note",
    "kind": "kind", "value_high": "value_high", "qualifier": "qualifier",
    "target_period": "target_period", "target_year": "target_period", "目标年份": "target_period",
    "target_value": "target_value", "target_kind": "target_kind", "binding": "binding",
    "base_year": "base_period", "base_period": "base_period", "base_value": "base_value",
    "plan": "plan", "indicator_zh": "indicator", "start": "start", "end": "end",
    "source_quality": "source_quality", "来源质量": "source_quality", "来源类别": "source_quality",
    "source_published": "source_published", "published": "source_published",
    "source_file": "source_file", "来源文件": "source_file",
    "发布日期": "source_published",
    "machine_read": "machine_read", "机读未审": "machine_read", "机器识读": "machine_read",
}
_UNIT_IN_HEADER = re.compile(r"^(.*?)[（(]([^()（）]+)[)）]$")
#: a header that starts like a year (1949…2100 and their neighbours): 2022年度, 2023Q1, 2022E
_PERIOD_LIKE = re.compile(r"\s*(1[89]|2[01])[0-9]{2}(?![0-9])")
#: a column of a table by year: its heading names a year by the one period rule (2023, 2023年,
#: 2023年度, 2023年全年)
_YEAR_HEADER = YEAR_HEADING


@dataclass
class Catalogue:
    """What a table may refer to: regions and indicators, by code or Chinese name."""

    regions: dict[str, Region]
    indicators: dict[str, Indicator]
    today: date = field(default_factory=date.today)
    aliases: dict[str, str] = field(default_factory=dict)  # other names people use → code
    # every GB/T 2260 division (lantu.defaults.load_divisions): a code or an unambiguous name
    # of one is accepted even when the database does not hold the region yet
    divisions: dict[str, Region] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._region_by_name: dict[str, str] = {}
        for r in self.regions.values():
            self._region_by_name[r.name_zh] = r.code
            if r.name_en:
                self._region_by_name[r.name_en.lower()] = r.code
            for suffix in ("市", "省", "区", "县"):
                if r.name_zh.endswith(suffix) and len(r.name_zh) > 2:
                    self._region_by_name.setdefault(r.name_zh[: -len(suffix)], r.code)
        self._ind_by_name = {i.name_zh: i.code for i in self.indicators.values()}
        self._ind_by_name.update({i.name_en.lower(): i.code for i in self.indicators.values()
                                  if i.name_en})
        for alias, code in self.aliases.items():
            if code in self.indicators:
                self._ind_by_name.setdefault(alias, code)
                self._ind_by_name.setdefault(alias.lower(), code)
        # names as they arrive after NFKC (full-width brackets) and without any blanks
        self._ind_loose = {_loose(name): c for name, c in self._ind_by_name.items()}
        self._region_loose = {_loose(name): c for name, c in self._region_by_name.items()}
        self._division_by_name = _unique_names(r for r in self.divisions.values()
                                               if r.code not in self.regions)
        self._seen_regions: dict[str, str | None] = {}
        self._seen_indicators: dict[str, str | None] = {}

    def region(self, text: str) -> str | None:
        """The region code a cell names (code, Chinese or English name), or None."""
        return _remembered(self._seen_regions, text, self._region)

    def indicator(self, text: str) -> str | None:
        """The indicator code a cell names (code, name or alias), or None."""
        return _remembered(self._seen_indicators, text, self._indicator)

    def _region(self, text: str) -> str | None:
        t = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).strip()
        if t.endswith(".0"):
            t = t[:-2]
        if t in self.regions or t in self.divisions:
            return t
        return (self._region_by_name.get(t) or self._region_by_name.get(t.lower())
                or self._region_loose.get(_loose(t)) or self._division_by_name.get(t))

    def _indicator(self, text: str) -> str | None:
        t = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).strip()
        if t in self.indicators:
            return t
        return (self._ind_by_name.get(t) or self._ind_by_name.get(t.lower())
                or self._ind_loose.get(_loose(t)))


def _unique_names(regions) -> dict[str, str]:
    """Chinese names (with and without 市/省/区/县) that name exactly one region."""
    seen: dict[str, set[str]] = {}
    for r in regions:
        name = r.name_zh
        seen.setdefault(name, set()).add(r.code)
        if len(name) > 2 and name[-1] in "市省区县":  # a name ends in one of them at most
            seen.setdefault(name[:-1], set()).add(r.code)
    return {n: next(iter(c)) for n, c in seen.items() if len(c) == 1}


def _remembered(cache: dict[str, str | None], text: str, look_up) -> str | None:
    """Look a name up once per distinct text (a 100,000-row table names few regions)."""
    if text in cache:
        return cache[text]
    code = look_up(text)
    if len(cache) < 100_000:
        cache[text] = code
    return code


def _loose(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def _key(h: str) -> str:
    """A header cell as column names are compared: NFKC, invisible marks out, blanks folded,
    lower case."""
    return re.sub(r"\s+", " ", _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", h))).strip().lower()


def _canon(header: Sequence[str]) -> list[str | None]:
    return [_ALIASES.get(_key(h)) for h in header]



def _header_like(cells: list[str]) -> bool:
    """Whether a row of the data is a header: every cell in it a column name Lantu knows, at
    least two — the header itself, or another file's header in other words (``地区,年份,指标,
    数值`` under ``region_code,period,…``: two files joined). Only the same header was named as
    such; another's was refused cell by cell as "unknown region '地区'" (probe14)."""
    named = [c for c, cell in zip(_canon(cells), cells) if cell.strip()]
    return len(named) >= 2 and all(c is not None for c in named)


# -- columns the import does not know (probe20) --------------------------------------------------

#: a header cell written as a known name with a number after it (``备注2``, ``数值2``,
#: ``value.1`` — pandas' second ``value``, ``note_3``): another column of that kind, on purpose
_NUMBERED = re.compile(r"^(.*?)[\s._\-#]*[0-9]+$")


@dataclass(frozen=True)
class Unread:
    """A header cell no layout reads: its column, its name as written, and ``meant`` — the
    column name it is one slip away from (a letter added, dropped, changed or two swapped)
    when the header lacks that column: a typo whose cells would be lost. ``meant`` empty: a
    column that is not Lantu's (``审核人``, ``备注2``), read by nobody."""

    column: int
    name: str
    meant: str = ""




def _slips(a: str, b: str) -> int:
    """The edits (insert, delete, change, swap of two neighbours) from ``a`` to ``b``, counted
    up to 2 (3 means more): a typo is one slip; two in a long English name."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], 3)


def _meant(key: str, present: set[str]) -> str:
    """The known column name ``key`` (a header cell, as :func:`_canon` compares it) is a slip
    of, when the header has no column of that name's kind; else ``""``. One slip of a name of
    at least two characters (单未 → 单位, vlaue → value, notes → note), two of an English name
    of seven or more (exerpt, source_ulr, target_vaule) or of four that starts as it does
    (untis → unit; code is no slip of note)."""
    if (m := _NUMBERED.match(key)) and m.group(1) in _ALIASES:
        return ""  # 备注2: a second note, not a typo
    best, best_slips = "", 3
    for alias, column in _ALIASES.items():
        if column in present or len(alias) < 2 or alias in ("indicator_zh",):
            continue
        allowed = 2 if alias.isascii() and (len(alias) >= 7 or (
            len(alias) >= 4 and key[:2] == alias[:2])) else 1
        if (n := _slips(key, alias)) <= allowed and n < best_slips:
            best, best_slips = alias, n
    return best


def unread_columns(header: Sequence[str], canon: Sequence[str | None]) -> list[Unread]:
    """THE rule for header cells that name no column Lantu reads (both readers ask it: the
    row reader, :func:`lantu.ingest.tables.parse_table`, and the column-wise one,
    :func:`lantu.ingest.bulk.read_plain`). A tired analyst's misspelt ``vlaue`` or
    ``指标代码x`` lost its column without a word (probe18 left it): each is returned with
    the name it was meant to have, which the readers refuse; any other unknown name is
    returned with ``meant`` empty, which they note. Blank names are not here (their cells
    are the shape check's: :func:`lantu.ingest.tables._check_shape`)."""
    present = {c for c in canon if c}
    out = []
    for j, (h, c) in enumerate(zip(header, canon)):
        if c is None and (key := _key(h)):
            out.append(Unread(j, h.strip(), _meant(key, present)))
    return out


def unread(header: Sequence[str], canon: Sequence[str | None], filled: Callable[[int], int] | None,
           skip: Callable[[str], bool] = lambda name: False) -> tuple[list[tuple[str, str]], list[str]]:
    """The header's unread columns as the readers say them: ``(column, reason)`` of each slip
    of a known name (refused at the header), and a note of each other column with cells
    filled (``filled(j)``: how many in column j; None — a header not recognised — lists only
    the slips). ``skip``: names another check speaks for."""
    slips, notes = [], []
    for u in unread_columns(header, canon):
        if skip(u.name):
            continue
        if shown_name(u.name) != u.name:  # an escape, a newline, a bidi control in a name:
            # refused as in a cell (the message escapes it), never written out raw (probe25)
            slips.append((u.name, "the column's name holds a control character; retype it"))
        elif u.meant:
            slips.append((u.name, unknown_column_reason(u.meant)))
        elif filled is not None and (n := filled(u.column)):
            notes.append(unread_note(u.name, n))
    return slips, notes


def spoken_for(layout: str | None, cat: Catalogue) -> Callable[[str], bool]:
    """Which unread header cells another check of ``layout`` speaks for: a table by year's
    period-like columns (the year check), a table by indicator's indicators (its columns)."""
    from lantu.domain.digits import marker_problem

    def skip(name: str) -> bool:
        if layout == "wide-indicators":
            m = _UNIT_IN_HEADER.match(unicodedata.normalize("NFKC", name).strip())
            return cat.indicator(m.group(1) if m else name) is not None
        return layout == "wide-years" and bool(_PERIOD_LIKE.match(unicodedata.normalize(
            "NFKC", name)) or _YEAR_HEADER.match(name) or marker_problem(name, "year"))
    return skip


def unknown_column_reason(meant: str) -> str:
    """THE wording of a header cell one slip from a column name Lantu knows."""
    return (f"no column Lantu knows, but close to '{meant}' (a typo?): its cells would be "
            f"lost; write the header '{meant}', or delete the column")


def unread_note(name: str, filled: int) -> str:
    """THE wording of a column no layout reads (noted, not refused: ``备注2``, ``审核人``)."""
    from lantu.locale import plural

    return (f"column '{shown_name(name)}' is not read (no column Lantu knows): "
            f"{plural(filled, 'filled cell')} left out")
