"""The verdict: for a region, a year and a plan, where every goal and task stands.

:func:`evaluate` builds ONE :class:`Verdict` — per plan node its indicators with the figure used,
the target in force, the status and the reason in words; the node's status and how it was
reached; its milestones; the peer index; primacy — and every view renders it: the overview, plan
and targets pages, the monitoring report, ``GET /api/v1/evaluation`` and ``lantu evaluate``.
The rules themselves live in :mod:`lantu.analysis.targets` (statuses) and
:mod:`lantu.analysis.primacy`; this package only gathers the inputs and applies them.
"""

from lantu.evaluation.verdict import (
    FLOW_INDICATORS,
    IndicatorVerdict,
    NodeVerdict,
    TargetInForce,
    Verdict,
    evaluate,
    status_label,
)

__all__ = [
    "FLOW_INDICATORS",
    "IndicatorVerdict",
    "NodeVerdict",
    "TargetInForce",
    "Verdict",
    "evaluate",
    "status_label",
]
