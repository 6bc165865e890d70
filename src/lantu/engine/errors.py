"""Errors raised by the composite-index engine.

Every error names where the problem is (file, row, column, step, field) and why, so that a bad
input or a bad spec fails before any computation with a message a user can act on.
"""

from __future__ import annotations

from lantu.errors import EXIT_USAGE, LantuError


class EngineError(LantuError, ValueError):
    """Base class of the engine's errors (a ``ValueError``, so callers may catch either)."""

    exit_code = EXIT_USAGE


class DataError(EngineError):
    """Input data or indicator tree is invalid (names the file/field/row and the reason)."""


class SpecError(EngineError):
    """A spec is invalid (names the step and the field and the reason)."""

    def __init__(self, step: str | None, field: str | None, reason: str) -> None:
        self.step = step
        self.field = field
        self.reason = reason
        where = []
        if step is not None:
            where.append(f"step '{step}'")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {reason}" if prefix else reason)


class ComputationError(EngineError):
    """A method cannot compute on the data it was given (e.g. geometric mean of a zero)."""
