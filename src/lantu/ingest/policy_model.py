"""The objects a policy text is read into (:class:`PolicyDocument`, :class:`Node`, the
annotations) and the Chinese numerals of its numbering. The first stage of
:mod:`lantu.ingest.policy`; it imports none of the others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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

