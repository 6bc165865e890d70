"""``lantu plan``: read a policy text into a plan skeleton (JSON tree, plan YAML, task table XLSX)."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lantu import actors
from lantu.cli import app
from lantu.cli.common import input_file, open_db, parse_region, warn_notes, write_file
from lantu.errors import EXIT_USAGE, LantuError, UsageError

plan_app = typer.Typer(help="Blueprints and plans: parse a policy text into goals and tasks.",
                       no_args_is_help=True)
app.add_typer(plan_app, name="plan")

#: Plain-text extensions: decoded here with the front matter kept, so spans point into the file.
PLAIN_EXTENSIONS = (".md", ".markdown", ".txt")


class PlanReadError(UsageError):
    """A policy text could not be read; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


class Format(StrEnum):
    json = "json"
    yaml = "yaml"
    xlsx = "xlsx"


def read_policy_text(path: Path) -> tuple[str, dict[str, str]]:
    """Read a policy document for the parser.

    ``.md``/``.txt`` are decoded (UTF-8 or GBK) and given whole, front matter included, so that
    spans point into the file's text; ``.html``, ``.docx`` and text ``.pdf`` go through
    :func:`lantu.ingest.textio.read_text`, whose source URL and title are returned beside the text.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    (str, dict)
        The text, and ``{"url": …, "title": …}`` as far as the reader knows them.

    Raises
    ------
    PlanReadError
        Missing file, unsupported extension, empty or binary content, no Chinese text.
    """
    from lantu.ingest.policy import policy_text_problem
    from lantu.ingest.textio import SUPPORTED_EXTENSIONS, TextReadError, decode_bytes, read_text

    ext = path.suffix.lower()
    meta: dict[str, str] = {}
    if path.is_dir():
        raise PlanReadError(path, "is a directory, expected a file")
    try:
        if ext in PLAIN_EXTENSIONS and path.is_file():
            text = decode_bytes(path.read_bytes(), path)
        elif ext in SUPPORTED_EXTENSIONS or not path.exists():
            doc = read_text(path)
            warn_notes(doc)
            text = doc.text
            meta = {k: v for k, v in (("url", doc.source_url), ("title", doc.title)) if v}
        else:
            raise PlanReadError(path, f"unsupported extension {ext or '(none)'!r}; expected one of "
                                      f"{', '.join(SUPPORTED_EXTENSIONS)}")
    except TextReadError as exc:
        raise PlanReadError(path, exc.reason) from exc
    except OSError as exc:
        raise PlanReadError(path, f"cannot read: {exc.strerror or exc}") from exc
    if why := policy_text_problem(text):
        raise PlanReadError(path, why)
    if not re.search(r"[\u4e00-\u9fff]", text[:200000]):
        raise PlanReadError(path, "no Chinese text found; expected a Chinese policy document")
    return text, meta


def _plan_code(path: Path) -> str:
    stem = re.sub(r"[^0-9A-Za-z]+", "-", path.stem).strip("-").lower()
    return stem or "plan"


def _region_from_path(path: Path) -> str | None:
    for part in (path.parent.name, path.stem):
        m = re.match(r"(\d{6})(?:-|$)", part)
        if m:
            return m.group(1)
    return None


@plan_app.command("parse")
def parse(
    file: Annotated[Path, typer.Argument(parser=input_file, help="Policy text: .md or .txt (UTF-8 or GBK); .html/.docx/.pdf when the reader is installed.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="json (tree), yaml (plan), xlsx (task table).")] = Format.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of standard output (required for xlsx).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Plan code (default: from the file name).")] = None,
    region: Annotated[str | None, typer.Option("--region", parser=parse_region, help="GB/T 2260 code of the region (default: from a 6-digit folder name).")] = None,
    mentions: Annotated[bool, typer.Option("--mentions/--no-mentions", help="Look for places and organisations.")] = True,
) -> None:
    """Parse a Chinese policy text into its sections, tasks and goals."""
    from lantu.ingest.plan_export import dump_plan_yaml, task_table_bytes, to_plan
    from lantu.ingest.policy import parse_policy

    if format is Format.xlsx and out is None:
        raise UsageError("--format xlsx needs --out FILE.xlsx")
    text, meta = read_policy_text(file)
    source = {"file": str(file), **({"url": meta["url"]} if "url" in meta else {})}
    doc = parse_policy(text, source=source, mentions=mentions, title=meta.get("title") or file.stem)
    if not doc.children and not doc.goals:
        raise LantuError(f"{file}: no sections, numbered items or goals found")
    if format is Format.json:
        payload: str | bytes = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n"
    else:
        plan = to_plan(doc, code=code or _plan_code(file), region=region or _region_from_path(file),
                       file=str(file))
        payload = task_table_bytes(plan) if format is Format.xlsx else dump_plan_yaml(plan) + "\n"
    if out is None:
        typer.echo(payload, nl=False)
        return
    # the one writer of the command line (write_file): never over the policy text it reads
    # (`-o b.txt` replaced the blueprint with its own YAML, probe22), whole or not at all, a
    # device written as it is (`-f xlsx -o /dev/full` replaced the device by a file: probe22)
    write_file(out, payload)
    typer.echo(f"wrote {out}", err=True)


@plan_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(parser=input_file, help="A plan in Lantu's YAML/JSON plan format "
                                              "(what `lantu plan parse -f yaml` writes).")],
    db: Annotated[str | None, typer.Option("--db", envvar="LANTU_DATABASE_URL",
                                           help="SQLAlchemy URL of the database.")] = None,
) -> None:
    """Load (or update) a plan in the database: goals, tasks, departments, dates, indicators.

    Departments may be given by code or by Chinese name; indicators by code. Tasks are matched
    by code, so loading a corrected file again keeps their progress reports.
    """
    from lantu import services
    from lantu.cli.common import console
    from lantu.defaults import plan_from_dict
    from lantu.domain import LantuError, ValidationError
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    # every refusal leaves by the exit table (friendly_errors): an empty or undecodable file
    # exits 2, a refusal at a line or a rule of the plan 1, a database that cannot be opened 3
    # — all were 1 here, printed past the table and its readable file names (probe16)
    # the one reader of a YAML a user brings: its decoding, its numbers as written; its
    # refusals name the file
    try:
        doc = read_yaml(file.read_bytes(), str(file), keep_text=True)
    except YamlRefused as exc:  # a file unusable as a whole: say what this command reads
        if exc.line is not None or exc.exit_code != EXIT_USAGE:  # a refusal at a line stays
            raise  # as it is (the task table's XLSX was "damaged at line 21", probe22)
        raise YamlRefused(exc.name, f"{exc.reason} (expected a plan in YAML or JSON, as "
                                    "`lantu plan parse -f yaml` writes it)") from None
    try:
        plan = plan_from_dict(doc, name=file.name)
    except LantuError as exc:  # the file's content refused: say which file (probe14)
        raise ValidationError(f"{file}: {exc}") from None
    database = open_db(db)  # a mistyped --db is named, not made (probe22)
    try:
        n = services.load_plan(database, plan, actor=actors.CLI)
    except ValidationError as exc:  # the gate's refusal (a title too long): which file
        raise ValidationError(f"{file}: {exc}") from None
    console.print(f"Loaded plan {plan.code} ({n} goals and tasks) into {database.url}")
