"""What every command family shares: the database option, the console, error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from lantu.errors import EXIT_SYSTEM, LantuError

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy URL of the database (default: LANTU_DATABASE_URL or "
                              "the SQLite file in LANTU_HOME).", envvar="LANTU_DATABASE_URL"),
]

#: Problems of a refused file printed on the terminal (all of them are in the error).
MAX_PROBLEMS_SHOWN = 200

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(fn: F) -> F:
    """Turn Lantu's own errors into a clear message and the exit code of the table in
    :mod:`lantu.errors` (``exc.exit_code``), without a traceback. Every command gets it: the
    ``lantu`` app wraps each registered command (:func:`wrap_commands`)."""
    if getattr(fn, "_friendly", False):
        return fn

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LantuError as exc:
            say_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_SYSTEM) from None

    wrapper._friendly = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def say_error(exc: LantuError) -> None:
    """Print ``exc`` on standard error; an error listing ``problems`` (a refused import) shows
    the first :data:`MAX_PROBLEMS_SHOWN` of them, one a line."""
    problems = getattr(exc, "problems", None)
    if not problems:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return
    err_console.print(f"[bold red]{getattr(exc, 'file', '')}: refused[/] — {len(problems)} "
                      "problem(s); nothing was imported.", highlight=False)
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        err_console.print(f"  • {p}", highlight=False, soft_wrap=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        err_console.print(f"  … and {len(problems) - MAX_PROBLEMS_SHOWN} more problem(s) "
                          "of the same file", highlight=False)


def wrap_commands(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its sub-apps) :func:`friendly_errors`."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = friendly_errors(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            wrap_commands(group.typer_instance)


def open_db(url: str | None):
    from lantu.store import open_database

    return open_database(url)


def write_output(data: bytes | str, out: str | None) -> None:
    """Write to ``out`` (a path) or to standard output."""
    if out:
        from pathlib import Path

        p = Path(out)
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            p.write_text(data, encoding="utf-8")
        else:
            p.write_bytes(data)
        err_console.print(f"wrote {p}", highlight=False)
    else:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
