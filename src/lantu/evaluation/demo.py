"""Whether a plan's assignments are a demonstration — the one rule every view asks before it
marks what rests on them (a banner on the pages, a line at the head of each document and sheet,
演示 beside the scores).

The embedded default's plan names no department, date or milestone in its source; the default
loader's plan file gives each task a demonstration assignment and says so in the task's note,
which begins with :data:`DEMO_MARK`. A plan is a demonstration when any of its tasks with an
assignment (a lead or supporting department, a date or a milestone) carries that note; a user's
own plan does not (to mark one's own trial assignments, begin the tasks' notes with the mark).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantu.cache import ViewCache
from lantu.store import queries
from lantu.store.models import PlanNodeRow, PlanRow

#: How a task's note marks a demonstration assignment (the default plan file writes it).
DEMO_MARK = "演示用"

#: The line at the head of documents and sheets, and the word beside scores.
DEMO_LINE_ZH = ("演示：本文中的牵头单位、配合单位、完成时限和节点为演示设定，并非出自规划原文，"
                "据此得出的进度、预警和评分仅供演示，不反映有关单位的实际工作。")
DEMO_WORD_ZH = "演示"

_CACHE = ViewCache(size=16)


def note_key(note: str | None) -> str | None:
    """The locale key a task's note is said by, when it is the demonstration mark (the default
    plan writes it in both languages at once, "演示用：… Demo only — …"; a page says it in its
    own, ``demo.note``); None for a note a person wrote, shown as written.

    >>> note_key("演示用：牵头单位……Demo only — …")
    'demo.note'
    >>> note_key("市政府常务会议确定") is None
    True
    """
    return "demo.note" if (note or "").startswith(DEMO_MARK) else None


def is_demo(session: Session, plan_code: str | None = None) -> bool:
    """True when the assignments of plan ``plan_code`` (default: the first plan) are a
    demonstration (see the module's text); False for a plan without any, or no plan.

    Cached per state of the database (:func:`lantu.store.queries.state_version`)."""
    key = ("demo", queries.state_version(session), plan_code)
    return _CACHE.get_or_build(key, lambda: {"demo": _is_demo(session, plan_code)})["demo"]


def _is_demo(session: Session, plan_code: str | None) -> bool:
    if plan_code is None:
        plan_code = session.scalars(select(PlanRow.code).order_by(PlanRow.created_at, PlanRow.code)
                                    .limit(1)).first()
        if plan_code is None:
            return False
    q = (select(PlanNodeRow.id).where(PlanNodeRow.plan_code == plan_code,
                                      PlanNodeRow.note.startswith(DEMO_MARK)).limit(1))
    return session.scalars(q).first() is not None
