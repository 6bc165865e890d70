"""Errors shared by every layer (defined in :mod:`lantu.errors`; re-exported here for the domain).
Messages name where (file, row, column, field) and why."""

from __future__ import annotations

from lantu.errors import LantuError, ValidationError

__all__ = ["LantuError", "ValidationError"]
