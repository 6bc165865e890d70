"""What every command family shares: the database option, the console, error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from lantu.domain.errors import LantuError

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy URL of the database (default: LANTU_DATABASE_URL or "
                              "the SQLite file in LANTU_HOME).", envvar="LANTU_DATABASE_URL"),
]

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(fn: F) -> F:
    """Turn Lantu's own errors into a clear message and exit code 1, without a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LantuError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False,
                              soft_wrap=True)
            raise typer.Exit(1) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


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
