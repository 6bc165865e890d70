"""Lantu's one error hierarchy, importable from every layer (it imports nothing of Lantu).

Every exception class defined under ``src/lantu`` derives from :class:`LantuError` (a test walks
the package and checks). An error's message is meant for the user: it names where (file, row,
column, field) and why, and needs no traceback. Two class attributes say how the edges answer it:

``exit_code``
    what a ``lantu`` command exits with (the table :data:`EXIT_CODES`, applied by
    :func:`lantu.cli.common.friendly_errors` to every command);
``http_status``
    what the web app answers (one handler, :mod:`lantu.web.errors`, for pages and the JSON API).

A class whose callers catch ``ValueError`` keeps ``ValueError`` as a second base
(``class EngineError(LantuError, ValueError)``); catching ``LantuError`` catches them all.

Exit codes of every ``lantu`` command:

====  ==========  =================================================================================
code  name        meaning
====  ==========  =================================================================================
0     ok          done
1     refused     the input was read but a rule refused it, or the database's state does not allow
                  the action (a validation error, an import refused, a workflow rule); nothing was
                  written
2     usage       the command line or an input file cannot be used as given: a bad option value,
                  an unreadable or unsupported file, an invalid spec (Typer's own usage errors
                  exit 2 as well)
3     system      the operating system refused: a file that cannot be written or read (missing,
                  a directory, no permission, disk full)
====  ==========  =================================================================================

A programming error (any other exception) is not caught: Python prints the traceback and exits 1.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_SYSTEM = 3

#: The exit codes of every ``lantu`` command (documented in ``docs/cli.md``).
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "ok: done",
    EXIT_REFUSED: "refused: a rule refused the input or the state; nothing was written",
    EXIT_USAGE: "usage: the command line or an input file cannot be used as given",
    EXIT_SYSTEM: "system: the operating system refused to read or write a file",
}


class LantuError(Exception):
    """Base class of Lantu's own errors: a message meant for the user, no traceback needed.

    ``key`` and ``values`` may name a translated message (a locale key and its placeholders);
    pages show it translated, the JSON API and the command line show the English message.
    """

    exit_code: int = EXIT_REFUSED
    http_status: int = 422
    key: str | None = None
    values: dict[str, object] = {}


class ValidationError(LantuError):
    """Input that breaks a rule of the domain. ``field`` names what was wrong."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        self.reason = message  # without the field: a page names the field in its language
        super().__init__(f"{field}: {message}" if field else message)


class UsageError(LantuError, ValueError):
    """The command line or an input file cannot be used as given (exit 2, HTTP 400)."""

    exit_code = EXIT_USAGE
    http_status = 400


class NotFound(LantuError):
    """The object asked for does not exist, or the user may not see it (HTTP 404)."""

    http_status = 404


class Conflict(LantuError):
    """Someone else changed the object at the same time; reload and try again (HTTP 409)."""

    http_status = 409


class AlreadyExists(Conflict):
    """The object to create exists already; replace it explicitly instead (HTTP 409)."""


class Unavailable(LantuError):
    """A tool the action needs is missing or failed on this machine (HTTP 503)."""

    exit_code = EXIT_SYSTEM
    http_status = 503


class CannotWrite(LantuError):
    """An output file cannot be written (exit 3); the message names the file and the reason."""

    exit_code = EXIT_SYSTEM
    http_status = 500

    def __init__(self, path: object, exc: OSError) -> None:
        super().__init__(f"{path}: cannot write: {exc.strerror or exc}")
