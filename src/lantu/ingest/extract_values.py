"""Mentions, windows and values (stage 3 of :mod:`lantu.ingest.extract`): where the catalogue's
indicators are named, the words each name governs, the numbers in them, and the rules that map a
number to an indicator code, a qualifier and a period — or pass it over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lantu.ingest.extract_layout import (
    _AIM,
    _AVERAGE_OR_TOTAL,
    _BARE_MAGNITUDE,
    _CEILING,
    _CHANGE_VERB,
    _COMPARISON,
    _CONTINUE,
    _GROWTH_VERB,
    _MULTI_YEAR,
    _NEG_VERB,
    _OTHER_PLACE,
    _PASSED,
    _PLAN_OTHER_TIME,
    _START_POINT,
    _SUB_ANNUAL,
    _TARGET_STATED,
    _THRESHOLD,
    _TO_VERB,
    _VALUE_RE,
    _YEAR_MENTION,
    _clause_end,
    _clause_start,
    _context_start,
    _sentence_bounds,
)
from lantu.ingest.extract_lexicon import (
    _BY_FIRST,
    _MENTION_RE,
    _START_RE,
    LEX,
    LEXICON,
    IndicatorName,
    _convert,
)
from lantu.ingest.numerals import NUMBER, read_number, read_value

# ---------------------------------------------------------------------------------------------
# Mentions, windows, values
# ---------------------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    name: IndicatorName
    total_only: bool = False  # "新增经营主体31.5万户、总数达178.7万户": only the total is the stock's


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
    r"其他|其余|涉税|工业|农业|新型|交通|道路|规模以上|规上|限额以上|限上|国际|国际航空|数字|煤矿|装备|先进|高端|传统|非煤|加工业|千人口|每千人|\d*万人|亿元|百万吨|万车|(?:新增|净增|新设|新登记|新培育|新认定|新建|新入统|入统|新升规|升规)(?:各类)?|\d+\s*[户家个]|惠及|帮扶)$"  # "惠及市场主体5000余户": the firms a measure reached
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


_NEW_HEAD = re.compile(  # "年内培育科技型中小企业1万家、高新技术企业1000家": 培育/认定 count new units too
    rf"(?:新增|净增|新认定|新培育|培育|认定)(?:[^，,。；;：:\d、]*{NUMBER}\s*万?[家个户人名项所座]、)+\s*$"
)


@lru_cache(maxsize=256)
def _stock_of(name_text: str) -> IndicatorName | None:
    """The stock a "新增 …" name counts units of ("新增国家高新技术企业" → 高新技术企业), if any."""
    rest = re.sub(r"^(?:新增|新认定|新培育|认定|培育)", "", name_text)
    m = _MENTION_RE.fullmatch(rest) if rest != name_text else None
    return LEXICON[int(m.lastgroup[1:])] if m and m.lastgroup else None


@lru_cache(maxsize=256)
def _counterpart(name_text: str) -> IndicatorName | None:
    """The indicator named by "新增" + a stock's name ("高新技术企业" → 新增高新技术企业), if any."""
    m = _MENTION_RE.fullmatch("新增" + name_text)
    return LEXICON[int(m.lastgroup[1:])] if m and m.lastgroup else None


def _mentions(norm: str) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _iter_mentions(norm):
        idx = int(m.lastgroup[1:])  # type: ignore[index]
        name = LEXICON[idx]
        counted = bool(name.level) and name.level[0] in LEX.flow and _COUNT_BEFORE.search(
            norm, max(0, m.start() - 16), m.start()) is not None  # "完成130个老旧小区改造"
        prefix = re.sub(r"\[\d+\]$", "", norm[max(0, m.start() - 12) : m.start()])
        # air quality is measured in the city proper: "市城区空气质量优良天数比例66.3%" is the city's
        proper = bool(re.search(r"(?:市|主)?城区$|市区$", prefix)) and all(
            c in LEX.city_proper for c in (*name.level, *name.rate))
        total_only = False
        if not name.any_prefix and not counted and not proper and (
            _BAD_PREFIX.search(prefix)
            or _BAD_SUFFIX.match(norm[m.end() : m.end() + 4])
        ):
            if name.level and re.search(r"(?:新增|净增|新设|新登记)$", prefix) and _TOTAL_AFTER.match(norm, m.end()):
                total_only = True  # the new units, then the stock: "新增经营主体31.5万户、总数达178.7万户"
            else:
                name = _SINK  # still a mention: it ends the window of the one before
        elif name.level and _TOTAL_AFTER.match(norm, m.end()) and re.search(
                r"(?:新增|净增|新建|新设|新培育|新认定)", norm[_clause_start(norm, m.start(), max(0, m.start() - 60)) : m.start()]):
            total_only = True  # the new ones, then the total: "新建以企业为主体的新型研发机构11家、总数达54家"
        elif _NEW_HEAD.search(norm[_clause_start(norm, m.start(), max(0, m.start() - 60)) : m.start()]):
            # "新增规上工业企业86家、高新技术企业33家": a count of new units, not the stock
            name = _counterpart(m.group()) or _SINK
        out.append(_Mention(m.start(), m.end(), name, total_only))
    return _shared_share_lists(norm, out)


# "新兴接替产业增加值、服务业增加值、非煤产业增加值占比分别提高到59.8%、58.5%、85.1%" (太原 2015),
# "制造业、战略性新兴产业增加值占全市工业增加值比重分别达到31.1%、5.6%" (长治 2021): the share
# written once after a list applies to every item
_SHARE_LIST = re.compile(
    r"(?P<items>[^、，,。；;：:\n\d]{1,16}(?:、[^、，,。；;：:\n\d]{1,16}?)+?)"
    r"(?P<suffix>(?:增加值)?(?:占比|占[^、，,。；;：:\n\d分]{1,14}?(?:比重|比例)))\s*分别")


def _shared_share_lists(norm: str, mentions: list[_Mention]) -> list[_Mention]:
    """Mentions of a list whose items share one share suffix: each item with the suffix, named as
    the lexicon names it (an item the lexicon does not name holds its place)."""
    found: dict[int, re.Match[str]] = {}
    for at in (m.start() for m in re.finditer("分别", norm)):  # only around 分别: the scan stays cheap
        lm = _SHARE_LIST.search(norm, max(0, at - 100), at + 2)
        if lm is not None and lm.end() == at + 2:
            found[lm.start()] = lm
    for lm in found.values():
        suffix, pos, new = lm.group("suffix"), lm.start("items"), []
        items = lm.group("items").split("、")
        items[0] = re.split(r"[^\u4e00-\u9fa5]", items[0])[-1]
        pos = lm.end("items") - len("、".join(items))
        named = False
        for k, item in enumerate(items):
            name = _SINK
            for text in (item + suffix, re.sub(r"增加值$", "", item) + suffix):
                mm = _MENTION_RE.fullmatch(text)
                if mm and mm.lastgroup and LEXICON[int(mm.lastgroup[1:])].rate:
                    name, named = LEXICON[int(mm.lastgroup[1:])], True
                    break
            end = lm.end("suffix") if k == len(items) - 1 else pos + len(item)
            new.append(_Mention(pos, end, name, False))
            pos += len(item) + 1
        if named:
            a, b = new[0].start, lm.end("suffix")
            mentions = sorted([m for m in mentions if not (a <= m.start < b)] + new, key=lambda m: m.start)
    return mentions


_TOTAL_AFTER = re.compile(rf"[^，。；]{{0,16}}?{NUMBER}\s*万?[户家个人]\s*[、，,]\s*(?:总数|总量)")
_TOTAL_BEFORE = re.compile(r"(?:总数|总量)\s*(?:达到|达|为|突破|超过)?\s*$")


_COUNT_BEFORE = re.compile(  # after a verb of doing, or opening a list item ("推进27个城中村改造，240个老旧小区改造")
    # 以…为重点 and a level of government between count and noun: "以54万亩省级营造林和89万亩国家储备林建设
    # 为重点" (吕梁 2020); after examples, the whole count ("铺开货源街等41个老旧小区改造项目", 吕梁 2022);
    # 综合整治, 合肥's word for a renovation, also before the count ("综合整治20个老旧住宅小区", 朔州 2020)
    r"(?:(?:完成|改造|改造提升|提质改造|综合整治|新增|新建|新改造|新改建|新认定|认定|培育|新培育|引进|实施|开展|建设|推进|以|开工|等)\s*|(?<=[，,；;。：:\n]))"
    rf"(?P<num>{NUMBER})\s*(?P<unit>万个|万家|万户|万亩|万人|个|家|户|亩|人|名)\s*(?:省级|市级|县级)?\s*$"
)
_STRUCTURE = re.compile(
    rf"(?P<verb>调整为|优化为|调整到|优化到|达到|为)\s*{NUMBER}\s*[:：∶]\s*{NUMBER}\s*[:：∶]\s*"
    rf"(?P<num>{NUMBER})"
)


_ALL_GOOD = re.compile(  # 优良 is Ⅰ–Ⅲ类 (GB 3838): "全部达到或优于Ⅲ类水体" says the same
    r"\s*(?:水质)?\s*(?:力争|确保)?\s*(?:全部|均)\s*(?:为|达到|稳定达到|保持)\s*"
    r"(?:(?:Ⅲ类(?:及)?以上)?\s*优良|或优于\s*Ⅲ类)")


_GOOD_SHARE = re.compile(rf"\s*(?:水质)?\s*(?:全部达标|均达标|稳定达标)\s*[、，,]\s*(?:水质)?优良(?:比例|率)\s*(?:为|达到?|稳定在)?\s*"
                         rf"(?P<num>{NUMBER})\s*%(?P<qual>\s*以上)?")


def _all_good_values(norm: str, start: int, end: int) -> list[_Value]:
    """"9个国省考断面全部为优良水体": every section of good quality, a share of 100 % (no number
    written); "全部达标" or "全部退出劣V类" say less and give nothing — unless the share follows
    ("20个国考断面全部达标、水质优良率85%", 合肥 2023)."""
    m = _ALL_GOOD.match(norm, start, end)
    if m:
        return [_Value(m.start(), m.end(), 100.0, None, "%", "", m.group())]  # 力争 stays before
    g = _GOOD_SHARE.match(norm, start, end)
    return [_Value(g.start("num"), g.end(), read_number(g.group("num")), None, "%", (g.group("qual") or "").strip(),
                   "")] if g else []


def _count_before(norm: str, cstart: int, pos: int) -> _Value | None:
    """A count written before the noun ("完成130个老旧小区改造", "新增3家高新技术企业")."""
    m = _COUNT_BEFORE.search(norm, cstart, pos)
    if m is None or m.end() != pos:
        return None
    return _Value(m.start("num"), m.end("unit"), read_number(m.group("num")), None, m.group("unit"), "", "")


def _structure_values(norm: str, start: int, end: int) -> list[_Value]:
    """The tertiary share in "三次产业比重由17.2：34.5：48.3调整为16.5：39.7：43.8" (the last part)."""
    return [_Value(m.start("num"), m.end("num"), read_number(m.group("num")), None, "%", "", m.group("verb"))
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
        num = read_value(m.group("num"))
        unit = (m.group("mag") or "") + m.group("u1") if m.group("yu") and m.group("u1") else (
            m.group("u1") or m.group("u2") or "")
        ue = m.end("u1") if m.group("u1") else m.end("u2") if m.group("u2") else m.end()
        if unit and not unit.endswith("次") and norm[ue : ue + 1] == "次":
            continue  # "17.5万户次": a count of visits, not of the unit
        high = read_number(m.group("high")) if m.group("high") else None
        if high is not None and (m.group("u1") or "") not in ("", m.group("u2") or "", "%"):
            high = None  # "2021—2025" style or mixed units: not a range
        if high is not None and high < num:
            high = None
        q = (m.group("qual") or "").strip()
        q = {"上下": "左右", "以下": "以内"}.get(q, q) or ("突破" if m.group("yu") else "")
        before = norm[prev : m.start()]
        if out and not out[-1].unit and unit and re.fullmatch(r"\s*(?:、|和|及|与)\s*", before):
            out[-1].unit = unit  # "36、58微克/立方米": the unit is written once
        if out and re.fullmatch(r"\s*(?:、|和|及|与|，|,)\s*", before):
            before = out[-1].before + "、"  # "分别增长8%、9.6%": the verb applies to both
            before = re.sub(r"(?:力争|争取)(?:实现|达到)?\s*、$", "、", before)
        out.append(_Value(m.start(), m.end(), num, high, unit, q, before))
        prev = m.end()
    return out


# a comparison between the figure and its growth ("完成1686亿元，净增305亿元，比近三年净增量之和多
# 26.1亿元，同比增长7.5%"): the subject goes on
_ASIDE = re.compile(r"\s*(?:净增|净减|比(?!重|例)|较(?!上年|去年)|高于|低于|快于|慢于)")
_ASIDE_CLAUSE = re.compile(r"[，,]\s*(?:净增|净减|比(?!重|例|上年|去年)|较(?!上年|去年)|高于|低于|快于|慢于)[^，,。；;]*")


_YEAR_WORD = re.compile(r"20\d\d\s*年")  # a year is no figure ("从2017年开始触底反弹")


def _window(norm: str, mentions: list[_Mention], i: int, limit: int) -> tuple[int, int]:
    """Text after mention *i*: to the next mention or sentence end, over continuing clauses."""
    m = mentions[i]
    _, sent_end = _sentence_bounds(norm, m.start)
    stop = min(sent_end, limit)
    if i + 1 < len(mentions):
        stop = min(stop, mentions[i + 1].start)
    end = _clause_end(norm, m.end)
    skipped = asides = 0
    while end < stop:
        nxt = end + 1
        if _CONTINUE.match(norm[nxt:stop]) or (asides < 3 and _ASIDE.match(norm, nxt, stop)):
            asides += not _CONTINUE.match(norm[nxt:stop])
            end = _clause_end(norm, nxt)
            continue
        # one clause without figures may stand between ("…亿元，历史性突破五千亿元大关，实际增速9.2%")
        nend = _clause_end(norm, nxt)
        if skipped == 0 and not re.search(r"\d", _YEAR_WORD.sub("", norm[nxt:nend])) and nend < stop:
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
    # "…和农民人均纯收入，在去年经济形势十分严峻的情况下，分别增长6.7%和3.6%": 分别 before the first figure
    upto = re.split(r"[\d。；]", norm[mentions[j].end : mentions[j].end + 30], maxsplit=1)[0]
    if ("分别" in tail or "分别" in upto or _EACH.match(tail) or _IMPLICIT_LIST.match(norm, mentions[j].end)
            or all(mentions[k].name is mentions[i].name for k in range(i, j + 1))):
        return list(range(i, j + 1))
    return [i]


# "城镇居民人均可支配收入和农民人均纯收入各增长9%", "…均增长15%": one figure for every subject
# "事故起数和死亡人数下降幅度均超过30%" (南昌 2023): the change's size said once for both
_EACH = re.compile(r"\s*(?:，\s*)?(?:(?:增长|下降|降低|上涨)?幅度\s*)?(?:各|均|都)")
# "…和农民人均纯收入达到11578元和3665.7元": a list of values without 分别, one per subject
_IMPLICIT_LIST = re.compile(
    r"[^，。；：\d]{0,6}?-?\d[\d.]*\s*[^，。；：\d、和与及]{0,5}(?:、|和|与|及)\s*-?\d")


def each_subject(norm: str, mentions: list[_Mention], group: list[int]) -> bool:
    """True when the one figure after names of several subjects (a group, or a 城乡 pair) is
    every subject's ("…和农民人均纯收入各增长9%", "城乡常住居民人均可支配收入均增长8%以上")."""
    return bool(_EACH.match(norm, mentions[group[-1]].end))


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
    if name.special in ("structure", "all_good"):
        return (pick(name.rate), value, high) if unit == "%" and name.rate else None  # type: ignore[return-value]
    if name.special == "growth_word":
        return (name.growth[0], value, high) if unit == "%" else None
    # the readers below yield the codes their lexicon entry names (issue 13: properties of the
    # indicator's entry in lexicon/extract.yaml, not branches on codes)
    if name.special == "energy":
        code = pick(name.rate)
        if code and unit == "%" and _NEG_VERB.search(before):
            return code, value, high
        return None
    if name.special == "cpi":
        code = pick(name.rate)
        if code is None:
            return None
        if unit == "%":
            if _NEG_VERB.search(before) and not _CEILING.search(before):
                return (code, -value, None) if high is None else (code, -high, -value)
            return code, value, high
        if unit == "" and 95 < value < 115 and re.search(r"(?:指数|为|在)?\s*$", before):
            return code, round(value - 100, 6), None if high is None else round(high - 100, 6)
        return None
    if name.special == "pm25":
        code = pick(name.level)
        if unit == "微克" and re.search(r"每立方米\s*$", before):
            unit = "微克/立方米"  # "年均浓度为每立方米30微克"
        if code and unit in ("微克/立方米", "微克每立方米", "μg/m3", "μg/m³", "ug/m3", "μg/m") and not (
                _CHANGE_VERB.search(before) and not _TO_VERB.search(before)):
            return code, value, high
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
        if name.rate and _CHANGE_VERB.search(before):
            return None  # "绿化覆盖率平均提高1%": a change of the rate, not the rate
        if name.rate:
            return pick(name.rate), value, high  # type: ignore[return-value]
        growth = pick(name.growth)
        if growth and re.search(r"^\s*(?:同比|比上年)?\s*$", before) and value < 0:
            return growth, value, high  # "增速-3.8%" written without a verb
        if growth and re.search(r"增速\s*(?:为|达|达到)?\s*$", before):
            return growth, value, high
        if growth and re.match(r"\s*(?:增速|增幅)", before) and re.search(r"(?:为|达|达到|实现)\s*$", before):
            return growth, value, high  # "地区生产总值增速上半年实现由负转正，全年达到4.3%"
        return None
    if unit in ("", "%") or (_CHANGE_VERB.search(before) and not _TO_VERB.search(before)):
        return None  # no unit, or an increase rather than the level
    if unit in _BARE_MAGNITUDE and (code0 := pick(name.level)):
        # "突破1.2万亿", "达到1.68万亿", "过千万", "常住人口达1061.65万": the base of the catalogue
        # unit (元, 人) is left out
        unit += LEX.catalogue_units.get(code0, "").lstrip("十百千万亿")
    for word, counted in name.counts:  # "新增就业岗位50万个": a position is a job (万个 → 万人)
        if unit.endswith(word):
            unit = unit[: -len(word)] + counted
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
_LIST_JOIN = re.compile(r"[\s、和及与]*")  # nothing between two figures of a list but its joints
_ABOUT = re.compile(r"(?:(?<![签节制预履特公条合契规邀相婚])约|大约)\s*$")  # not 签约, 节约, 预约 …


def _qualifier(v: _Value, target: bool, rank: int) -> str:
    """One of 以上, 以内, 左右, 力争, 突破 or empty: the word written after the number, else the
    qualifying word nearest before it (for an observed figure, not 力争). An observed figure with
    nothing of its own before it in a 分别 list takes the word written after 分别: "分别小于3%、6%" —
    the 6 is as much under its bound as the 3."""
    if v.qualifier:
        return v.qualifier
    before = v.before.split("、")[-1] if not target or rank == 0 else v.before
    if not target and _LIST_JOIN.fullmatch(before) and "分别" in v.before:
        before = v.before.rsplit("分别", 1)[-1]
    before = re.split(r"[，,]", before)[-1]  # "首次突破百亿元大关，增长16.8%": not the growth's word
    found = ""
    for m in _Q_BEFORE.finditer(before):
        found = _Q_NAMES[m.lastgroup]  # type: ignore[index]
    if found == "力争" and not target:
        return ""
    if not found and _ABOUT.search(before):
        return "左右"  # "增长约6%": 约 before the number is 左右 after it
    return found


_RANK_AFTER_YEAR = re.compile(r"\s*(?:全省|全国|全市|省会城市中?)?(?:排名|排)?第[一二三四五六七八九十\d]")


def _period_of(norm: str, sent_start: int, pos: int, default: int) -> int:
    """The year a clause is about: the last explicit year before *pos* in the sentence, unless
    the text turns to 去年 after it ("在2009年完成…、2010年完成…的基础上，去年又完成7300亿元"). The year
    of a rank is no year of the figures after it ("总量从2015年全省第六上升到2016年第四，…；城乡居民可支配收入
    分别跨上3万元和1万元台阶", 吕梁 2021)."""
    found = None
    for m in _YEAR_MENTION.finditer(norm, sent_start, pos):
        if _RANK_AFTER_YEAR.match(norm, m.end()):
            continue
        found = m
    if found is None or "去年" in norm[found.end() : pos]:
        return default
    return int(found.group(1))


def _other_subject(norm: str, pos: int, cstart: int, *, province: bool, bulletin: bool, goal: bool = False) -> bool:
    """True when the clause is about something else than the region's own indicator: a district,
    zone or company, the nation or the province (in a city's report), a per-capita figure or a share.
    In a list of five-year goals (``goal``) each "；" item has its own subject."""
    lead = norm[cstart:pos]
    sent_start = _context_start(norm, pos)
    if goal:
        sent_start = max(sent_start, norm.rfind("；", 0, pos) + 1)
    item_start = max(sent_start, norm.rfind("；", 0, pos) + 1)  # "；" begins another item …
    places = [p for p in _OTHER_PLACE.finditer(norm, sent_start, pos) if not _PLACE_AS_OBJECT.search(
        norm, _clause_start(norm, p.start(), sent_start), p.end()) and not _PLACE_AS_AIM.match(norm, p.end())
        and (p.start() >= max(item_start, cstart) or not p.group().endswith(("集团", "公司")))]  # … a firm's, not a zone's
    # (a firm governs only its own clause: "中国长江三峡集团搬迁武汉，…，服务业增加值突破万亿元", 武汉 2022)
    # 全市/全社会 after the place turns back to the region (a rank "居全省第二" does not), the
    # region's own word only: 全国 in a city's report is the nation ("入选全国…十佳园区", 长沙 2023)
    own = "国" if bulletin else "省" if province else "市"
    if places and not re.search(rf"(?<![居在])全{own}(?![第前排首]|平均)|全社会", norm[places[-1].end() : pos + 3]):
        return True
    if not bulletin and re.search(r"全国" if province else r"全国|全省", lead):
        return True
    if re.search(r"(?:比重|占比|比例)\s*[（(]\s*$", lead):
        return False  # the share named in brackets: "占总人口比重（常住人口城镇化率）为60.60%" (national bulletin 2019)
    return bool(re.search(r"人均\s*$|占\s*$|比重|占比", lead))


def _one_of_several(norm: str, v: _Value) -> bool:
    """The value is listed with another of its subject ("接连突破2万亿元、2.5万亿元大关")."""
    return bool(re.search(r"[、和]\s*$", v.before) or re.match(r"\s*(?:大关)?\s*[、和]\s*\d", norm[v.end : v.end + 8]))


def _several_years(text_before: str, year: int, target: bool) -> bool:
    """The clause speaks of several years (年均, 累计, 比2015年…) — not of a comparison with the
    year before the figure's ("预计2010年全省生产总值…比2009年增长13%")."""
    for m in _MULTI_YEAR.finditer(text_before):
        base = re.search(r"(20\d\d)年$", m.group())
        if not base:
            return True
        years = [int(y) for y in re.findall(r"(20\d\d)\s*年", text_before[: m.start()])]
        figure_year = years[-1] if years else (year if target else year - 1)
        if int(base.group(1)) != figure_year - 1:
            return True
    return False


#: 累计 opening a clause of the sentence: the total of a campaign over several years, which the clauses
#: after it list ("累计拆违300多万平米，腾出空间…，新增车位5.17万个", 晋城 2021)
_TOTAL_OPENS = re.compile(r"(?:^|[，,；;：:])\s*(?:[一二三四五六七八九十]是)?累计")
_TURNS_TO_A_YEAR = re.compile(r"20\d\d\s*年|今年|全年|当年|去年|上年|年内|[；;]")


def _total_over_list(sent_before: str) -> bool:
    """An earlier clause of the sentence opens with 累计 and no clause since names a year of its own."""
    found = list(_TOTAL_OPENS.finditer(sent_before))
    return bool(found) and not _TURNS_TO_A_YEAR.search(sent_before[found[-1].end() :])


_NEXT_ITEM = re.compile(r"、\s*(?!力争|争取|确保)[^、，,；;\d\s]{2,}?(?:达到|达|为|突破|超过)\s*$")
_BASE_YEAR = re.compile(r"(?:比|较|与|同)\s*20\d\d\s*年")
_OWN_YEAR = re.compile(r"[，,]?\s*20\d\d\s*年(?!均|来|以来|底前)")
_COMPARED_WITH = re.compile(r"(?:与|同|和)\s*(20\d\d)\s*年\s*(?:相比|比较)")


def _framed_by_an_older_year(sent_before: str, year: int, target: bool) -> bool:
    """The sentence opens with a comparison to a year before the last ("与2012年相比，2017年…"), which
    frames every clause after it (山西 2018), unlike "比2015年" inside a clause."""
    found = list(_COMPARED_WITH.finditer(sent_before))
    if not found:
        return False
    years = [int(y) for y in re.findall(r"(20\d\d)\s*年", sent_before[found[-1].end() :])]
    figure_year = years[-1] if years else (year if target else year - 1)
    return int(found[-1].group(1)) != figure_year - 1


def _plan_period_in_force(par_before: str) -> bool:
    """The paragraph speaks of the five-year plan ("精心谋划“十四五”项目盘子") and has not turned
    back to the year since ("；认真做实今年…，年度固定资产投资同比增长10%")."""
    found = list(re.finditer(r"未来五年|今后五年|十[四五六]五", par_before))
    return bool(found) and not re.search(r"年内|今年|全年|年度", par_before[found[-1].end() :])


# a place that is the object of the clause, not its subject: "争创国家知识产权保护示范区，…技术合同交易额…",
# "吸引更多跨国公司投资，进出口总额增长15%", "…示范区建设"
_PLACE_AS_OBJECT = re.compile(r"(?:争创|创建|申建|申报|打造|推进|建设|筹建|设立|吸引|引进|招引|支持|鼓励|服务|帮助|举办|覆盖|入选|获批|成为|利用|依托|以)")
#: "is expected to" — what a review hopes the year's figure will reach, not what it reports
_HOPE = re.compile(r"(?:有望|可望)\s*(?:实现|达到|突破|超过)?\s*$")
_NEAR = re.compile(r"(?<![将])(?:接近|近)[\s、和及与]*$")
_PLACE_AS_AIM = re.compile(r"(?:建设|创建|试点|政策)")  # "国家自主创新示范区政策覆盖…": a zone's policy


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
    text_before = _ASIDE_CLAUSE.sub("", norm[cstart : v.start])  # "比近三年…多26.1亿元" speaks of no period
    own = _clause_start(norm, v.start, cstart)
    fresh = own > cstart and bool(_OWN_YEAR.match(norm, own))
    if fresh:
        cstart = own  # "…到2019年年均增速6%，2020年增速为3.6%": the clause's own year starts afresh
        text_before = norm[own : v.start]
    sent_before = norm[context_start : v.start]
    if goal:  # a five-year goal list: "年均增长5%以上，高新技术企业达到3000家" — only its own clause
        sent_before = norm[_clause_start(norm, v.start, context_start) : v.start]
    if goal:  # 年均增长, 累计 are the goal's own kinds (lantu.ingest.extract_goals); a base year is not
        if _BASE_YEAR.search(sent_before):
            return "skip"  # "比2020年增长50%": a change from a base year, not read as a goal
        if _NEXT_ITEM.search(v.before):
            return "stop"  # "国家级实验室再增加2—4家、省实验室达到20家": the list has moved to another item
    elif _AVERAGE_OR_TOTAL.search(norm[min(cstart, v.start) : v.start]):
        return "skip"  # 年均增长, 累计: several years (said in the figure's own clause)
    # a level or rate reached at the end of a look-back ("由100.2亿元增加到168.7亿元") is kept
    reached = bool(_TO_VERB.search(v.before)) and bool(name.rate or name.level) and not target
    if not target and not reached and not name.rate and _total_over_list(sent_before):
        return "skip"  # "累计拆违300多万平米，…，新增车位5.17万个": 累计 covers the list after it (a rate is no sum)
    # a clause opening with its own year speaks of that year, not of the look-back's years:
    # "五年来，…全市地区生产总值跨过千亿大关后，2020年达到1468.8亿元" (晋中 2021)
    if not reached and ((not goal and _several_years(text_before, year, target))
                        or re.search(r"[五六七八九十]年来|[五六七八九十]年间", text_before if fresh else sent_before)):
        return "skip"
    if not reached and _framed_by_an_older_year(sent_before, year, target):
        return "skip"  # "与2012年相比，2017年…分别下降42.15%、41%": a change over five years
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
        or _plan_period_in_force(norm[par_start : v.start])
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
    if _HOPE.search(v.before):
        return "skip"  # "高新技术企业有望突破2000家" (南昌 2026): a hope for the year, not a figure of it
    if _THRESHOLD.search(v.before):
        # "突破2000亿元": a threshold passed, a bound rather than the figure (kept only where the
        # text gives no exact figure); "接近", "近", "不足": neither
        if re.search(r"(?:从|由)\s*20\d\d", text_before) or (
                re.search(r"接连|相继|先后", text_before) and _one_of_several(norm, v)):
            return "skip"  # thresholds passed one after another over several years ("接连突破2万亿元、2.5万亿元")
        if _PASSED.search(v.before):
            return "bound"
        # "新增泊位近1.4万个": nearly the figure, an approximate one (kept, as a threshold passed,
        # only where the text gives no exact figure); "不足" stays no figure
        return "near" if _NEAR.search(v.before) else "skip"
    if _AIM.search(v.before) or "每年" in norm[own : v.start]:
        return "skip"  # an aim stated in the review, not an achievement ("开展每年吸引10万名…人才…行动")
    if _TARGET_STATED.match(norm[v.end : v.end + 8]):
        return "skip"  # "控制在5.5%预期目标下运行": the target restated
    if _COMPARISON.search(v.before):
        return "skip"
    return "keep"
