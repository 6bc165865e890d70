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

The stages live in their own modules: :mod:`lantu.ingest.policy_model` (the objects, numerals),
:mod:`lantu.ingest.policy_structure` (furniture, paragraphs, markers, the tree),
:mod:`lantu.ingest.policy_annotate` (actions, programmes, targets, mentions, indicators) and
:mod:`lantu.ingest.policy_goals`; this one runs them (:func:`parse_policy`). Every public name
is importable from here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

# The stages (model, structure, annotation, goals); every public name is importable from here.
from lantu.ingest.policy_annotate import (
    _responsibility,
    due_date,
    find_actions,
    find_mentions,
    find_programmes,
    find_targets,
    suggest_indicators,
)
from lantu.ingest.policy_goals import _find_goals
from lantu.ingest.policy_model import (
    Action,
    Goal,
    IndicatorLink,
    Mention,
    Node,
    PolicyDocument,
    Programme,
    Span,
    Target,
    cn_to_int,
)
from lantu.ingest.policy_structure import (
    _BLOCK_FURNITURE,
    _FURNITURE_RULES,
    _RANK,
    _build_tree,
    _front_matter,
    _paragraphs,
    _scan_markers,
)

__all__ = [
    "MAX_POLICY_CHARS",
    "policy_text_problem",
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


# --------------------------------------------------------------------------------------------
# Entry point


#: the longest policy text read into a plan: about fifteen times a national five-year plan's
#: outline (~70,000 characters). The parser takes about a minute a megabyte on a busy machine:
#: 30 MB of text ran past three minutes and would have held the web's build slot for half an
#: hour (probe22).
MAX_POLICY_CHARS = 1_000_000


def policy_text_problem(text: str) -> str | None:
    """THE rule of a text too long to read into a plan (the command line's reader and the web's
    blueprint upload ask it): the reason, or None."""
    if len(text) > MAX_POLICY_CHARS:
        return (f"{len(text):,} characters, more than the {MAX_POLICY_CHARS:,} a policy text may "
                "have; split it into its parts")
    return None


def parse_policy(text: str, source: dict[str, str] | None = None, *, mentions: bool = True,
                 title: str | None = None, annotate: bool = True) -> PolicyDocument:
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
    annotate : bool
        Find actions, programmes, targets, mentions and indicator suggestions in the nodes (about
        two thirds of the parse time); False gives the tree alone.

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
    if annotate:
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
