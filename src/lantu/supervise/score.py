"""The department score: ONE rule for the monthly bulletin (通报) and the annual assessment (考核).

A department is scored over a period (a month for the bulletin, a year for the assessment) on the
tasks it leads that are open during the period or finished in it. Five parts, each in [0, 1]:

==============  ==============================================================================
part            value
==============  ==============================================================================
``reporting``   on-time reporting: reports submitted by the reporting deadline / reports owed
                (one per open task and month); 1 when nothing was owed
``approval``    approval rate: approved reviews / all reviews (approved + returned) of its
                reports in the period; **0 when nothing was reviewed** (nothing approved)
``on_time``     completion on time: tasks that are neither past their deadline unfinished nor
                finished after it / tasks
``overdue``     days overdue: ``1 - min(1, days overdue / (tasks × overdue_cap_days))``, the
                days counted from each late task's deadline in force to its finishing or the
                period's end
``reminders``   reminders received: ``1 - min(1, reminders / (tasks × reminder_cap))``; only
                reminders that say something was missed count (a supervisor's 催办, deadline
                passed, escalation, receipt not acknowledged), not the courtesy notice before a
                deadline
==============  ==============================================================================

``score = 100 × Σ w_part × part`` with the weights normalised to sum to 1 (settings
``LANTU_SCORE_WEIGHTS``, default reporting 0.3, approval 0.2, on_time 0.3, overdue 0.1,
reminders 0.1). **No part is ever left out** (an earlier rule left a missing approval rate out and
scaled the other weights up, so the departments that never reported outscored the one that did).

A department that owed reports and submitted none in the period is **silent**: its score is 0 and
it ranks after every department that reported, whatever the other parts say. So a department
that does not report never scores above, nor ranks above, one that reports. Equal scores share a
rank (:func:`lantu.engine.stats.rank_min`, Lantu's one rank rule); they are listed by code.
When no department reported (every one silent: the start of a year, a month nobody reported
in), there is no score to rank by, and none is ranked (``rank`` None, said "未排名" / "not
ranked"), rather than all sharing the first place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from lantu.engine.stats import rank_min
from lantu.errors import UsageError

PARTS = ("reporting", "approval", "on_time", "overdue", "reminders")
DEFAULT_WEIGHTS = {"reporting": 0.3, "approval": 0.2, "on_time": 0.3, "overdue": 0.1,
                   "reminders": 0.1}
#: the caps of the ``overdue`` and ``reminders`` parts (per task; see the module's rule)
DEFAULT_OVERDUE_CAP_DAYS = 90.0
DEFAULT_REMINDER_CAP = 3.0
#: the reminder kinds that count against a department (see the module's rule)
COUNTED_REMINDERS = ("manual", "overdue", "escalation", "unacknowledged")


class ScoreRuleError(UsageError):
    """Weights or caps that make no rule (negative, unknown part, all zero)."""


@dataclass(frozen=True, slots=True)
class Part:
    key: str
    weight: float  # normalised: the weights of a rule sum to 1


@dataclass(frozen=True, slots=True)
class DepartmentRecord:
    """What happened to one department's tasks in the period (counts only)."""

    department: str
    tasks: int
    finished: int = 0
    late: int = 0  # tasks not finished and past their deadline, or finished after it
    owed: int = 0  # reports owed: open task × month
    reported: int = 0  # of those, submitted by the deadline
    approved: int = 0
    returned: int = 0
    overdue_days: int = 0
    reminders: int = 0  # counted reminders received

    @property
    def silent(self) -> bool:
        return self.owed > 0 and self.reported == 0


@dataclass(slots=True)
class DepartmentScore:
    department: str
    tasks: int
    finished: int
    late: int
    returned: int
    parts: dict[str, float]
    score: float
    silent: bool = False
    #: 1 = best; None: not ranked (no department reported, see the module's rule)
    rank: int | None = 0
    record: DepartmentRecord | None = field(default=None, repr=False)

    def __getattr__(self, name: str) -> float:  # d.on_time, d.reporting … read the parts
        parts = object.__getattribute__(self, "parts")
        if name in parts:
            return parts[name]
        raise AttributeError(name)


@dataclass(frozen=True, slots=True)
class ScoreRule:
    """The weights and caps of the department score (see the module's rule).

    Examples
    --------
    >>> rule = ScoreRule()
    >>> [(p.key, p.weight) for p in rule.parts][:2]
    [('reporting', 0.3), ('approval', 0.2)]
    >>> rule.score(DepartmentRecord("fgw", tasks=2, owed=2, reported=2, approved=1, returned=1,
    ...                             late=1, overdue_days=9)).score
    74.5

    (100 × (0.3 × 1 + 0.2 × 0.5 + 0.3 × 0.5 + 0.1 × (1 − 9/180) + 0.1 × 1))
    >>> rule.score(DepartmentRecord("kjj", tasks=2, owed=2)).score   # silent
    0.0
    """

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    overdue_cap_days: float = DEFAULT_OVERDUE_CAP_DAYS
    reminder_cap: float = DEFAULT_REMINDER_CAP

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(PARTS)
        if unknown:
            raise ScoreRuleError(f"unknown score part(s) {sorted(unknown)}; parts are "
                                 f"{', '.join(PARTS)}")
        if any(w < 0 for w in self.weights.values()):
            raise ScoreRuleError("score weights must not be negative")
        if sum(self.weights.values()) <= 0:
            raise ScoreRuleError("at least one score weight must be positive")
        if self.overdue_cap_days <= 0 or self.reminder_cap <= 0:
            raise ScoreRuleError("overdue_cap_days and reminder_cap must be positive")

    @property
    def parts(self) -> list[Part]:
        total = sum(self.weights.get(k, 0.0) for k in PARTS)
        return [Part(k, round(self.weights.get(k, 0.0) / total, 4)) for k in PARTS]

    def formula(self, label) -> str:
        """The formula as text, with ``label(part)`` naming each part: what the bulletin and the
        assessment print, read from the rule itself.

        >>> ScoreRule({"reporting": 1, "approval": 1}).formula(str)
        '100 × (0.50 × reporting + 0.50 × approval + 0.00 × on_time + 0.00 × overdue + 0.00 × reminders)'
        """
        return "100 × (" + " + ".join(f"{p.weight:.2f} × {label(p.key)}"
                                      for p in self.parts) + ")"

    def part_values(self, r: DepartmentRecord) -> dict[str, float]:
        tasks = max(r.tasks, 1)
        reviews = r.approved + r.returned
        return {
            "reporting": r.reported / r.owed if r.owed else 1.0,
            "approval": r.approved / reviews if reviews else 0.0,
            "on_time": (tasks - r.late) / tasks if r.tasks else 1.0,
            "overdue": 1 - min(1.0, r.overdue_days / (tasks * self.overdue_cap_days)),
            "reminders": 1 - min(1.0, r.reminders / (tasks * self.reminder_cap)),
        }

    def score(self, r: DepartmentRecord) -> DepartmentScore:
        parts = self.part_values(r)
        total = 0.0 if r.silent else 100 * sum(p.weight * parts[p.key] for p in self.parts)
        return DepartmentScore(r.department, r.tasks, r.finished, r.late, r.returned,
                               {k: round(v, 4) for k, v in parts.items()}, round(total, 1),
                               r.silent, record=r)

    def rank(self, records: Iterable[DepartmentRecord]) -> list[DepartmentScore]:
        """Score every record and rank: higher score first, a silent department after every
        one that reported; equal scores share a rank (Lantu's one rank rule,
        :func:`lantu.engine.stats.rank_min`: 1, 2, 2, 4). Listed by rank, then department code.

        >>> r = ScoreRule().rank([DepartmentRecord("b", tasks=1), DepartmentRecord("a", tasks=1),
        ...                       DepartmentRecord("c", tasks=1, owed=1)])
        >>> [(d.department, d.rank, d.score) for d in r]
        [('a', 1, 80.0), ('b', 1, 80.0), ('c', 3, 0.0)]
        >>> [d.rank for d in ScoreRule().rank([DepartmentRecord("c", tasks=1, owed=1),
        ...                                    DepartmentRecord("d", tasks=2, owed=2)])]
        [None, None]
        """
        out = [self.score(r) for r in records]
        if out and all(d.silent for d in out):  # no score to rank by: none is ranked
            for d in out:
                d.rank = None
            out.sort(key=lambda d: d.department)
            return out
        # silent departments below every reporting one, whatever their parts say
        key = np.array([-1.0 if d.silent else d.score for d in out], dtype=np.float64)
        for d, rank in zip(out, rank_min(key, descending=True), strict=True):
            d.rank = int(rank)
        out.sort(key=lambda d: (d.rank or 0, d.department))
        return out
