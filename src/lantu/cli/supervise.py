"""Supervision commands: ``lantu remind`` (automatic reminders, for cron or a systemd timer)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from lantu.cli import app
from lantu.cli.common import (
    DbOption,
    console,
    err_console,
    friendly_errors,
    open_db,
    parse_date,
    styled,
)
from lantu.locale import plural


@app.command()
@friendly_errors
def remind(dry_run: Annotated[bool, typer.Option("--dry-run", help="List the reminders due; "
                                                 "send nothing.")] = False,
           today: Annotated[date | None, typer.Option(
               parser=parse_date, help="Judge as of this day (YYYY-MM-DD; default today).")] = None,
           db: DbOption = None) -> None:
    """Send the automatic reminders due today (before a deadline, when it passes, escalation,
    unacknowledged assignments) and e-mail the pending notifications when LANTU_SMTP_URL is set.
    Idempotent: a reminder is sent once, however often (or however many at once) this runs."""
    from lantu.config import get_settings
    from lantu.mail import deliver_pending
    from lantu.store import cycle

    settings = get_settings()
    day = today or date.today()
    database = open_db(db)
    with database.session() as s:
        run = cycle.automatic_reminders(
            s, today=day, remind_days=settings.remind_days, escalate_days=settings.escalate_days,
            ack_days=settings.ack_days, dry_run=dry_run, mail=bool(settings.smtp_url))
    counts: dict[str, int] = {}
    for r in (run.planned if dry_run else run.sent):
        counts[r.kind] = counts.get(r.kind, 0) + 1
    detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    if dry_run:
        console.print(f"Dry run — nothing sent. Due: {len(run.planned)} ({detail}); "
                      f"sent before: {run.skipped}.", highlight=False)
        for r in run.planned[:200]:
            brief = run.tasks.get(r.node_id)
            if brief is None:
                console.print(f"  {r.kind:<15} task {r.node_id}", highlight=False)
                continue
            due = brief.due.isoformat() if brief.due else "no deadline"
            console.print(f"  {r.kind:<15} {brief.code} {brief.title} · {brief.department} · "
                          f"due {due}", highlight=False, markup=False, soft_wrap=True)
        if len(run.planned) > 200:
            console.print(f"  … and {len(run.planned) - 200} more", highlight=False)
        return
    mailed = 0
    if settings.smtp_url:
        try:
            mailed = deliver_pending(database, settings, limit=100_000)
        except OSError as exc:
            err_console.print(styled(("e-mail failed:", "bold red"),
                                     f" {exc} (kept for the next run)"))
            raise typer.Exit(1) from None
    console.print(f"Sent {plural(len(run.sent), 'reminder')} ({detail}); {run.skipped} sent before; "
                  f"{plural(mailed, 'e-mail')}.", highlight=False)
