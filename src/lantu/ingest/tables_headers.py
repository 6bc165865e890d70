"""The headers of a table: column names (English, Chinese, aliases) to canonical columns, and the
:class:`Catalogue` that names regions and indicators by code or Chinese name. A stage of
:mod:`lantu.ingest.tables`; it uses :mod:`lantu.ingest.tables_values` only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from lantu.domain import Indicator, Region
from lantu.domain.periods import YEAR_HEADING
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


def _canon(header: Sequence[str]) -> list[str | None]:
    return [_ALIASES.get(re.sub(r"\s+", " ", _INVISIBLE_RE.sub("", unicodedata.normalize(
        "NFKC", h))).strip().lower()) for h in header]

