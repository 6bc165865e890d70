"""A parsed blueprint as an editable outline: one line a goal or task, two spaces a level.

::

    - [目标] 定位目标 {P0}
      - [目标] 建设国家区域中心城市 {P0.1}
    - [任务] 推动经济高质量发展 {1}
      - [任务] 新增的任务

Adding a line adds a node, deleting a line removes that node (its children stay, under whatever
line is above them at one level less), editing the words renames it, moving lines reorders,
indenting re-parents. ``{code}`` refers to the node as parsed, whose clause text,
span, indicators, lead department and deadline it keeps; a line without one is a new node. On
saving, codes are given anew by position (``1``, ``1.2``, ``1.2.3``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lantu.errors import ValidationError

KIND_WORDS = {"目标": "goal", "任务": "task", "goal": "goal", "task": "task"}
_LINE = re.compile(r"^(?P<indent> *)- \[(?P<kind>目标|任务|goal|task)\] (?P<title>.*?)"
                   r"(?:\s+\{(?P<code>[A-Za-z0-9][A-Za-z0-9_.\-]*)\})?\s*$")
MAX_DEPTH = 8
#: what a parsed node keeps when its line keeps its ``{code}``
KEPT = ("text", "indicators", "lead", "supporting", "start", "due", "span", "milestones")


@dataclass(frozen=True, slots=True)
class OutlineLine:
    depth: int
    kind: str
    title: str
    code: str | None


def to_outline(plan: dict[str, Any]) -> tuple[str, dict[str, dict[str, Any]]]:
    """The outline of a plan dict (:func:`lantu.ingest.plan_export.to_plan`) and, by code, what
    each node keeps that the outline does not show.

    >>> text, kept = to_outline({"children": [{"code": "1", "title": "甲", "kind": "task",
    ...     "text": "甲。", "children": [{"code": "1.1", "title": "乙", "kind": "task"}]}]})
    >>> print(text)
    - [任务] 甲 {1}
      - [任务] 乙 {1.1}
    >>> kept["1"]["text"]
    '甲。'
    """
    lines: list[str] = []
    kept: dict[str, dict[str, Any]] = {}

    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for n in nodes:
            word = "目标" if n.get("kind") == "goal" else "任务"
            title = " ".join(str(n.get("title") or "").split())
            lines.append(f"{'  ' * depth}- [{word}] {title} {{{n['code']}}}")
            kept[str(n["code"])] = {k: n[k] for k in KEPT if n.get(k) not in (None, "", [])}
            walk(n.get("children") or [], depth + 1)

    walk(plan.get("children") or [], 0)
    return "\n".join(lines), kept


def parse_outline(text: str) -> list[OutlineLine]:
    """The lines of an outline; an error names the line and what is wrong with it.

    >>> [(x.depth, x.kind, x.title) for x in parse_outline("- [目标] 甲\\n  - [任务] 乙 {2}")]
    [(0, 'goal', '甲'), (1, 'task', '乙')]
    >>> parse_outline("    - [任务] 乙")
    Traceback (most recent call last):
    ...
    lantu.errors.ValidationError: outline: line 1: indented 2 levels, at most 0 here (one more than the line above)
    """
    out: list[OutlineLine] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not raw.strip():
            continue
        m = _LINE.match(raw.rstrip())
        if m is None:
            raise ValidationError(f"line {number}: write '- [目标] title' or '- [任务] title', "
                                  f"two spaces a level: {raw.strip()[:60]!r}", field="outline")
        if len(m["indent"]) % 2:
            raise ValidationError(f"line {number}: indent by two spaces a level",
                                  field="outline")
        depth = len(m["indent"]) // 2
        most = out[-1].depth + 1 if out else 0
        if depth > most or depth > MAX_DEPTH:
            raise ValidationError(f"line {number}: indented {depth} levels, at most "
                                  f"{min(most, MAX_DEPTH)} here (one more than the line above)",
                                  field="outline")
        title = m["title"].strip()
        if not title:
            raise ValidationError(f"line {number}: a title is needed", field="outline")
        out.append(OutlineLine(depth, KIND_WORDS[m["kind"]], title, m["code"]))
    if not out:
        raise ValidationError("the outline is empty: a plan needs at least one goal or task",
                              field="outline")
    return out


def read_kept(text: str) -> dict[str, dict[str, Any]]:
    """What the outline editor's form carries back from the browser (``kept``: the JSON of
    :func:`to_outline`'s second value), read as the editor takes it — an object of objects by
    code — else ValidationError: also JSON nested past what the parser reads (a
    ``RecursionError`` from 3,000 brackets, 6 KB, was a 500 before).

    >>> read_kept('{"1": {"text": "甲。"}}')
    {'1': {'text': '甲。'}}
    >>> read_kept("[" * 100_000)
    Traceback (most recent call last):
    ...
    lantu.errors.ValidationError: kept: the parsed nodes were changed in transit
    """
    import json

    try:
        parsed = json.loads(text or "{}")
    except (ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict) or not all(isinstance(v, dict) for v in parsed.values()):
        raise ValidationError("the parsed nodes were changed in transit", field="kept")
    return parsed


def outline_children(lines: list[OutlineLine],
                     kept: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's ``children`` (the plan format) from the outline's lines, codes by position;
    a line's ``{code}`` brings back what the parsed node kept.

    >>> kids = outline_children(parse_outline("- [目标] 甲\\n  - [任务] 乙 {9}\\n- [任务] 丙"),
    ...                         {"9": {"text": "乙的原文"}})
    >>> [(k["code"], [(c["code"], c["text"]) for c in k["children"]]) for k in kids]
    [('1', [('1.1', '乙的原文')]), ('2', [])]
    """
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []  # the open node of each level
    for line in lines:
        siblings = stack[line.depth - 1]["children"] if line.depth else root
        code = (f"{stack[line.depth - 1]['code']}." if line.depth else "") + str(len(siblings) + 1)
        # only what a parsed node keeps (:data:`KEPT`): the form carries ``kept`` back from the
        # browser, so any other key in it is not ours to take
        mine = kept.get(line.code or "", {})
        node = {**{k: mine[k] for k in KEPT if isinstance(mine, dict) and k in mine},
                "code": code, "title": line.title, "kind": line.kind, "children": []}
        siblings.append(node)
        del stack[line.depth:]
        stack.append(node)
    return root
