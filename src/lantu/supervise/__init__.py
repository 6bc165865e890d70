"""Supervision (督查督办) rules as pure functions over plain objects: warning colours, the
progress-report workflow, the monthly bulletin (通报) and department scores.

Nothing here touches the database or the web; :mod:`lantu.store.supervision` applies these rules
to stored rows and the web pages show the results.
"""

from lantu.supervise.bulletin import Bulletin, BulletinItem, build_bulletin, score_departments
from lantu.supervise.score import DepartmentRecord, DepartmentScore, ScoreRule
from lantu.supervise.warnings import colour_of, elapsed_share, month_end, month_of
from lantu.supervise.workflow import (
    Action,
    Actor,
    ReportState,
    WorkflowError,
    allowed_actions,
    check,
    next_status,
    validate_month,
)

__all__ = [
    "Action", "Actor", "Bulletin", "BulletinItem", "DepartmentRecord", "DepartmentScore",
    "ReportState", "ScoreRule",
    "WorkflowError", "allowed_actions", "build_bulletin", "check", "colour_of", "elapsed_share",
    "month_end", "month_of", "next_status", "score_departments", "validate_month",
]
