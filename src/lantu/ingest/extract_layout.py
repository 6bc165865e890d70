"""Text helpers and the layout of a document (stage 2 of :mod:`lantu.ingest.extract`): the
character normalisation, sentences and clauses, the words before and after a number, and where
the review ends, the year's targets stand and the work plan runs."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from lantu.ingest.extract_lexicon import (
    _MENTION_RE,
    LEX,
)
from lantu.ingest.numerals import MAGNITUDE_WORD, NUMBER, SIGNED_NUMBER, plain_separators

# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

# One-to-one character normalisation (offsets are preserved): full-width digits and signs, bold;
# the separators of a number grouped by threes become a space (lantu.ingest.numerals).
_FULL = "０１２３４５６７８９％．－～＋"
_HALF = "0123456789%.-~+"
_TRANS = str.maketrans({**dict(zip(_FULL, _HALF, strict=True)), "*": " ", "\u3000": " ", "／": "/"})

_SENT_END = "。！？；;\n"
_CLAUSE_END = "，,：:"

_NUM = SIGNED_NUMBER  # "2 311.43", "1,234.5": lantu.ingest.numerals is the one rule
# units of the lexicon, longest first, and the ones only read to be set aside (个百分点, 倍)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(
    {*LEX.units, "%", "个百分点", "倍", "微克每立方米", "μg/m3", "μg/m³", "ug/m3", "μg/m", "微克"}, key=lambda u: -len(u)))
# A threshold written in words right after the verb that passes it ("突破万亿", "首超千亿",
# "首破万件", "过千万"): lantu.ingest.numerals.MAGNITUDE_WORD, read by read_value
_CN_NUM = rf"(?<=[破超过逾]){MAGNITUDE_WORD}(?=万亿|亿|万|件|家|户|个|人|元)"
# a bare magnitude after a threshold ("突破1.2万亿", "过千万"): the catalogue unit's base is meant
_BARE_MAGNITUDE = ("万亿", "亿", "万")


# "21万余名", "3000余名", "1.3万余个", "5万多个": 余/多 after the number is "more than" (逾 → 突破); the unit is
# the magnitude and the word after 余
_VALUE_RE = re.compile(
    rf"(?P<num>{_NUM}|{_CN_NUM})\s*(?:(?P<mag>万亿|亿|万)?(?P<yu>余|多)(?=(?:{_UNIT_ALT})))?(?P<u1>{_UNIT_ALT}|(?:万亿|亿|万)(?=[的、，,。；;）)\s“]|大关|$)|万(?=大学生|高校毕业生|大学毕业生))?"
    rf"(?:\s*(?:—|–|-|~|至|到)\s*(?P<high>{NUMBER})\s*(?P<u2>%|万亿元|亿元|万元|万人|元)?)?"
    r"(?P<qual>\s*(?:左右|以上|以内|以下|上下))?"
)

# Words just before a number (``_Value.before``); _END lets a 分别 list share the first verb.
_END = r"[\s、和及与，,]*$"
# "增长约9%左右" (山西 2014); "下降幅度均超过30%" (南昌 2023: the change's size, one for both items)
_GROWTH_VERB = re.compile(r"(?:增长|增速|增幅|上涨|涨幅|上升|下降|降低|回落|减少|下滑|增加)(?:了)?(?:幅度\s*均?)?(?:为|达|达到|到)?"
                          r"(?:不低于|不少于|超过|突破|高于|约)?" + _END)
# a fall keeps its sign through the words of a bound: "下降超过30%" is −30 突破, not +30
_NEG_VERB = re.compile(r"(?:下降|降低|回落|减少|下滑|负增长)(?:了)?(?:幅度\s*均?)?(?:为|达|达到)?"
                       r"(?:不低于|不少于|超过|突破|高于|约)?" + _END)
_TO_VERB = re.compile(r"(?:下降到|降至|降到|降低到|提高到|提升到|上升到|增长到|增加到|提高至|提升至|调整为|优化为)" + _END)
_CHANGE_VERB = re.compile(r"(?:提高|提升|下降|降低|上升|增加|减少|增长|净增|新增|增长到|扩大)(?:了)?" + _END)
_STRETCH = re.compile(r"(?:力争|争取|努力)(?:实现|达到|突破)?\s*(?:增长)?\s*$")
_CEILING = re.compile(r"(?:不超过|不高于|(?<!不)低于|控制在|控制)" + _END)
_FLOOR = re.compile(r"(?:超过|突破|不低于|迈上|高于|超)" + _END)
_THRESHOLD = re.compile(r"(?:突破|超过|迈上|跨越|跨上|跨过|跃上|站上|迈过|越过|接近|逾|近|超|不足|首破|"
                        r"(?<![通经])过|(?<![突首])破)[\s、和及与]*$")
_PASSED = re.compile(r"(?:突破|超过|迈上|跨越|跨上|跨过|跃上|站上|迈过|越过|逾|超|首破|(?<![通经])过|(?<![突首])破)"
                     r"[\s、和及与]*$")
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

# a clause that goes on with the subject of the one before; it may open with its own year ("…到2019年
# 年均增速6%，2020年增速为3.6%", 阳泉 2021) or with the year's word ("高新技术企业五年倍增计划，今年达到
# 68家", 晋城 2020)
_CONTINUE = re.compile(
    r"^\s*(?:到?\s*20\d\d\s*年)?(?:力争|争取|确保)?\s*(?:到?\s*“?十[一二三四五六]五”?末\s*)?(?:实际|名义|全年|年内|今年|去年|当年|年均|一季度|上半年|前三季度)?(?:又|再|均|各)?(?:同比|比上年|较上年|比去年|按可比价格?(?:计算)?|可比|同口径|按同口径计算|可比口径)?\s*"
    r"(?:增长|下降|增速|增幅|上涨|涨幅|分别|达到|突破|总量|总数|规模|(?:实现|完成|新增|折合?)\s*\d)"
)  # 折: the same figure converted ("…金额9415亿元，增长5.8%，折1381亿美元", national bulletin)

# Words that put a clause out of scope: averages and cumulative figures over several years,
# sub-annual figures, and comparisons with a base year other than the previous one.
_MULTI_YEAR = re.compile(
    r"年均(?!浓度|值)|累计|[五六七八九十]年来|[五六七八九十]年间|三年来|两年来|近[两三四五十]年|“?十[一二三四五]五”?(?:期间|时期|以来|末|规划)|期间|以来|"
    r"(?:比|较|与|同)\s*20\d\d年|是20\d\d年的|翻[一两]?番|未来五年"
)
_SUB_ANNUAL = re.compile(
    r"秋冬季|采暖季|供暖季|夏季|冬季|一季度|二季度|三季度|四季度|前三季度|上半年|下半年|季度|\d+个月|\d+\s*[-—–至]\s*\d+月|\d+月份?|"
    r"[一二三四五六七八九十]+月份?|当月|月度"
)
_OTHER_PLACE = re.compile(  # a named place, or a zone opening a clause ("，开发区工业投资增长30%、…")
    r"[\u4e00-\u9fa5]{1,6}(?:(?<![县一每各全本范点困强进])县(?![城县区乡级域中])|高新区|经开区|开发区|新区|园区|示范区|综改区|集团|公司|"
    r"科技城|科学城|大学城|综保区|综合保税区|保税区|经济区|自贸区|自贸试验区|自由贸易试验区)|"
    r"(?:自贸区|自贸试验区|自由贸易试验区)[\u4e00-\u9fa5]{1,4}片区|"  # 长沙 2023: 自贸区长沙片区…进出口总额突破千亿元
    r"县区|县（市、区）|县（市区）|"  # 县区经济总量全部超过千亿 (合肥 2026), …经济区忻州区域经济总量 (忻州 2022): parts
    r"(?<![\u4e00-\u9fa5（(])(?:开发区|高新区|经开区|综改区)|市辖区")  # 长治 2021: 市辖区…常住人口167万
_YEAR_MENTION = re.compile(r"(?<![比较与同是])(20\d\d)\s*年(?!以来|来|起|至|到|底前|前|的|度)")

_TARGET_HEAD = re.compile(
    r"(?:主要)?(?:预期)?(?:目标|指标)(?:建议)?(?:是|为)?\s*[:：]|主要预期目标|主要预期指标|预期性指标是|"
    r"综合考虑各方面因素\s*[，,]"
)
_TARGET_MET = re.compile(r"(?:实现|完成|超额|达到|突破|未能|没有|好于|高于|低于)[^，,。；;：:]*$")
_TARGET_HEAD_BAD = re.compile(r"未来五年|五年|十[一二三四五]五|20[3-9]\d年|“十|年均(?!浓度|值)|到20\d\d年|长期|远景")


#: a footnote marker set above the line or circled (``5571.17¹亿元``, ``总值①5571.17``; what
#: :func:`lantu.ingest.textio.raised_text` makes of ``<sup>1</sup>``; ``[注1]`` after a figure),
#: not after a Latin letter
#: (``m²`` is a unit's power): a blank for the readers of figures, one character for one
_MARKER = re.compile(r"(?<![A-Za-zµμ])[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾]+|[①-⒛❶-❿]|(?<=[0-9%])\[注?[0-9]{1,2}\]")


def _normalise(text: str) -> str:
    text = _MARKER.sub(lambda m: " " * len(m.group()), text)
    return plain_separators(text.translate(_TRANS))


@lru_cache(maxsize=8)
def _marks(norm: str, chars: str) -> list[int]:
    """Positions of ``chars`` in ``norm``, ascending: found once per text, so that finding the
    sentence or clause around each figure is a binary search, not a walk (a text of one
    "sentence" with thousands of figures took minutes: every figure walked all of it)."""
    return [m.start() for m in re.finditer("[" + re.escape(chars) + "]", norm)]


#: The farthest back a sentence, clause or context reaches from a figure. Official sentences
#: are a few hundred characters; a "sentence" of 80 KB with thousands of figures (no 。 in it)
#: made every figure read all of it again: 38 s for 80 KB, hours for an upload of a few MB.
MAX_CONTEXT = 3000


def _start_after(norm: str, pos: int, chars: str, floor: int = 0) -> int:
    """The first position at or before ``pos`` (not below ``floor``, nor more than
    :data:`MAX_CONTEXT` before it) after the last of ``chars`` before ``pos``."""
    marks = _marks(norm, chars)
    i = bisect_left(marks, pos)
    return max(floor, marks[i - 1] + 1 if i else 0, pos - MAX_CONTEXT)


def _end_at(norm: str, pos: int, chars: str) -> int:
    """The position of the first of ``chars`` at or after ``pos`` (else the end), at most
    :data:`MAX_CONTEXT` after it."""
    marks = _marks(norm, chars)
    i = bisect_left(marks, pos)
    return min(marks[i] if i < len(marks) else len(norm), pos + MAX_CONTEXT)


def _sentence_bounds(norm: str, pos: int) -> tuple[int, int]:
    return _start_after(norm, pos, _SENT_END), _end_at(norm, pos, _SENT_END)


def _context_start(norm: str, pos: int) -> int:
    """Start of the full sentence (up to 。！？ or a line break; "；" does not end the context)."""
    return _start_after(norm, pos, "。！？\n")


def _clause_start(norm: str, pos: int, floor: int) -> int:
    return _start_after(norm, pos, _SENT_END + _CLAUSE_END, floor) if pos > floor else pos


def _clause_end(norm: str, pos: int) -> int:
    return _end_at(norm, pos, _SENT_END + _CLAUSE_END)


# ---------------------------------------------------------------------------------------------
# Document structure: where the review ends and the targets are
# ---------------------------------------------------------------------------------------------


_FIVE_YEAR_PAR = re.compile(
    r"这[五六七八九十]年|过去[五六七八九十]年|[五六七八九十]年来|[五六七八九十]年间|过去的[五六七八九十]年|“十[一二三四五]?五”(?:时期|期间|以来|是)|十[一二三四五]五(?:时期|期间|以来)"
)
_FIVE_YEAR_START = re.compile(r"^(?:各位代表[！!，,:：]?\s*)?本届政府")
_ONE_YEAR_PAR = re.compile(
    r"^(?:各位代表[！!，,:：]?\s*)?(?:特别是|尤其是)?"
    r"(?:过去一年|一年来|过去的一年|刚?刚过去的(?:20\d\d年|一年)|过去的20\d\d年|20\d\d年|去年|这一年|回顾去年)"
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
        if _TARGET_MET.search(norm, _clause_start(norm, m.start(), s), m.start()):
            continue  # "圆满实现全年经济社会发展主要预期目标，…": the review says targets were met
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
        r"(?m)^[ \t*]*(?:[二三四五]\s*[、.．](?![^\n]*回顾)[^\n]{0,40}(?:目标|任务|(?:今年|明年|20\d\d年|下一步|新一届政府|下届政府)[^\n]{0,12}工作|展望|安排|要求|建议)|"
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
