"""Milestones: dated, completed achievements an official text states (qualitative evidence).

A milestone is a designation or approval (入选, 获批, 获评 …), a completion of a named facility or
project (建成投产, 开通运营, 揭牌 …), an event held (成功举办 …) or a first (全国首个, 全省率先 …)
that the review part of a work report states. Plans and intentions (加快建设, 争创, 力争), starts
and signings (开工, 签约), rankings, praise and routine completions (a count of generic things, a
quantity of road) are not milestones. The words are data: ``lexicon/milestones.yaml``.

The year: a work report of year Y reviews Y−1, so a milestone of its one-year review is dated
Y−1. In a review of several years (过去五年, “十四五”时期, 本届政府) a milestone is dated by the
year its sentence states (2019年…); one without a stated year is dated by the period's end year
and carries ``period`` (its first and last year), so a reader knows it happened by then — and
can drop it where an earlier report states the same achievement with its own year.

Examples
--------
>>> text = "一、2019年工作回顾\\n我市首批入选国家物流枢纽建设名单，加快建设陆港。\\n二、2020年工作安排\\n力争获批自贸区。"
>>> [(m.year, m.kind, m.text) for m in extract_milestones(text, region_code="140100", year=2020)]
[(2019, 'designation', '我市首批入选国家物流枢纽建设名单')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from lantu.ingest.numerals import NUMBER
from lantu.ingest.policy import REVIEW_SECTION, parse_policy

__all__ = ["KINDS", "MilestoneCandidate", "default_node_keywords", "extract_milestones", "load_node_keywords"]

#: The kinds of milestone, in order of precedence; ``other`` is for milestones a person adds.
KINDS = ("first", "designation", "event", "completion", "other")


@dataclass(frozen=True)
class MilestoneCandidate:
    """One milestone found in a text, to be confirmed in review.

    ``text`` is the clause that states the achievement, ``excerpt`` the sentence it stands in;
    ``start``/``end`` are offsets of ``text`` in the document (``doc[start:end] == text``);
    ``nodes`` the plan-node codes whose keywords the clause holds.
    """

    region_code: str
    year: int
    kind: str  # designation | completion | event | first | other
    text: str
    excerpt: str
    start: int
    end: int
    nodes: tuple[str, ...]
    #: for a milestone a review of several years states without its year: the years of that
    #: review (``year`` is then its end year: achieved by then, not necessarily in it)
    period: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Lexicon:
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    not_trigger: re.Pattern[str]
    plan: re.Pattern[str]
    start: re.Pattern[str]
    ranking: re.Pattern[str]
    praise: re.Pattern[str]
    grade: re.Pattern[str]
    count: re.Pattern[str]
    quantity: re.Pattern[str]
    named_or_national: re.Pattern[str]
    period_review: re.Pattern[str]


def _alt(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in sorted(words, key=len, reverse=True)))


@cache
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(
        resources.files("lantu.ingest.lexicon").joinpath("milestones.yaml").read_text(encoding="utf-8")
    )
    units = "|".join(sorted(raw["count_units"], key=len, reverse=True))
    qty = "|".join(sorted(raw["quantity_units"], key=len, reverse=True))
    # "建成母婴关爱室200余家"; an ordinal is no count ("第三人民医院")
    number = rf"(?:{NUMBER}|(?<![第一二三四五六七八九十两百千])[一二三四五六七八九十两百千]+)\s*万?(?:余|多)?"
    return _Lexicon(
        kinds=tuple((kind, _alt(words)) for kind, words in raw["kinds"].items()),
        not_trigger=_alt(raw["not_trigger"]),
        plan=_alt(raw["plan"]),
        start=_alt(raw["start"]),
        ranking=_alt(raw["ranking"]),
        praise=_alt(raw["praise"]),
        grade=_alt(raw["grade"]),
        count=re.compile(rf"{number}(?:{units})(?!月|时|小时)"),
        # a size that names one facility ("城南20万吨污水处理厂建成投运", "完成全长21公里阳兴大道快速路建设",
        # 太原 2015) is no quantity built; a capacity naming a project ("贝特瑞3万吨人造石墨、70万吨氧化钙等项目建成投产", 阳泉
        # 2020) or a length describing the thing ("全长1.3万公里的三个一号旅游公路…全线贯通", 山西 2025) neither; a size
        # before 的 sizes the one thing ("建成120万平方米的汾河湿地公园", 太原 2008), and so does a capacity before
        # the project it names ("中铝一期50万吨合金铝项目全部投产", 吕梁 2021); not a task's size ("超额完成原定140万
        # 平方米的改造任务", 山西 2005: routine)
        quantity=re.compile(rf"(?<!全长)(?<!总长){NUMBER}\s*万?(?:{qty})(?!\s*的(?![^，。；]*任务))(?![^，。；]{{0,16}}?(?:厂|电站|大道|快速路|大桥|项目)"
                            rf"(?:[^，。；\d]{{0,2}}(?:建设|建成|投运|竣工|通车|投产)))"),
        named_or_national=_alt(raw["named_or_national"]),
        period_review=_alt(raw["period_review"]),
    )


def load_node_keywords() -> dict[str, tuple[str, ...]]:
    """Keywords per node of the default plan (``lantu/defaults/node_keywords.yaml``): ``{code: words}``.

    Examples
    --------
    >>> "物流枢纽" in load_node_keywords()["P0.1"]
    True
    """
    from lantu.defaults import node_keywords

    return {code: tuple(str(w) for w in words) for code, words in node_keywords().items()}


def default_node_keywords(region_code: str) -> dict[str, tuple[str, ...]] | None:
    """The default plan's node keywords when ``region_code`` is the default plan's region, else None
    (another region's milestones are not linked to that plan's nodes)."""
    from lantu.defaults import load_plan

    return load_node_keywords() if load_plan().region_code == region_code else None


# --------------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[。！？!?；;\n]")
_CLAUSE = re.compile(r"[，,。！？!?；;：:\n]")
_EDGE = " \t\u3000*“”\"'（）()——-"
_YEAR = re.compile(r"(?<![\d—–\-~至到])(20\d\d|19\d\d)年(?!\s*[—–\-~至到])")


def _spans(text: str, pattern: re.Pattern[str], a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    for m in pattern.finditer(text, a, b):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < b:
        out.append((pos, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _EDGE and not (text[a] in "“（(" and _closes(text, a, b)):
        a += 1
    while b > a and text[b - 1] in " \t\u3000*":
        b -= 1
    return a, b


def _closes(text: str, a: int, b: int) -> bool:
    """True when the quote or bracket at a is closed before b (it belongs to the clause)."""
    pair = {"“": "”", "（": "）", "(": ")"}[text[a]]
    return text.find(pair, a + 1, b) != -1


_QUOTED = re.compile(r"“[^”]{1,20}”|《[^》]{1,30}》")


def _praised(clause: str, lex: _Lexicon) -> bool:
    """The clause praises (表扬, 推广 …) — unless the word only names an item of a list
    ("…、合肥六中数字实验研究推广等8项成果获2018年国家级教学成果奖", 合肥 2019)."""
    return any(not re.match(r"\s*[等、]", clause[m.end():]) for m in lex.praise.finditer(clause))


# "当年立项、当年开工、当年投产" (阳泉 2020): a start listed before the completion is a stage passed
_STAGES = re.compile(r"[^，。；]{0,8}、[^，。；]{0,8}$")


def _started(masked: str, trigger: int, lex: _Lexicon) -> bool:
    """The clause states a start or a signing (开工, 签约) — unless every start word stands before
    the trigger as an earlier stage of a list that ends in it."""
    return any(s.start() >= trigger or not _STAGES.match(masked, s.end(), trigger)
               for s in lex.start.finditer(masked))


_LISTED = re.compile(r"[\u4e00-\u9fa5“”]{1,16}(?:、[\u4e00-\u9fa5“”]{1,16})+$")
_ONE_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _counts_the_listed(masked: str, at: int) -> bool:
    """The count at ``at`` is that of the items named right before it, so it names what was built
    ("建成朔州、晋城两个本科校区", "创建山西传媒学院、太原学院两所本科院校", 山西 2014) — no count of
    generic things."""
    listed = _LISTED.search(masked, 0, at)
    number = re.match(r"\d+(?![\d.])|[一二两三四五六七八九](?![十百千万])", masked[at:])
    if listed is None or number is None:
        return False
    value = int(number.group()) if number.group().isdigit() else _ONE_DIGIT[number.group()]
    return value == len(listed.group().split("、"))


def _classify(clause: str, lex: _Lexicon) -> str | None:
    """The kind of milestone a clause states, or None."""
    masked = lex.not_trigger.sub(lambda m: "□" * len(m.group(0)), clause)
    for kind, pattern in lex.kinds:
        m = pattern.search(masked)
        if not m:
            continue
        before = _QUOTED.sub(lambda q: "□" * len(q.group()), masked[: m.start()])  # “共同成长计划”: a name
        if lex.plan.search(before) or _started(masked, m.start(), lex) or _praised(masked, lex):
            return None
        if re.search(r"(?<![这那])一些", masked[: m.start()]):
            return None  # some things of a kind ("…等领域的一些作品在全国获奖", 山西 2006): generic, no count named
        if kind != "designation" and lex.ranking.search(masked):
            return None
        if kind == "designation" and re.match(r"(?:被)?列(?:入|为)", masked[m.start():]) and re.search(
                r"的[\u4e00-\u9fa5“\d]", masked[m.end():]):
            return None  # 列入 describing a noun ("列入重点城市的大气环境…有所改善", "列入国家千户节能企业的13户企业…"), no listing
        if kind == "designation" and lex.grade.search(masked):
            return None  # a grade won in an assessment (评为A级, 优秀等次), no title
        if kind == "designation" and (re.search(r"(?:入选|进入|入列|跻身|入围).{0,12}(?:(?:\d+|[二三四五六七八九十])强|[十百]大[^，。；]{0,6}最|最[大强佳]\d+)", masked)
                                      or re.search(r"成为[^，。；]{0,16}最[^，。；]{0,12}之一", masked)
                                      or re.search(r"成为[^，。；]{0,6}第[二三四五六七八九十\d]+[个家座][^，。；]{0,12}?"
                                                   r"(?:[百千万]亿|百万|千万|双万|\d)", masked)):
            return None  # 入选中国企业500强, 入列全国六强, 入选全国十大…城市, 成为…最快的城市之一, 入选全球最大250家…,
            # 成为全省第二个千亿县 (合肥 2025: a figure's rank; not 成为全国第10个获批的都市圈, an approval): rankings
        if kind == "designation" and re.match(r"[^，。；]{0,16}的[^，。；]{0,8}(?:达到|达|增至|增加到|累计)\s*\d|"
                                              r"[^，。；]{0,24}累计(?:达到|达|为)?\s*\d", masked[m.end():]):
            return None  # 通过“普九”验收的县达到114个 (山西 2005), 列入…项目累计达15个 (太原 2004): a count, a figure
        if kind in ("first", "completion") and re.search(r"\d\s*[%％]|一半|半数|过半", masked):
            return None  # a share or rate reached (首次达100%, 90%建成投产, 一半以上…完成改造) is a figure
        if kind == "designation" and re.fullmatch(r"\s*(?:全省|全国|全市)?第[一二三四五六七八九十]+名?\s*", masked[m.end():]):
            return None  # 考核连续11年荣获全省第一, 获得全国第一: a rank, not a title
        if kind == "completion" and not masked[: m.start()].strip() and re.fullmatch(
                r"\s*[\d.]+\s*[\u4e00-\u9fa5]{0,3}\.?\s*", masked[m.end():]):
            return None  # nothing named, only an amount: "旧城改造和经济适用房开复工115.，竣工50." (太原 2004)
        # a count that sizes the one thing built is no count of things: "用20天时间建成了500张床位的后备医院"
        # (太原 2004); nor is a duration ("合肥至深圳高铁行程时间缩短至5个半小时")
        counts = [c for c in lex.count.finditer(masked)
                  if not re.match(r"[\u4e00-\u9fa5]{0,2}的|半(?:小时|月|天)", masked[c.end():])]
        if kind == "completion" and (counts or lex.quantity.search(masked)):
            if lex.quantity.search(masked) or not (lex.named_or_national.search(masked)
                                                   or any(_counts_the_listed(masked, c.start()) for c in counts)):
                return None  # routine: a count of generic things or a quantity built
            counts = [c for c in counts if not masked[: c.start()].endswith("第")]  # 第1家: a rank
            if len(counts) >= 2 and re.match(r"\s*[、，,和及]", masked[counts[0].end():]):
                return None  # a tally of counted kinds ("建成国家级重点实验室2个、省级重点实验室9个…", 山西 2006)
        return kind
    return None


_FYP = re.compile(r"十([一二三四五六七八九])五")
_YEARS_BACK = re.compile(r"([二三四五六七八九十])年")


def _period(marker: str, year: int) -> tuple[int, int]:
    """The years a review of several years covers: a five-year plan's (“十三五” → 2016–2020), else
    the N years before the report (过去五年 in a report of 2022 → 2017–2021)."""
    fyp = _FYP.search(marker)
    if fyp:
        start = 1981 + 5 * (10 + "一二三四五六七八九".index(fyp.group(1)) + 1 - 6)
        return start, start + 4
    back = _YEARS_BACK.search(marker)
    n = "二三四五六七八九十".index(back.group(1)) + 2 if back else 5
    return year - n, year - 1


def _mode_switch(head: str, year: int, lex: _Lexicon) -> tuple[str, tuple[int, int] | None] | None:
    """The mode a paragraph opening with ``head`` turns to: ``year`` (过去一年, 刚刚过去的2020年),
    ``period`` with its years (回顾过去五年, “十三五”时期), or None when it opens neither way."""
    head = re.sub(r"^[\s*　]*(?:各位代表[，,！!：:]?)?[\s*　]*", "", head)[:16]
    one = re.search(rf"过去的?一年|一年来|去年|{year - 1}年", head)
    many = lex.period_review.search(head)
    if one and (not many or one.start() < many.start()):
        return "year", None
    if many:
        return "period", _period(many.group(0), year)
    return None


def _review_ranges(text: str, year: int) -> list[tuple[int, int, str, tuple[int, int] | None]]:
    """(start, end, mode, period) of the parts that review the past: mode ``year`` for a one-year
    review, ``period`` (with its years) for a review of several years. A review section starts in
    the mode its title names first (“十三五”时期及2020年工作回顾 → period; 2021年和过去五年 →
    year); a paragraph opening with 过去一年/刚刚过去的2020年 or 回顾过去五年/“十四五”时期 turns the
    rest to that mode. The whole text, as ``year``, when no top section is a review."""
    doc = parse_policy(text, mentions=False, annotate=False)
    lex = _lexicon()
    tops = [n for n in doc.children if REVIEW_SECTION.search(n.title)]
    if not tops:
        return [(0, len(text), "year", None)]
    out: list[tuple[int, int, str, tuple[int, int] | None]] = []
    for node in tops:
        a, b = node.span
        first = _mode_switch(node.title, year, lex) or ("year", None)
        mode, period = first
        pos = a
        for pa, pb in _spans(text, re.compile(r"\n"), node.title_span[1], b):
            switch = _mode_switch(text[pa : min(pb, pa + 30)], year, lex)
            if switch and switch[0] != mode:
                out.append((pos, pa, mode, period))
                pos, (mode, period) = pa, switch
        out.append((pos, b, mode, period))
    return out


def _lead(text: str, a: int, b: int) -> str:
    """The opening clause of a sentence when it only sets the time (2019年，…), else ''."""
    first = _spans(text, _CLAUSE, a, b)[:1]
    return text[first[0][0] : first[0][1]] if first and first[0][1] - first[0][0] <= 10 else ""


def _nodes(clause: str, node_keywords: Mapping[str, Sequence[str]] | None) -> tuple[str, ...]:
    if not node_keywords:
        return ()
    return tuple(code for code, words in node_keywords.items() if any(w and w in clause for w in words))


# "有的已投产见效": no thing named; "…全面竣工，并于7月1日正式投入使用": the same thing again (太原 2015)
_NO_SUBJECT = re.compile(r"(?:有的|有些|部分|其余|其他)(?:已|已经|相继|陆续)?")
# "…荣获全国第十八届群星奖…最高奖，是我省唯一获奖作品" (阳泉 2020): a clause opening with 是 says
# more of the milestone before
_SAME_SUBJECT = re.compile(r"并(?:于|在|已|且)|是(?![年月日])")


def extract_milestones(text: str, *, region_code: str, year: int,
                       node_keywords: Mapping[str, Sequence[str]] | None = None) -> list[MilestoneCandidate]:
    """Milestones stated in the review part of a work report (or in the whole text when it has
    no review section), in text order.

    Parameters
    ----------
    text : str
        The document, as read; offsets are into it.
    region_code : str
        The region the document is about (a milestone of a district or park of it keeps this code).
    year : int
        The report's year Y; its one-year review is about Y−1.
    node_keywords : mapping, optional
        ``{plan node code: keywords}``; a milestone is linked to every node a keyword of which its
        clause holds (see :func:`load_node_keywords` for the default plan's).

    Returns
    -------
    list of MilestoneCandidate
    """
    if not isinstance(text, str):
        raise ValueError(f"extract_milestones: expected the text as str, got {type(text).__name__}")
    lex = _lexicon()
    out: list[MilestoneCandidate] = []
    for a, b, mode, period in _review_ranges(text, year):
        for sa, sb in _spans(text, _SENTENCE, a, b):
            sentence = text[sa:sb]
            if not any(p.search(sentence) for _k, p in lex.kinds):
                continue
            ea, eb = _trim(text, sa, sb)
            previous = None  # the kind of the clause before, when it was a milestone
            for ca, cb in _spans(text, _CLAUSE, sa, sb):
                ca, cb = _trim(text, ca, cb)
                clause = text[ca:cb]
                if cb - ca < 4:
                    continue
                kind = _classify(clause, lex)
                if kind is not None and (_NO_SUBJECT.match(clause) or (previous == kind and _SAME_SUBJECT.match(clause))):
                    kind = None
                previous = kind
                if kind is None:
                    continue
                when, span = year - 1, None
                if mode == "period" and period is not None:
                    stated = {int(y) for y in _YEAR.findall(clause) or _YEAR.findall(_lead(text, sa, sb))}
                    stated = {y for y in stated if period[0] <= y <= period[1]}
                    if len(stated) == 1:
                        when = stated.pop()
                    else:  # undated within the period: by its end year, flagged with the period
                        when, span = period[1], period
                out.append(MilestoneCandidate(region_code, when, kind, clause, text[ea:eb], ca, cb,
                                              _nodes(clause, node_keywords), span))
    return out
