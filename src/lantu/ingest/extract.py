"""Rule-based extraction of achieved figures and targets from government work reports and
statistical bulletins.

A government work report delivered in year *Y* reviews year *Y*−1 with figures (rows of kind
``observed``, period *Y*−1) and sets the main targets for year *Y* (rows of kind ``target``,
period *Y*). A statistical bulletin for year *Y* gives figures of *Y* (kind ``observed``).

The reader works in three steps, each a small function:

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
from functools import lru_cache
from pathlib import Path

from lantu.domain.regions import check_region_code
from lantu.errors import UsageError

__all__ = [
    "COLUMNS",
    "ExtractedRow",
    "ExtractError",
    "LEXICON",
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


class ExtractError(UsageError):
    """Bad arguments to the extractor (region code, year, document kind)."""


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


# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorName:
    """How an indicator family is named and which codes its values can map to (one entry of
    ``lexicon/extract.yaml``, which documents the fields).

    ``level``/``growth``/``rate`` hold one code per subject the name covers (two for 城乡 pairs);
    ``other_level`` codes are tried when a figure's unit does not fit ``level``; ``special`` is the
    entry's ``reader`` (energy, cpi, pm25, growth_word, none) or empty.
    """

    pattern: str
    level: tuple[str, ...] = ()
    growth: tuple[str, ...] = ()
    rate: tuple[str, ...] = ()
    other_level: tuple[str, ...] = ()
    special: str = ""
    any_prefix: bool = False
    needs: str = ""  # a word the clause must contain ("改造" for renovated communities)


@dataclass(frozen=True)
class Lexicon:
    """The extractor's data: names (:class:`IndicatorName`), indicator properties, units, and
    the catalogue unit of every code."""

    names: tuple[IndicatorName, ...]
    flow: frozenset[str]  # a five-year look-back gives their sum over the years
    several: frozenset[str]  # several headline figures a period (registered and surveyed rate)
    units: dict[str, tuple[str, float]]  # unit in the text -> (base, factor)
    catalogue_units: dict[str, str]
    ranges: dict[str, tuple[float, float]]  # admissible values in the catalogue unit
    target_side: dict[str, str]  # code -> "ceiling" | "floor" (CPI is a ceiling)
    binding: frozenset[str]  # binding (约束性) indicators


def load_lexicon() -> Lexicon:
    """Read ``lexicon/extract.yaml`` and the catalogue's units (``lantu.defaults``).

    Raises
    ------
    ValueError
        An entry names a code that is not in the catalogue, or a field that does not exist.
    """
    import yaml

    from lantu.defaults import load_indicators, load_reading_ranges
    from lantu.ingest.lexicon import _read

    doc = yaml.safe_load(_read("extract.yaml"))
    catalogue = {i.code: i.unit for i in load_indicators()}
    names = []
    for n, e in enumerate(doc["names"], start=1):
        unknown = set(e) - {"pattern", "level", "growth", "rate", "other_level", "reader", "any_prefix", "needs"}
        codes = [c for k in ("level", "growth", "rate", "other_level") for c in e.get(k) or ()]
        bad = [c for c in codes if c not in catalogue and c != "cpi"]
        if unknown or bad:
            raise ValueError(f"lexicon/extract.yaml: names entry {n}: unknown field(s) {sorted(unknown)} "
                             f"or indicator code(s) not in the catalogue {bad}")
        names.append(IndicatorName(
            e["pattern"], tuple(e.get("level") or ()), tuple(e.get("growth") or ()),
            tuple(e.get("rate") or ()), tuple(e.get("other_level") or ()), e.get("reader") or "",
            bool(e.get("any_prefix")), str(e.get("needs") or "")))
    props = doc.get("properties") or {}
    for code in props:
        if code not in catalogue:
            raise ValueError(f"lexicon/extract.yaml: properties: {code!r} is not in the catalogue")
    units = {str(u): (str(b), float(f)) for u, (b, f) in (doc.get("units") or {}).items()}
    if stray := sorted(c for c, p in props.items() if "range" in p):
        raise ValueError(f"lexicon/extract.yaml: properties of {stray}: a range belongs in "
                         "defaults/data/indicator_ranges.csv (one table for the gate and the extractor)")
    ranges = load_reading_ranges()
    return Lexicon(tuple(names), frozenset(c for c, p in props.items() if p.get("flow")),
                   frozenset(c for c, p in props.items() if p.get("several")), units, catalogue, ranges,
                   {c: str(p["target"]) for c, p in props.items() if p.get("target")},
                   frozenset(c for c, p in props.items() if p.get("binding")))


LEX = load_lexicon()
LEXICON: tuple[IndicatorName, ...] = LEX.names

_MENTION_RE = re.compile("|".join(f"(?P<m{i}>{n.pattern})" for i, n in enumerate(LEXICON)))


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with (None: any, e.g. a leading ``.``).

    Lets :func:`_mentions` try the long alternation of names only where a name can start, which
    is several times faster than scanning every position (``re`` does not do this for a group of
    alternatives with optional prefixes).

    Examples
    --------
    >>> sorted(_first_chars("(?:全社会)?货运量|GDP"))
    ['G', '全', '货']
    """
    from re import _constants as C  # noqa: N812 - the stdlib's own parser
    from re import _parser as P

    def first(items: list, start: int = 0) -> tuple[set[str] | None, bool]:
        """(first characters, whether the sequence from ``start`` can match empty)."""
        out: set[str] = set()
        for op, av in items[start:]:
            if op is C.LITERAL:
                return out | {chr(av)}, False
            if op is C.IN:
                chars = set()
                for iop, iav in av:
                    if iop is C.LITERAL:
                        chars.add(chr(iav))
                    elif iop is C.RANGE and iav[1] - iav[0] < 512:
                        chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                    else:
                        return None, False
                return out | chars, False
            if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
                continue  # zero width: the next item starts the match
            if op is C.SUBPATTERN:
                sub, empty = first(list(av[-1]))
            elif op is C.BRANCH:
                sub, empty = set(), False
                for alt in av[1]:
                    f, e = first(list(alt))
                    if f is None:
                        return None, False
                    sub |= f
                    empty = empty or e
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                sub, empty = first(list(av[2]))
                empty = empty or av[0] == 0
            else:
                return None, False
            if sub is None:
                return None, False
            out |= sub
            if not empty:
                return out, False
        return out, True

    chars, empty = first(list(P.parse(pattern)))
    return None if chars is None or empty else frozenset(chars)


_STARTS = [_first_chars(n.pattern) for n in LEXICON]
_START_RE = None if any(c is None for c in _STARTS) else re.compile(
    "[" + "".join(sorted(re.escape(c) for cs in _STARTS for c in cs)) + "]")
# for each first character, the alternation of only the names that can start with it (in order)
_BY_FIRST: dict[str, re.Pattern[str]] = {} if _START_RE is None else {
    ch: re.compile("|".join(f"(?P<m{i}>{n.pattern})" for i, n in enumerate(LEXICON) if ch in _STARTS[i]))
    for ch in {c for cs in _STARTS if cs for c in cs}
}


def target_kind(code: str, qualifier: str | None) -> str:
    """How a target read from a text is judged: ``annual_growth`` for a growth rate, ``ceiling``
    or ``floor`` from the qualifier (以内; 以上, 突破) or, failing that, the indicator's property
    in ``lexicon/extract.yaml`` (CPI is a ceiling), else ``level``. The one rule for the review
    file of ``lantu import`` and the default's build.

    Examples
    --------
    >>> target_kind("gdp_growth", "左右"), target_kind("cpi", "左右"), target_kind("gdp", "突破")
    ('annual_growth', 'ceiling', 'floor')
    """
    if code.endswith("_growth"):
        return "annual_growth"
    side = LEX.target_side.get(code)
    if side:
        return side
    if qualifier == "以内":
        return "ceiling"
    if qualifier in ("以上", "突破"):
        return "floor"
    return "level"


def _convert(value: float, unit: str, code: str) -> float | None:
    """``value`` written in ``unit`` expressed in the catalogue unit of ``code`` (None when the
    units do not convert: a figure in 万吨 is not an amount of money).

    Examples
    --------
    >>> _convert(14.7, "万元", "gdp_per_capita"), _convert(1.2, "万亿元", "gdp"), _convert(2, "万吨", "gdp")
    (147000.0, 12000.0, None)
    """
    target = LEX.catalogue_units.get(code, "")
    if unit == target:
        return value
    src, dst = LEX.units.get(unit), LEX.units.get(target)
    if src is None or dst is None or src[0] != dst[0]:
        return None
    return value * src[1] / dst[1]


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

# One-to-one character normalisation (offsets are preserved): full-width digits and signs, bold.
_FULL = "０１２３４５６７８９％．－～＋"
_HALF = "0123456789%.-~+"
_TRANS = str.maketrans({**dict(zip(_FULL, _HALF, strict=True)), "*": " ", "\u3000": " ", "／": "/"})

_SENT_END = "。！？；;\n"
_CLAUSE_END = "，,：:"

_NUM = r"-?\d+(?:\.\d+)?"
# units of the lexicon, longest first, and the ones only read to be set aside (个百分点, 倍)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(
    {*LEX.units, "%", "个百分点", "倍", "微克每立方米", "μg/m3", "μg/m³", "ug/m3", "微克"}, key=lambda u: -len(u)))
_VALUE_RE = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<u1>{_UNIT_ALT})?"
    rf"(?:\s*(?:—|–|-|~|至|到)\s*(?P<high>\d+(?:\.\d+)?)\s*(?P<u2>%|万亿元|亿元|万元|万人|元)?)?"
    r"(?P<qual>\s*(?:左右|以上|以内|以下|上下))?"
)

# Words just before a number (``_Value.before``); _END lets a 分别 list share the first verb.
_END = r"[\s、和及与，,]*$"
_GROWTH_VERB = re.compile(r"(?:增长|增速|增幅|上涨|涨幅|上升|下降|降低|回落|减少|下滑|增加)(?:了)?(?:为|达|达到|到)?"
                          r"(?:不低于|不少于|超过|突破|高于)?" + _END)
_NEG_VERB = re.compile(r"(?:下降|降低|回落|减少|下滑|负增长)(?:了)?" + _END)
_TO_VERB = re.compile(r"(?:下降到|降至|降到|降低到|提高到|提升到|上升到|增长到|增加到|提高至|提升至|调整为|优化为)" + _END)
_CHANGE_VERB = re.compile(r"(?:提高|提升|下降|降低|上升|增加|减少|增长|净增|新增|增长到|扩大)(?:了)?" + _END)
_STRETCH = re.compile(r"(?:力争|争取|努力)(?:实现|达到|突破)?\s*(?:增长)?\s*$")
_CEILING = re.compile(r"(?:不超过|不高于|(?<!不)低于|控制在|控制)" + _END)
_FLOOR = re.compile(r"(?:超过|突破|不低于|迈上|高于|超)" + _END)
_THRESHOLD = re.compile(r"(?:突破|超过|迈上|跨越|跨上|跨过|跃上|站上|迈过|越过|接近|逾|近|超|不足)[\s、和及与]*$")
_PASSED = re.compile(r"(?:突破|超过|迈上|跨越|跨上|跨过|跃上|站上|迈过|越过|逾|超)[\s、和及与]*$")
_PRELIMINARY = re.compile(r"预计|初步|预估")
_PRELIMINARY_LEAD = re.compile(r"(?:初步核算|据初步统计|预计)\s*[，,]?\s*$")
_STRETCH_LEAD = re.compile(r"^\s*(?:力争|争取)")
_START_POINT = re.compile(r"(?:从|由)[^，,；;、到至]{0,12}$")
_COMPARISON = re.compile(r"(?:人均|占|比重|占比|高于|低于全国|快于|慢于)\s*$")
_AIM = re.compile(r"力争|争取|确保|目标|将")
# Words after a number, and in the sentence before it
_TARGET_STATED = re.compile(r"\s*(?:的)?(?:预期目标下|目标以内|目标之内|的?控制目标)")
_AVERAGE_OR_TOTAL = re.compile(r"年均(?!浓度|值)|累计")
_PLAN_OTHER_TIME = re.compile(r"去年|上年|过去|以来|五年|十[一二三四五六]五|到20\d\d年|20\d\d年(?:底|末)?前")

_CONTINUE = re.compile(
    r"^\s*(?:力争|争取|确保)?\s*(?:实际|名义|全年|年内)?(?:同比|比上年|较上年|比去年|按可比价格计算|按可比价计算|可比|同口径|按同口径计算|可比口径)?\s*"
    r"(?:增长|下降|增速|增幅|上涨|涨幅|分别|达到|突破|总量|总数|规模|(?:实现|完成|新增)\s*\d)"
)

# Words that put a clause out of scope: averages and cumulative figures over several years,
# sub-annual figures, and comparisons with a base year other than the previous one.
_MULTI_YEAR = re.compile(
    r"年均(?!浓度|值)|累计|五年来|五年间|三年来|两年来|近[两三四五十]年|“?十[一二三四五]五”?(?:期间|时期|以来|末|规划)|期间|以来|"
    r"(?:比|较|与|同)\s*20\d\d年|是20\d\d年的|翻[一两]?番|未来五年"
)
_SUB_ANNUAL = re.compile(
    r"秋冬季|采暖季|供暖季|夏季|冬季|一季度|二季度|三季度|四季度|前三季度|上半年|下半年|季度|\d+个月|\d+\s*[-—–至]\s*\d+月|\d+月份?|"
    r"[一二三四五六七八九十]+月份?|当月|月度"
)
_OTHER_PLACE = re.compile(r"[\u4e00-\u9fa5]{1,6}(?:县(?!城)|高新区|经开区|开发区|新区|园区|示范区|综改区|集团|公司)")
_YEAR_MENTION = re.compile(r"(?<![比较与同是])(20\d\d)\s*年(?!以来|来|起|至|到|底前|前|的|度)")

_TARGET_HEAD = re.compile(
    r"(?:主要)?(?:预期)?(?:目标|指标)(?:建议)?(?:是|为)?\s*[:：]|主要预期目标|主要预期指标|预期性指标是|"
    r"综合考虑各方面因素\s*[，,]"
)
_TARGET_HEAD_BAD = re.compile(r"未来五年|五年|十[一二三四五]五|20[3-9]\d年|“十|年均(?!浓度|值)|到20\d\d年|长期|远景")


def _normalise(text: str) -> str:
    return text.translate(_TRANS)


def _sentence_bounds(norm: str, pos: int) -> tuple[int, int]:
    s = pos
    while s > 0 and norm[s - 1] not in _SENT_END:
        s -= 1
    e = pos
    while e < len(norm) and norm[e] not in _SENT_END:
        e += 1
    return s, e


def _context_start(norm: str, pos: int) -> int:
    """Start of the full sentence (up to 。！？ or a line break; "；" does not end the context)."""
    s = pos
    while s > 0 and norm[s - 1] not in "。！？\n":
        s -= 1
    return s


def _clause_start(norm: str, pos: int, floor: int) -> int:
    s = pos
    while s > floor and norm[s - 1] not in _SENT_END + _CLAUSE_END:
        s -= 1
    return s


def _clause_end(norm: str, pos: int) -> int:
    e = pos
    while e < len(norm) and norm[e] not in _SENT_END + _CLAUSE_END:
        e += 1
    return e


# ---------------------------------------------------------------------------------------------
# Document structure: where the review ends and the targets are
# ---------------------------------------------------------------------------------------------


_FIVE_YEAR_PAR = re.compile(
    r"这五年|过去五年|五年来|五年间|过去的五年|“十[三四五]五”(?:时期|期间|以来|是)|十[三四五]五(?:时期|期间|以来)"
)
_FIVE_YEAR_START = re.compile(r"^(?:各位代表[！!，,:：]?\s*)?本届政府")
_ONE_YEAR_PAR = re.compile(
    r"^(?:各位代表[！!，,:：]?\s*)?(?:特别是|尤其是)?"
    r"(?:过去一年|一年来|过去的一年|刚刚过去的(?:20\d\d年|一年)|过去的20\d\d年|20\d\d年|去年|这一年|回顾去年)"
)


def _five_year_spans(norm: str, end: int) -> list[tuple[int, int]]:
    """Paragraphs of the review that look back over five years (their flows are cumulative)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    inside = False
    start = 0
    while pos < end:
        nl = norm.find("\n", pos)
        nl = end if nl < 0 or nl > end else nl
        par = norm[pos:nl].strip(" *\t")
        if par:
            one_year = _ONE_YEAR_PAR.match(par) or (len(par) < 40 and re.search(r"20\d\d年", par))
            if one_year and not _FIVE_YEAR_START.match(par):
                if inside:
                    spans.append((start, pos))
                    inside = False
            elif _FIVE_YEAR_PAR.search(par[:40]) or _FIVE_YEAR_START.match(par):
                if not inside:
                    inside, start = True, pos
        pos = nl + 1
    if inside:
        spans.append((start, end))
    return spans


@dataclass(frozen=True)
class _Layout:
    review_end: int
    target_spans: tuple[tuple[int, int], ...]
    plan_start: int  # the year's work after the main targets: further targets of the year
    plan_end: int
    five_year: tuple[tuple[int, int], ...] = ()


def _paragraph_end(norm: str, pos: int) -> int:
    e = norm.find("\n", pos)
    return len(norm) if e < 0 else e


def _find_target_spans(norm: str, year: int) -> list[tuple[int, int]]:
    """Spans of the paragraphs that state this year's main targets."""
    spans: list[tuple[int, int]] = []
    for m in _TARGET_HEAD.finditer(norm):
        s, _ = _sentence_bounds(norm, m.start())
        head = norm[max(s, m.start() - 60) : m.end()]
        if _TARGET_HEAD_BAD.search(head):
            continue
        years = [int(y) for y in re.findall(r"(20\d\d)年", head)]
        if years and years[-1] != year:
            continue
        # the block must start with an indicator and a growth target soon after the head
        after = norm[m.end() : m.end() + 120]
        if not re.search(r"\d", after) or not _MENTION_RE.search(after):
            continue
        start = m.end()
        end = _block_end(norm, start)
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


def _block_end(norm: str, start: int) -> int:
    """A target block runs over sentences that keep naming indicators with numbers."""
    pos = start
    first = True
    par_end = _paragraph_end(norm, start)
    while pos < par_end:
        e = pos
        while e < par_end and norm[e] not in "。！？":
            e += 1
        sent = norm[pos:e]
        if not first and not (_MENTION_RE.search(sent) and re.search(r"\d\s*[%万]", sent)):
            return pos
        if not first and _TARGET_HEAD_BAD.search(sent):
            return pos
        first = False
        pos = e + 1
    return par_end


def _layout(norm: str, year: int, bulletin: bool) -> _Layout:
    if bulletin:
        return _Layout(review_end=len(norm), target_spans=(), plan_start=len(norm), plan_end=len(norm))
    spans = _find_target_spans(norm, year)
    review_end = spans[0][0] if spans else len(norm)
    # the forward-looking part starts at a paragraph that opens with it (a heading or a lead-in)
    future = re.compile(
        r"(?m)^[ \t*]*(?:[二三四五]\s*[、.．](?![^\n]*回顾)[^\n]{0,40}(?:目标|任务|工作|展望|安排|要求)|"
        r"(?:未来|今后)五年|今年(?:的)?(?:政府)?(?:主要)?工作(?:的)?(?:总体要求|安排|任务|重点|目标)|"
        rf"{year}年(?:政府)?工作(?:的)?(?:总体要求|安排|任务|重点)|{year}年(?:是|，)|"
        r"“十[四五六]五”(?:时期)?(?:经济社会发展)?(?:的)?(?:主要)?目标)"
    )
    m = future.search(norm)
    if m:
        review_end = min(review_end, m.start())
    plan_start = spans[-1][1] if spans else review_end
    g = re.compile(r"(?m)^\s*(?:注释|注：|名词解释|附件|附：)|^\s*1\s*[.．、]\s*[^\n]{1,40}：即").search(norm, plan_start)
    plan_end = g.start() if g else len(norm)
    return _Layout(
        review_end=review_end,
        target_spans=tuple(spans),
        plan_start=plan_start,
        plan_end=plan_end,
        five_year=tuple(_five_year_spans(norm, review_end)),
    )


# ---------------------------------------------------------------------------------------------
# Mentions, windows, values
# ---------------------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    name: IndicatorName


@dataclass
class _Value:
    start: int
    end: int
    value: float
    high: float | None
    unit: str
    qualifier: str
    before: str  # the words between the previous value (or the mention) and this number


_SINK = IndicatorName("", special="none")
# A name preceded by one of these is a part or a ratio of the indicator, not the indicator:
# 万元GDP用水量, 单位GDP二氧化碳排放, 开发区规上工业增加值, 跨境电商进出口, 市管企业研发投入强度.
_BAD_PREFIX = re.compile(
    r"(?:万元|单位|人均|每)(?:地区|国内)?$|"
    r"(?:开发区|园区|高新区|经开区|新区|示范区|跨境电商|服务贸易|企业|行业|产业|板块|县域|民营|外资|"
    r"城区|农村|城镇|户籍|乡村|一产|二产|三产|数字经济|文化|旅游|核心区|贸易|海关特殊监管区|综保区|保税区|"
    r"面积|地均|每平方公里|亩均|"
    r"东部|中部|西部|东北|京津冀|长三角|珠三角|经济带|三角洲|大湾区|贫困地区|脱贫地区|脱贫县|城市群|都市圈|流域|国家|成员国|经济体|"
    r"服务|技术|商务|生产性|生活性|现代|信息|软件|租赁|科技|金融|房地产|批发和零售|住宿和餐饮|"
    r"其他|其余|涉税|工业|农业|新型|交通|道路|千人口|每千人|\d*万人|亿元|百万吨|万车|(?:新增|净增|新设|新登记|新培育|新认定|新建)(?:各类)?|\d+\s*[户家个])$"
)
_BAD_SUFFIX = re.compile(r"^(?:二氧化碳|碳排放|用水|水耗|电耗|能耗|增量|占比|比重|的比重|首位度|排名|位次|顺差|逆差|中位数|价格|峰值)")


def _iter_mentions(norm: str):
    """``_MENTION_RE.finditer(norm)``, tried only where a name can start (same matches)."""
    if _START_RE is None:
        yield from _MENTION_RE.finditer(norm)
        return
    end = 0
    for c in _START_RE.finditer(norm):
        if c.start() < end:
            continue
        m = _BY_FIRST[c.group()].match(norm, c.start())
        if m and m.end() > m.start():
            end = m.end()
            yield m


_NEW_HEAD = re.compile(
    r"(?:新增|净增|新认定|新培育)(?:[^，,。；;：:\d、]*\d+(?:\.\d+)?\s*万?[家个户人名项所座]、)+\s*$"
)


@lru_cache(maxsize=256)
def _counterpart(name_text: str) -> IndicatorName | None:
    """The indicator named by "新增" + a stock's name ("高新技术企业" → 新增高新技术企业), if any."""
    m = _MENTION_RE.fullmatch("新增" + name_text)
    return LEXICON[int(m.lastgroup[1:])] if m and m.lastgroup else None  # type: ignore[index]


def _mentions(norm: str) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _iter_mentions(norm):
        idx = int(m.lastgroup[1:])  # type: ignore[index]
        name = LEXICON[idx]
        counted = bool(name.level) and name.level[0] in LEX.flow and _COUNT_BEFORE.search(
            norm, max(0, m.start() - 16), m.start()) is not None  # "完成130个老旧小区改造"
        if not name.any_prefix and not counted and (
            _BAD_PREFIX.search(re.sub(r"\[\d+\]$", "", norm[max(0, m.start() - 12) : m.start()]))
            or _BAD_SUFFIX.match(norm[m.end() : m.end() + 4])
        ):
            name = _SINK  # still a mention: it ends the window of the one before
        elif _NEW_HEAD.search(norm[_clause_start(norm, m.start(), max(0, m.start() - 60)) : m.start()]):
            # "新增规上工业企业86家、高新技术企业33家": a count of new units, not the stock
            name = _counterpart(m.group()) or _SINK
        out.append(_Mention(m.start(), m.end(), name))
    return out


_COUNT_BEFORE = re.compile(
    r"(?:完成|改造|新增|新建|新改造|新改建|新认定|认定|培育|新培育|引进|实施|建设)\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万个|万家|万户|万亩|万人|个|家|户|亩|人|名)\s*$"
)
_STRUCTURE = re.compile(
    r"(?P<verb>调整为|优化为|调整到|优化到|达到|为)\s*\d+(?:\.\d+)?\s*[:：∶]\s*\d+(?:\.\d+)?\s*[:：∶]\s*"
    r"(?P<num>\d+(?:\.\d+)?)"
)


def _count_before(norm: str, cstart: int, pos: int) -> _Value | None:
    """A count written before the noun ("完成130个老旧小区改造", "新增3家高新技术企业")."""
    m = _COUNT_BEFORE.search(norm, cstart, pos)
    if m is None or m.end() != pos:
        return None
    return _Value(m.start("num"), m.end("unit"), float(m.group("num")), None, m.group("unit"), "", "")


def _structure_values(norm: str, start: int, end: int) -> list[_Value]:
    """The tertiary share in "三次产业比重由17.2：34.5：48.3调整为16.5：39.7：43.8" (the last part)."""
    return [_Value(m.start("num"), m.end("num"), float(m.group("num")), None, "%", "", m.group("verb"))
            for m in _STRUCTURE.finditer(norm, start, end)]


def _values(norm: str, start: int, end: int) -> list[_Value]:
    out: list[_Value] = []
    prev = start
    for m in _VALUE_RE.finditer(norm, start, end):
        if m.start() > 0 and (norm[m.start() - 1].isdigit() or norm[m.start() - 1] in ".PM"):
            continue
        if norm[m.start() - 2 : m.start()] == "PM":
            continue
        if not m.group("u1") and re.match(r"\s*年", norm[m.end() : m.end() + 2]):
            continue  # a year ("从2017年的1.45万亿元"): context, not a value
        num = float(m.group("num"))
        unit = m.group("u1") or m.group("u2") or ""
        ue = m.end("u1") if m.group("u1") else m.end("u2") if m.group("u2") else m.end()
        if unit and not unit.endswith("次") and norm[ue : ue + 1] == "次":
            continue  # "17.5万户次": a count of visits, not of the unit
        high = float(m.group("high")) if m.group("high") else None
        if high is not None and (m.group("u1") or "") not in ("", m.group("u2") or "", "%"):
            high = None  # "2021—2025" style or mixed units: not a range
        if high is not None and high < num:
            high = None
        q = (m.group("qual") or "").strip()
        q = {"上下": "左右", "以下": "以内"}.get(q, q)
        before = norm[prev : m.start()]
        if out and not out[-1].unit and unit and re.fullmatch(r"\s*(?:、|和|及|与)\s*", before):
            out[-1].unit = unit  # "36、58微克/立方米": the unit is written once
        if out and re.fullmatch(r"\s*(?:、|和|及|与|，|,)\s*", before):
            before = out[-1].before + "、"  # "分别增长8%、9.6%": the verb applies to both
            before = re.sub(r"(?:力争|争取)(?:实现|达到)?\s*、$", "、", before)
        out.append(_Value(m.start(), m.end(), num, high, unit, q, before))
        prev = m.end()
    return out


def _window(norm: str, mentions: list[_Mention], i: int, limit: int) -> tuple[int, int]:
    """Text after mention *i*: to the next mention or sentence end, over continuing clauses."""
    m = mentions[i]
    _, sent_end = _sentence_bounds(norm, m.start)
    stop = min(sent_end, limit)
    if i + 1 < len(mentions):
        stop = min(stop, mentions[i + 1].start)
    end = _clause_end(norm, m.end)
    skipped = 0
    while end < stop:
        nxt = end + 1
        if _CONTINUE.match(norm[nxt:stop]):
            end = _clause_end(norm, nxt)
            continue
        # one clause without figures may stand between ("…亿元，历史性突破五千亿元大关，实际增速9.2%")
        nend = _clause_end(norm, nxt)
        if skipped == 0 and not re.search(r"\d", norm[nxt:nend]) and nend < stop:
            after = nend + 1
            if _CONTINUE.match(norm[after:stop]):
                skipped += 1
                end = _clause_end(norm, after)
                continue
        break
    return m.end, min(end, stop)


def _group(norm: str, mentions: list[_Mention], i: int) -> list[int]:
    """Mentions joined by 、/和 before 分别 ("城镇登记失业率、调查失业率分别控制在…")."""
    j = i
    while j + 1 < len(mentions):
        between = norm[mentions[j].end : mentions[j + 1].start]
        if re.fullmatch(r"\s*(?:、|和|及|与|以及)\s*", between):
            j += 1
        else:
            break
    if j == i:
        return [i]
    tail = norm[mentions[j].end : mentions[j].end + 8]
    if "分别" in tail or all(mentions[k].name is mentions[i].name for k in range(i, j + 1)):
        return list(range(i, j + 1))
    return [i]


def _classify(name: IndicatorName, v: _Value, slot: int) -> tuple[str, float, float | None] | None:
    """Map one value to a code of the indicator family, or None when it is out of scope; a
    level is converted to the catalogue unit of its code."""
    before = v.before
    unit = v.unit
    if unit in ("个百分点", "倍"):
        return None

    def pick(codes: tuple[str, ...]) -> str | None:
        if not codes:
            return None
        return codes[min(slot, len(codes) - 1)]

    value, high = v.value, v.high
    if name.special == "none":
        return None
    if name.special == "structure":
        return (pick(name.rate), value, high) if unit == "%" and name.rate else None  # type: ignore[return-value]
    if name.special == "growth_word":
        return (name.growth[0], value, high) if unit == "%" else None
    if name.special == "energy":
        if unit == "%" and _NEG_VERB.search(before):
            return "energy_intensity_change", value, high
        return None
    if name.special == "cpi":
        if unit == "%":
            if _NEG_VERB.search(before) and not _CEILING.search(before):
                return ("cpi", -value, None) if high is None else ("cpi", -high, -value)
            return "cpi", value, high
        if unit == "" and 95 < value < 115 and re.search(r"(?:指数|为|在)?\s*$", before):
            return "cpi", round(value - 100, 6), None if high is None else round(high - 100, 6)
        return None
    if name.special == "pm25":
        if unit == "微克" and re.search(r"每立方米\s*$", before):
            unit = "微克/立方米"  # "年均浓度为每立方米30微克"
        if unit in ("微克/立方米", "微克每立方米", "μg/m3", "μg/m³", "ug/m3") and not (_CHANGE_VERB.search(before) and not _TO_VERB.search(before)):
            return "pm25", value, high
        return None
    if re.search(r"(?:由|从)\s*$", before):
        return None  # "由65.86%提高到71.23%": the starting point
    if unit == "%":
        if _TO_VERB.search(before):
            code = pick(name.rate)
            return (code, value, high) if code else None
        if _GROWTH_VERB.search(before) or re.search(r"(?:力争|争取)(?:实现)?\s*$", before):
            if name.rate and not name.growth:
                return None  # "失业率下降0.5%" is a change, not the rate
            code = pick(name.growth)
            if code is None:
                return None
            if _NEG_VERB.search(before):
                return (code, -value, None) if high is None else (code, -high, -value)  # "下降3%—5%"
            return code, value, high
        if name.rate:
            return pick(name.rate), value, high  # type: ignore[return-value]
        if name.growth and re.search(r"^\s*(?:同比|比上年)?\s*$", before) and value < 0:
            return pick(name.growth), value, high  # "增速-3.8%" written without a verb
        if name.growth and re.search(r"增速\s*(?:为|达|达到)?\s*$", before):
            return pick(name.growth), value, high
        return None
    if unit in ("", "%") or (_CHANGE_VERB.search(before) and not _TO_VERB.search(before)):
        return None  # no unit, or an increase rather than the level
    for code in (pick(name.level), *name.other_level):
        if code is None:
            continue
        level = _convert(value, unit, code)
        if level is not None:
            return code, level, None if high is None else _convert(high, unit, code)
    return None


# Words before a number and the qualifier they give (issue 10): 超过 → 突破, 不低于 → 以上; the
# word nearest the number wins ("力争突破550家" → 突破).
_Q_BEFORE = re.compile(
    r"(?P<b>突破|超过|超出|逾|迈上|跨上|跨越|站上|越过|(?<![不])超)|(?P<f>不低于|不少于|高于)|"
    r"(?P<c>不超过|不高于|(?<!不)低于|小于|控制在|控制)|(?P<s>力争|争取)"
)
_Q_NAMES = {"b": "突破", "f": "以上", "c": "以内", "s": "力争"}


def _qualifier(v: _Value, target: bool, rank: int) -> str:
    """One of 以上, 以内, 左右, 力争, 突破 or empty: the word written after the number, else the
    qualifying word nearest before it (for an observed figure, not 力争)."""
    if v.qualifier:
        return v.qualifier
    before = v.before.split("、")[-1] if not target or rank == 0 else v.before
    before = re.split(r"[，,]", before)[-1]  # "首次突破百亿元大关，增长16.8%": not the growth's word
    found = ""
    for m in _Q_BEFORE.finditer(before):
        found = _Q_NAMES[m.lastgroup]  # type: ignore[index]
    if found == "力争" and not target:
        return ""
    return found


def _period_of(norm: str, sent_start: int, pos: int, default: int) -> int:
    """The year a clause is about: the last explicit year before *pos* in the sentence."""
    found = None
    for m in _YEAR_MENTION.finditer(norm, sent_start, pos):
        found = int(m.group(1))
    return default if found is None else found


def _other_subject(norm: str, pos: int, cstart: int, *, province: bool, bulletin: bool) -> bool:
    """True when the clause is about something else than the region's own indicator: a district,
    zone or company, the nation or the province (in a city's report), a per-capita figure or a share."""
    lead = norm[cstart:pos]
    places = list(_OTHER_PLACE.finditer(norm, _context_start(norm, pos), pos))
    if places and not re.search(r"全[市省国]", norm[places[-1].end() : pos]):
        return True
    if not bulletin and re.search(r"全国" if province else r"全国|全省", lead):
        return True
    return bool(re.search(r"人均\s*$|占\s*$|比重|占比", lead))


def _other_time(sent_before: str) -> bool:
    """The work plan speaks of another time ("五年倍增计划") unless it turns back to the year
    afterwards ("…，年内达到150家以上")."""
    found = list(_PLAN_OTHER_TIME.finditer(sent_before))
    return bool(found) and not re.search(r"年内|今年|全年", sent_before[found[-1].end() :])


def _value_verdict(
    norm: str,
    v: _Value,
    *,
    name: IndicatorName,
    year: int,
    target: bool,
    in_plan: bool,
    cstart: int,
    context_start: int,
    window_start: int,
    par_start: int,
    goal: bool = False,
) -> str:
    """Whether a value in a window is read ("keep"), passed over ("skip"), or ends the window
    ("stop": the clause has moved on to another subject). Each rule is one trap of the genre."""
    text_before = norm[cstart : v.start]
    sent_before = norm[context_start : v.start]
    if goal:  # a five-year goal list: "年均增长5%以上，高新技术企业达到3000家" — only its own clause
        sent_before = norm[_clause_start(norm, v.start, context_start) : v.start]
    if _AVERAGE_OR_TOTAL.search(sent_before if goal else norm[min(cstart, v.start) : v.start]):
        return "skip"  # 年均增长, 累计: several years (said in the figure's own clause)
    # a level or rate reached at the end of a look-back ("由100.2亿元增加到168.7亿元") is kept
    reached = bool(_TO_VERB.search(v.before)) and bool(name.rate or name.level) and not target
    if not reached and (_MULTI_YEAR.search(text_before) or re.search(r"五年来|五年间", sent_before)):
        return "skip"
    to_years = [int(t) for t in re.findall(r"到\s*(20\d\d)\s*年", text_before)]
    if to_years and (max(to_years) != year if target else max(to_years) >= year):
        return "skip"  # "到2025年…": a goal for another year
    if re.search(r"企业|项目|主体|园区", norm[window_start : v.start]):
        return "stop"  # "…1亿美元以上外贸企业达41家，增长71%"
    subs = list(_SUB_ANNUAL.finditer(sent_before))
    if subs and "全年" not in sent_before[subs[-1].end() :]:
        return "skip"  # 一季度, 上半年, 1—11月, 秋冬季 — unless the clause turns to 全年
    if in_plan and (
        _other_time(sent_before)
        or re.search(r"未来五年|今后五年|十[四五六]五", norm[par_start : v.start])
        or any(int(yy) != year for yy in re.findall(r"(20\d\d)\s*年", sent_before))
    ):
        return "skip"  # the work plan speaking of another time
    if _START_POINT.search(v.before):
        return "skip"  # "从2015年的955.8亿元增加到…": the starting point
    if re.search(r"向\s*$", v.before) or re.match(r"\s*(?:大关|台阶)?\s*(?:迈进|冲刺|进军|挺进|奋进)", norm[v.end : v.end + 6]):
        return "skip"  # "向万亿元迈进": a direction, not a target
    if target:
        if re.search(r"(?<!不)(?:高于|低于|快于|慢于)", v.before) and not _CEILING.search(v.before):
            return "skip"  # "增速高于全国…": a comparison, not the target
        return "keep"
    if _THRESHOLD.search(v.before):
        # "突破2000亿元": a threshold passed, a bound rather than the figure (kept only where the
        # text gives no exact figure); "接近", "近", "不足": neither
        if re.search(r"(?:从|由)\s*20\d\d|接连|相继|先后", text_before):
            return "skip"  # thresholds passed one after another over several years
        return "bound" if _PASSED.search(v.before) else "skip"
    if _AIM.search(v.before):
        return "skip"  # an aim stated in the review, not an achievement
    if _TARGET_STATED.match(norm[v.end : v.end + 8]):
        return "skip"  # "控制在5.5%预期目标下运行": the target restated
    if _COMPARISON.search(v.before):
        return "skip"
    return "keep"


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
    if not 1949 <= y <= 2100:
        raise ExtractError(f"year {year!r}: expected a year between 1949 and 2100")
    return y


def _is_bulletin(text: str) -> bool:
    return bool(re.search(r"统计公报", text[:400]))


_HORIZON = re.compile(r"到\s*(20\d\d)\s*年(?:底|末)?|“?十([三四五六])五”?(?:时期|期间|末|规划)?|(?:今后|未来)五年")
_FYP_END = {"三": 2020, "四": 2025, "五": 2030, "六": 2035}


def _horizon_year(norm: str, pos: int, year: int) -> int | None:
    """The year a goal outside the year's targets is set for: "到2025年" → 2025, 十四五 → 2025,
    "今后五年" in a report of year Y → Y+4; the nearest marker before ``pos`` in its paragraph or
    the heading just before it. None when there is none, or when it is not after ``year``."""
    start = norm.rfind("\n", 0, max(0, norm.rfind("\n", 0, pos) - 1)) + 1  # this paragraph and the one before
    found = None
    for m in _HORIZON.finditer(norm, start, pos):
        if m.group(1):
            found = int(m.group(1))
        elif m.group(2):
            found = _FYP_END[m.group(2)]
        else:
            found = year + 4
    return found if found is not None and found > year else None


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
        十四五 goals → 2025, "今后五年" → ``year`` + 4) as targets of that year. Off by default:
        not yet measured on the gold files.

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
        if name0.special == "structure":
            values = _structure_values(norm, ws, min(limit, _sentence_bounds(norm, pos)[1]))  # "：" ends no ratio
        elif len(group) == 1 and name0.level and name0.level[0] in LEX.flow and (
                pre := _count_before(norm, cstart, pos)) is not None:
            values = [pre]
        else:
            values = _values(norm, ws, we)
        if not values or _other_subject(norm, pos, cstart, province=province, bulletin=bulletin):
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
        multi = len(subjects) > 1
        if len(group) == 1 and len(subjects) == 2:
            # "城乡居民人均可支配收入增长7.2%": one figure of a kind for two subjects is ambiguous
            kinds = ["pct" if v.unit == "%" else "amt" for v in values]
            values = [v for v, k in zip(values, kinds, strict=True) if kinds.count(k) != 1]
        for vi, v in enumerate(values):
            if vi == 0 and "、" in v.before and "分别" not in v.before:
                break  # "完成6万亩营造林绿化、14万亩水土流失治理": the list has moved on
            # pick the subject: in a 分别 list values go in order, per unit kind
            kind_key = "pct" if v.unit == "%" else "amt"
            if multi:
                idx = kind_counts.get(kind_key, 0)
                kind_counts[kind_key] = idx + 1
                if idx >= len(subjects):
                    continue
                nm, slot = subjects[idx]
                subject = idx
            else:
                nm, slot = subjects[0]
                subject = 0
                if nm.level and re.search(r"(?:新增|新认定|新培育)\s*$", v.before):
                    # "高新技术企业倍增计划，力争全年新增20家、总数达到220家"
                    cp = _counterpart(norm[first.start : first.end])
                    if cp is not None:
                        nm, v = cp, replace(v, before=re.sub(r"(?:新增|新认定|新培育)\s*$", "", v.before))
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
            if nm.needs and not re.search(nm.needs, norm[cstart : _clause_end(norm, v.end)]):
                continue  # "整治…老旧小区1776个" is not a renovation
            lo_hi = LEX.ranges.get(code)
            if lo_hi and not lo_hi[0] <= value <= lo_hi[1]:
                continue  # outside the indicator's admissible range ("常住人口2000人以上的集镇")
            rank = per_code_count.get((code, subject), 0)
            if verdict != "bound":  # a threshold passed does not take the place of the figure
                per_code_count[(code, subject)] = rank + 1
            qual = _qualifier(v, target, rank)
            if target and not qual and rank == 0 and (
                    _STRETCH_LEAD.search(norm[cstart:ws])
                    or _STRETCH_LEAD.search(norm[_clause_start(norm, v.start, cstart) : v.start])):
                qual = "力争"  # "力争技术合同成交额达1600亿元": the clause is a stretch
            if rank > 0 and not (target and _STRETCH.search(v.before)):
                continue  # one value per code and clause, except a stretch target ("增长6%以上、力争7%")
            if in_plan and code in main_targets:
                continue  # the main list already set it; a later figure is for a part of it
            if target:
                period = goal_year or y
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
            if verdict == "bound":  # kept at the end if no exact figure of the period comes
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
                )
            )
        i = last + 1
    for b in bounds:  # "外贸进出口总额超过1000亿元" with no exact figure: an observation with its bound
        if (b.period, b.indicator) not in first_observed:
            first_observed.add((b.period, b.indicator))
            rows.append(b)
    rows.sort(key=lambda r: (r.kind != "observed", r.start))
    return rows


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
    names = [f.name for f in fields(ExtractedRow)]
    assert tuple(names) == COLUMNS
    return [asdict(r) for r in rows]
