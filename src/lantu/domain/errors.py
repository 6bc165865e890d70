"""Errors shared by every layer. Messages name where (file, row, column, field) and why."""

from __future__ import annotations


class LantuError(Exception):
    """Base class of Lantu's own errors: a message meant for the user, no traceback needed."""


class ValidationError(LantuError):
    """Input that breaks a rule of the domain. ``field`` names what was wrong."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)
