"""The structure of a policy text: page furniture kept out of the document (captions, bylines,
front matter, tables of contents), paragraphs, the numbering markers of Chinese official
documents and the tree they nest into. A stage of :mod:`lantu.ingest.policy`; it uses
:mod:`lantu.ingest.policy_model` only."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lantu.ingest.policy_model import _CN_NUM, Node, Span, cn_to_int

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

# Reading the number of a heading marker: ``(kind, ordinal)``, or None where the match is not a
# heading (a chapter inside a sentence, "1." in running text, a lost bracket not at a paragraph
# start). ``at_start``: the match opens its paragraph (else it follows a sentence end).
_NumberReader = Callable[[re.Match[str], bool], tuple[str, int | None] | None]


def _numeral(g: str) -> int | None:
    return int(g) if g.isdigit() else cn_to_int(g)


def _chapter_number(m: re.Match[str], at_start: bool) -> tuple[str, int | None] | None:
    """第一章 第二节 第三部分 …: a heading only at a paragraph start."""
    kind, ordinal = _CHAPTER_KIND[m.group(2)], _numeral(m.group(1))
    return (kind, ordinal) if at_start else None


def _list_number(kind: str) -> _NumberReader:
    """一、 1. …: in running text (after a sentence end) only with 、 ("1." or "一，" there is
    not a heading)."""
    def read(m: re.Match[str], at_start: bool) -> tuple[str, int | None] | None:
        ordinal = _numeral(m.group(1))
        if not at_start and m.group(0)[-1] not in "、":
            return None
        return kind, ordinal
    return read


def _bracket_number(kind: str) -> _NumberReader:
    """（一） （1）: a heading at a paragraph start or after a sentence end."""
    def read(m: re.Match[str], _at_start: bool) -> tuple[str, int | None] | None:
        return kind, _numeral(m.group(1))
    return read


def _circled_number(m: re.Match[str], _at_start: bool) -> tuple[str, int | None] | None:
    return "circ", _CIRCLED.index(m.group(1)) + 1


def _lost_bracket_number(m: re.Match[str], at_start: bool) -> tuple[str, int | None] | None:
    """"一）…" whose "（" the page lost: read only at a paragraph start."""
    return ("pcn", _numeral(m.group(1))) if at_start else None


def _lost_numeral(_m: re.Match[str], at_start: bool) -> tuple[str, int | None] | None:
    """"、…" whose numeral the page lost: numbered later from the list it opens
    (:func:`_number_lost`), so -1 here; read only at a paragraph start."""
    return ("cn", -1) if at_start else None


# The numbered heading markers, in the order they are looked for: kind, pattern, reader.
_HEADING_MARKERS: list[tuple[str, re.Pattern[str], _NumberReader]] = [
    ("chapter", re.compile(rf"第([{_CN_NUM}]+|\d{{1,3}})(部分|[篇章节条])[\s\u3000、，,：:]*"),
     _chapter_number),
    ("cn", re.compile(rf"([{_CN_NUM}]{{1,6}})[、，,．.](?![{_CN_NUM}、])"), _list_number("cn")),
    ("pcn", re.compile(rf"[（(]([{_CN_NUM}]{{1,3}})[）)]\s*"), _bracket_number("pcn")),
    # a page that lost the first character of its paragraphs: "一）…" (the "（" lost), "、…" (the
    # numeral lost); read only at a paragraph start, the numeral of "、" from the list it opens
    ("pcn_lost", re.compile(rf"([{_CN_NUM}]{{1,3}})[）)]\s*"), _lost_bracket_number),
    ("cn_lost", re.compile(r"、(?=[\u4e00-\u9fff“])"), _lost_numeral),
    ("ar", re.compile(r"(\d{1,2})(?:[.．](?![\d.．])|、)\s*"), _list_number("ar")),
    ("par", re.compile(r"[（(](\d{1,2})[）)]\s*"), _bracket_number("par")),
    ("circ", re.compile(rf"([{_CIRCLED}])\s*"), _circled_number),
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


@dataclass
class _Para:
    """A paragraph being scanned for markers: its span in ``text``, a Markdown heading (``## …``)
    or an opening bold mark (``**``) that opens it, and whether a numbered heading opens it
    (set by :func:`_numbered_headings`; most other markers then stand back)."""

    text: str
    start: int
    end: int
    md: re.Match[str] | None = None
    lead: re.Match[str] | None = None
    heading_at_start: bool = False

    @classmethod
    def read(cls, text: str, start: int, end: int) -> _Para:
        body = text[start:end]
        return cls(text, start, end,
                   md=re.match(r"[ \t\u3000]*(#{1,6})[ \t\u3000]+(?=\S)", body),
                   lead=re.match(r"[ \t\u3000]*(?:[-+>]\s+)?\*\*", body))


def _scan_markers(text: str, paras: list[Span], skip: list[Span]) -> list[_Marker]:
    """Find every candidate marker, in text order: in each paragraph not skipped, the numbered
    headings (:data:`_HEADING_MARKERS`); a Markdown heading, which is then the whole paragraph;
    else the markers of :data:`_PARAGRAPH_SCANS` in turn. Candidates are then numbered, merged
    and kept only in runs (:func:`_number_lost`, :func:`_bold_parts`, :func:`_keep_runs`)."""
    out: list[_Marker] = []
    skipped = _inside_any(skip)
    for pa, pb in paras:
        if skipped(pa):
            continue
        para = _Para.read(text, pa, pb)
        out.extend(_numbered_headings(para))
        if para.md and not para.heading_at_start:
            out.append(_markdown_heading(para, para.md))
            continue
        for scan in _PARAGRAPH_SCANS:
            out.extend(scan(para))
    out.sort(key=lambda mk: (mk.start, mk.rank))
    return _keep_runs(_bold_parts(text, _number_lost(out)))


def _inside_any(spans: list[Span]) -> Callable[[int], bool]:
    """A test of whether a position lies inside one of ``spans`` (sorted, not overlapping)."""
    starts = [a for a, _ in spans]

    def inside(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and spans[k][0] <= pos < spans[k][1]
    return inside


def _numbered_headings(para: _Para) -> list[_Marker]:
    """一、 （一） 1. （1） ① 第一章 …, at the paragraph start or after a sentence end, each kind
    read by its reader in :data:`_HEADING_MARKERS`; notes on ``para`` whether one opens it."""
    text, pa, pb = para.text, para.start, para.end
    found: list[_Marker] = []
    for _kind, pat, read_number in _HEADING_MARKERS:
        for m in pat.finditer(text, pa, pb):
            ctx = _context_before(text, m.start(), pa)
            at_para_start = ctx == ""
            if not at_para_start and ctx not in _SENT_END:
                continue
            number = read_number(m, at_para_start)
            if number is None:
                continue
            kind, ordinal = number
            if ordinal is None or ordinal == 0:
                continue
            found.append(_numbered_heading(para, m, kind, ordinal, at_para_start=at_para_start))
    para.heading_at_start = any(mk.at_start for mk in found)
    return found


def _numbered_heading(
    para: _Para, m: re.Match[str], kind: str, ordinal: int, *, at_para_start: bool
) -> _Marker:
    """The marker of a numbered heading: where it starts (an opening ``**`` before the number
    included; a Markdown heading from its ``#``), where its headline starts (past bold marks
    after the number) and ends (the whole line of a Markdown heading)."""
    text, pa, pb = para.text, para.start, para.end
    bold_at = _bold_open_before(text, m.start(), pa)
    ts = m.end()
    bold = bold_at is not None
    # bold marks between the number and its headline: "一、**总体要求**", "**一、** **总体要求**"
    gap = re.match(r"(?:[ \t\u3000]*\*\*)+[ \t\u3000]*", text[ts:pb])
    if gap:
        bold, ts = True, ts + gap.end()
        if text[ts - 2 : ts] != "**" and text.count("**", pa, ts) % 2 == 0:
            bold = False  # the marks closed a bold number: the headline is plain
    markdown = para.md is not None and at_para_start
    te = pb if markdown else _title_end(text, ts, pb, bold, at_para_start, short=False)
    start = pa if markdown else bold_at if bold_at is not None else m.start()
    return _Marker(kind, _RANK[kind], ordinal, start, ts, te, pb, False, at_para_start)


def _markdown_heading(para: _Para, md: re.Match[str]) -> _Marker:
    """A Markdown heading without a number: the whole line is the title, ranked by its level."""
    level = len(md.group(1))
    return _Marker(f"h{level}", -10 + level, None, para.start, para.start + md.end(), para.end,
                   para.end, False)


def _bold_heading(para: _Para) -> Iterator[_Marker]:
    """A short bold phrase opening the paragraph, not carrying a number."""
    text, pa, pb, lead = para.text, para.start, para.end, para.lead
    if not lead or para.heading_at_start:
        return
    ts = pa + lead.end()
    close = text.find("**", ts, pb)
    if close != -1 and 2 <= close - ts <= 60 and not _starts_with_marker(text, ts, pb):
        te = _title_end(text, ts, pb, True, True, short=False)
        yield _Marker("bold", _UNNUMBERED_RANK["bold"], None, ts - 2, ts, te, pb, False)


def _bold_inline(para: _Para) -> Iterator[_Marker]:
    """Bold sub-headings inside the paragraph, after a sentence end: a short bold sentence."""
    text, pa, pb = para.text, para.start, para.end
    lead_at = pa + (para.lead.end() - 2 if para.lead else -99)
    for i, m in enumerate(re.finditer(r"\*\*", text[pa:pb])):
        p = pa + m.start()
        if p == lead_at or i % 2:
            continue  # the bold heading's mark, or a closing mark
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
        yield _Marker("bold_inline", _UNNUMBERED_RANK["bold_inline"], None, p, ts, close, pb,
                      True)


def _dash_bullet(para: _Para) -> Iterator[_Marker]:
    """A dash bullet opening the paragraph: "——坚持…。"."""
    text, pa, pb = para.text, para.start, para.end
    dash = re.match(r"[ \t\u3000]*(?:[-+]\s+)?(?:——|─{2})", text[pa:pb])
    if dash and not para.heading_at_start:
        ts = pa + dash.end()
        te = _title_end(text, ts, pb, False, True, short=False)
        yield _Marker("dash", _UNNUMBERED_RANK["dash"], None, pa + dash.start(), ts, te, pb, True)


def _enumerations(para: _Para) -> Iterator[_Marker]:
    """Enumerations inside a paragraph (第一， 一要 一是 …, :data:`_INLINE_MARKERS`), after a
    clause end; a bold 第一， opening its paragraph heads the paragraphs up to 第二，."""
    text, pa, pb = para.text, para.start, para.end
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
            yield _Marker(kind, _DI_HEADING_RANK if heading else _INLINE_RANK[kind], ordinal,
                          bold_at if bold_at is not None else m.start(), ts, te, pb,
                          not heading, heading)


# The markers looked for in a paragraph after its numbered headings (not in a Markdown
# heading), in this order.
_PARAGRAPH_SCANS: tuple[Callable[[_Para], Iterator[_Marker]], ...] = (
    _bold_heading, _bold_inline, _dash_bullet, _enumerations,
)


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
    return (any(pat.match(text, pos, end) for _kind, pat, _read in _HEADING_MARKERS)
            or any(pat.match(text, pos, end) for _kind, pat in _INLINE_MARKERS))


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

