"""Rule-based extraction of achieved figures and targets from government work reports and
statistical bulletins.

A government work report delivered in year *Y* reviews year *Y*−1 with figures (rows of kind
``observed``, period *Y*−1) and sets the main targets for year *Y* (rows of kind ``target``,
period *Y*). A statistical bulletin for year *Y* gives figures of *Y* (kind ``observed``).

The reader works in three steps, each a small function (the stages live in
:mod:`lantu.ingest.extract_lexicon` — the data —, :mod:`lantu.ingest.extract_layout` — the text and
where the review, targets and plan stand — and :mod:`lantu.ingest.extract_values`; this module
puts them together):

1. find *mentions* of catalogue indicators (a lexicon of names, :data:`LEXICON`);
2. give each mention its *window* — the words up to the next mention, extended over following
   clauses only when they continue the same subject ("…达到5571亿元、增长3.3%");
3. read the *values* in the window (number, unit, range, the verb before it and the qualifier
   after it) and map each to an indicator code by its unit and verb: a growth rate never becomes a
   level, and a level never a growth rate.

Clauses about other periods are dropped: five-year averages and cumulative figures (年均, 累计,
“十三五”期间, 比2015年…), sub-annual figures (一季度, 上半年, 1—11月), and — for observed
figures — sentences about years after the reviewed one. Every row keeps the clause it came from and
its character span in the text.

Examples
--------
>>> rows = extract_text("今年主要预期目标是：地区生产总值增长7%、力争实现7.5%，居民消费价格涨幅控制在3%左右。",
...                     region_code="140100", year=2022)
>>> [(r.indicator, r.value, r.qualifier) for r in rows]
[('gdp_growth', 7.0, ''), ('gdp_growth', 7.5, '力争'), ('cpi', 3.0, '左右')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from lantu.domain.periods import year_problem
from lantu.domain.regions import check_region_code
from lantu.errors import UsageError
from lantu.ingest.extract_goals import goal_kind, goal_qualifier, goal_stock, goal_year_named
from lantu.ingest.extract_layout import (
    _PRELIMINARY,
    _PRELIMINARY_LEAD,
    _STRETCH,
    _STRETCH_LEAD,
    _clause_end,
    _clause_start,
    _context_start,
    _layout,
    _normalise,
    _paragraph_end,
    _sentence_bounds,
)
from lantu.ingest.extract_lexicon import (
    LEX,
    LEXICON,
    IndicatorName,
    Lexicon,
    load_lexicon,
    target_kind,
)
from lantu.ingest.extract_values import (
    _TOTAL_BEFORE,
    _all_good_values,
    _classify,
    _count_before,
    _counterpart,
    _group,
    _mentions,
    _other_subject,
    _period_of,
    _qualifier,
    _stock_of,
    _structure_values,
    _value_verdict,
    _values,
    _window,
    each_subject,
)


def _part_of_a_stretch(norm: str, cstart: int) -> bool:
    """A part (其中…) of a figure the clause before strives for: "力争实际到位资金2450亿元，其中实际利用
    外资43亿美元" (郑州 2019) — the part is a stretch too; so is a figure right after a clause that
    opens with 力争 and states a figure of its own: "力争招商引资签约总额突破7000亿元，实际吸收外资7.2亿美元"
    (郑州 2023). A 力争 clause with no figure ("增长8%，力争在实际工作中取得更好成绩，…") is a wish
    about the clause before it, not the head of the next."""
    if cstart == 0 or norm[cstart - 1] not in "，,":
        return False
    before = norm[_clause_start(norm, cstart - 1, max(0, cstart - 80)) : cstart]
    if not _STRETCH_LEAD.search(before):
        return False
    return bool(re.match(r"\s*其中", norm[cstart : cstart + 4]) or re.search(r"\d", before))


def _unnamed_items(norm: str, cstart: int, start: int, end: int) -> int:
    """How many items of a 分别 list stand before the first name the lexicon knows."""
    lead = norm[cstart:start]
    if not re.search(r"[、和及]\s*$", lead) or "分别" not in norm[end : end + 8]:
        return 0
    return len(re.findall(r"[、和及]", lead))


def _items_before(norm: str, start: int, values: list) -> int:
    """"全省财政总收入1048亿元，一般预算收入583.1亿元，分别增长38.2%和58.3%": the items of the
    sentence before the name, each with its amount, take the first figures after 分别."""
    pcts = [v for v in values if v.unit == "%"]
    if len(pcts) < 2 or "分别" not in pcts[0].before or values[0].unit in ("", "%"):
        return 0  # the name has its own amount first ("一般预算收入583.1亿元，分别增长…")
    lead = norm[max(norm.rfind("。", 0, start), norm.rfind("；", 0, start)) + 1 : start]
    return len(re.findall(r"\d\s*[\u4e00-\u9fa5]{1,3}[、，,]", lead))  # "…事故减少13起、死亡人数…"


_EACH_BEFORE = re.compile(r"(?<![年平])[均各]\s*(?:同比|比上年)?\s*(?:增长|下降|提高|上涨|增加|达到|达|为)\s*$")

__all__ = [
    "COLUMNS",
    "ExtractedRow",
    "ExtractError",
    "IndicatorName",
    "LEX",
    "LEXICON",
    "Lexicon",
    "load_lexicon",
    "target_kind",
    "extract_text",
    "extract_file",
    "validate_year",
    "rows_to_records",
]

COLUMNS = (
    "region_code",
    "period",
    "indicator",
    "kind",
    "value",
    "value_high",
    "qualifier",
    "unit",
    "excerpt",
    "start",
    "end",
    "flags",
)


#: Indicator names a text may hold before the extractor refuses it (the corpus's longest, the 2024
#: national bulletin, has 131): bounds the time one upload can take.
MAX_MENTIONS = 20_000


class ExtractError(UsageError):
    """Bad arguments to the extractor (region code, year, document kind)."""


class TooManyFigures(ExtractError):
    """A text naming more indicator figures than one text is read with: a fault of the text,
    which the caller names (the command line by its file, probe25)."""


@dataclass(frozen=True)
class ExtractedRow:
    """One figure or target read from a text.

    ``value_high`` is set for a range ("8%—8.5%"); ``qualifier`` is one of ``""``, ``"左右"``,
    ``"以上"``, ``"以内"``, ``"力争"``; ``start``/``end`` are offsets of ``excerpt`` in the text.
    """

    region_code: str
    period: int
    indicator: str
    kind: str
    value: float
    value_high: float | None
    qualifier: str
    unit: str
    excerpt: str
    start: int
    end: int
    flags: str = ""
    #: a goal of a later year (horizon mode): ``level``, ``annual_avg_growth`` or ``sum`` over the
    #: plan's span (:mod:`lantu.ingest.extract_goals`); empty for a figure or a target of the year
    goal: str = ""


def validate_year(year: int) -> int:
    """Check the year of a text (1949–2100).

    Examples
    --------
    >>> validate_year(2023)
    2023
    """
    try:
        y = int(year)
    except (TypeError, ValueError) as exc:
        raise ExtractError(f"year {year!r}: expected a four-digit year") from exc
    if why := year_problem(y):  # the one year rule of everything dated
        raise ExtractError(f"year {year!r}: {why}")
    return y


def _is_bulletin(text: str) -> bool:
    return bool(re.search(r"统计公报", text[:400]))


_HORIZON = re.compile(r"到\s*(20\d\d)\s*年(?:底|末)?|“?十([一二三四五六])五”?(?:时期|期间|末|规划)?|(?:今后|未来)五年")
_FYP_GOALS = re.compile(r"“?十([一二三四五六])五”?(?:时期|期间|末|规划)")
_FYP_END = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030, "六": 2035}


def _lead_paragraph(norm: str, pos: int) -> int:
    """Where the paragraph that leads in the one holding ``pos`` starts: the one before it, or
    before the whole run of "——" items it belongs to (blank lines skipped)."""
    start = norm.rfind("\n", 0, pos) + 1
    while True:
        j = start - 1
        while j > 0 and norm[j - 1] in "\n \t\u3000":
            j -= 1
        prev = norm.rfind("\n", 0, j) + 1
        if not norm.startswith("——", start) or prev == start or j <= 0:
            return prev
        start = prev


def _five_year_goal(norm: str, pos: int, year: int) -> int | None:
    """An item "——…" of a list led in by a paragraph on a five-year plan's goals ("我市“十一五”
    期间…指标体系"), the year itself (今年, 2006年) not named after it: a goal of the plan's end
    year, not a target of the year."""
    start = norm.rfind("\n", 0, pos) + 1
    if not norm.startswith("——", start):
        return None
    marks = list(_FYP_GOALS.finditer(norm, _lead_paragraph(norm, pos), pos))
    if not marks:
        return None
    after = norm[marks[-1].end() : pos]
    if not re.search("指标|目标", after) or re.search(rf"今年|本年|{year}年", after):
        return None
    end = _FYP_END[marks[-1].group(1)]
    return end if end > year else None


def _horizon_year(norm: str, pos: int, year: int) -> int | None:
    """The year a goal outside the year's targets is set for: "到2025年" → 2025, 十四五 → 2025,
    "今后五年" in a report of year Y → Y+4; the nearest marker before ``pos`` in its paragraph or
    the heading just before it. None when there is none, or when it is not after ``year``."""
    start = norm.rfind("\n", 0, max(0, norm.rfind("\n", 0, pos) - 1)) + 1  # this paragraph and the one before
    marks = list(_HORIZON.finditer(norm, start, pos))
    if not marks:  # "地区生产总值年均增长8%以上，力争“十四五”末达到2200亿元": the marker later in the sentence
        marks = list(_HORIZON.finditer(norm, pos, _sentence_bounds(norm, pos)[1]))[:1]
    if not marks and (head := _section_heading(norm, pos)):  # "二、“十五五”时期…目标任务" over its paragraphs
        marks = list(_HORIZON.finditer(head))
    found = None
    for m in marks:
        if m.group(1):
            found = int(m.group(1))
        elif m.group(2):
            found = _FYP_END[m.group(2)]
        else:
            found = year + 4
    return found if found is not None and found > year else None


def _plan_goal_year(norm: str, pos: int, year: int) -> int | None:
    """A goal of a plan's end year inside the year's work ("到“十三五”末，森林覆盖率达到28%以上",
    "力争到2020年全市森林覆盖率达到33%"): the marker in the figure's own sentence before it, the
    sentence not turning back to the year after it (今年, 年内, 全年, 2016年), its 未来五年 not counted from
    another year the sentence names first."""
    s, _ = _sentence_bounds(norm, pos)
    marks = list(_HORIZON.finditer(norm, s, pos))
    if not marks or re.search(rf"今年|年内|全年|本年|{year}\s*年", norm[marks[-1].end() : pos]):
        return None
    m = marks[-1]
    if not m.group(1) and re.search(r"20\d\d\s*年", norm[s : m.start()]):
        return None  # "2018年，我市出台了…计划在未来五年…": the five years of an earlier year's plan
    found = int(m.group(1)) if m.group(1) else _FYP_END[m.group(2)] if m.group(2) else year + 4
    return found if found > year else None


_SECTION = re.compile(r"^\**\s*[一二三四五六七八九十]+\s*、[^\n]*", re.M)


def _section_heading(norm: str, pos: int) -> str:
    """The heading of the top-level section ("二、…") ``pos`` is in, or ""."""
    heads = [m for m in _SECTION.finditer(norm, 0, pos)]
    return heads[-1].group() if heads else ""


def extract_text(
    text: str,
    region_code: str,
    year: int,
    doc_type: str = "auto",
    horizon: bool = False,
) -> list[ExtractedRow]:
    """Extract achieved figures and targets from the text of a report or bulletin.

    Parameters
    ----------
    text : str
        The document text (e.g. ``read_text(path).text``); offsets in the result point into it.
    region_code : str
        GB/T 2260 code of the region the text is about.
    year : int
        The year of the text: the year a work report is delivered (it reviews ``year - 1`` and
        sets targets for ``year``), or the year a statistical bulletin reports on.
    doc_type : {"auto", "report", "bulletin"}
        ``auto`` treats a text whose opening mentions 统计公报 as a bulletin.
    horizon : bool
        Also read the goals set outside the year's targets for a later year ("到2025年…",
        十四五 goals → 2025, "今后五年" → ``year`` + 4) as targets of that year, each with its kind
        in ``goal`` (:mod:`lantu.ingest.extract_goals`). Off by default for a single text; the
        default's build turns it on (P 1.000 R 0.986 on ``tests/gold/horizon``, docs/text.md).

    Returns
    -------
    list of ExtractedRow
        Observed figures first, then targets, each in text order; one row per distinct
        (period, indicator, kind, value, qualifier).

    Examples
    --------
    >>> rows = extract_text("全年地区生产总值实现5571.17亿元、增长3.3%。", "140100", 2023)
    >>> [(r.period, r.indicator, r.value) for r in rows]
    [(2022, 'gdp', 5571.17), (2022, 'gdp_growth', 3.3)]
    """
    region = check_region_code(region_code)
    y = validate_year(year)
    if doc_type not in ("auto", "report", "bulletin"):
        raise ExtractError(f"doc_type {doc_type!r}: expected auto, report or bulletin")
    bulletin = doc_type == "bulletin" or (doc_type == "auto" and _is_bulletin(text))
    norm = _normalise(text)
    layout = _layout(norm, y, bulletin)
    mentions = _mentions(norm)
    if len(mentions) > MAX_MENTIONS:  # each costs about a millisecond: a text of figures alone would hold a worker for minutes
        raise TooManyFigures(f"the text names {len(mentions):,} indicator figures; a text is read with at most "
                           f"{MAX_MENTIONS:,} (the longest official text of the corpus names 131): split it")
    province = region.endswith("0000")
    rows: list[ExtractedRow] = []
    seen: set[tuple] = set()
    observed_period = y if bulletin else y - 1

    main_targets: set[str] = set()
    first_observed: set[tuple[int, str]] = set()
    bounds: list[ExtractedRow] = []
    i = 0
    while i < len(mentions):
        group = _group(norm, mentions, i)
        last = group[-1]
        first = mentions[group[0]]
        pos = first.start
        target_span = next((s for s in layout.target_spans if s[0] <= pos < s[1]), None)
        in_review = pos < layout.review_end
        in_plan = target_span is None and layout.plan_start <= pos < layout.plan_end
        goal_year = None
        if horizon and target_span is None and not in_review and not in_plan and not bulletin:
            goal_year = _horizon_year(norm, pos, y)  # a five-year goal: the plan's end year
        elif in_plan and not bulletin and (plan_end := _five_year_goal(norm, pos, y)):
            # "十一五…指标体系…比重达到52%": the plan's goals of its end year, not the year's targets
            if not horizon:
                i = last + 1
                continue
            goal_year = plan_end
        elif in_plan and horizon and not bulletin and (goal_year := _plan_goal_year(norm, pos, y)):
            in_plan = False  # "到“十三五”末，…达到…" among the year's work: a goal, read by the goal rules
        if target_span is None and not in_review and not in_plan and goal_year is None:
            i = last + 1
            continue
        if goal_year is not None:
            limit = _paragraph_end(norm, pos)
        elif target_span:
            limit = target_span[1]
        elif in_plan:
            limit = layout.plan_end
        else:
            limit = layout.review_end
        ws, we = _window(norm, mentions, last, limit)
        sent_start, _ = _sentence_bounds(norm, pos)
        cstart = _clause_start(norm, pos, sent_start)
        name0 = first.name
        if name0.since > y:  # 工业总产值 in a report before 2013: all industry's, another measure
            i = last + 1
            continue
        if name0.special == "structure":
            values = _structure_values(norm, ws, min(limit, _sentence_bounds(norm, pos)[1]))  # "：" ends no ratio
        elif name0.special == "all_good":
            values = _all_good_values(norm, ws, max(we, min(limit, _sentence_bounds(norm, pos)[1])))
        elif len(group) == 1 and name0.level and name0.level[0] in LEX.flow and (
                pre := _count_before(norm, cstart, pos)) is not None:
            values = [pre]
        else:
            values = _values(norm, ws, we)
        if not values or _other_subject(norm, pos, cstart, province=province, bulletin=bulletin,
                                         goal=goal_year is not None):
            i = last + 1
            continue

        target = target_span is not None or in_plan or goal_year is not None
        par_start = norm.rfind("\n", 0, pos) + 1
        context_start = _context_start(norm, pos)
        # slots: which subject of the group (and of a 城乡 pair) each value belongs to
        subjects: list[tuple[IndicatorName, int]] = []
        for gi in group:
            nm = mentions[gi].name
            width = max(len(nm.level), len(nm.growth), len(nm.rate), 1)
            subjects.extend((nm, k) for k in range(width))
        per_code_count: dict[tuple[str, int], int] = {}
        kind_counts: dict[str, int] = {}
        # "科技型中小企业、高新技术企业分别增至1926家、966家": items the lexicon does not name come
        # first in the 分别 list and take the first figures
        unnamed = _unnamed_items(norm, cstart, first.start, mentions[last].end)
        offset = {"pct": unnamed, "amt": unnamed}  # figures of items before this name, per unit kind
        if not unnamed and len(subjects) == 1:
            offset["pct"] = _items_before(norm, first.start, values)
        multi = len(subjects) > 1 or any(offset.values())
        if multi and each_subject(norm, mentions, group):
            values = [v for v in values for _ in subjects]  # "分别…各增长9%": each subject's figure
        elif len(group) == 1 and len(subjects) == 2:
            # "城乡居民人均可支配收入增长7.2%": one figure of a kind for two subjects is ambiguous
            kinds = ["pct" if v.unit == "%" else "amt" for v in values]
            values = [v for v, k in zip(values, kinds, strict=True) if kinds.count(k) != 1]
        if multi and len(group) > 1 and len(values) == 1 and re.match(
                r"\s*分别\s*(?:增长|下降|达到|为|控制在)", norm[mentions[last].end :]):
            values = values * len(subjects)  # "财政总收入和一般预算收入分别增长8%": one figure, each subject's
        if multi and len(group) > 1:  # "分别完成2261亿元、1213亿元，均增长25%": the figure is each subject's
            values = [w for v in values for w in ([v] * len(subjects) if _EACH_BEFORE.search(v.before) else [v])]
        for vi, v in enumerate(values):
            if vi == 0 and "、" in v.before and "分别" not in v.before and not re.search(
                    r"(?:、\s*(?:达到|达|为|完成|实现|突破|超过|首破|首超)|等)\s*$", v.before):  # "迈上千亿台阶、达到1012.9亿元"
                # "完成6万亩营造林绿化、14万亩水土流失治理": the list has moved on; but kinds closed by
                # 等 before the figure are counted together ("完成人工造林、封山育林、退化林修复等4.1万亩")
                break
            if first.total_only and not _TOTAL_BEFORE.search(v.before):
                continue  # the new units before the total ("新增经营主体31.5万户、总数达178.7万户")
            # pick the subject: in a 分别 list values go in order, per unit kind
            kind_key = "pct" if v.unit == "%" else "amt"
            if multi:
                idx = kind_counts.get(kind_key, 0) - offset[kind_key]
                kind_counts[kind_key] = idx + offset[kind_key] + 1
                if not 0 <= idx < len(subjects):
                    continue
                nm, slot = subjects[idx]
                subject = idx
            else:
                nm, slot = subjects[0]
                subject = 0
                if goal_year is not None and nm.level and nm.level[0] in LEX.flow and (
                        st := goal_stock(norm, first.start, first.end, v.start)) is not None:
                    nm = st  # "培育…高新技术企业4500家以上" among five-year goals: the stock reached
                elif nm.level and re.search(r"(?:新增|新认定|新培育)\s*$", v.before):
                    # "高新技术企业倍增计划，力争全年新增20家、总数达到220家"
                    cp = _counterpart(norm[first.start : first.end])
                    if cp is not None:
                        nm, v = cp, replace(v, before=re.sub(r"(?:新增|新认定|新培育)\s*$", "", v.before))
                elif nm.level and nm.level[0] in LEX.flow and re.search(
                        r"(?:总数|总量)\s*(?:达到|达|为|突破|超过|超|逾)?\s*$", v.before):
                    # "新增国家高新技术企业40户，总数达到264户" ("、总数突破2000户"): the stock
                    st = _stock_of(norm[first.start : first.end])
                    if st is not None:
                        nm, v = st, replace(v, before=re.sub(r"^.*(?:总数|总量)", "", v.before))
            verdict = _value_verdict(
                norm, v, name=nm, year=goal_year or y, target=target, in_plan=in_plan, cstart=cstart,
                context_start=context_start, window_start=ws, par_start=par_start,
                goal=goal_year is not None,
            )
            if verdict == "stop":
                break
            if verdict == "skip":
                continue
            got = _classify(nm, v, slot)
            if got is None:
                continue
            code, value, high = got
            goal, own_year = "", None
            if goal_year is not None:  # 年均增长 over the span, a sum of a flow, or a level
                own_clause = norm[_clause_start(norm, v.start, context_start) : v.start]
                goal, own_year = goal_kind(code, own_clause) or "", goal_year_named(own_clause, y)
                if not goal:
                    continue
            if nm.needs and not re.search(nm.needs, norm[cstart : _clause_end(norm, v.end)]):
                continue  # "整治…老旧小区1776个" is not a renovation
            if nm.heading and not re.search(nm.heading, norm[max(norm.rfind(c, 0, cstart) for c in "。；;\n") + 1 : cstart]):
                continue  # "四要加快老旧小区改造，年内新开工172个小区": the item's heading names the programme
            lo_hi = LEX.ranges.get(code)
            if lo_hi and not lo_hi[0] <= value <= lo_hi[1]:
                continue  # outside the indicator's admissible range ("常住人口2000人以上的集镇")
            rank = per_code_count.get((code, subject), 0)
            if verdict not in ("bound", "near"):  # a threshold passed does not take the place of the figure
                per_code_count[(code, subject)] = rank + 1
            qual = _qualifier(v, target, rank)
            if target and not qual and rank == 0 and (
                    _STRETCH_LEAD.search(norm[cstart:ws])
                    or _STRETCH_LEAD.search(norm[_clause_start(norm, v.start, cstart) : v.start])
                    or _part_of_a_stretch(norm, cstart)):
                qual = "力争"  # "力争技术合同成交额达1600亿元": the clause is a stretch
            if goal and not qual:
                qual = goal_qualifier(v.before)  # "地区生产总值迈过千亿大关": a threshold to pass
            if rank > 0 and not (target and _STRETCH.search(v.before)):
                continue  # one value per code and clause, except a stretch target ("增长6%以上、力争7%")
            if in_plan and code in main_targets:
                continue  # the main list already set it; a later figure is for a part of it
            if target:
                period = own_year or goal_year or y
                kind = "target"
                if not in_plan and goal_year is None:
                    main_targets.add(code)
            else:
                in_five = any(a <= pos < b for a, b in layout.five_year)
                if in_five and (code in LEX.flow or code.endswith("_growth")) and not re.search(
                    rf"去年|{y - 1}\s*年", norm[context_start : v.start]
                ):
                    continue  # a five-year look-back: flows there are cumulative, growth may be too
                period = _period_of(norm, context_start, v.start, observed_period)
                if (period >= y and not bulletin) or (bulletin and period != y):
                    continue
                if re.search(r"今年|明年", norm[context_start : v.start]) and not bulletin:
                    continue
                kind = "observed"
            unit = LEX.catalogue_units.get(code) or "%"
            value = round(value, 6)
            if verdict == "bound":
                qual = "突破"
            elif verdict == "near":
                qual = qual or "左右"
            key = (period, code, kind, value, qual)
            if key in seen:
                continue
            first_key = (period, code)
            flags = ""
            if kind == "observed" and (_PRELIMINARY.search(norm[cstart : v.end])
                                       or _PRELIMINARY_LEAD.search(norm[max(context_start, cstart - 12) : cstart])):
                flags = "preliminary"  # 预计, 初步: the work report's first estimate
            if kind == "observed" and code not in LEX.several and first_key in first_observed:
                continue  # the first figure of a period is the headline; later ones are sub-measures
            ex_end = _clause_end(norm, v.end)
            ex_start = cstart
            while ex_start < ex_end and text[ex_start] in " \t*\u3000":
                ex_start += 1
            if verdict in ("bound", "near") or (nm.fallback and kind == "observed"):
                # kept at the end if no exact figure of the period comes (a threshold passed, or a
                # wider measure such as national and provincial sections together)
                bounds.append(ExtractedRow(region, period, code, kind, value, None, qual, unit,
                                           text[ex_start:ex_end], ex_start, ex_end, flags))
                continue
            seen.add(key)
            if kind == "observed":
                first_observed.add(first_key)
            rows.append(
                ExtractedRow(
                    region_code=region,
                    period=period,
                    indicator=code,
                    kind=kind,
                    value=value,
                    value_high=None if high is None else round(high, 6),
                    qualifier=qual,
                    unit=unit,
                    excerpt=text[ex_start:ex_end],
                    start=ex_start,
                    end=ex_end,
                    flags=flags,
                    goal=goal,
                )
            )
        i = last + 1
    for b in bounds:  # "外贸进出口总额超过1000亿元" with no exact figure: an observation with its bound
        if (b.period, b.indicator) not in first_observed:
            first_observed.add((b.period, b.indicator))
            rows.append(b)
    rows.sort(key=lambda r: (r.kind != "observed", r.start))
    return _unemployment_kinds(rows)


def _unemployment_kinds(rows: list[ExtractedRow]) -> list[ExtractedRow]:
    """The registered (登记) and the surveyed (调查) unemployment rate are two indicators of the
    catalogue: a rate whose excerpt names which gets that code, the n-th value of a list
    "登记…、调查…分别…" the n-th rate named; a rate the text does not name stays
    ``unemployment_rate``.

    >>> [(r.indicator, r.value) for r in extract_text(
    ...     "城镇调查失业率、登记失业率分别控制在5.5%和4%以内。", "140100", 2024)]
    [('unemployment_rate_surveyed', 5.5), ('unemployment_rate_registered', 4.0)]
    """
    out: list[ExtractedRow] = []
    nth: dict[tuple[int, str], int] = {}
    for r in rows:
        if r.indicator == "unemployment_rate":
            n = nth.get((r.start, r.kind), 0)
            nth[(r.start, r.kind)] = n + 1
            named = ["registered" if m == "登记" else "surveyed"
                     for m in re.findall(r"登记|调查", r.excerpt)]
            which = named[0] if len(set(named)) == 1 else (named[n] if n < len(named) else "")
            if which:
                r = replace(r, indicator=f"unemployment_rate_{which}")
        out.append(r)
    return out


def extract_file(path: str | Path, region_code: str, year: int, doc_type: str = "auto"):
    """Read a document with :func:`lantu.ingest.textio.read_text` and extract from it.

    Returns
    -------
    tuple of (Document, list of ExtractedRow)
    """
    from lantu.ingest.textio import read_text

    doc = read_text(path)
    return doc, extract_text(doc.text, region_code, year, doc_type=doc_type)


def rows_to_records(rows: Iterable[ExtractedRow]) -> list[dict]:
    """Rows as dictionaries with the columns of :data:`COLUMNS`, in that order."""
    names = [f.name for f in fields(ExtractedRow) if f.name != "goal"]  # the goal's kind: the build's, not the file's
    assert tuple(names) == COLUMNS
    return [{k: v for k, v in asdict(r).items() if k != "goal"} for r in rows]
