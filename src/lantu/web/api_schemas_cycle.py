"""Pydantic models of the supervision cycle's JSON API: tasks (立项交办), reminders (催办),
notifications, extension (延期) and closure (销号) requests, the assessment (考核)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from lantu.web.api_schemas import Day, Flag, Number, RowId, UtcDatetime

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+$", max_length=64)]
Text = Annotated[str, StringConstraints(max_length=20000)]
Origin = Annotated[str, StringConstraints(pattern="^(blueprint|annual|meeting|instruction)$")]


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    due: Day | None = None


class TaskCreate(BaseModel):
    """A goal or task to assign; ``parent`` is the code (or id) of the goal or task it belongs
    to, so a sub-task names its task."""

    model_config = ConfigDict(extra="forbid")
    plan: Code
    parent: Code | RowId | None = None
    kind: Annotated[str, StringConstraints(pattern="^(goal|task)$")] = "task"
    title: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    title_en: Annotated[str, StringConstraints(max_length=2000)] = ""
    text: Text = ""
    origin: Origin | None = Field(None, description="blueprint | annual (annual key-work list) "
                                                    "| meeting (decision) | instruction (批示)")
    lead_department: Code | None = None
    supporting_departments: list[Code] = Field(default_factory=list, max_length=50)
    start: Day | None = None
    due: Day | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=100)
    indicators: list[Code] = Field(default_factory=list, max_length=100)
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""
    unit: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="a lead department's reporter splitting its task: the unit (内设处室) "
                          "or person (责任人) the part is given to")
    weight: Annotated[Number, Field(gt=0, le=100)] | None = Field(
        None, description="the part's share in the task's roll-up (default 1)")


class UnitProgressIn(BaseModel):
    """How far a unit's part is (the lead department's reporter)."""

    model_config = ConfigDict(extra="forbid")
    percent: Annotated[Number, Field(ge=0, le=100)]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class TaskPatch(BaseModel):
    """The fields to change (only those sent) and why."""

    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    title_en: Annotated[str, StringConstraints(max_length=2000)] | None = None
    text: Text | None = None
    origin: Origin | None = None
    lead_department: Code | None = None
    supporting_departments: list[Code] | None = Field(None, max_length=50)
    start: Day | None = None
    due: Day | None = None
    milestones: list[MilestoneIn] | None = Field(None, max_length=100)
    indicators: list[Code] | None = Field(None, max_length=100)
    version: Annotated[int, Field(strict=True, ge=0, le=2**31 - 1)] | None = Field(
        None, description="required: the task's version as read (GET /tasks/{id} returns "
                          "it); a task changed since is not changed (409), a PATCH without it "
                          "is refused (428 Precondition Required, naming `version`)")


class TaskPublic(BaseModel):
    id: int
    plan: str
    code: str
    kind: str
    parent: str | None
    title: str
    title_en: str
    text: str
    origin: str | None
    lead_department: str | None
    supporting_departments: list[str]
    start: date | None
    due: date | None = Field(description="the deadline in force (after granted extensions)")
    status: str = Field(description="not_started | in_progress | done | suspended | closed")
    progress: float
    milestones: list[dict[str, Any]]
    indicators: list[str]
    assigned_at: UtcDatetime | None
    acknowledged_at: UtcDatetime | None
    acknowledged_by: str | None
    version: int
    unit: str | None = Field(None, description="a unit's part: the unit or person it was given to")
    weight: float | None = None
    parts: list[dict[str, Any]] = Field(default_factory=list,
                                        description="the parts given to the lead department's "
                                                    "units")
    rollup: float | None = Field(None, description="Σ weight·progress / Σ weight of the parts "
                                                   "(None: not split)")


class TaskCreated(BaseModel):
    id: int
    code: str
    version: int


class ChangePublic(BaseModel):
    field: str
    old: Any = None
    new: Any = None


class TaskVersionPublic(BaseModel):
    version: int
    at: UtcDatetime
    actor: str
    reason: str = Field(description="why it was made, in the request's language")
    key: str | None = Field(None, description="the message the system said (ver.*), null for "
                                               "a reason a person typed")
    params: dict[str, Any] | None = None
    data: dict[str, Any]
    changes: list[ChangePublic]


class TaskHistoryPublic(BaseModel):
    task: int
    versions: list[TaskVersionPublic]
    events: list[dict[str, Any]] = Field(description="reports, reviews, reminders, extensions, "
                                                     "closing: the task's whole history")


class ReminderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    reply_by: Day | None = None


class ReminderPublic(BaseModel):
    id: int
    task: int
    department: str
    kind: str
    message: str
    reply_by: date | None
    sent_by: str
    created_at: UtcDatetime
    notified: int = Field(description="users notified")


class NotificationPublic(BaseModel):
    id: int
    kind: str
    title: str = Field(description="in the language asked (``lang``)")
    body: str
    key: str | None = Field(description="what it says: a locale key (``<key>.title``, "
                                        "``<key>.body``); null for one made before 0012")
    params: dict[str, Any] | None = Field(description="the key's parameters")
    link: str
    task_id: int | None
    created_at: UtcDatetime
    read: bool
    read_at: UtcDatetime | None


class NotificationListPublic(BaseModel):
    total: int
    unread: int
    limit: int
    offset: int
    data: list[NotificationPublic]


class ExtensionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    due: Day
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class ClosureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grant: Flag
    comment: Annotated[str, StringConstraints(max_length=5000)] = ""


class RequestPublic(BaseModel):
    id: int
    task: int
    kind: str = Field(description="extension | closure")
    department: str
    status: str = Field(description="pending | granted | refused")
    requested_by: str
    requested_at: UtcDatetime
    decided_by: str | None
    decided_at: UtcDatetime | None
    decision_comment: str
    old_due: date | None = None
    new_due: date | None = None
    reason: str = ""
    task_status: str
    task_due: date | None


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class AssessmentRowPublic(BaseModel):
    rank: int | None = Field(description="1 = best; null: not ranked (no department reported)")
    department: str
    score: float = Field(description="0-100 (see formula)")
    silent: bool = Field(description="owed reports and submitted none: scored 0, ranked last")
    parts: dict[str, float] = Field(description="each part of the score, 0-1")
    counts: dict[str, int] = Field(description="tasks, finished, late, owed, reported, "
                                               "approved, returned, overdue_days, reminders")


class AssessmentPublic(BaseModel):
    year: int
    formula: str
    weights: dict[str, float]
    overdue_cap_days: float
    reminder_cap: float
    data: list[AssessmentRowPublic]
