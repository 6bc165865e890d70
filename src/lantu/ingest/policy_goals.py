"""The goals a policy text states in its lead paragraphs (positioning clauses, results to be
formed, roles to be played). A stage of :mod:`lantu.ingest.policy`."""

from __future__ import annotations

import re

from lantu.ingest.lexicon import load_words
from lantu.ingest.policy_annotate import _match_action, _strip_span, suggest_indicators
from lantu.ingest.policy_model import Goal, Span

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

