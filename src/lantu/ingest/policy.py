"""Read a Chinese policy text (blueprint, work report, plan outline) into a tree of sections and tasks.

The parser is rule-based. It recognises the numbering conventions of Chinese official documents
and how they nest (GB/T 9704 orders them 一、 → （一） → 1. → （1）), the chapter markers of plan
outlines (第一篇 / 第一章 / 第一节 / 第一条), Markdown headings, bold headings (``**坚持…**``),
dash bullets (``——坚持…``) and the enumerations written inside a paragraph (一要…二要…, 一是…二是…,
第一，第二，). Inside each node it finds action clauses (verb + object), named programmes and
numbered formulas, quantified targets, places and organisations, and suggests indicators.

Every node and annotation carries ``span = (start, end)``, character offsets into the text given to
:func:`parse_policy`, so ``text[start:end]`` is exactly what the node or annotation came from.
Page furniture (photo captions, bylines, "推荐内容", front matter, HTML comments, tables of
contents) is kept out of every node.

Examples
--------
>>> doc = parse_policy("一、总体要求\\n坚持稳中求进。\\n二、重点任务\\n（一）加快建设物流枢纽。推进多式联运。\\n")
>>> [n.title for n in doc.children]
['总体要求', '重点任务']
>>> doc.children[1].children[0].title
'加快建设物流枢纽'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lantu.ingest.lexicon import load_indicator_triggers, load_words

__all__ = [
    "REVIEW_SECTION",
    "Action",
    "Goal",
    "IndicatorLink",
    "Mention",
    "Node",
    "PolicyDocument",
    "Programme",
    "Target",
    "cn_to_int",
    "due_date",
    "find_actions",
    "find_mentions",
    "find_programmes",
    "find_targets",
    "parse_policy",
    "suggest_indicators",
]

Span = tuple[int, int]

# --------------------------------------------------------------------------------------------
# Objects


@dataclass
class Action:
    """An action clause: a verb and its object, e.g. 推进 + 项目建设."""

    verb: str
    object: str
    text: str
    span: Span


@dataclass
class Programme:
    """A named programme or numbered formula (“1331”工程, 四个高地), with its parts when the text lists them."""

    name: str
    span: Span
    count: int | None = None
    parts: list[str] = field(default_factory=list)


@dataclass
class Target:
    """A quantified target: a number with its unit, the qualifier around it and the deadline."""

    value: float
    unit: str
    text: str
    span: Span
    qualifier: str | None = None
    deadline: str | None = None


@dataclass
class Mention:
    """A place or organisation named in the text."""

    kind: str  # "place" | "organisation"
    name: str
    span: Span


@dataclass
class IndicatorLink:
    """A suggested link from a node to an indicator code, with the words that triggered it."""

    code: str
    triggers: list[str]
    spans: list[Span]


@dataclass
class Node:
    """A section, item or enumerated task of the document.

    ``span`` covers the whole node (marker, headline, body and children); ``text`` is
    ``source[span[0]:span[1]]``. ``title_span`` covers the headline alone.
    """

    title: str
    span: Span
    title_span: Span
    marker: str
    kind: str
    ordinal: int | None
    text: str = ""
    children: list[Node] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    indicators: list[IndicatorLink] = field(default_factory=list)
    lead: str | None = None
    supporting: list[str] = field(default_factory=list)
    due: str | None = None

    def walk(self) -> Iterator[Node]:
        """Yield this node and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Goal:
    """A positioning goal stated in the lead or closing paragraph (建设国家物流枢纽; 提升首位度)."""

    title: str
    text: str
    span: Span
    indicators: list[IndicatorLink] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    where: str = "lead"  # "lead" paragraph, "position" paragraph (定位要求) or "closing" paragraph


@dataclass
class PolicyDocument:
    """The parsed document: its title, source, top-level nodes, goals and dropped furniture."""

    title: str
    text: str
    span: Span
    children: list[Node]
    goals: list[Goal]
    source: dict[str, str]
    furniture: list[tuple[str, Span]]
    programmes: list[Programme] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """Yield every node of the tree, depth first."""
        for child in self.children:
            yield from child.walk()

    def to_dict(self, annotations: bool = True) -> dict[str, Any]:
        """Return the tree as plain JSON-ready data: ``{"title", "children": [...]}``.

        Parameters
        ----------
        annotations : bool
            Include actions, programmes, targets, mentions and indicator suggestions.

        Returns
        -------
        dict
            Nested dictionaries; every node has ``title``, ``text`` and ``span``.
        """
        out: dict[str, Any] = {
            "title": self.title,
            "source": self.source,
            "text": self.text,
            "span": list(self.span),
            "goals": [_goal_dict(g) for g in self.goals],
            "children": [_node_dict(c, annotations) for c in self.children],
        }
        if annotations:
            out["programmes"] = [_programme_dict(p) for p in self.programmes]
            out["furniture"] = [{"kind": k, "span": list(s)} for k, s in self.furniture]
        return out


def _programme_dict(p: Programme) -> dict[str, Any]:
    return {"name": p.name, "span": list(p.span), "count": p.count, "parts": p.parts}


def _link_dict(link: IndicatorLink) -> dict[str, Any]:
    return {"code": link.code, "triggers": link.triggers, "spans": [list(s) for s in link.spans]}


def _goal_dict(g: Goal) -> dict[str, Any]:
    return {
        "title": g.title,
        "text": g.text,
        "span": list(g.span),
        "parts": g.parts,
        "where": g.where,
        "indicators": [_link_dict(x) for x in g.indicators],
    }


def _node_dict(n: Node, annotations: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": n.title,
        "text": n.text,
        "span": list(n.span),
        "title_span": list(n.title_span),
        "marker": n.marker,
        "kind": n.kind,
        "ordinal": n.ordinal,
    }
    if annotations:
        out["actions"] = [
            {"verb": a.verb, "object": a.object, "text": a.text, "span": list(a.span)}
            for a in n.actions
        ]
        out["programmes"] = [_programme_dict(p) for p in n.programmes]
        out["targets"] = [
            {
                "value": t.value,
                "unit": t.unit,
                "qualifier": t.qualifier,
                "deadline": t.deadline,
                "text": t.text,
                "span": list(t.span),
            }
            for t in n.targets
        ]
        out["mentions"] = [{"kind": m.kind, "name": m.name, "span": list(m.span)} for m in n.mentions]
        out["indicators"] = [_link_dict(x) for x in n.indicators]
        out["lead"] = n.lead
        out["supporting"] = n.supporting
        out["due"] = n.due
    out["children"] = [_node_dict(c, annotations) for c in n.children]
    return out


# --------------------------------------------------------------------------------------------
# Numerals

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇零一二两三四五六七八九十百"


def cn_to_int(s: str) -> int | None:
    """Value of a Chinese numeral up to 999 (一 → 1, 十二 → 12, 二十 → 20); None if not one.

    Examples
    --------
    >>> cn_to_int("十一"), cn_to_int("二十三"), cn_to_int("一百零五")
    (11, 23, 105)
    """
    if not s or any(c not in _CN_NUM for c in s):
        return None
    total, cur = 0, 0
    for c in s:
        if c == "百":
            total += (cur or 1) * 100
            cur = 0
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _CN_DIGITS[c]
    return total + cur


# --------------------------------------------------------------------------------------------
# Furniture: lines that belong to the page, not to the document

_FURNITURE_RULES: list[tuple[str, re.Pattern[str]]] = [
    # Photo caption: "十一月二日,韦韬在清徐县闫家营村看望慰问受灾群众。梁琛摄"
    ("caption", re.compile(r"^[^\n]{0,160}?[。.\s　]*(?:本报记者|记者|通讯员|新华社记者)?\s*[\u4e00-\u9fff]{2,4}\s*摄[。）)]?\s*$")),
    ("caption", re.compile(r"^\s*[（(]?\s*(?:图|图片|图为|摄影|供图)[:：]")),
    ("byline", re.compile(r"^\s*[（(]?\s*(?:本报记者|本报讯|记者|通讯员|本报通讯员)\s*[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*\s*[）)]?\s*$")),
    ("byline", re.compile(r"^\s*[（(]?\s*(?:责任编辑|编辑|责编|校对|审核|来源|作者)\s*[:：]")),
    ("related", re.compile(r"^\s*(?:推荐内容|相关阅读|相关新闻|延伸阅读|猜你喜欢|热点推荐|打印本页|关闭窗口|分享到|扫一扫)")),
    ("dateline", re.compile(r"^\s*>?\s*(?:新华社|本报|中新社|人民网)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电\s*$")),
    ("rule", re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")),
]
_BLOCK_FURNITURE = [
    ("comment", re.compile(r"<!--.*?-->", re.S)),
    ("contents", re.compile(r"<details>.*?(?:</details>|<details>)", re.S)),
    ("html", re.compile(r"</?(?:details|summary|br|div|span|p)\b[^>\n]*>")),
]
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n-{3,}[ \t]*(?:\r?\n|\Z)", re.S)
_FM_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _front_matter(text: str) -> tuple[dict[str, str], int]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        fm = _FM_LINE.match(line)
        if fm:
            meta[fm.group(1).lower()] = fm.group(2).strip().strip("\"'")
    return meta, m.end()


# --------------------------------------------------------------------------------------------
# Paragraphs

_PARA_BREAK = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000\r\n]*|[ \t\u3000]{2,}")


def _paragraphs(text: str, start: int, end: int) -> list[Span]:
    """Paragraph spans in text[start:end]: split at line breaks, or at runs of 2+ spaces (pages
    whose line breaks were flattened)."""
    out: list[Span] = []
    pos = start
    for m in _PARA_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


# --------------------------------------------------------------------------------------------
# Markers

# rank: smaller is higher in the tree. Headings close every open node of equal or lower rank.
_RANK = {"bold_part": -5, "part": -4, "pian": -3, "zhang": -2, "jie": -1, "tiao": -0.5, "cn": 1, "pcn": 2, "ar": 3, "par": 4, "circ": 5}
_UNNUMBERED_RANK = {"bold": 50, "bold_inline": 51, "dash": 52}
_INLINE_RANK = {"di": 60, "yao": 61, "shi": 62}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_SENT_END = "。！？；：!?;:"
_CLAUSE_END = "。！？；，：!?;,:"

_HEADING_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"第([{_CN_NUM}]+|\d{{1,3}})(部分|[篇章节条])[\s\u3000、，,：:]*")),
    ("cn", re.compile(rf"([{_CN_NUM}]{{1,6}})[、，,．.](?![{_CN_NUM}、])")),
    ("pcn", re.compile(rf"[（(]([{_CN_NUM}]{{1,3}})[）)]\s*")),
    # a page that lost the first character of its paragraphs: "一）…" (the "（" lost), "、…" (the
    # numeral lost); read only at a paragraph start, the numeral of "、" from the list it opens
    ("pcn_lost", re.compile(rf"([{_CN_NUM}]{{1,3}})[）)]\s*")),
    ("cn_lost", re.compile(r"、(?=[\u4e00-\u9fff“])")),
    ("ar", re.compile(r"(\d{1,2})(?:[.．](?![\d.．])|、)\s*")),
    ("par", re.compile(r"[（(](\d{1,2})[）)]\s*")),
    ("circ", re.compile(rf"([{_CIRCLED}])\s*")),
]
_INLINE_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("di", re.compile(rf"第([{_CN_NUM}]{{1,2}})[，,、](?!\d)")),
    ("yao", re.compile(rf"([{_CN_NUM}]{{1,2}})要(?![求素件点闻务])")),
    ("shi", re.compile(rf"([{_CN_NUM}]{{1,2}})是(?![否非])")),
]
_CHAPTER_KIND = {"部分": "part", "篇": "pian", "章": "zhang", "节": "jie", "条": "tiao"}


@dataclass
class _Marker:
    kind: str
    rank: float
    ordinal: int | None
    start: int  # where the node starts (opening ** included)
    title_start: int
    title_end: int
    para_end: int
    inline: bool  # closes at the end of its paragraph
    at_start: bool = False  # opens its paragraph


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _prefix_is_decoration(text: str, a: int, b: int) -> bool:
    """True when text[a:b] is only indentation, Markdown heading/list/quote marks or bold marks."""
    return re.fullmatch(r"[\s\u3000]*(?:#{1,6}\s+|[-+>]\s+|\*\s+)?[\s\u3000*]*", text[a:b]) is not None


def _context_before(text: str, pos: int, para_start: int) -> str:
    """'' at the start of a paragraph, else the last significant character before pos
    (skipping spaces and bold marks)."""
    if _prefix_is_decoration(text, para_start, pos):
        return ""
    i = pos - 1
    while i >= para_start and text[i] in " \t\u3000*":
        i -= 1
    return text[i] if i >= para_start else ""


def _bold_open_before(text: str, pos: int, para_start: int) -> int | None:
    """Position of an opening ``**`` right before pos (spaces allowed between), else None."""
    i = pos
    while i > para_start and text[i - 1] in " \t\u3000":
        i -= 1
    if i - 2 >= para_start and text[i - 2 : i] == "**":
        # opening when an even number of ** precede it in the paragraph
        if text.count("**", para_start, i - 2) % 2 == 0:
            return i - 2
    return None


def _clean_title(s: str) -> str:
    """A headline without bold marks, surrounding spaces and closing punctuation."""
    s = s.replace("**", "").strip(" \t\u3000")
    return s.rstrip("。；，：、,.;:！!？? \t\u3000").strip()


def _title_end(text: str, start: int, para_end: int, bold: bool, at_line_start: bool,
               short: bool) -> int:
    """Where the headline that begins at start ends: the bold close, the first full stop, the
    paragraph end, or (not at a line start: a flattened page) the first space. A long headline
    stops earlier: at the colon of "term：definition", or at its first comma when it is an
    enumeration (``short``, over 30 characters) or over 60 characters."""
    end = _headline_end(text, start, para_end, bold, at_line_start)
    if end - start > 40:
        colon = re.search(r"[：:]", text[start : start + 40])
        if colon:
            return start + colon.start()
    if (short and end - start > 30) or end - start > 60:
        comma = re.search(r"[，,：:]", text[start:end])
        if comma:
            return start + comma.start()
    return end


def _headline_end(text: str, start: int, para_end: int, bold: bool, at_line_start: bool) -> int:
    if bold:
        close = text.find("**", start, para_end)
        if close != -1:
            # a bold headline may run on into a first sentence of body: stop at its first full stop
            stop = re.search(r"[。！？；!?;](?=.)", text[start:close])
            return start + stop.start() if stop else close
    for i in range(start, para_end):
        c = text[i]
        if c in "。！？；!?;" or (i > start and text.startswith("**", i)):
            return i
        if not at_line_start and c in " \t\u3000" and i > start:
            return i
    return para_end


def _scan_markers(text: str, paras: list[Span], skip: list[Span]) -> list[_Marker]:
    """Find every candidate marker, in text order."""
    out: list[_Marker] = []
    skip_starts = [a for a, _ in skip]

    def skipped(pos: int) -> bool:
        k = bisect.bisect_right(skip_starts, pos) - 1
        return k >= 0 and skip[k][0] <= pos < skip[k][1]

    for pa, pb in paras:
        if skipped(pa):
            continue
        body = text[pa:pb]
        # Markdown heading: the whole line is the title.
        md = re.match(r"[ \t\u3000]*(#{1,6})[ \t\u3000]+(?=\S)", body)
        md_level = len(md.group(1)) if md else 0
        found_heading_at_start = False
        for kind, pat in _HEADING_MARKERS:
            for m in pat.finditer(text, pa, pb):
                ctx = _context_before(text, m.start(), pa)
                at_para_start = ctx == ""
                if not at_para_start and ctx not in _SENT_END:
                    continue
                if kind.endswith("_lost") and not at_para_start:
                    continue
                if kind == "cn_lost":
                    sub, ordinal = "cn", -1  # numbered from the list it opens, below
                elif kind == "chapter":
                    sub = _CHAPTER_KIND[m.group(2)]
                    ordinal = cn_to_int(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
                    if not at_para_start:
                        continue
                else:
                    sub = kind.removesuffix("_lost")
                    g = m.group(1)
                    ordinal = (
                        _CIRCLED.index(g) + 1 if kind == "circ"
                        else int(g) if g.isdigit() else cn_to_int(g)
                    )
                    if kind in ("cn", "ar") and not at_para_start and m.group(0)[-1] not in "、":
                        continue  # "1." or "一，" in running text is not a heading
                    if kind == "cn" and m.group(0)[len(g)] in "，," and not at_para_start:
                        continue
                if ordinal is None or ordinal == 0:
                    continue
                bold_at = _bold_open_before(text, m.start(), pa)
                ts = m.end()
                bold = bold_at is not None
                # bold marks between the number and its headline: "一、**总体要求**", "**一、** **总体要求**"
                gap = re.match(r"(?:[ \t\u3000]*\*\*)+[ \t\u3000]*", text[ts:pb])
                if gap:
                    bold, ts = True, ts + gap.end()
                    if text[ts - 2 : ts] != "**" and text.count("**", pa, ts) % 2 == 0:
                        bold = False  # the marks closed a bold number: the headline is plain
                if md_level and at_para_start:
                    te = pb
                else:
                    te = _title_end(text, ts, pb, bold, at_para_start, short=False)
                start = bold_at if bold_at is not None else m.start()
                if md and at_para_start:
                    start = pa
                out.append(_Marker(sub, _RANK[sub], ordinal, start, ts, te, pb, False, at_para_start))
                if at_para_start:
                    found_heading_at_start = True
        if md_level and not found_heading_at_start:
            ts = pa + md.end()
            out.append(_Marker(f"h{md_level}", -10 + md_level, None, pa, ts, pb, pb, False))
            continue
        # Bold heading at paragraph start, not carrying a number.
        lead = re.match(r"[ \t\u3000]*(?:[-+>]\s+)?\*\*", body)
        if lead and not found_heading_at_start:
            ts = pa + lead.end()
            close = text.find("**", ts, pb)
            if close != -1 and 2 <= close - ts <= 60 and not _starts_with_marker(text, ts, pb):
                te = _title_end(text, ts, pb, True, True, short=False)
                out.append(_Marker("bold", _UNNUMBERED_RANK["bold"], None, pa + lead.end() - 2,
                                   ts, te, pb, False))
        # Bold sub-headings inside the paragraph, after a sentence end.
        for i, m in enumerate(re.finditer(r"\*\*", body)):
            p = pa + m.start()
            if p == pa + (lead.end() - 2 if lead else -99):
                continue
            if i % 2:
                continue  # a closing mark
            ctx = _context_before(text, p, pa)
            if ctx == "" or ctx not in "。！？!?":
                continue
            ts = p + 2
            close = text.find("**", ts, pb)
            if close == -1 or not 2 <= close - ts <= 40:
                continue
            inner = text[ts:close].rstrip()
            after = text[close + 2 : close + 3]
            if not (inner and (inner[-1] in "。！!" or after in "。！!")):
                continue
            if _starts_with_marker(text, ts, pb):
                continue
            out.append(_Marker("bold_inline", _UNNUMBERED_RANK["bold_inline"], None, p, ts, close,
                               pb, True))
        # Dash bullet "——坚持…。"
        dash = re.match(r"[ \t\u3000]*(?:[-+]\s+)?(?:——|─{2})", body)
        if dash and not found_heading_at_start:
            ts = pa + dash.end()
            te = _title_end(text, ts, pb, False, True, short=False)
            out.append(_Marker("dash", _UNNUMBERED_RANK["dash"], None, pa + dash.start(), ts, te, pb,
                               True))
        # Enumerations inside a paragraph.
        for kind, pat in _INLINE_MARKERS:
            for m in pat.finditer(text, pa, pb):
                ctx = _context_before(text, m.start(), pa)
                if ctx != "" and ctx not in _CLAUSE_END:
                    continue
                ordinal = cn_to_int(m.group(1))
                if not ordinal:
                    continue
                ts = m.end()
                bold = False
                if text.startswith("**", ts):
                    bold, ts = True, ts + 2
                bold_at = _bold_open_before(text, m.start(), pa)
                te = _title_end(text, ts, pb, bold, True, short=True)
                # "**第一，努力增加农民收入。**…" opening its paragraph: a heading over the
                # paragraphs up to "**第二，", not an enumeration inside one paragraph
                heading = kind == "di" and ctx == "" and (bold or bold_at is not None)
                out.append(_Marker(kind, _DI_HEADING_RANK if heading else _INLINE_RANK[kind], ordinal,
                                   bold_at if bold_at is not None else m.start(), ts, te, pb,
                                   not heading, heading))
    out.sort(key=lambda mk: (mk.start, mk.rank))
    return _keep_runs(_bold_parts(text, _number_lost(out)))


_DI_HEADING_RANK = 2.5


def _number_lost(markers: list[_Marker]) -> list[_Marker]:
    """Number a "、…" whose numeral the page lost from the list it opens (the next "二、" at a
    paragraph start); drop it when no such list follows."""
    out: list[_Marker] = []
    for k, mk in enumerate(markers):
        if mk.kind == "cn" and mk.ordinal == -1:
            nxt = next((m for m in markers[k + 1 :] if m.kind == "cn" and m.at_start and m.ordinal != -1), None)
            if nxt is None or nxt.ordinal is None or nxt.ordinal < 2:
                continue
            mk.ordinal = nxt.ordinal - 1
        out.append(mk)
    return out


def _bold_parts(text: str, markers: list[_Marker]) -> list[_Marker]:
    """Bold lines standing alone that each open a list restarting at "一、" are parts above those
    lists (**本届政府工作回顾** 一、… 二、… **“十三五”时期目标任务** 一、…): two or more such
    lines make them parts."""
    pairs: list[_Marker] = []
    last_bold: _Marker | None = None
    for mk in markers:
        if mk.kind == "bold":
            rest = text[mk.title_end : mk.para_end].replace("*", "").strip(" \t\u3000：:")
            last_bold = mk if not rest else None
        elif mk.rank < 50:
            if last_bold is not None and mk.kind == "cn" and mk.ordinal == 1 and mk.at_start:
                pairs.append(last_bold)
            last_bold = None
    if len(pairs) >= 2:
        for mk in pairs:
            mk.kind, mk.rank = "bold_part", _RANK["bold_part"]
    return markers


def _starts_with_marker(text: str, pos: int, end: int) -> bool:
    """True when text[pos:] opens with a numbering marker (一、 （一） 1. … or 一是 一要 第一，)."""
    return any(pat.match(text, pos, end) for _kind, pat in _HEADING_MARKERS + _INLINE_MARKERS)


def _keep_runs(markers: list[_Marker]) -> list[_Marker]:
    """Keep inline enumerations and dash bullets only when they form a run (一是 needs a 二是)."""
    keep: list[_Marker] = []
    by_kind: dict[str, list[int]] = {}
    for i, mk in enumerate(markers):
        by_kind.setdefault(mk.kind, []).append(i)
    drop: set[int] = set()
    for kind, idx in by_kind.items():
        if kind in _INLINE_RANK:
            # a run: ordinals 1,2,3,... with each next one within 3000 characters
            ok: set[int] = set()
            for j, i in enumerate(idx):
                if markers[i].ordinal != 1:
                    continue
                run = [i]
                expect = 2
                for i2 in idx[j + 1 :]:
                    far = markers[i2].start - markers[run[-1]].start > 3000
                    if far and (markers[i2].inline or markers[run[-1]].inline):
                        break
                    if markers[i2].ordinal == expect:
                        run.append(i2)
                        expect += 1
                    elif markers[i2].ordinal == 1:
                        break
                if len(run) >= 2:
                    ok.update(run)
            drop.update(set(idx) - ok)
        elif kind == "dash":
            # consecutive dash paragraphs, at least two
            groups: list[list[int]] = []
            for i in idx:
                if groups and _adjacent(markers[groups[-1][-1]], markers[i]):
                    groups[-1].append(i)
                else:
                    groups.append([i])
            for g in groups:
                if len(g) < 2:
                    drop.update(g)
    for i, mk in enumerate(markers):
        if i not in drop:
            keep.append(mk)
    return keep


def _adjacent(a: _Marker, b: _Marker) -> bool:
    """Dash bullets b follows a closely enough to be the same list."""
    return b.start - a.para_end < 400


# --------------------------------------------------------------------------------------------
# Tree building


def _skips_lost(text: str, prev: _Marker, mk: _Marker) -> bool:
    """True when mk continues prev's list past numbers the page lost: a bold heading alone on its
    line, at most three numbers on, with none of the skipped markers anywhere between
    (**（一）…** … **（四）…** where the headings of 二 and 三 lost their numbers)."""
    if not (mk.at_start and prev.ordinal is not None and mk.ordinal is not None
            and mk.kind in ("cn", "pcn") and prev.ordinal + 1 < mk.ordinal <= prev.ordinal + 3):
        return False
    if text[mk.title_end : mk.para_end].replace("*", "").strip() or text[mk.start : mk.start + 2] != "**":
        return False
    between = text[prev.start : mk.start]
    marks = [f"（{_cn(n)}）" if mk.kind == "pcn" else f"{_cn(n)}、" for n in range(prev.ordinal + 1, mk.ordinal)]
    return not any(m in between for m in marks)


def _cn(n: int) -> str:
    """Chinese numeral for 1..99 (3 → 三, 12 → 十二)."""
    tens, units = divmod(n, 10)
    digits = "零一二三四五六七八九"
    if not tens:
        return digits[units]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def _build_tree(text: str, markers: list[_Marker], start: int, end: int,
                trim_end: Any) -> list[Node]:
    roots: list[Node] = []
    stack: list[tuple[_Marker, Node]] = []
    # last child appended to each container (index 0 = the document, i = stack[i-1]'s node)
    last: list[_Marker | None] = [None]

    def close(until: int, pos: int) -> None:
        while len(stack) > until:
            mk, node = stack.pop()
            last.pop()
            e = trim_end(min(pos, mk.para_end) if mk.inline else pos, node.span[0])
            e = max(e, node.title_span[0])
            node.span = (node.span[0], e)
            if node.title_span[1] > e:  # the next marker came before the headline's end
                node.title_span = (node.title_span[0], e)
                node.title = _clean_title(text[node.title_span[0] : e])

    # ordinal of the next marker of the same kind, to accept a list whose first item has no number
    next_ordinal: list[int | None] = [None] * len(markers)
    following: dict[str, int | None] = {}
    for k in range(len(markers) - 1, -1, -1):
        next_ordinal[k] = following.get(markers[k].kind)
        following[markers[k].kind] = markers[k].ordinal
    kinds_seen: set[str] = set()

    for k, mk in enumerate(markers):
        # inline enumerations end with their paragraph
        while stack and stack[-1][0].inline and stack[-1][0].para_end <= mk.start:
            close(len(stack) - 1, stack[-1][0].para_end)
        numbered = mk.rank < 50
        depth: int | None = None
        if mk.ordinal is not None and mk.ordinal > 1 and mk.rank > 0:
            # must continue a list of the same kind: an open item, or the last child of a container
            for i in range(len(stack), -1, -1):
                prev = last[i]
                if i < len(stack) and stack[i][0].kind == mk.kind:
                    if stack[i][0].ordinal == mk.ordinal - 1 or _skips_lost(text, stack[i][0], mk):
                        depth = i
                    break
                if prev is not None and prev.kind == mk.kind and prev.ordinal == mk.ordinal - 1:
                    depth = i
                    break
            starts_list = (
                depth is None and mk.at_start and mk.kind not in kinds_seen
                and next_ordinal[k] == mk.ordinal + 1
            )  # "二、…三、…" after an unnumbered first section
            if depth is None and not starts_list:
                continue
        if depth is not None:
            close(depth, mk.start)
        else:
            while stack and (
                stack[-1][0].rank >= mk.rank
                or (numbered and stack[-1][0].kind in _UNNUMBERED_RANK)
            ):
                close(len(stack) - 1, mk.start)
        title = _clean_title(text[mk.title_start : mk.title_end])
        tspan = (mk.title_start, mk.title_end)
        node = Node(title=title, span=(mk.start, end), title_span=tspan, marker=mk.kind,
                    kind="section", ordinal=mk.ordinal)
        (stack[-1][1].children if stack else roots).append(node)
        kinds_seen.add(mk.kind)
        last[-1] = mk
        stack.append((mk, node))
        last.append(None)
    close(0, end)
    for root in roots:
        for node in root.walk():
            node.text = text[node.span[0] : node.span[1]]
            node.kind = "task" if not node.children else "section"
    return roots


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
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT})")
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
    out: list[Target] = []
    for sa, sb in _sentences(text, start, end):
        sentence = text[sa:sb]
        if not _TARGET_CUE.search(sentence) or _PAST.search(sentence):
            continue
        dl = _DEADLINE.search(sentence)
        deadline = (dl.group(1) or dl.group(2)).strip("“”") if dl else None
        for a, b in _clauses(text, sa, sb):
            clause = text[a:b]
            if not _TARGET_CUE.search(clause):
                continue
            for m in _NUMBER.finditer(text, a, b):
                value = float(m.group(1))
                if m.group(2) == "" or (re.fullmatch(r"\d{4}", m.group(1)) and m.group(2) in ("年",)):
                    continue
                tail = text[m.end() : min(b, m.end() + 4)]
                head = text[max(a, m.start() - 4) : m.start()]
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


# --------------------------------------------------------------------------------------------
# Goals


def _positioning_clause(text: str, a: int, b: int) -> bool:
    clause = text[a:b]
    return any(noun in clause for noun in load_words("positioning.txt"))


_RESULT_VERBS = ("率先形成", "加快形成", "基本形成", "形成", "构建", "建成", "再现", "实现")
_STANDING_NOUNS = ("首位度", "影响力", "战略地位", "辐射力")
_ROLE_VERBS = re.compile(r"(?:当好|争当|争做|成为|建成|建设|打造)")


def _find_goals(text: str, paras: list[Span], first_marker: int, last_end: int) -> list[Goal]:
    """Positioning goals, in text order, from three places before and after the tasks:

    - a lead paragraph of ';'-separated statements, each a verb phrase (建设…枢纽; 建设…中心城市,
      带动…; …): a goal ends at a clause naming a position (枢纽, 高地, 体系, 经济区, …) or
      stating a result (形成…, 再现…); clauses after the last one join it;
    - a paragraph naming the position asked of the place (定位要求, 战略定位): the role it is to
      play (当好…排头兵), with parallel clauses (在…上走在前列) as its parts;
    - the closing paragraph: standing to raise (首位度, 影响力).
    """
    goals: list[Goal] = []
    before = [p for p in paras if p[1] <= first_marker]
    lead_found = False
    for pa, pb in before[:3]:
        stop = re.search(r"。|……|！", text[pa:pb])
        pe = pa + stop.start() if stop else pb
        segments = [s for s in _split(text, pa, pe, "；;") if s[1] - s[0] >= 4]
        if len(segments) < 2 or sum(1 for a, b in segments if _match_action(text, a, b)) < 2:
            continue
        for sa, sb in segments:
            groups: list[list[Span]] = []
            open_group: list[Span] = []
            for ca, cb in _split(text, sa, sb, "，,"):
                ca, cb = _strip_span(text, ca, cb)
                open_group.append((ca, cb))
                if _positioning_clause(text, ca, cb) or text.startswith(_RESULT_VERBS, ca):
                    groups.append(open_group)
                    open_group = []
            if open_group and groups:
                groups[-1].extend(open_group)
            goals.extend(_goal(text, g, head=_head_clause(text, g), where="lead") for g in groups)
        lead_found = True
        break
    for pa, pb in before:
        if lead_found and goals and pa <= goals[0].span[0]:
            continue
        role = _role_goal(text, pa, pb)
        if role:
            goals.append(role)
    closing = [p for p in paras if p[0] >= last_end]
    for pa, pb in closing[-1:]:
        for ca, cb in _split(text, pa, pb, "，,；;。！!"):
            ca, cb = _strip_span(text, ca, cb)
            if _match_action(text, ca, cb) and any(n in text[ca:cb] for n in _STANDING_NOUNS):
                goals.append(_goal(text, [(ca, cb)], where="closing"))
    return goals


def _head_clause(text: str, clauses: list[Span]) -> Span:
    """The clause that names the goal: the first naming a position or a result."""
    for ca, cb in clauses:
        if _positioning_clause(text, ca, cb) or text.startswith(_RESULT_VERBS, ca):
            return ca, cb
    return clauses[0]


_POSITION_CUE = re.compile(r"定位要求|战略定位|功能定位|发展定位|城市定位")


def _role_goal(text: str, pa: int, pb: int) -> Goal | None:
    """The role a paragraph naming the place's position (定位要求) asks it to play."""
    cue = _POSITION_CUE.search(text, pa, pb)
    if not cue:
        return None
    quote = re.search(r"“([^”]{20,})”", text[pa:pb])
    if quote:
        sa, sb = pa + quote.start(1), pa + quote.end(1)
    else:
        sa = max(text.rfind("。", pa, cue.start()) + 1, pa)
        sb = cue.start()
    while sb > sa and text[sb - 1] in "。！!，, ":
        sb -= 1
    clauses = [_strip_span(text, a, b) for a, b in _split(text, sa, sb, "，,；;")]
    heads = [c for c in clauses if _ROLE_VERBS.match(text, c[0], c[1])]
    if not heads:
        return None
    goal = _goal(text, clauses, head=heads[-1], where="position")
    endings: dict[str, int] = {}
    for a, b in clauses:
        if b - a > 4:
            endings[text[b - 4 : b]] = endings.get(text[b - 4 : b], 0) + 1
    common = [e for e, n in endings.items() if n >= 2]
    goal.parts = [text[a:b] for a, b in clauses if common and text[a:b].endswith(tuple(common))]
    return goal


def _split(text: str, a: int, b: int, seps: str) -> list[Span]:
    out: list[Span] = []
    pos = a
    for i in range(a, b):
        if text[i] in seps:
            if i > pos:
                out.append((pos, i))
            pos = i + 1
    if pos < b:
        out.append((pos, b))
    return out


def _goal(text: str, clauses: list[Span], head: Span | None = None, where: str = "lead") -> Goal:
    a, b = clauses[0][0], clauses[-1][1]
    ha, hb = head or clauses[0]
    return Goal(title=text[ha:hb].strip(), text=text[a:b], span=(a, b),
                indicators=suggest_indicators(text, a, b), where=where)


# --------------------------------------------------------------------------------------------
# Entry point


def parse_policy(text: str, source: dict[str, str] | None = None, *, mentions: bool = True,
                 title: str | None = None) -> PolicyDocument:
    """Parse a Chinese policy text into a :class:`PolicyDocument`.

    Parameters
    ----------
    text : str
        The whole text, as read (Markdown front matter, if any, is read for ``source`` and
        ``title`` and kept out of the tree).
    source : dict, optional
        Provenance to record (``url``, ``file``); a ``source:`` or ``url:`` in the front matter
        fills ``url`` when not given.
    mentions : bool
        Look for places and organisations (uses jieba; about half the parse time).
    title : str, optional
        Title to use when neither the front matter nor the first heading gives one.

    Returns
    -------
    PolicyDocument

    Raises
    ------
    ValueError
        If ``text`` is not a string.

    Examples
    --------
    >>> doc = parse_policy("  一要持续优化产业结构。全力推进项目建设。  二要深化关键领域改革。加快建设示范区。")
    >>> [n.title for n in doc.children]
    ['持续优化产业结构', '深化关键领域改革']
    >>> [a.text for a in doc.children[0].actions]
    ['持续优化产业结构', '全力推进项目建设']
    """
    if not isinstance(text, str):
        raise ValueError(f"parse_policy: expected the text as str, got {type(text).__name__}")
    meta, body_start = _front_matter(text)
    src = dict(source or {})
    url = meta.get("source") or meta.get("url")
    if url and "url" not in src:
        src["url"] = url
    furniture: list[tuple[str, Span]] = []
    blocked: list[Span] = []
    if body_start:
        furniture.append(("front_matter", (0, body_start)))
    for kind, pat in _BLOCK_FURNITURE:
        for m in pat.finditer(text, body_start):
            furniture.append((kind, (m.start(), m.end())))
            blocked.append((m.start(), m.end()))
    blocked = _union(blocked)
    paras = [p for p in _paragraphs(text, body_start, len(text)) if not _inside(p, blocked)]
    kept: list[Span] = []
    for pa, pb in paras:
        line = text[pa:pb]
        kind = next((k for k, pat in _FURNITURE_RULES if pat.search(line)), None)
        if kind == "caption" and len(line) > 200:
            kind = None
        if kind:
            furniture.append((kind, (pa, pb)))
        else:
            kept.append((pa, pb))
    furniture.sort(key=lambda f: f[1])
    # "推荐内容" and everything after it is the page's, not the document's
    rel = next((s for k, s in furniture if k == "related"), None)
    if rel:
        kept = [p for p in kept if p[0] < rel[0]]
        furniture = [f for f in furniture if f[1][0] < rel[0]] + [("related", (rel[0], len(text)))]
    doc_start = kept[0][0] if kept else body_start
    doc_end = kept[-1][1] if kept else body_start
    kept_starts = [p[0] for p in kept]

    def trim_end(pos: int, floor: int) -> int:
        """Move an end back over whitespace and furniture so a node never ends with either."""
        k = bisect.bisect_left(kept_starts, pos) - 1
        if k < 0:
            return floor
        e = min(pos, kept[k][1])
        while e > floor and text[e - 1] in " \t\u3000\r\n":
            e -= 1
        return e

    # doc title: front matter, else a first paragraph that is a bold or Markdown heading alone
    doc_title = meta.get("title") or title or ""
    first_heading = None
    if kept:
        pa, pb = kept[0]
        m = re.fullmatch(r"[ \t\u3000]*(?:#{1,6}\s+|[-+]\s+)?\*\*([^*\n]{2,80})\*\*\s*|[ \t\u3000]*#\s+([^\n]{2,80})", text[pa:pb])
        if m:
            first_heading = (pa, pb)
            doc_title = doc_title or (m.group(1) or m.group(2)).strip()
    skip = _union(list(blocked) + [s for _k, s in furniture] + ([first_heading] if first_heading else []))
    markers = _scan_markers(text, [p for p in kept if p != first_heading], skip)
    children = _build_tree(text, markers, doc_start, doc_end, trim_end)
    if any(_is_numbered(c) for c in children):
        # bold lines before the first numbered section are the preamble (speaker, "各位代表")
        while children and not _is_numbered(children[0]):
            children.pop(0)
    first_marker = children[0].span[0] if children else doc_end
    last_end = children[-1].span[1] if children else doc_start
    goals = _find_goals(text, [p for p in kept if p != first_heading], first_marker, last_end)
    doc = PolicyDocument(
        title=doc_title or (goals[0].title if goals else ""),
        text=text[doc_start:doc_end],
        span=(doc_start, doc_end),
        children=children,
        goals=goals,
        source=src,
        furniture=sorted(furniture, key=lambda f: f[1]),
    )
    _annotate(doc, text, mentions)
    return doc


def _is_numbered(node: Node) -> bool:
    return node.marker in _RANK or node.marker.startswith("h")


def _inside(span: Span, blocks: list[Span]) -> bool:
    """True when span lies inside one of blocks (sorted, non-overlapping)."""
    k = bisect.bisect_right(blocks, (span[0], float("inf"))) - 1
    return k >= 0 and blocks[k][0] <= span[0] and span[1] <= blocks[k][1]


def _union(spans: list[Span]) -> list[Span]:
    """Sorted, merged copy of spans."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _own_ranges(node: Node) -> list[Span]:
    """Parts of a node not covered by its children."""
    out: list[Span] = []
    pos = node.span[0]
    for c in node.children:
        if c.span[0] > pos:
            out.append((pos, c.span[0]))
        pos = max(pos, c.span[1])
    if pos < node.span[1]:
        out.append((pos, node.span[1]))
    return out


#: Title of a section that reviews past work (its figures are results, its clauses not tasks).
REVIEW_SECTION = re.compile(
    r"回顾|总结|主要成就|取得的成绩|取得了[^，。]{0,6}成绩|过去[一二三四五六七八九十]?年|本届政府"
)


def _annotate(doc: PolicyDocument, text: str, mentions: bool) -> None:
    doc.programmes = sorted(find_programmes(text, doc.span[0], doc.span[1]), key=lambda p: p.span)
    prog_starts = [p.span[0] for p in doc.programmes]
    found = find_mentions(text, doc.span[0], doc.span[1]) if mentions else []
    mention_starts = [m.span[0] for m in found]
    # a review of past work (工作回顾) reports results, not targets
    review = {id(n) for top in doc.children if REVIEW_SECTION.search(top.title) for n in top.walk()}
    for node in doc.walk():
        own = _own_ranges(node)
        for a, b in own:
            node.actions.extend(find_actions(text, max(a, node.title_span[0]), b))
            lo = bisect.bisect_left(prog_starts, a)
            hi = bisect.bisect_left(prog_starts, b)
            node.programmes.extend(doc.programmes[lo:hi])
            if id(node) not in review:
                node.targets.extend(find_targets(text, a, b))
            if mentions:
                lo = bisect.bisect_left(mention_starts, a)
                hi = bisect.bisect_left(mention_starts, b)
                node.mentions.extend(found[lo:hi])
        node.indicators = _merge_links(suggest_indicators(text, *r) for r in own)
        head_end = own[0][1] if own and own[0][0] == node.span[0] else node.title_span[1]
        node.lead, node.supporting, node.due = _responsibility(text, node.span[0], head_end)
    for goal in doc.goals:
        if goal.parts:
            continue
        for prog in doc.programmes:
            if prog.parts and all(part in goal.text for part in prog.parts):
                goal.parts = list(prog.parts)
                break


def _merge_links(groups: Iterable[list[IndicatorLink]]) -> list[IndicatorLink]:
    merged: dict[str, IndicatorLink] = {}
    for group in groups:
        for link in group:
            if link.code in merged:
                m = merged[link.code]
                m.triggers.extend(t for t in link.triggers if t not in m.triggers)
                m.spans.extend(link.spans)
            else:
                merged[link.code] = IndicatorLink(link.code, list(link.triggers), list(link.spans))
    return [merged[k] for k in sorted(merged)]
