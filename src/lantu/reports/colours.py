"""The fills of Lantu's documents, in one table: a colour name (the one a rule returns —
:func:`lantu.supervise.colour_of`, :func:`lantu.supervise.warnings.milestone_colour`, the
target analysis) → the cell fill of Word and Excel tables (light fills that offices print well)."""

from __future__ import annotations

FILLS: dict[str, str | None] = {
    "green": "C6EFCE",
    "yellow": "FFEB9C",
    "orange": "F8CBAD",
    "red": "FFC7CE",
    "grey": None,
    # task table states (任务分解表): in progress and suspended
    "in_progress": "FFF2CC",
    "suspended": "D9D9D9",
}
