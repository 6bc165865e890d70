"""The verdict: for a region, a year and a plan, every node's indicators, target in force, status
and reason, milestones, the peer index (:mod:`lantu.evaluation.peer_index`) and primacy
(:mod:`lantu.evaluation.primacy`) — the one object that pages, reports and the API render.

:func:`evaluate` builds ONE :class:`Verdict`; every view renders it: the overview, plan and
targets pages, the monitoring report, ``GET /api/v1/evaluation`` and ``lantu evaluate``. The
rules themselves live in :mod:`lantu.analysis.targets` (statuses) and :mod:`lantu.analysis.primacy`;
this package only gathers the inputs and applies them.
"""

from lantu.evaluation.verdict import (
    IndicatorVerdict,
    NodeVerdict,
    TargetInForce,
    Verdict,
    evaluate,
    status_label,
)

__all__ = [
    "IndicatorVerdict",
    "NodeVerdict",
    "TargetInForce",
    "Verdict",
    "evaluate",
    "status_label",
]
