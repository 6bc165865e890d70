"""Turn a parsed policy document into Lantu's plan format (YAML) and a task table (XLSX).

The plan format is shared with the embedded default plan (``lantu/defaults/taiyuan_plan.yaml``)::

    code: taiyuan-2021-11
    title: …
    region: "140100"
    source: {url: …, file: …}
    children:                 # goals first, then the document's sections and tasks
      - code: P0              # the goals: P0 with P0.1, P0.2, …; parsed sections "1", "1.2", …
        title: …
        text: …
        kind: goal            # goal | task
        indicators: [pm25, good_air_days_ratio]
        lead: null
        supporting: []
        start: null
        due: null
        span: [123, 456]
        children: [ … ]

Examples
--------
>>> from lantu.ingest.policy import parse_policy
>>> plan = to_plan(parse_policy("一要持续优化产业结构。全力推进项目建设。\\n二要深化关键领域改革。"), code="x")
>>> [(c["code"], c["title"]) for c in plan["children"]]
[('1', '持续优化产业结构'), ('2', '深化关键领域改革')]
>>> [c["title"] for c in plan["children"][0]["children"]]
['全力推进项目建设']
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml

from lantu.ingest.policy import (
    REVIEW_SECTION,
    Node,
    PolicyDocument,
    due_date,
    suggest_indicators,
)

__all__ = ["TASK_COLUMNS", "to_plan", "subtasks", "dump_plan_yaml", "write_task_table",
           "task_table_bytes", "task_rows"]

#: Columns of the task breakdown table (任务分解表).
TASK_COLUMNS = ("序号", "任务", "具体内容", "牵头单位", "配合单位", "完成时限")


def _codes(links: list[Any]) -> list[str]:
    return [link.code for link in links]


def _own_text(node: Node) -> str:
    """The node's text up to its first child (headline and introduction), or all of it for a leaf."""
    if not node.children:
        return node.text
    return node.text[: node.children[0].span[0] - node.span[0]].rstrip()


def _entry(code: str, title: str, text: str, kind: str, indicators: list[str], span: tuple[int, int],
           lead: str | None = None, supporting: list[str] | None = None, due: str | None = None,
           children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One plan node. ``due`` as written is turned into an ISO date; the words stay in ``due_text``."""
    entry = {
        "code": code,
        "title": title or _headline(text) or code,
        "text": text,
        "kind": kind,
        "indicators": indicators,
        "lead": lead,
        "supporting": list(supporting or []),
        "start": None,
        "due": due_date(due),
        "span": [int(span[0]), int(span[1])],
        "children": children or [],
    }
    if due:
        entry["due_text"] = due
    return entry


def _headline(text: str) -> str:
    first = text.replace("*", "").strip().split("。")[0]
    return first[:30]


def _node_entry(node: Node, code: str, actions_as_tasks: bool) -> dict[str, Any]:
    children = [
        _node_entry(child, f"{code}.{i}", actions_as_tasks)
        for i, child in enumerate(node.children, start=1)
    ]
    if not children and actions_as_tasks:
        children = [
            _entry(f"{code}.{i}", title, text, "task", _codes(suggest_indicators(title)), span)
            for i, (title, text, span) in enumerate(subtasks(node), start=1)
        ]
    return _entry(code, node.title, _own_text(node), "task", _codes(node.indicators), node.span,
                  lead=node.lead, supporting=node.supporting, due=node.due, children=children)


#: Objects of a clause that states a principle or an attitude, not a task to follow up
#: (坚持以人民为中心的发展思想, 增强忧患意识, 树牢底线思维).
_PRINCIPLE_ENDS = ("思想", "理念", "意识", "思维", "精神", "方针", "大事", "初心")


def subtasks(node: Node) -> list[tuple[str, str, tuple[int, int]]]:
    """Sub-tasks of a leaf task from its action clauses, as ``(title, text, span)``.

    The headline is the task itself and clauses that state a principle are left out. A verb shared
    by a list whose items end alike is given to each item (推动传统产业内涵集约发展、服务业高端融合
    发展 → 推动传统产业内涵集约发展; 推动服务业高端融合发展), each with the span of its own words.

    Examples
    --------
    >>> from lantu.ingest.policy import parse_policy
    >>> node = parse_policy("一要优化结构。坚持新发展理念，推动工业集约发展、农业优质发展。\\n二要深化改革。").children[0]
    >>> [t for t, _x, _s in subtasks(node)]
    ['推动工业集约发展', '推动农业优质发展']
    """
    out: list[tuple[str, str, tuple[int, int]]] = []
    for act in node.actions:
        if act.span[0] < node.title_span[1] or act.object.endswith(_PRINCIPLE_ENDS):
            continue
        items = act.object.split("、")
        tail = items[-1][-2:]
        if len(items) >= 2 and all(len(it) > 2 and it.endswith(tail) for it in items):
            pos = act.span[0] + act.text.index(act.object)
            for it in items:
                out.append((act.verb + it, it, (pos, pos + len(it))))
                pos += len(it) + 1
        else:
            out.append((act.text, act.text, act.span))
    return out


def to_plan(doc: PolicyDocument, *, code: str, region: str | None = None,
            file: str | None = None, actions_as_tasks: bool = True,
            skip_review: bool = True) -> dict[str, Any]:
    """Return the plan (a dict in Lantu's plan format) for a parsed document.

    Parameters
    ----------
    doc : PolicyDocument
        Output of :func:`lantu.ingest.policy.parse_policy`.
    code : str
        Code of the plan, e.g. ``"taiyuan-2021-11"``.
    region : str, optional
        GB/T 2260 code of the region the plan is for.
    file : str, optional
        File the text was read from, recorded in ``source.file``.
    actions_as_tasks : bool
        List the action clauses of a leaf task as its sub-tasks.
    skip_review : bool
        Leave out top-level sections that review past work (2023年工作回顾): they report results,
        not tasks. The other sections keep their place in the document as code ("2", "2.1", …).

    Returns
    -------
    dict
        The positioning goals under one ``P0`` node (``P0.1``, ``P0.2``, … with their listed
        parts as ``P0.3.1`` …), then the document's sections and tasks (codes ``1``, ``1.2``, …).
    """
    source: dict[str, Any] = {"url": doc.source.get("url"), "file": file or doc.source.get("file")}
    goals: list[dict[str, Any]] = []
    if doc.goals:
        sub = []
        for i, g in enumerate(doc.goals, start=1):
            parts = [
                _entry(f"P0.{i}.{j}", part, part, "goal", [], _part_span(doc, g.span, part))
                for j, part in enumerate(g.parts, start=1)
            ]
            sub.append(_entry(f"P0.{i}", g.title, g.text, "goal", _codes(g.indicators), g.span,
                              children=parts))
        lead = [g for g in doc.goals if g.where == "lead"] or doc.goals[:1]
        span = (lead[0].span[0], lead[-1].span[1])
        codes = sorted({c for g in lead for c in _codes(g.indicators)})
        goals.append(_entry("P0", "定位目标", doc.text[span[0] - doc.span[0] : span[1] - doc.span[0]],
                            "goal", codes, span, children=sub))
    tasks = [
        _node_entry(node, str(i), actions_as_tasks)
        for i, node in enumerate(doc.children, start=1)
        if not (skip_review and REVIEW_SECTION.search(node.title))
    ]
    return {
        "code": code,
        "title": doc.title,
        "region": region,
        "source": source,
        "children": goals + tasks,
    }


def _part_span(doc: PolicyDocument, span: tuple[int, int], part: str) -> tuple[int, int]:
    """Span of a goal's part inside the goal's text (the first occurrence)."""
    at = doc.text.find(part, span[0] - doc.span[0], span[1] - doc.span[0])
    if at < 0:
        return span
    return doc.span[0] + at, doc.span[0] + at + len(part)


def dump_plan_yaml(plan: dict[str, Any]) -> str:
    """Plan as YAML text (UTF-8, Chinese left readable, keys in the contract's order)."""
    return yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=1000)


def task_rows(plan: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of the task table: every task of the plan, depth first, with its 序号 code.

    Examples
    --------
    >>> plan = {"children": [{"code": "1", "title": "甲", "text": "甲。", "kind": "task",
    ...          "lead": None, "supporting": [], "due": None, "children": []}]}
    >>> task_rows(plan)
    [('1', '甲', '甲。', '', '', '')]
    """
    rows: list[tuple[str, str, str, str, str, str]] = []

    def visit(entries: list[dict[str, Any]]) -> None:
        for e in entries:
            if e.get("kind") == "task":
                rows.append((
                    str(e["code"]),
                    e.get("title") or "",
                    e.get("text") or "",
                    e.get("lead") or "",
                    "、".join(e.get("supporting") or []),
                    e.get("due_text") or e.get("due") or "",
                ))
            visit(e.get("children") or [])

    visit(plan.get("children") or [])
    return rows


def write_task_table(plan: dict[str, Any], path: str | Path) -> Path:
    """Write the task breakdown table (任务分解表) as XLSX (:func:`task_table_bytes`) to
    ``path``, whole or not at all. The command line writes the bytes through its one writer
    (``lantu.cli.common.write_file``) instead."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(task_table_bytes(plan))
    tmp.replace(path)
    return path


def task_table_bytes(plan: dict[str, Any]) -> bytes:
    """The task breakdown table (任务分解表) as XLSX bytes.

    Sheet 任务分解表 has the columns :data:`TASK_COLUMNS`, empty where the text is silent, for
    people to fill; sheet 目标定位 lists the goals. Headers are styled and frozen, widths set.

    Parameters
    ----------
    plan : dict
        Output of :func:`to_plan`.

    Returns
    -------
    bytes
        The workbook.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from lantu.tabular import set_text_cell

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    header_font = Font(bold=True, color="FFFFFF", name="SimHei")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(sheet: Any, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
        sheet.append(list(columns))
        for col, width in enumerate(widths, start=1):
            cell = sheet.cell(row=1, column=col)
            cell.font = header_font
            cell.fill = header_fill
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.freeze_panes = "A2"

    header(ws, TASK_COLUMNS, (8, 36, 80, 18, 24, 14))

    def put(sheet: Any, r: int, values: list[Any]) -> None:
        # cells addressed by row number: asking the sheet for its last row each time is quadratic
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col)
            set_text_cell(cell, value)  # a title "-加快…" or "=…" stays text, never a formula
            cell.alignment = wrap
            cell.border = border

    for r, row in enumerate(task_rows(plan), start=2):
        put(ws, r, list(row))
    goals = wb.create_sheet("目标定位")
    header(goals, ("序号", "目标", "内容", "关联指标"), (8, 40, 80, 30))
    next_row = 1
    for e in plan.get("children") or []:
        for g in [e, *(e.get("children") or [])] if e.get("kind") == "goal" else []:
            next_row += 1
            put(goals, next_row, [g["code"], g["title"], g["text"], "、".join(g.get("indicators") or [])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
