"""What every command family shares: the database option, the console, error handling."""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from lantu.domain.periods import read_day, read_month, read_year
from lantu.domain.textcodec import name_text, shown_name
from lantu.errors import EXIT_SYSTEM, EXIT_USAGE, LantuError, UsageError, ValidationError
from lantu.locale import plural

# No console markup: what Lantu prints holds text users chose — file names and paths (a
# directory ``a[`` makes the path ``a[/]b.csv``, whose ``[/]`` rich read as a closing tag: a
# traceback after the file was imported), plan and task titles, values. Style goes through
# :func:`styled` instead, and tables and trees render their cells as plain text.
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line of plain text with styled parts: ``styled(("error:", "bold red"), " ", message)``
    (never markup, so no part is read as a tag)."""
    return Text.assemble(*parts)

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
            raise typer.Exit(exit_code_of(exc)) from None
        except OSError as exc:
            err_console.print(styled(("error:", "bold red"), f" {name_text(str(exc))}"),
                              highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_SYSTEM) from None
        except Exception as exc:  # the machine refusing a database write (a full disk): exit 3
            from lantu.store import machine_refused

            if (known := machine_refused(exc)) is None:
                raise
            say_error(known)
            raise typer.Exit(exit_code_of(known)) from None

    wrapper._friendly = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def exit_code_of(exc: LantuError) -> int:
    """The exit code of ``exc`` (its class's, :mod:`lantu.errors`); a rule broken by the value
    of a command-line option (a validation error whose field is ``--option``) is a usage error."""
    if isinstance(exc, ValidationError) and (exc.field or "").startswith("--"):
        return EXIT_USAGE
    return exc.exit_code


def say_error(exc: LantuError) -> None:
    """Print ``exc`` on standard error; an error listing ``problems`` (a refused import) shows
    the first :data:`MAX_PROBLEMS_SHOWN` of them, one a line."""
    problems = getattr(exc, "problems", None) if hasattr(exc, "file") else None
    if not problems:  # a file's name that is not UTF-8 shown as its GBK text (name_text)
        err_console.print(styled(("error:", "bold red"), f" {name_text(str(exc))}"),
                          highlight=False, soft_wrap=True)
        return
    err_console.print(styled((f"{shown_name(str(getattr(exc, 'file', '')))}: refused", "bold red"),
                             f" — {plural(len(problems), 'problem')}; nothing was imported."),
                      highlight=False, soft_wrap=True)  # one line however long the file's name
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        err_console.print(f"  • {name_text(str(p))}", highlight=False, soft_wrap=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        more = plural(len(problems) - MAX_PROBLEMS_SHOWN, "more problem", "more problems")
        err_console.print(f"  … and {more} of the same file", highlight=False)


def wrap_commands(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its sub-apps) :func:`friendly_errors`."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = friendly_errors(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            wrap_commands(group.typer_instance)


def open_db(url: str | None, *, create: bool = False):
    """THE way a command opens its database: ``url`` (``--db`` or ``LANTU_DATABASE_URL``),
    else the SQLite file in ``LANTU_HOME``. A SQLite file named by the URL that does not exist
    is a typo unless the command makes databases (``create``: ``lantu init``, ``lantu demo``):
    ``lantu import --db sqlite:///typo.db`` made and migrated an empty database there and then
    refused every row as "unknown indicator" (probe20's K9, decided in probe22). The file in
    ``LANTU_HOME`` is still made on first use: no typo can name it."""
    from lantu.store import open_database

    if url and not create:
        no_database_there(url)
    database = open_database(url)
    if database.engine.url.get_backend_name() == "sqlite" and database.engine.url.database:
        reading(database.engine.url.database)  # an export never replaces its database
    return database


def no_database_there(url: str) -> None:
    """Refuse (exit 3) a SQLite URL whose file does not exist, naming it and how to make it
    (``lantu init``): asked by :func:`open_db` for every command but those that make databases,
    and by ``lantu check-stored`` (probe20, probe22). A URL of no file (``sqlite://``, in
    memory) is refused too: nothing written there outlives the command."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from lantu.errors import Unavailable

    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # open_database names a URL it cannot read
    file = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and file in ("", ":memory:"):
        raise UsageError(f"--db {url}: an in-memory database keeps nothing after the command; "
                         "name a file (sqlite:///path/lantu.db)")
    if (parsed.get_backend_name() == "sqlite" and file
            and not file.startswith("file:") and not Path(file).exists()
            and Path(file).parent.is_dir()):  # a missing folder: open_database says so
        raise Unavailable(f"{name_text(file)}: no database there (a typo in --db or "
                          f"LANTU_DATABASE_URL?); make one with: lantu init --db '{url}'")


#: the files the running command reads (its inputs, its SQLite database): an output it writes
#: never replaces one (:func:`not_read_here`)
_READ: set[Path] = set()
_INPUTS: set[Path] = set()


def reading(path: str | Path) -> None:
    """Remember that the running command reads ``path`` (:func:`input_file`, :func:`open_db`)."""
    _READ.add(Path(path))


def not_read_here(path: str | Path) -> None:
    """THE rule that an output is never a file the command reads: ``lantu extract f.txt --out
    f.txt`` replaced the report with its figures, ``lantu export --out lantu.db`` the database
    with a CSV (probe20). Refused (exit 2) before anything is written, naming the file."""
    p = Path(path)
    for q in _READ:
        try:
            same = p.exists() and q.exists() and os.path.samefile(p, q)
        except OSError:
            same = False
        if same:
            what = "an input" if q in _INPUTS else "the database"
            raise UsageError(f"{name_text(str(path))}: is {what} of this command; it is not "
                             "written over — name another output file")



def warn_notes(doc) -> None:
    """Say on standard error what a document's reader could not read (``Document.notes``: a
    PDF's pages without a text layer), one line each naming the file: the one place every
    command that reads a text for its figures or its plan says them."""
    for note in doc.notes:
        typer.echo(f"warning: {doc.path}: {note}", err=True)


def write_file(path: str | Path, data: bytes | str) -> None:
    """THE way the command line writes an output file: to a temporary name beside it, then
    renamed, so a full disk or an interrupt leaves the old file (or none), never half of one;
    a device or pipe named as the output (``/dev/stdout``) is written as it is. Any failure is
    :class:`~lantu.errors.CannotWrite` naming the file (exit 3): ``--out /dev/full`` said
    only "[Errno 28] No space left on device" (probe14)."""

    from lantu.errors import CannotWrite

    p = Path(path)
    not_read_here(p)
    body = data.encode("utf-8") if isinstance(data, str) else data
    tmp = p.with_name(f".{p.name}.part")
    try:
        if p.exists() and not p.is_file():
            with open(p, "wb") as fh:
                fh.write(body)
            return
        tmp.write_bytes(body)
        tmp.replace(p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CannotWrite(p, exc) from None


def write_output(data: bytes | str, out: str | None) -> None:
    """Write to ``out`` (a path, by :func:`write_file`) or to standard output."""
    if out:
        from lantu.errors import CannotWrite

        try:
            Path(out).parent.mkdir(parents=True, exist_ok=True)  # an export makes its folder
        except OSError as exc:
            raise CannotWrite(out, exc) from None
        write_file(out, data)
        err_console.print(f"wrote {out}", highlight=False)
    else:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()


# -- option values: one parser per kind, shared by every command ----------------------------------
#
# A value that cannot be used as given is Typer's usage error (exit 2, the option named, no
# traceback); an input file that is missing or unreadable is the operating system's refusal
# (exit 3), like any OSError. ``docs/cli.md`` has the table; tests/test_cli_options.py holds
# every command to it.

def parse_date(text: str) -> date:
    """``--today``, ``--date``: a day as YYYY-MM-DD."""
    try:
        return read_day(text)  # the one reader of a typed day (not 20261231, 2026-W52-1)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD, e.g. 2026-11-30)") from None


def parse_month(text: str) -> str:
    """``--month``: a month as YYYY-MM."""
    try:  # the one reader of a typed month (lantu.domain.periods.read_month)
        return read_month(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a month ({exc})") from None


def parse_year(text: str) -> int:
    """``--year``: a year such as 2023, read as every year a person types
    (:func:`lantu.domain.periods.read_year`: four digits 0-9, 1949–2100)."""
    try:
        return read_year(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a year ({exc})") from None


def parse_source_url(text: str) -> str:
    """``--source-url``: a link by the one rule of links (:func:`lantu.domain.links.url_problem`:
    http(s) only); ``javascript:alert(1)`` was taken and ignored for a table of figures
    (probe20)."""
    from lantu.domain.links import url_problem

    if text and (why := url_problem(text)):
        raise typer.BadParameter(why)
    return text


def parse_region(text: str) -> str:
    """``--region``: a GB/T 2260 region code (:func:`lantu.domain.check_region_code`); whether
    the database holds it is the command's question (:func:`option_errors`)."""
    from lantu.domain import ValidationError as DomainValidationError
    from lantu.domain import check_region_code

    try:
        return check_region_code(text.strip(), field_name="region")
    except DomainValidationError as exc:
        raise typer.BadParameter(str(exc).removeprefix("region: ")) from None


#: Typer's usage-error base (Typer ≥ 0.20 vendors Click: the one its command line catches)
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class UnreadableFile(_ClickException, LantuError):  # type: ignore[misc,valid-type]
    """An input file named on the command line is missing or cannot be read (exit 3); raised
    while the command line is read, so Typer shows it (a Lantu error all the same)."""

    exit_code = EXIT_SYSTEM


def input_file(text: str) -> Path:
    """An input file argument or option: it must exist and be a readable file."""
    if text == "-":  # not "-: no such file" (probe16)
        raise typer.BadParameter("standard input (-) is not read: give the file's name")
    path = Path(text).expanduser()
    name = name_text(text)  # a name that is not UTF-8 shown as its GBK text (probe16)
    try:  # Python 3.11's exists() lets the system's other refusals out as a traceback (probe25)
        path.lstat()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise UnreadableFile(f"{name[:80]}…: the name is longer than the file system allows "
                                 f"({len(os.fsencode(text)):,} bytes)") from None
    if not path.exists():
        if path.is_symlink():  # not "no such file": the link is there (probe18)
            try:
                path.resolve(strict=True)
            except RuntimeError:  # Python 3.11 says a loop so; 3.13 raises OSError (ELOOP)
                raise UnreadableFile(f"{name}: a symbolic link that loops (it leads back to "
                                     "itself)") from None
            except OSError as exc:
                why = "that loops" if exc.errno == errno.ELOOP else "to a file that does not exist"
                raise UnreadableFile(f"{name}: a symbolic link {why}") from None
        raise UnreadableFile(f"{name}: no such file")
    if not path.is_file():
        raise UnreadableFile(f"{name}: is a directory" if path.is_dir() else f"{name}: not a file")
    try:  # Path("f.csv/") and Path("f.csv/.") are f.csv; the system opens no file so
        os.stat(text)
    except NotADirectoryError:
        tail = text[len(text.rstrip("/." + os.sep)):] or "/"
        raise UnreadableFile(f"{name}: not a directory (the name ends with '{tail}')") from None
    except OSError:
        pass
    if not os.access(path, os.R_OK):
        raise UnreadableFile(f"{name}: cannot be read (permission denied)")
    reading(path)
    _INPUTS.add(path)
    return path


@contextmanager
def option_errors(**options: str) -> Iterator[None]:
    """A rule broken by an option's value is a usage error (exit 2): a validation error whose
    field is a key of ``options`` (``region="--region"``) is raised again naming the option
    (an unknown region, group or plan, a year without data)."""
    try:
        yield
    except ValidationError as exc:
        if getattr(exc, "problems", None) or exc.field not in options:
            raise
        raise ValidationError(str(exc).removeprefix(f"{exc.field}: "),
                              field=options[exc.field]) from None


def load_spec(path: Path | str) -> Any:
    """A composite-index spec (YAML/JSON) read by the one reader of a YAML a user brings
    (:func:`lantu.ingest.yamlio.read_yaml`: its decoding, a number judged on its written text)
    and built by the engine, which reads no files of its own here (the engine imports nothing
    of Lantu). Errors name the file."""
    from lantu.engine import Spec, SpecError
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    p = Path(path)
    if not p.is_file():
        return Spec.load(p)  # its own message: file not found
    try:
        doc = read_yaml(p)
    except YamlRefused as exc:  # a spec's problem: a usage error, as the engine's own are
        raise SpecError(None, None, str(exc)) from None
    try:
        return Spec.from_dict(doc)
    except SpecError as e:
        raise SpecError(e.step, e.field, f"{e.reason} (in {p})") from None


def load_ua_spec(path: Path | str) -> Any:
    """An uncertainty spec, read as :func:`load_spec` reads a spec."""
    from lantu.engine.uncertainty import UASpec, UASpecError
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    p = Path(path)
    if not p.is_file():
        return UASpec.from_yaml(p)  # its own message
    try:
        doc = read_yaml(p)
    except YamlRefused as exc:
        raise UASpecError(str(exc)) from None
    try:
        return UASpec.from_dict(doc)
    except UASpecError as exc:
        raise UASpecError(f"{p}: {exc}") from None
