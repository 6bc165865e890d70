"""The annotations found inside each node of a policy text: action clauses (verb + object),
named programmes and numbered formulas, quantified targets, places and organisations
(jieba), suggested indicators and the responsibility lines (lead unit, due date). A stage
of :mod:`lantu.ingest.policy`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from lantu.ingest.lexicon import load_indicator_triggers, load_words
from lantu.ingest.numerals import NUMBER, plain_separators, read_number
from lantu.ingest.policy_model import (
    Action,
    IndicatorLink,
    Mention,
    Programme,
    Span,
    Target,
    cn_to_int,
)

# --------------------------------------------------------------------------------------------
# Annotations

_SPLIT_CLAUSE = re.compile(r"[，,；;。！？!?：:\n]|……|(?<=\S)\s{2,}")


def _clauses(text: str, start: int, end: int) -> Iterator[Span]:
    pos = start
    for m in _SPLIT_CLAUSE.finditer(text, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < end:
        yield pos, end


def _strip_span(text: str, a: int, b: int) -> Span:
    """text[a:b] without surrounding spaces, bold marks and stray closing brackets or 、
    (an opening quote or bracket stays: it belongs to the clause)."""
    while a < b and text[a] in " \t\u3000*”'）)、":
        a += 1
    while b > a and text[b - 1] in " \t\u3000*":
        b -= 1
    return a, b


@cache
def _word_re(name: str) -> re.Pattern[str]:
    """One regex matching any word of a lexicon list, longest first."""
    return re.compile(_trie_regex(list(load_words(name))))


def _match_action(text: str, a: int, b: int) -> tuple[int, str] | None:
    """(verb position, verb) when text[a:b] opens with adverbs then an action verb."""
    verbs, adverbs = _word_re("verbs.txt"), _word_re("adverbs.txt")
    pos = a
    for _ in range(6):
        m = verbs.match(text, pos, b)
        if m and b - pos > len(m.group(0)):
            return pos, m.group(0)
        m = adverbs.match(text, pos, b)
        if not m:
            return None
        pos = m.end()
    return None


def find_actions(text: str, start: int = 0, end: int | None = None) -> list[Action]:
    """Action clauses (verb + object) in text[start:end], with spans into ``text``.

    A clause is the stretch between two punctuation marks. It is an action when, after leading
    adverbs (全力, 持续, 高标准高质量, …), it starts with a verb of the lexicon and has an object.

    Parameters
    ----------
    text : str
        The text.
    start, end : int
        The part to search.

    Returns
    -------
    list of Action

    Examples
    --------
    >>> [(a.verb, a.object) for a in find_actions("全力推进项目建设，培育壮大市场主体。")]
    [('推进', '项目建设'), ('培育', '壮大市场主体')]
    """
    end = len(text) if end is None else end
    out: list[Action] = []
    for a, b in _clauses(text, start, end):
        a, b = _strip_span(text, a, b)
        if b - a < 3:
            continue
        hit = _match_action(text, a, b)
        if not hit:
            continue
        vpos, verb = hit
        obj = text[vpos + len(verb) : b].replace("**", "").strip()
        if len(obj) < 1:
            continue
        out.append(Action(verb=verb, object=obj, text=text[a:b], span=(a, b)))
    return out


_NUM_WORD = "一二两三四五六七八九十"
_FORMULA = re.compile(
    rf"“([^”\n]{{1,16}})”|(?<![{_NUM_WORD}第])([{_NUM_WORD}]{{1,2}})(个|大|项|条|张|场|化|区|新)([\u4e00-\u9fff]{{1,4}}?)(?=[”，。、；,;\s和与及]|建设|工程|行动|战略|$)"
)
_QUOTED_NUMERIC = re.compile(r"^[\d一二两三四五六七八九十百千万]+")


def find_programmes(text: str, start: int = 0, end: int | None = None) -> list[Programme]:
    """Named programmes and numbered formulas in text[start:end].

    Finds quoted names (“1331”, “专精特新”, “放管服效”) and numbered formulas such as 四个高地 or
    三大攻坚战. A formula of N parts is expanded when the text lists N items sharing its head noun
    (创新高地、产业高地、人才高地、开放高地).

    Returns a list of :class:`Programme` found in ``text[start:end]``, spans into ``text``.

    Examples
    --------
    >>> t = "打造创新高地、产业高地、人才高地、开放高地，建设“四个高地”，推进“111”“1331”工程。"
    >>> [(p.name, p.parts) for p in find_programmes(t)][:2]
    [('四个高地', ['创新高地', '产业高地', '人才高地', '开放高地']), ('111', [])]
    """
    end = len(text) if end is None else end
    out: list[Programme] = []
    seen: set[Span] = set()
    listings: dict[tuple[str, int], list[str]] = {}
    for m in _FORMULA.finditer(text, start, end):
        if m.group(1) is not None:
            name = m.group(1).strip()
            span = (m.start(1), m.end(1))
            inner = _FORMULA.fullmatch(name)
            if inner and inner.group(2):
                prog = _formula(text, name, inner.group(2), inner.group(4) or inner.group(3), span,
                                listings)
            else:
                prog = Programme(name=name, span=span)
        else:
            name = m.group(0)
            span = (m.start(), m.end())
            head = m.group(4) or m.group(3)
            prog = _formula(text, name, m.group(2), head, span, listings)
            if prog.count is None:
                continue
        if span in seen:
            continue
        seen.add(span)
        out.append(prog)
    return out


_LIST_SEP = "、，,和及与"


def _formula(text: str, name: str, num: str, head: str, span: Span,
             cache: dict[tuple[str, int], list[str]]) -> Programme:
    n = cn_to_int(num.replace("两", "二"))
    prog = Programme(name=name, span=span, count=n)
    if n and head and n >= 2:
        if (head, n) not in cache:
            cache[head, n] = _listing(text, head, n)
        prog.parts = list(cache[head, n])
    return prog


def _listing(text: str, head: str, n: int) -> list[str]:
    """The first list of exactly n items ending with head (创新高地、产业高地、…), trimmed."""
    item = rf"[\u4e00-\u9fff]{{1,6}}?{re.escape(head)}"
    listing = re.compile(rf"{item}(?:[{_LIST_SEP}]{item}){{{n - 1}}}$")
    after = re.compile(rf"[{_LIST_SEP}]{item}")
    positions = [m.start() for m in re.finditer(re.escape(head), text)]
    for i in range(len(positions) - n + 1):
        a, b = positions[i], positions[i + n - 1] + len(head)
        if b - a > n * (len(head) + 8):
            continue
        m = listing.search(text, max(0, a - 6), b)
        if not m or after.match(text, b) or text[m.start() - 1 : m.start()] in tuple(_LIST_SEP):
            continue
        parts = re.split(f"[{_LIST_SEP}]", m.group(0))
        if len(parts) == n and all(len(p) > len(head) for p in parts):
            return [_trim_item(p, head) for p in parts]
    return []


def _trim_item(p: str, head: str) -> str:
    # "打造创新高地" -> "创新高地": keep at most two characters before the head noun
    stem = p[: -len(head)]
    return stem[-2:] + head


_UNIT = (
    r"万亿元|亿元|万元|元|万美元|亿美元|个百分点|%|％|万人次|万人|人|万户|户|万吨|吨|万千瓦|千瓦|公里|千米|"
    r"平方公里|万平方米|平方米|万亩|亩|万辆|辆|万套|套|万座|座|家|个|所|项|条|张|天|倍|万标箱|标箱|万件|件|亿件"
)
_TARGET_CUE = re.compile(r"达到|突破|超过|增长|提高到|提升到|下降|降低|控制在|力争|不低于|不超过|以上|左右|以内|确保|新增|累计|完成|建成|实现|预期|目标")
#: A sentence that reports the past (同比, 比上年, 去年…) states a result, not a target.
_PAST = re.compile(r"同比|比上年|较上年|上年|去年|过去[一二三四五]年|已经|已[经达有]|[达实]现了|完成了|取得了")
_NUMBER = re.compile(rf"({NUMBER})\s*({_UNIT})")
_DEADLINE = re.compile(r"(?:到|至|在|于)?(\d{4})年(?:底|末|前)?|(今年|明年|年内|年底前|“十[四五六]五”末|十[四五六]五末|“十[四五六]五”期间)")


def find_targets(text: str, start: int = 0, end: int | None = None) -> list[Target]:
    """Quantified targets (number, unit, qualifier, deadline) in the sentences of text[start:end]
    that state an aim (达到, 突破, 力争, 控制在, 以上, 左右, …).

    Returns a list of :class:`Target` found in ``text[start:end]``, spans into ``text``.

    Examples
    --------
    >>> t = find_targets("到2025年，研发经费投入强度达到2.5%以上。")[0]
    >>> (t.value, t.unit, t.qualifier, t.deadline)
    (2.5, '%', '以上', '2025')
    """
    end = len(text) if end is None else end
    # "6,000亿元": a number's comma does not end the clause (the part read only: callers pass
    # the whole text with each node's span)
    plain = plain_separators(text[start:end])
    out: list[Target] = []
    for sa, sb in _sentences(text, start, end):
        sentence = text[sa:sb]
        if not _TARGET_CUE.search(sentence) or _PAST.search(sentence):
            continue
        dl = _DEADLINE.search(sentence)
        deadline = (dl.group(1) or dl.group(2)).strip("“”") if dl else None
        for pa, pb in _clauses(plain, sa - start, sb - start):
            a, b = pa + start, pb + start
            clause = text[a:b]
            if not _TARGET_CUE.search(clause):
                continue
            for m in _NUMBER.finditer(plain, pa, pb):
                value = read_number(m.group(1))
                if m.group(2) == "" or (re.fullmatch(r"\d{4}", m.group(1)) and m.group(2) in ("年",)):
                    continue
                ms, me = m.start() + start, m.end() + start
                tail = text[me : min(b, me + 4)]
                head = text[max(a, ms - 4) : ms]
                qualifier = None
                for q in ("以上", "左右", "以内", "以下"):
                    if tail.startswith(q):
                        qualifier = q
                for q in ("力争", "不低于", "不超过", "控制在", "突破", "超过"):
                    if q in head:
                        qualifier = qualifier or q
                out.append(Target(value=value, unit=m.group(2).replace("％", "%"), text=clause,
                                  span=(a, b), qualifier=qualifier, deadline=deadline))
    return out


def _sentences(text: str, start: int, end: int) -> Iterator[Span]:
    pos = start
    for m in re.finditer(r"[。！？!?\n]", text[start:end]):
        e = start + m.end()
        if e - 1 > pos:
            yield pos, e - 1
        pos = e
    if pos < end:
        yield pos, end


_ORG = re.compile(
    r"((?<![\u4e00-\u9fff])|(?<=[在由和、，与及]))((?:省|市|县|区)(?:委|政府)?[\u4e00-\u9fff]{1,8}?(?:委员会|局|厅|办公室|委|办))"
    r"(?![\u4e00-\u9fff]{0,1}[局厅委])"
)
_GENERIC_ORG = {"上市公司", "交易中心", "子公司", "分公司", "总公司", "公司", "人民政府"}
_NOT_ORG = ("大局", "格局", "布局", "结局", "全局", "开局", "破局", "当局")


_ADMIN_END = tuple("省市县区镇乡村州盟旗")
#: Endings of words that end like a place but name a kind of area (开发区, 社区, 城市, 乡村).
_NOT_PLACE_END = (
    "开发区", "示范区", "社区", "自贸区", "试验区", "先行区", "片区", "园区", "景区", "功能区",
    "核心区", "城区", "市区", "保税区", "综保区", "高新区", "经开区", "集聚区", "承载区", "引领区",
    "创新区", "风景区", "保护区", "新区", "街区", "校区", "厂区", "矿区", "林区", "牧区", "山区",
    "灾区", "辖区", "特区", "城市", "都市", "超市", "上市", "股市", "楼市", "夜市", "集市", "门市",
    "乡村", "农村", "城中村", "新村", "示范村", "特色村", "小镇", "重镇", "乡镇", "城镇", "中心镇",
    "百强县", "示范县", "先进县", "贫困县", "强县", "大省", "强省", "大市", "强市", "全省", "全市",
    "全县", "全区", "本市", "本省", "各区", "各县", "省市", "市县", "县区", "区县", "县市", "该村",
    "棚户区", "行政村", "旅游区", "滞洪区", "风险区", "两区", "三区", "标准村", "景中村", "度假区",
    "商务区", "生活区", "居住区", "住宅区", "安置区", "实验区", "合作区", "产业区", "物流区",
)
_BOUNDARY = set("在到赴于从和与及、，,。；;：:（(《“") | {"位于", "地处", "来到"}


_NOT_NAME_START = {"这个", "那个", "每个", "各", "全", "本", "该", "一个", "所在", "多个", "个", "几个",
                   "各个", "贫困", "重点", "示范", "所有", "农业", "中心"}


def _join_admin_names(tagged: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Join short tokens jieba split off a place name before its ending (闫/家/营/村 → 闫家营村),
    when the name follows a boundary (a preposition, punctuation or another place)."""
    out: list[tuple[str, str, int]] = []
    i, n = 0, len(tagged)
    while i < n:
        joined = None
        after_boundary = not out or out[-1][0] in _BOUNDARY or out[-1][0].endswith(_ADMIN_END)
        if after_boundary and tagged[i][0] not in _NOT_NAME_START:
            chars, j = 0, i
            while j < n:
                w = tagged[j][0]
                if len(w) == 1 and w in "县区镇乡村" and j > i and 2 <= chars <= 5:
                    joined = j
                    break
                if (len(w) > 3 or w in _BOUNDARY or w.endswith(_ADMIN_END)
                        or tagged[j][1][:1] in ("v", "d", "p", "c", "u", "r", "a", "m")
                        or not re.fullmatch(r"[\u4e00-\u9fff]+", w)):
                    break
                chars += len(w)
                if chars > 5:
                    break
                j += 1
        if joined is not None:
            out.append(("".join(t[0] for t in tagged[i : joined + 1]), "ns", tagged[i][2]))
            i = joined + 1
        else:
            out.append(tagged[i])
            i += 1
    return out


def find_mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Places and organisations named in text[start:end].

    Places are words jieba tags ``ns`` that either carry an administrative ending (清徐县,
    闫家营村, 黄陂区), are in the gazetteer (provinces, capitals, large cities, rivers, city
    clusters), or are written with their ending elsewhere in the same text (武汉 beside 武汉市).
    Organisations are words tagged ``nt`` with an organisation ending, and department names
    (市…局, 省…厅, 市…委).

    Returns a list of :class:`Mention` found in ``text[start:end]``, spans into ``text``.

    Examples
    --------
    >>> sorted({m.name for m in find_mentions("韦韬在清徐县闫家营村看望群众。") if m.kind == "place"})
    ['清徐县', '闫家营村']
    """
    _quiet_jieba()
    import jieba
    import jieba.posseg as pseg

    tags = pseg.dt.word_tag_tab  # the dictionary's part-of-speech tags: same as pseg.cut(HMM=False)
    end = len(text) if end is None else end
    gazetteer = set(load_words("gazetteer.txt"))
    stop = set(load_words("place_stopwords.txt"))
    lead_words = load_words("verbs.txt") + load_words("adverbs.txt")
    org_ends = load_words("org_suffixes.txt")
    tagged: list[tuple[str, str, int]] = []
    pos = start
    for word in jieba.lcut(text[start:end], HMM=False):
        tagged.append((word, tags.get(word, "x"), pos))
        pos += len(word)
    tagged = _join_admin_names(tagged)
    suffixed = {w[:-1] for w, f, _ in tagged if f == "ns" and len(w) >= 3 and w.endswith(_ADMIN_END)}
    out: list[Mention] = []
    seen: set[int] = set()
    for word, flag, a in tagged:
        if len(word) < 2 or word in stop or word.startswith(lead_words):
            continue
        kind = None
        if (len(word) >= 3 and word.endswith(_ADMIN_END) and not word.endswith(_NOT_PLACE_END)
                and (flag[:1] == "n" or not word.endswith("村"))):
            kind = "place"  # 清徐县, 离石区 — whatever jieba's tag
        elif flag == "ns" and (word in gazetteer or word in suffixed):
            kind = "place"
        elif (flag == "nt" and word.endswith(org_ends) and not word.endswith(_NOT_ORG)
              and word not in _GENERIC_ORG):
            kind = "organisation"
        if kind:
            out.append(Mention(kind, word, (a, a + len(word))))
            seen.add(a)
    # multi-word names of the gazetteer (山西中部城市群, 粤港澳大湾区), which jieba splits
    for m in _long_names().finditer(text, start, end):
        out.append(Mention("place", m.group(0), (m.start(), m.end())))
    for m in _ORG.finditer(text, start, end):
        name = m.group(2)
        if (m.start(2) not in seen and len(name) >= 4 and not name.endswith(_NOT_ORG)
                and not re.search("[和与及、]", name)):
            out.append(Mention("organisation", name, (m.start(2), m.end(2))))
    # where two mentions overlap, the longer one (市财政局 over 财政局) stays
    out.sort(key=lambda x: (x.span[0], -x.span[1]))
    kept: list[Mention] = []
    for mt in out:
        if kept and mt.span[0] < kept[-1].span[1]:
            continue
        kept.append(mt)
    return kept


@cache
def _long_names() -> re.Pattern[str]:
    return re.compile(_trie_regex([w for w in load_words("gazetteer.txt") if len(w) >= 4]))


_JIEBA_READY = False


def _quiet_jieba() -> None:
    global _JIEBA_READY
    if _JIEBA_READY:
        return
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no dictionary-loading chatter on stderr
    _JIEBA_READY = True


@cache
def _trigger_index() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    by_word: dict[str, list[str]] = {}
    for code, words in load_indicator_triggers().items():
        for w in words:
            by_word.setdefault(w.lower(), []).append(code)
    pattern = re.compile(_trie_regex(list(by_word)), flags=re.I)
    return pattern, {w: tuple(codes) for w, codes in by_word.items()}


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of words, longest first, built as a trie (fast for many words)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def suggest_indicators(text: str, start: int = 0, end: int | None = None) -> list[IndicatorLink]:
    """Indicators suggested by the words of text[start:end], from the lexicon ``indicators.yaml``.

    At each place the longest trigger wins (城乡居民收入, not 居民收入 inside it).

    Returns a list of :class:`IndicatorLink` found in ``text[start:end]``, spans into ``text``.

    Examples
    --------
    >>> [(s.code, s.triggers) for s in suggest_indicators("正确处理好改善空气质量与企业发展的关系")]
    [('good_air_days_ratio', ['空气质量']), ('pm25', ['空气质量'])]
    """
    end = len(text) if end is None else end
    pattern, codes_of = _trigger_index()
    links: dict[str, IndicatorLink] = {}
    for m in pattern.finditer(text, start, end):
        word = m.group(0)
        for code in codes_of[word.lower()]:
            link = links.setdefault(code, IndicatorLink(code, [], []))
            if word not in link.triggers:
                link.triggers.append(word)
            link.spans.append((m.start(), m.end()))
    return [links[k] for k in sorted(links)]


_LEAD = re.compile(r"(?:牵头单位|牵头部门|责任单位|责任部门|主责单位)\s*[:：]\s*([^；;）)\n。]+)")
_SUPPORT = re.compile(r"(?:配合单位|配合部门|协办单位|参与单位)\s*[:：]\s*([^；;）)\n。]+)")
_DUE = re.compile(
    r"(?:完成时限|时间节点|完成时间|时限)\s*[:：]\s*([^；;）)\n。]+)"
    r"|(?<![\d〇零一二三四五六七八九十])(20[1-9]\d年(?:\d{1,2}月)?(?:底|末)?(?:前|以前))"
)


def _responsibility(text: str, a: int, b: int) -> tuple[str | None, list[str], str | None]:
    """Lead and supporting units and the deadline a task states (牵头单位：…; 2025年底前)."""
    chunk = text[a:b]
    lead = _LEAD.search(chunk)
    sup = _SUPPORT.search(chunk)
    due = _DUE.search(chunk)
    return (
        lead.group(1).strip() if lead else None,
        [s.strip() for s in re.split(r"[、，,]", sup.group(1)) if s.strip()] if sup else [],
        (due.group(1) or due.group(2)).strip() if due else None,
    )


def due_date(due: str | None) -> str | None:
    """ISO date for a deadline as written: the last day of the year or month it names.

    Examples
    --------
    >>> due_date("2025年底前"), due_date("2025年6月底"), due_date("今年"), due_date(None)
    ('2025-12-31', '2025-06-30', None, None)
    """
    import calendar

    m = re.search(r"(20\d\d)年(?:(\d{1,2})月)?", due or "")
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"

