"""The kind of a five-year goal read in horizon mode (``extract_text(..., horizon=True)``).

A goal of a plan's end year ("到“十四五”末…", "未来五年…") is one of:

* ``level`` — a level of the end year ("城镇化率达到65%左右", "高新技术企业4500家以上": the
  stock, not new firms);
* ``annual_avg_growth`` — a growth rate to hold on average every year of the span ("地区生产总值
  年均增长8%以上"); a growth rate without 年均 in a goal list is read the same way;
  a rate of the catalogue (单位GDP能耗降低率) "年均下降3%" likewise;
* ``sum`` — a total over the span of a yearly flow of the catalogue (``flow``: new jobs, renovated
  communities, new parking spaces): "城镇新增就业40万人" in a list of five-year goals is the
  five years' sum, whether or not the text says 累计; for a rate of the catalogue the change over
  the span, compounded ("单位GDP能耗下降15.5%").

The one place of these rules; :mod:`lantu.ingest.extract` asks :func:`goal_kind` for every figure of
a goal and :func:`goal_stock` for the stock a flow's name stands for in a goal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantu.ingest.extract_layout import _PASSED
from lantu.ingest.extract_lexicon import _MENTION_RE, LEXICON, IndicatorName

__all__ = ["goal_kind", "goal_qualifier", "goal_stock", "goal_year_named", "GOAL_KINDS"]

GOAL_KINDS = ("level", "annual_avg_growth", "sum")

_AVERAGE = re.compile(r"年均(?!浓度|值)")
#: a figure per year, not over the span ("每年新增就业8万人", "年均新增…")
_EACH_YEAR = re.compile(r"每年|逐年")
_PER_YEAR = re.compile(r"每年|逐年|年均")
#: the words that make a count of new units ("新增高新技术企业500家") rather than the stock
#: a total over several years of something that is no flow ("累计完成投资5000亿元"): not a level
_TOTAL = re.compile(r"累计|合计|共计|总计")
#: a change of a level, not the level ("国家级实验室再增加2—4家", "人口再增加100万")
_CHANGE = re.compile(r"(?:再|净)?(?:增加|减少|新增|提高|降低)\s*$")
_NEW_WORD = re.compile(r"新增|净增|新认定|新培育|新引进|新建")


@lru_cache(maxsize=1)
def _flows() -> frozenset[str]:
    """Indicators of the catalogue whose yearly figures are flows that sum over years (not rates)."""
    from lantu.defaults import load_indicators

    return frozenset(i.code for i in load_indicators() if i.flow and not i.rate)


@lru_cache(maxsize=1)
def _rates() -> frozenset[str]:
    """Indicators whose yearly figures are rates of change (单位GDP能耗降低率): a goal over the span
    is their compounded change."""
    from lantu.defaults import load_indicators

    return frozenset(i.code for i in load_indicators() if i.rate)


def goal_year_named(clause: str, year: int) -> int | None:
    """A later year the goal's own clause names ("2025年达到20万家" in a report of 2022, among
    goals of 今后五年): the goal is of that year.

    >>> goal_year_named("实现市场主体倍增，2025年达到", 2022), goal_year_named("年均增长", 2022)
    (2025, None)
    """
    found = [int(y) for y in re.findall(r"(20\d\d)\s*年(?!均|来|以来|基础)", clause)]
    return found[-1] if found and found[-1] > year else None


_NEAR = re.compile(r"(?<![将])(?:接近|近)\s*$")


def goal_qualifier(before: str) -> str:
    """The qualifier a goal's threshold word gives where no other word qualifies the figure: a
    threshold to pass ("迈过千亿大关", "破千亿") is 突破, "接近2000亿元" is 左右 (the gold rules).

    >>> goal_qualifier("地区生产总值迈过"), goal_qualifier("地区生产总值接近"), goal_qualifier("达到")
    ('突破', '左右', '')
    """
    if _PASSED.search(before):
        return "突破"
    return "左右" if _NEAR.search(before) else ""


def goal_kind(code: str, clause: str) -> str | None:
    """The kind of goal a figure of ``code`` is, given its own clause up to the figure; None when
    the figure is not a goal of the end year (a yearly average of a flow: "年均新增就业8万人").

    Examples
    --------
    >>> goal_kind("gdp_growth", "地区生产总值年均增长"), goal_kind("gdp", "力争“十四五”末达到")
    ('annual_avg_growth', 'level')
    >>> goal_kind("new_urban_jobs", "城镇新增就业"), goal_kind("new_urban_jobs", "每年城镇新增就业")
    ('sum', None)
    >>> goal_kind("energy_intensity_change", "单位GDP能耗下降"), goal_kind("afforestation_area", "每年营造林")
    ('sum', None)
    """
    if code.endswith("_growth"):
        return "annual_avg_growth"
    if _EACH_YEAR.search(clause):
        return None  # "每年营造林400万亩以上": a figure of every year, not of the end year
    if code in _flows():
        return None if _PER_YEAR.search(clause) else "sum"
    if code in _rates():  # "单位GDP能耗下降15.5%以上": the yearly rates compounded over the span;
        return "annual_avg_growth" if _AVERAGE.search(clause) else "sum"  # "年均下降6.9%": each year's
    if _AVERAGE.search(clause) or _TOTAL.search(clause) or _CHANGE.search(clause):
        return None  # "年均PM2.5…" is caught by the name; an average of a level is no goal of the year
    return "level"


def goal_stock(norm: str, name_start: int, name_end: int, value_start: int) -> IndicatorName | None:
    """The stock indicator a flow's name stands for in a goal ("培育…高新技术企业4500家以上": the
    firms there will be, not new ones), or None when the text counts new units (新增, 新认定…
    before the name or between it and the figure)."""
    lead = norm[max(0, name_start - 4) : name_start]
    if _NEW_WORD.search(norm[name_start:value_start]) or _NEW_WORD.search(lead):
        return None
    bare = re.sub(r"^(?:认定|培育)", "", norm[name_start:name_end])
    m = _MENTION_RE.fullmatch(bare)
    if not (m and m.lastgroup):
        return None
    name = LEXICON[int(m.lastgroup[1:])]
    return name if name.level and name.level[0] not in _flows() else None
