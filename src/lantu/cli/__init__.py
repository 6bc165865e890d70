"""The ``lantu`` command. Each command family lives in its own module and is registered here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="lantu",
    help="Lantu (蓝图): plan, data, evaluation and supervision of a city's development blueprint.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each module adds its commands to `app` on import. Keep one line per family.
    from lantu.cli import data  # noqa: F401  init, import, show, export, demo
    from lantu.cli import extract as _extract  # noqa: F401  extract
    from lantu.cli import plan as _plan  # noqa: F401  plan parse


_register()


def main() -> None:
    app()
