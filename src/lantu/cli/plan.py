"""``lantu plan``: read a policy text into a plan skeleton (JSON tree, plan YAML, task table XLSX)."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lantu.cli import app

plan_app = typer.Typer(help="Blueprints and plans: parse a policy text into goals and tasks.",
                       no_args_is_help=True)
app.add_typer(plan_app, name="plan")

#: Extensions read here as plain text; other formats go through lantu.ingest.textio when present.
PLAIN_EXTENSIONS = (".md", ".markdown", ".txt")


class PlanReadError(ValueError):
    """A policy text could not be read; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


class Format(StrEnum):
    json = "json"
    yaml = "yaml"
    xlsx = "xlsx"


def decode_text(data: bytes, path: str | Path) -> str:
    """Decode the bytes of a text file in UTF-8 (with or without BOM) or GBK/GB18030.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : str or Path
        Named in error messages.

    Returns
    -------
    str

    Raises
    ------
    PlanReadError
        Empty file, binary content, or an encoding that is neither UTF-8 nor GBK.

    Examples
    --------
    >>> decode_text("一、总体要求".encode("gbk"), "a.txt")
    '一、总体要求'
    """
    if not data.strip():
        raise PlanReadError(path, "the file is empty")
    if b"\x00" in data[:4096]:
        raise PlanReadError(path, "binary content (NUL bytes), not a text file")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise PlanReadError(path, "cannot tell the encoding; save it as UTF-8 or GBK")
        text = str(best)
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\r\n\t\f")
    sample = text[:20000]
    cjk = len(re.findall(r"[\u4e00-\u9fff]", sample))
    if controls > len(sample) * 0.01 or (len(sample) > 200 and cjk == 0
                                          and sum(c.isprintable() for c in sample) < len(sample) * 0.9):
        raise PlanReadError(path, "binary content, not a text file")
    if cjk == 0:
        raise PlanReadError(path, "no Chinese text found; expected a Chinese policy document")
    return text


def read_policy_text(path: Path) -> str:
    """Read a policy document: ``.md``/``.txt`` here, other formats via ``lantu.ingest.textio``.

    Raises
    ------
    PlanReadError
        Missing or unreadable file, unsupported extension, empty or binary content.
    """
    if not path.exists():
        raise PlanReadError(path, "no such file")
    if path.is_dir():
        raise PlanReadError(path, "is a directory, expected a file")
    ext = path.suffix.lower()
    if ext in PLAIN_EXTENSIONS:
        return decode_text(path.read_bytes(), path)
    try:
        from lantu.ingest import textio  # type: ignore[attr-defined]
    except ImportError:
        textio = None
    if textio is not None and ext in getattr(textio, "SUPPORTED_EXTENSIONS", ()):
        try:
            return textio.read_text(path).text
        except ValueError as exc:  # TextReadError names the file already
            raise PlanReadError(path, str(exc).removeprefix(f"{path}: ")) from exc
    supported = PLAIN_EXTENSIONS + tuple(getattr(textio, "SUPPORTED_EXTENSIONS", ()))
    raise PlanReadError(
        path, f"unsupported file type {ext or '(none)'!r}; expected one of {', '.join(sorted(set(supported)))}"
    )


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
    file: Annotated[Path, typer.Argument(help="Policy text: .md or .txt (UTF-8 or GBK); .html/.docx/.pdf when the reader is installed.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="json (tree), yaml (plan), xlsx (task table).")] = Format.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of standard output (required for xlsx).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Plan code (default: from the file name).")] = None,
    region: Annotated[str | None, typer.Option("--region", help="GB/T 2260 code of the region (default: from a 6-digit folder name).")] = None,
    mentions: Annotated[bool, typer.Option("--mentions/--no-mentions", help="Look for places and organisations.")] = True,
) -> None:
    """Parse a Chinese policy text into its sections, tasks and goals."""
    from lantu.ingest.plan_export import dump_plan_yaml, to_plan, write_task_table
    from lantu.ingest.policy import parse_policy

    try:
        text = read_policy_text(file)
    except (PlanReadError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if region is not None and not re.fullmatch(r"\d{6}", region):
        typer.echo(f"error: --region {region!r}: expected a 6-digit GB/T 2260 code", err=True)
        raise typer.Exit(2)
    doc = parse_policy(text, source={"file": str(file)}, mentions=mentions, title=file.stem)
    if not doc.children and not doc.goals:
        typer.echo(f"error: {file}: no sections, numbered items or goals found", err=True)
        raise typer.Exit(1)
    if format is Format.json:
        payload = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1)
    elif format is Format.yaml:
        plan = to_plan(doc, code=code or _plan_code(file), region=region or _region_from_path(file),
                       file=str(file))
        payload = dump_plan_yaml(plan)
    else:
        if out is None:
            typer.echo("error: --format xlsx needs --out FILE.xlsx", err=True)
            raise typer.Exit(2)
        plan = to_plan(doc, code=code or _plan_code(file), region=region or _region_from_path(file),
                       file=str(file))
        try:
            write_task_table(plan, out)
        except OSError as exc:
            typer.echo(f"error: {out}: cannot write: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"wrote {out}", err=True)
        return
    if out is None:
        typer.echo(payload)
        return
    try:
        out.write_text(payload + "\n", encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: {out}: cannot write: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {out}", err=True)
