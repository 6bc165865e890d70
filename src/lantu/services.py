"""Application services: what the CLI, the web app and notebooks do with the database, in one
place. Each function opens one transaction; a failure leaves the database as it was."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from lantu import actors, defaults
from lantu.domain import MilestoneFact, Observation, RegionGroup
from lantu.domain.errors import LantuError, ValidationError
from lantu.domain.milestones import repeats
from lantu.domain.observations import FRAME_COLUMNS, format_flags, parse_flags
from lantu.domain.plans import Plan
from lantu.domain.review import MACHINE_READ
from lantu.domain.textcodec import shown_name
from lantu.errors import Conflict, UsageError
from lantu.ingest.ahead import ReadAhead
from lantu.ingest.bulk import FrameTable, parse_plain, read_plain
from lantu.ingest.milestone_table import is_milestone_table, parse_milestones
from lantu.ingest.tables import (
    Catalogue,
    ImportRefused,
    ParsedTable,
    Problem,
    RawTable,
    parse_file,
    parse_table,
    read_raw,
)
from lantu.security_log import security_event
from lantu.store import Database, repo
from lantu.store import bulk as store_bulk
from lantu.store.db import checkpoints_aside, hold_instance_lock, is_unique_violation
from lantu.store.models import ObservationRow, PlanRow, RegionGroupRow, RegionRow, TargetRow


def catalogue(db: Database, today: date | None = None) -> Catalogue:
    with db.session() as s:
        return Catalogue({r.code: r for r in repo.regions(s)},
                         {i.code: i for i in repo.indicators(s)}, today or date.today(),
                         defaults.load_indicator_aliases(), defaults.load_divisions())


def import_catalogue(db: Database, today: date | None = None) -> Catalogue:
    """The catalogue a write of figures checks against, or the reason there is none: a database
    made without ``lantu init`` holds no indicator, and every row of a table was refused as an
    "unknown indicator" (probe22) where one sentence says what to do."""
    cat = catalogue(db, today)
    if not cat.indicators:
        raise UsageError("the database holds no indicator catalogue yet: run `lantu init` (or "
                         "`lantu init --demo` for the embedded Taiyuan default) first")
    return cat


@dataclass
class ImportResult:
    file: str
    layout: str
    encoding: str
    dry_run: bool
    observations: repo.ApplySummary
    targets: repo.ApplySummary
    gaps: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)
    milestones: repo.ApplySummary = field(default_factory=repo.ApplySummary)
    #: what the reader says without refusing: columns not read (probe20)
    notes: list[str] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """Whether confirming this (dry-run) result would write anything: the preview offers a
        confirm only then, and stages the file only then (probe19)."""
        o, t, m = self.observations, self.targets, self.milestones
        return bool(o.inserted or o.revised or o.outranked or t.inserted
                    or m.inserted or m.revised)

    @property
    def digest(self) -> str:
        """What the import did or would do, in one word (:func:`outcome_digest`): a preview's
        is handed back as ``expect`` when it is confirmed. Made when asked (the web's preview):
        a command-line import of a million rows does not pay for it."""
        return outcome_digest(self.observations, self.targets, self.milestones)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "layout": self.layout, "encoding": self.encoding,
                "dry_run": self.dry_run, "observations": self.observations.as_dict(),
                "targets": self.targets.as_dict(), "milestones": self.milestones.as_dict(),
                "gaps": self.gaps, "changes": self.changes, "notes": self.notes}


class PreviewOutdated(Conflict):
    """An import confirmed from a preview would not do what the preview showed: another import
    changed some of the same figures meanwhile (HTTP 409); nothing was written."""

    key = "probe19.preview_outdated"


def outcome_digest(obs: repo.ApplySummary, tgs: repo.ApplySummary,
                   ms: Any = None) -> str:
    """One word for what an import does: every key it inserts, every value it revises (old and
    new) or keeps as a revision, how many rows it leaves unchanged, and its milestones. The same
    file gives the same word while the data it meets is the same — a preview's and its confirm's
    differ exactly when the confirm would write something the preview did not show (probe19)."""
    def part(summary: Any) -> dict[str, Any]:
        if summary is None:
            return {}
        return {name: sorted(map(repr, getattr(summary, name, ())))
                for name in ("inserted", "revised", "outranked")
                } | {"unchanged": getattr(summary, "unchanged", 0)}
    doc = {"observations": part(obs), "targets": part(tgs), "milestones": part(ms)}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def _as_previewed(expect: str | None, digest: str, file: str) -> None:
    """Refuse (inside the import's transaction, so nothing is written) an import that would not
    do what its preview, whose digest is ``expect``, showed."""
    if expect is not None and digest != expect:
        raise PreviewOutdated(f"{file}: the data changed since the preview (another import "
                              "wrote some of the same figures); nothing was imported: preview "
                              "the file again")


#: How often an import that collided with another writer is tried again.
IMPORT_ATTEMPTS = 5
_IMPORT_LOCK = 0x4C414E54  # "LANT": PostgreSQL advisory lock key that serialises imports
#: PostgreSQL: serialization failure, deadlock
_RETRY_SQLSTATES = {"40001", "40P01"}
#: SQLite: the file is locked by another writer
_RETRY_SQLITE_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _retryable(exc: Exception) -> bool:
    """A collision with another transaction (not a bug, not bad data): worth trying again — a
    unique key taken meanwhile (:func:`lantu.store.db.is_unique_violation`, the store's one
    test of it), a serialization failure or deadlock, a locked SQLite file. Told by the
    error's class and code (SQLSTATE, SQLite's extended result code), never by its text."""
    if isinstance(exc, repo.ConcurrentChange) or is_unique_violation(exc):
        return True
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and (code in _RETRY_SQLITE_CODES or code & 0xFF in
                                 (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED))


def _apply(db: Database, parsed: ParsedTable | FrameTable, *, actor: str, dry_run: bool,
           kind: str = "import", milestones: Sequence[MilestoneFact] = (),
           extra: dict[str, Any] | None = None, expect: str | None = None) -> ImportResult:
    """Apply in one transaction; when another import collides with this one (same new keys,
    a row revised meanwhile, a locked SQLite file), roll back and try again, up to
    :data:`IMPORT_ATTEMPTS` times, then refuse with a clear error. Nothing is half-written."""
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        try:
            return _apply_once(db, parsed, actor=actor, dry_run=dry_run, kind=kind,
                               milestones=milestones, extra=extra, expect=expect)
        except (IntegrityError, OperationalError, repo.ConcurrentChange) as exc:
            if not _retryable(exc):
                if isinstance(exc, IntegrityError):  # e.g. a region deleted meanwhile
                    raise LantuError(f"{parsed.file}: the database refused the import "
                                     f"({getattr(exc, 'orig', exc)}); nothing was imported"
                                     ) from exc
                raise
            if attempt == IMPORT_ATTEMPTS:
                raise LantuError(f"{parsed.file}: the import collided with other changes to the "
                                 f"database {IMPORT_ATTEMPTS} times and was given up; nothing "
                                 "was imported, try again") from exc
            time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError  # unreachable


def _key(k: Sequence[Any]) -> tuple[str, ...]:
    return tuple(str(x) for x in k)


def _incoming_values(parsed: ParsedTable | FrameTable
                     ) -> tuple[dict[tuple[str, ...], Any], dict[tuple[str, ...], Any]]:
    """The value each observation and target of a read table brings, by its key."""
    if isinstance(parsed, FrameTable):
        f = parsed.frame
        keys = zip(*(f[c].astype(str).to_numpy() for c in ("region_code", "period",
                                                            "indicator_code")), strict=True)
        return dict(zip(keys, f["value"].tolist(), strict=True)), {}
    return ({_key(o.key): o.value for o in parsed.observations},
            {_key((t.region_code, t.target_period, t.indicator_code)): t.value
             for t in parsed.targets})


def _apply_once(db: Database, parsed: ParsedTable | FrameTable, *, actor: str, dry_run: bool,
                kind: str, milestones: Sequence[MilestoneFact] = (),
                extra: dict[str, Any] | None = None, expect: str | None = None) -> ImportResult:
    from lantu.store import evidence

    with db.session() as s:
        if not dry_run and db.engine.dialect.name == "postgresql":
            hold_instance_lock(s, _IMPORT_LOCK)
        if isinstance(parsed, FrameTable):  # read column-wise: written as one frame
            regions = set(parsed.frame["region_code"].unique())
        else:
            regions = ({o.region_code for o in parsed.observations}
                       | {t.region_code for t in parsed.targets})
        # a GB/T 2260 division the database does not hold yet comes in with the import
        repo.add_missing_regions(s, regions, defaults.load_divisions())
        batch = None if dry_run else repo.new_batch(s, parsed.file, parsed.sha256, kind, actor)
        if isinstance(parsed, FrameTable):
            obs = store_bulk.apply_frame(
                s, parsed.frame[list(FRAME_COLUMNS)], actor=actor, batch=batch,
                dry_run=dry_run, regions=repo.admissible_regions(s, regions),
                checked=parsed.rules, in_key_order=parsed.in_key_order)
            tgs = repo.ApplySummary()
        else:
            obs = repo.apply_observations(s, parsed.observations, actor=actor, batch=batch,
                                          dry_run=dry_run)
            tgs = repo.apply_targets(s, parsed.targets, batch=batch, dry_run=dry_run)
        # milestones read from the same text come in the same transaction (a reviewed text)
        ms = evidence.apply_milestones(s, milestones, batch=batch, actor=actor, dry_run=dry_run)
        if expect is not None:  # a confirmed preview: what it showed, or nothing
            _as_previewed(expect, outcome_digest(obs, tgs, ms), parsed.file)
        # the preview of a dry run (an import reports counts): what is new says its value,
        # as what is revised says its old and new ones (left12: the new column was empty)
        new_obs, new_tgs = _incoming_values(parsed) if dry_run else ({}, {})
        changes = ([{"action": "insert", "key": list(k), "new": new_obs.get(_key(k))}
                    for k in obs.inserted]
                   + [{"action": "revise", "key": list(k), "old": old, "new": new}
                      for k, old, new in obs.revised]
                   + [{"action": "keep revision", "key": list(k), "old": old, "new": new}
                      for k, old, new in obs.outranked]
                   + [{"action": "insert target", "key": list(k), "new": new_tgs.get(_key(k))}
                      for k in tgs.inserted]
                   ) if dry_run else []
        if dry_run:
            s.rollback()
        else:
            summary = {"observations": obs.as_dict(), "targets": tgs.as_dict(),
                       "layout": parsed.layout, **(extra or {})}
            if milestones:
                summary["milestones"] = ms.as_dict()
            batch.summary = summary
            if obs.changed or tgs.changed or ms.changed:
                repo.audit(s, actor, "import", "file", Path(parsed.file).name, summary)
    if not dry_run:
        security_event("import", user=actor, file=Path(parsed.file).name, kind=kind,
                       inserted=len(obs.inserted), revised=len(obs.revised),
                       targets=len(tgs.inserted))
    return ImportResult(parsed.file, parsed.layout, parsed.encoding, dry_run, obs, tgs,
                        parsed.gaps, changes, milestones=ms, notes=parsed.notes)


@contextmanager
def _refusal_logged(actor: str, file: str | Path, via: str) -> Iterator[None]:
    """A write the gate (or the reader) refused is a security event too (``import_refused``:
    who, how, which file or key, how many problems): probing the gate leaves a trace."""
    try:
        yield
    except ValidationError as exc:
        security_event("import_refused", user=actor, via=via, file=Path(str(file)).name[:200],
                       problems=len(getattr(exc, "problems", None) or [exc]))
        raise


@contextmanager
def _bulk_work() -> Iterator[None]:
    """Reading and writing a table makes and drops hundreds of thousands of small objects and
    no reference cycles; the cycle collector, run every 700 of them, spent 3–8 % of an import
    going over the live ones. It pauses for the file (per process: a web worker's other
    requests too, for the second or so a large file takes) and runs again after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def import_file(db: Database, path: str | Path, *, actor: str = actors.CLI, dry_run: bool = False,
                sheet: str | None = None, today: date | None = None,
                display_name: str | None = None, source_url: str = "", archive: str = "",
                reviewed: bool | None = None, expect: str | None = None) -> ImportResult:
    """Validate a table file and apply it in one transaction (or only report, ``dry_run``).

    Raises :class:`~lantu.ingest.tables.ImportRefused` listing every problem; then nothing is
    written. Importing the same file twice changes nothing; a changed value becomes a revision.
    A milestone table (``year, kind, text``: the ``M.csv`` of ``lantu extract --milestones``) is
    imported as milestones; ``source_url``/``archive`` name the report of rows without a source.
    ``reviewed`` (``lantu import --reviewed`` / ``--machine-read``) says of every figure, target
    and milestone of the file whether a person confirmed it, over what its ``machine_read``
    column or flags say (:func:`_marked`); ``None``: as the file says. ``expect``: the
    ``digest`` of the dry run this import confirms (the web's preview): the import is refused
    with :class:`PreviewOutdated`, nothing written, when it would do anything else.
    """
    with _refusal_logged(actor, display_name or path, "file"), _bulk_work():
        cat = import_catalogue(db, today)
        parsed = read_checked(path, cat, display_name) if sheet is None else None
        if parsed is not None:  # a plain long CSV table: read and checked column-wise
            return _apply(db, _marked(parsed, reviewed), actor=actor, dry_run=dry_run,
                          expect=expect)
        return _import_other(db, path, cat, actor=actor, dry_run=dry_run, sheet=sheet,
                             display_name=display_name, source_url=source_url,
                             archive=archive, reviewed=reviewed, expect=expect)


def import_files(db: Database, paths: Sequence[str | Path], *, actor: str = actors.CLI,
                 dry_run: bool = False, today: date | None = None, source_url: str = "",
                 archive: str = "", reviewed: bool | None = None,
                 read_ahead: bool = False) -> Iterator[ImportResult]:
    """Import several tables in order, each as :func:`import_file` does (all or nothing in
    its own transaction), yielding each file's result once it is written. The first refused
    file raises (the files before it stay imported, it and those after are not).

    ``read_ahead`` (``lantu import`` sets it): on a machine with more than one core the next
    plain CSV table is read and checked in a second process while the one before is written
    (:mod:`lantu.ingest.ahead`), and on SQLite the log of each commit is copied into the
    database file while the next one is written (:func:`lantu.store.db.checkpoints_aside`). (Not a
    thread for the reading: it would wait on the interpreter lock that the database write
    hands back and forth for every row.)"""
    paths = list(paths)
    with _bulk_work():
        cat = import_catalogue(db, today)
    with ExitStack() as stack:
        series = read_ahead and len(paths) > 1
        ahead = stack.enter_context(ReadAhead(paths, cat, read_checked)) if series else None
        copied = stack.enter_context(checkpoints_aside(db.engine)) if series else None
        for i, path in enumerate(paths):
            with _refusal_logged(actor, path, "file"), _bulk_work():
                parsed = ahead.table(i) if ahead is not None else read_checked(path, cat)
                if parsed is not None:
                    result = _apply(db, _marked(parsed, reviewed), actor=actor, dry_run=dry_run)
                else:
                    result = _import_other(db, path, cat, actor=actor, dry_run=dry_run,
                                           sheet=None, display_name=None,
                                           source_url=source_url, archive=archive,
                                           reviewed=reviewed)
            if copied is not None and not dry_run:
                copied()
            yield result


def read_checked(path: str | Path, cat: Catalogue,
                 display_name: str | None = None) -> FrameTable | None:
    """A plain long CSV table read and checked column-wise (None: a table of another kind,
    for the row reader); :class:`ImportRefused` lists its problems under ``display_name``
    (else the path, as text: :func:`_file_name`)."""
    with _bulk_work():
        name = _file_name(path, display_name)
        plain = read_plain(path, name)
        return parse_plain(plain, name, cat) if plain is not None else None


def _file_name(path: str | Path, display_name: str | None) -> str:
    """How an imported file is named in its messages, its rows' source file, its batch and the
    audit: ``display_name`` (an upload's name), else the path as text a database stores. A
    name whose bytes are not UTF-8 (a GBK name unpacked on Linux) reached the gate as lone
    surrogates and every row was refused (probe14): :func:`lantu.domain.textcodec.name_text`.
    A control character in the name (an escape, a newline) is written as its escape, as every
    message writes it (:func:`~lantu.domain.textcodec.shown_name`): a name is a label, and
    ``\x1b[2Jx.csv`` was refused as a row whose source file holds a control character; a path
    longer than a batch keeps (500 characters: folders nested deep) keeps its end, the file's
    name, where the import was refused as "importbatch.file: at most 500" (probe25)."""
    if display_name:
        return display_name
    name = shown_name(str(path))
    if len(name) > _NAME_KEPT:
        name = ("/…" if name.startswith("/") else "…") + name[-(_NAME_KEPT - 2):]
    return name


#: the longest file name an import keeps (``importbatch.file``, an observation's source file)
_NAME_KEPT = 500


def _import_other(db: Database, path: str | Path, cat: Catalogue, *, actor: str,
                  dry_run: bool, sheet: str | None, display_name: str | None,
                  source_url: str, archive: str, reviewed: bool | None,
                  expect: str | None = None) -> ImportResult:
    """A table that is not a plain long CSV (a workbook, a wide or quoted table, milestones):
    read by the row reader."""
    raw = read_raw(path, sheet=sheet, name=_file_name(path, display_name))
    raw.file = _file_name(path, display_name)
    if is_milestone_table(raw.header):
        items = parse_milestones(raw, cat, source_url=source_url, archive=archive,
                                 reviewed=reviewed)
        return import_milestones(db, items, file=raw.file, sha256=raw.sha256, actor=actor,
                                 dry_run=dry_run, encoding=raw.encoding, expect=expect)
    return _apply(db, _marked(parse_table(raw, cat), reviewed), actor=actor, dry_run=dry_run,
                  expect=expect)


def _marked(parsed: ParsedTable | FrameTable, reviewed: bool | None) -> ParsedTable | FrameTable:
    """The figures and targets of a table as ``reviewed`` says for all of them (``lantu import
    --reviewed`` / ``--machine-read``, the web text review): true, none is machine-read (the
    flag and the target column cleared); false, every one is; ``None``, as the file says
    (:func:`lantu.domain.review.row_machine_read`). Milestones take it in
    :func:`~lantu.ingest.milestone_table.parse_milestones`."""
    if reviewed is None:
        return parsed
    if isinstance(parsed, FrameTable):
        frame = parsed.frame.copy()  # each distinct flags text marked once
        frame["flags"] = frame["flags"].map({
            f: format_flags(_review_flags(parse_flags(f), reviewed))
            for f in frame["flags"].unique()})
        return replace(parsed, frame=frame)
    return replace(parsed,
                   targets=[replace(t, machine_read=not reviewed) for t in parsed.targets],
                   observations=[replace(o, flags=_review_flags(o.flags, reviewed))
                                 for o in parsed.observations])


def _review_flags(flags: frozenset[str], reviewed: bool) -> frozenset[str]:
    return flags - {MACHINE_READ} if reviewed else flags | {MACHINE_READ}


def import_milestones(db: Database, items: list, *, file: str, sha256: str = "",
                      actor: str = actors.CLI, dry_run: bool = False, encoding: str = "",
                      kind: str = "milestones", expect: str | None = None) -> ImportResult:
    """Apply milestones in one transaction (see :func:`lantu.store.evidence.apply_milestones`);
    ``expect`` as for :func:`import_file`."""
    from lantu.store import evidence

    with db.session() as s:
        batch = None if dry_run else repo.new_batch(s, file, sha256, kind, actor)
        res = evidence.apply_milestones(s, items, batch=batch, actor=actor, dry_run=dry_run)
        if expect is not None:
            _as_previewed(expect, outcome_digest(repo.ApplySummary(), repo.ApplySummary(), res),
                          file)
        if dry_run:
            s.rollback()
        else:
            batch.summary = {"milestones": res.as_dict()}
            if res.changed:
                repo.audit(s, actor, "import", "file", Path(file).name, batch.summary)
    if not dry_run:
        security_event("import", user=actor, file=Path(file).name, kind=kind,
                       milestones=len(res.inserted))
    return ImportResult(file, "milestones", encoding, dry_run, repo.ApplySummary(),
                        repo.ApplySummary(), 0,
                        [{"action": "insert milestone", "key": list(map(str, k))}
                         for k in res.inserted], milestones=res)


def import_reviewed(db: Database, figures: RawTable, milestones: RawTable | None = None, *,
                    actor: str, extra: dict[str, Any] | None = None,
                    today: date | None = None) -> ImportResult:
    """Import what a person accepted of a text read in the web (:mod:`lantu.textreview`): the
    figures and targets as the review table of ``lantu extract`` (``figures``) and the
    milestones (``milestones``, marked reviewed by ``actor``), through the same gate as any
    table and in ONE transaction: every problem of both tables is listed
    (:class:`~lantu.ingest.tables.ImportRefused`) and then nothing is written. ``extra``
    (who reviewed, when, which document) goes into the import batch and the audit log."""
    with _refusal_logged(actor, figures.file, "review"):
        cat = import_catalogue(db, today)
        problems: list[Problem] = []
        parsed = ParsedTable(figures.file, "extract-review", figures.encoding, figures.sha256)
        if figures.rows:
            try:
                parsed = parse_table(figures, cat)
            except ImportRefused as exc:
                problems += exc.problems
        items: list[MilestoneFact] = []
        if milestones is not None and milestones.rows:
            try:
                items = parse_milestones(milestones, cat, reviewed=True)
            except ImportRefused as exc:
                problems += exc.problems
        if problems:
            raise ImportRefused(figures.file, problems)
        # a person went through the text: nothing of it is machine-read (lantu.domain.review)
        return _apply(db, _marked(parsed, True), actor=actor, dry_run=False, kind="review", milestones=items,
                      extra=extra)


def record_observation(session: Session, obs: Observation, *, actor: str,
                       via: str = "api") -> str:
    """Insert or revise one observation in the caller's transaction, through the same gate as
    an import (:mod:`lantu.domain.gate`, asked by the store); audited. Returns ``inserted``,
    ``revised`` or ``unchanged``; raises :class:`~lantu.domain.gate.GateRefused`."""
    with _refusal_logged(actor, "/".join(obs.key), via):
        summary = repo.apply_observations(session, [obs], actor=actor)
    action = "inserted" if summary.inserted else "revised" if summary.revised else "unchanged"
    if summary.changed:
        repo.audit(session, actor, f"{via} {action}", "observation", "/".join(obs.key),
                   {"value": obs.value})
        security_event("import", user=actor, via=via, key="/".join(obs.key), action=action)
    return action


def record_target(session: Session, target, *, actor: str, via: str = "api") -> tuple[str, int]:
    """Insert one target in the caller's transaction, through the same gate as an import
    (:func:`lantu.store.repo.apply_targets`); audited. Returns ``(action, id)``: ``inserted``,
    ``reviewed`` (a stored machine-read target written by a person) or ``unchanged``."""
    summary = repo.apply_targets(session, [target])
    action = "inserted" if summary.inserted else "reviewed" if summary.revised else "unchanged"
    row = repo.find_target(session, target)
    key = f"{target.region_code}/{target.target_period}/{target.indicator_code}"
    if summary.changed:
        repo.audit(session, actor, f"{via} {action}", "target", key,
                   {"value": target.value, "machine_read": target.machine_read})
        security_event("import", user=actor, via=via, key=key, action=action)
    return action, row.id


def load_plan(db: Database, plan: Plan, *, actor: str = actors.CLI) -> int:
    """Load (or update) a plan in one transaction. Departments may be named by code or by
    Chinese name; the plan passes the gate (:func:`lantu.domain.gate.check_plan`: known
    departments and indicators, http(s) links, dates in order). Returns the number of nodes."""
    with db.session() as s:
        return save_plan(s, plan, actor=actor)


def save_plan(session: Session, plan: Plan, *, actor: str) -> int:
    """:func:`load_plan` inside the caller's transaction (departments by code or name)."""
    by_name = {d.name_zh: d.code for d in repo.departments(session)}
    for _, node in plan.walk():
        node.lead = by_name.get(node.lead, node.lead) if node.lead else None
        node.supporting = [by_name.get(d, d) for d in node.supporting]
    return repo.save_plan(session, plan, actor=actor)


# -- the embedded default -------------------------------------------------------------------------


def init_reference(db: Database, *, actor: str = actors.INIT) -> dict[str, int]:
    """Regions, groups, indicators and departments of the default (idempotent)."""
    regions, groups = defaults.load_regions()
    with db.session() as s:
        out = {"regions": repo.upsert_regions(s, regions),
               "groups": repo.upsert_groups(s, groups),
               "indicators": repo.upsert_indicators(s, defaults.load_indicators()),
               "departments": repo.upsert_departments(s, defaults.load_departments())}
        repo.audit(s, actor, "init", "reference", "", out)
    return out


def _default_table(db: Database, cat: Catalogue, name: str, *, actor: str,
                   adjust=None) -> dict[str, Any]:
    """Load one file of the default's data folder: parse, apply its documented overrides (and
    ``adjust``), apply with the precedence rule; the result summary names the overrides used."""
    raw = read_raw(defaults.DATA / name)
    raw.file = f"defaults/{name}"
    parsed = parse_table(raw, cat)
    if adjust is not None:
        adjust(raw, parsed)
    parsed.observations, used_o = defaults.apply_overrides(name, parsed.observations)
    parsed.targets, used_t = defaults.apply_overrides(name, parsed.targets)
    res = _apply(db, parsed, actor=actor, dry_run=False, kind="default").as_dict()
    res["overrides"] = len(used_o) + len(used_t)
    res["_used"] = used_o + used_t
    return res


def _raw_observation_sources(raw, parsed) -> None:
    """The raw rows' true standing: the note says when a figure is not the bulletin itself
    (flag ``weak_source``); the quality follows (:func:`lantu.domain.infer_quality`), the
    publication date is read from the URL where it has one."""
    from dataclasses import replace

    from lantu.domain import infer_quality, parse_flags

    notes = {ln: dict(zip(raw.header, cells)).get("note", "") for ln, cells in raw.rows}
    out = []
    for o, ln in zip(parsed.observations, parsed.lines):
        flags = parse_flags(set(o.flags) | set(defaults.flags_from_note(notes[ln])))
        src = replace(o.source, quality=infer_quality(o.source.url, flags=flags, note=notes[ln]),
                      published=defaults.published_from_url(o.source.url, str(o.period)))
        out.append(replace(o, flags=flags, source=src))
    parsed.observations = out


def _reviewed_keys(name: str, period: str) -> set[tuple[str, str, str, str]]:
    """``(region, period, indicator, source)`` of the rows of ``reviewed/<name>``: what a person
    read from a text, so the machine-read copy of the same text is not loaded beside it."""
    path = defaults.DATA / "reviewed" / name
    if not path.exists():
        return set()
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["region_code"], r[period], r["indicator"], r["source_url"] or r["source_file"])
                for r in csv.DictReader(fh)}


def _same_place(a, b) -> bool:
    """Two milestones read from the same place of the same text (overlapping offsets)."""
    if (a.region_code, a.source_url, a.archive) != (b.region_code, b.source_url, b.archive):
        return False
    if None in (a.start, a.end, b.start, b.end):
        return False
    return a.start < b.end and b.start < a.end


def load_default_data(db: Database, *, actor: str = actors.INIT) -> dict[str, Any]:
    """Observations, targets and milestones of the embedded default, all or nothing per file.

    Everything is loaded and :func:`lantu.domain.outranks` decides which value is current: the
    statistical bulletins over the work reports (preliminary), the official texts over the
    hand-gathered raw rows (mostly reposts, ``third_party``), which stay as revisions. The
    documented corrections of ``data/overrides.csv`` are applied on the way (each with its reason
    in the row's note)."""
    cat = catalogue(db)
    result: dict[str, Any] = {}
    used: list[dict[str, str]] = []
    raw_targets = parse_raw_targets(cat)
    curated = {(t.region_code, t.indicator_code, str(t.target_period), t.value, t.value_high)
               for t in raw_targets.targets}

    def not_curated(raw, parsed) -> None:  # a target the curated targets.csv holds already
        parsed.targets = [t for t in parsed.targets if (
            t.region_code, t.indicator_code, str(t.target_period), t.value, t.value_high)
            not in curated]

    def not_reviewed(raw, parsed) -> None:
        """A figure a person read from the same text (``reviewed/``) is loaded once, as reviewed:
        the machine-read copy of it (flag ``machine_read``) is left out."""
        keys = _reviewed_keys("observations.csv", "period")
        kept = [(o, ln) for o, ln in zip(parsed.observations, parsed.lines, strict=True)
                if (o.region_code, str(o.period), o.indicator_code, o.source.url or o.source.file)
                not in keys]
        parsed.observations = [o for o, _ in kept]
        parsed.lines = [ln for _, ln in kept]

    def extracted_targets(raw, parsed) -> None:
        """Targets: what the curated table holds is loaded from it; what a person read from the
        same text (``reviewed/targets.csv``, the build's review record) is loaded once, reviewed
        — its machine-read copy (``machine_read`` true) is left out."""
        not_curated(raw, parsed)
        keys = _reviewed_keys("targets.csv", "target_period")
        parsed.targets = [t for t in parsed.targets if (
            t.region_code, str(t.target_period), t.indicator_code, t.source.url or t.source.file)
            not in keys]

    for name, adjust in (("reviewed/observations.csv", None),
                         ("reviewed/targets.csv", None),
                         ("extracted/observations.csv", not_reviewed),
                         ("extracted/targets.csv", extracted_targets),
                         *((f"raw/{f}", _raw_observation_sources)
                           for f in defaults.RAW_OBSERVATION_FILES)):
        if (defaults.DATA / name).exists():
            res = _default_table(db, cat, name, actor=actor, adjust=adjust)
            used += res.pop("_used")
            result[name] = res
    raw_targets.targets, used_t = defaults.apply_overrides("raw/targets.csv", raw_targets.targets)
    used += used_t
    result["raw/targets.csv"] = _apply(db, raw_targets, actor=actor, dry_run=False,
                                       kind="default").as_dict()
    reviewed: list = []
    for name in ("reviewed/milestones.csv", "extracted/milestones.csv"):
        if (defaults.DATA / name).exists():
            raw = read_raw(defaults.DATA / name)
            raw.file = f"defaults/{name}"
            items = parse_milestones(raw, cat) if raw.rows else []
            # what a person reviewed already comes once: the same place of the same text, or the
            # same act stated again in another report (lantu.domain.milestones.repeats: same
            # kind and designation, dated a year apart at most)
            left_out: list = []
            if name.startswith("reviewed"):
                reviewed = items
            else:
                kept = []
                for m in items:
                    if any(_same_place(m, r) for r in reviewed):
                        continue
                    if any(repeats(m, r) for r in reviewed):
                        left_out.append(m)
                        continue
                    kept.append(m)
                items = kept
            result[name] = import_milestones(db, items, file=raw.file, sha256=raw.sha256,
                                             actor=actor, kind="default").milestones.as_dict()
            if left_out:
                result[name]["repeats_of_reviewed"] = [f"{m.region_code} {m.year} {m.text}"
                                                       for m in left_out]
    from lantu.store.evidence import upsert_series_breaks

    with db.session() as s:
        result["series_breaks.csv"] = upsert_series_breaks(s, defaults.load_series_breaks())
    unused = [o for o in defaults.load_overrides() if o not in used]
    result["overrides_unused"] = [f"{o['file']} {o['region_code']} {o['period']} "
                                  f"{o['indicator']} {o['value']}" for o in unused]
    return result


def parse_raw_targets(cat: Catalogue) -> ParsedTable:
    from lantu.ingest.tables import RawTable

    rows = defaults.raw_target_rows()
    header = list(rows[0])
    raw = RawTable("defaults/raw/targets.csv", header,
                   [(i, [r[h] for h in header]) for i, r in enumerate(rows, start=2)],
                   "utf-8", hashlib.sha256((defaults.DATA / "raw" / "targets.csv").read_bytes())
                   .hexdigest())
    return parse_table(raw, cat)


def init_default(db: Database, *, actor: str = actors.INIT) -> dict[str, Any]:
    """Everything of the embedded Taiyuan default: reference data, plan, observations, targets."""
    out: dict[str, Any] = {"reference": init_reference(db, actor=actor)}
    plan = defaults.load_plan()
    with db.session() as s:
        plan.validate(departments={d.code for d in repo.departments(s)},
                      indicators={i.code for i in repo.indicators(s)})
        out["plan_nodes"] = repo.save_plan(s, plan, actor=actor)
    out["data"] = load_default_data(db, actor=actor)
    return out


def has_default(db: Database) -> bool:
    with db.session() as s:
        return bool(s.scalar(select(func.count()).select_from(PlanRow))) and bool(
            s.scalar(select(func.count()).select_from(ObservationRow)))


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {name: s.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (("regions", RegionRow), ("observations", ObservationRow),
                                    ("targets", TargetRow), ("plans", PlanRow))}


# -- region groups (peer groups) ----------------------------------------------------------------


def save_group(db: Database, code: str, name_zh: str, members: list[str], *, name_en: str = "",
               note: str = "", actor: str = actors.CLI, create_only: bool = False) -> RegionGroup:
    """Create or replace the region group ``code``; the one path for the CLI, API and page
    (:func:`write_group`, without saying which it did)."""
    return write_group(db, code, name_zh, members, name_en=name_en, note=note, actor=actor,
                       create_only=create_only)[0]


def write_group(db: Database, code: str, name_zh: str, members: list[str], *,
                name_en: str = "", note: str = "", actor: str = actors.CLI,
                create_only: bool = False) -> tuple[RegionGroup, bool]:
    """Create or replace the region group ``code``: the group and whether it was created (not
    there before, in the same transaction that wrote it — ``PUT /api/v1/groups/{code}`` answers
    201 or 200 by it). With ``create_only`` (``POST /api/v1/groups``) an existing group is not
    replaced.

    Members are region codes or names the catalogue knows (any GB/T 2260 division, or a region
    of the database such as a planning zone); a division not yet in the database is added.

    Raises
    ------
    ValidationError
        A bad code or name, no members, a member named twice or an unknown region (all named).
    AlreadyExists
        ``create_only`` and the group exists (nothing is written).
    """
    from lantu.domain import ValidationError
    from lantu.errors import AlreadyExists

    cat = catalogue(db)
    codes, unknown = [], []
    for m in members:
        c = cat.region(str(m))
        (codes if c else unknown).append(c or str(m))
    if unknown:
        raise ValidationError(f"unknown region(s): {', '.join(unknown)} (give GB/T 2260 codes or "
                              "names Lantu knows)", field="members")
    group = RegionGroup(code=str(code).strip(), name_zh=str(name_zh).strip(),
                        name_en=str(name_en).strip(), members=tuple(codes), note=note.strip())
    with db.session() as s:
        repo.add_missing_regions(s, group.members, defaults.load_divisions())
        existed = s.get(RegionGroupRow, group.code) is not None
        if existed and create_only:
            raise AlreadyExists(f"code: region group {group.code!r} already exists; replace it "
                                "explicitly (PUT /api/v1/groups/{code}) to change it")
        repo.upsert_groups(s, [group])
        repo.audit(s, actor, "update" if existed else "create", "region_group", group.code,
                   {"name_zh": group.name_zh, "members": list(group.members)})
    return group, not existed


def list_groups(db: Database) -> list[RegionGroup]:
    with db.session() as s:
        return repo.region_groups(s)


__all__ = ["ImportRefused", "ImportResult", "Problem", "catalogue", "counts", "has_default",
           "import_file", "import_reviewed", "init_default", "init_reference", "list_groups", "load_default_data",
           "parse_file", "save_group", "write_group"]
