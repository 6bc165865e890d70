"""Plans: a plan is a tree of goals and tasks; a task has departments, dates and milestones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lantu.domain.errors import ValidationError
from lantu.domain.periods import read_day, year_problem

NODE_KINDS = ("goal", "task")
#: a task's status, the one list: "closed" (销号) is set by the supervision office's closing
#: decision and read back with the plan (the reports, the task table, ``lantu export plan``)
STATUSES = ("not_started", "in_progress", "done", "suspended", "closed")
#: the statuses of a task still being worked on (reminders, extensions)
OPEN_STATUSES = ("not_started", "in_progress", "suspended")
#: a department's or a node's code; every code pattern of Lantu is asked with ``fullmatch``:
#: ``match`` with ``$`` lets a final line break through (probe24: a plan saved as ``p24plan\n``)
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def date_problem(value: date) -> str | None:
    """Why ``value`` cannot be a date of a plan (a start, a deadline, a milestone, an extension,
    a reply-by date), or None: its year must be one Lantu handles (the one year rule,
    :func:`lantu.domain.periods.year_problem`): a deadline in 9999 is no deadline, one in year 1
    is overdue forever.

    >>> date_problem(date(2026, 6, 30)), date_problem(date(9999, 12, 31))
    (None, 'the year 9999 is outside 1949–2100')
    """
    return year_problem(value.year)


def _date(value: Any, field_name: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        try:  # the one reader of a typed day (not 20261231 or the week date 2026-W52-1)
            value = read_day(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), field=field_name) from None
    if reason := date_problem(value):
        raise ValidationError(reason, field=field_name)
    return value


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name_zh: str
    name_en: str = ""

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code or ""):
            raise ValidationError(f"{self.code!r} is not a department code", field="code")


@dataclass(frozen=True, slots=True)
class Milestone:
    title: str
    due: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "due", _date(self.due, "milestones.due"))


@dataclass(slots=True)
class PlanNode:
    """A goal or a task. ``lead`` and ``supporting`` hold department codes."""

    code: str
    title: str
    kind: str = "task"
    text: str = ""
    title_en: str = ""
    lead: str | None = None
    supporting: list[str] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    milestones: list[Milestone] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    status: str = "not_started"
    note: str = ""
    span: tuple[int, int] | None = None
    children: list[PlanNode] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(str(self.code)):
            raise ValidationError(f"{self.code!r} is not a node code", field="code")
        if not str(self.title).strip():
            raise ValidationError(f"node {self.code} has no title", field="title")
        if self.kind not in NODE_KINDS:
            raise ValidationError(f"node {self.code}: kind must be goal or task, got {self.kind!r}",
                                  field="kind")
        if self.status not in STATUSES:
            raise ValidationError(f"node {self.code}: unknown status {self.status!r}", field="status")
        self.start = _date(self.start, f"{self.code}.start")
        self.due = _date(self.due, f"{self.code}.due")
        if self.start and self.due and self.due < self.start:
            raise ValidationError(f"node {self.code}: due {self.due} is before start {self.start}",
                                  field="due")

    def walk(self, depth: int = 0) -> Iterator[tuple[int, PlanNode]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(slots=True)
class Plan:
    code: str
    title: str
    region_code: str | None = None
    title_en: str = ""
    source_url: str = ""
    source_file: str = ""
    note: str = ""
    children: list[PlanNode] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[int, PlanNode]]:
        for child in self.children:
            yield from child.walk(0)

    def validate(self, departments: set[str] | None = None,
                 indicators: set[str] | None = None) -> None:
        seen: set[str] = set()
        for _, node in self.walk():
            if node.code in seen:
                raise ValidationError(f"node code {node.code} appears twice", field="code")
            seen.add(node.code)
            if departments is not None:
                for dep in [node.lead, *node.supporting]:
                    if dep and dep not in departments:
                        raise ValidationError(f"node {node.code}: unknown department {dep!r}",
                                              field="lead")
            if indicators is not None:
                for ind in node.indicators:
                    if ind not in indicators:
                        raise ValidationError(f"node {node.code}: unknown indicator {ind!r}",
                                              field="indicators")
