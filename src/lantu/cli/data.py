"""Data commands: init, import, show, export, demo (filled in by the foundation work)."""

from __future__ import annotations

from lantu.cli import app


@app.command()
def version() -> None:
    """Print Lantu's version."""
    from lantu import __version__

    print(__version__)
