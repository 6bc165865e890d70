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


@app.callback()
def _every_command() -> None:
    """Lantu (蓝图): plan, data, evaluation and supervision of a city's development blueprint."""
    from lantu.cli.common import friendly_errors
    from lantu.security_log import setup_cli_logging

    # security events of user, token and import commands: LANTU_LOG_FILE; the first reading of
    # the settings, so a variable that cannot be read is said here as any error is (probe18)
    friendly_errors(setup_cli_logging)()


# Command families: each module adds its commands to `app` when imported. One line per family.
FAMILIES = (
    "data",  # init, import, show, export, demo
    "extract",  # extract
    "index",  # index build
    "index_ua",  # index ua, index analyse
    "web",  # serve, user
    "report",  # report monitoring, report bulletin
    "plan",  # plan parse
    "group",  # group add, group list
    "evaluate",  # evaluate
    "supervise",  # remind, assess
)


def _register() -> None:
    import importlib

    from lantu.cli.common import wrap_commands

    for name in FAMILIES:
        importlib.import_module(f"lantu.cli.{name}")
    wrap_commands(app)  # one error handling and one table of exit codes (lantu.errors)


_register()


def main() -> None:
    app()
