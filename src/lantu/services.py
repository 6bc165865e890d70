"""Application services: what the CLI, the web app and notebooks do with the database, in one
place. Each function opens one transaction; a failure leaves the database as it was."""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from lantu import defaults
from lantu.domain import Observation
from lantu.domain.errors import LantuError
from lantu.domain.plans import Plan
from lantu.ingest.tables import (
    Catalogue,
    ImportRefused,
    ParsedTable,
    Problem,
    parse_file,
    parse_table,
    read_raw,
)
from lantu.security_log import security_event
from lantu.store import Database, repo
from lantu.store.models import ObservationRow, PlanRow, RegionRow, TargetRow


def catalogue(db: Database, today: date | None = None) -> Catalogue:
    with db.session() as s:
        return Catalogue({r.code: r for r in repo.regions(s)},
                         {i.code: i for i in repo.indicators(s)}, today or date.today(),
                         defaults.load_indicator_aliases())


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

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "layout": self.layout, "encoding": self.encoding,
                "dry_run": self.dry_run, "observations": self.observations.as_dict(),
                "targets": self.targets.as_dict(), "gaps": self.gaps, "changes": self.changes}


#: How often an import that collided with another writer is tried again.
IMPORT_ATTEMPTS = 5
_IMPORT_LOCK = 0x4C414E54  # "LANT": PostgreSQL advisory lock key that serialises imports
_RETRY_SQLSTATES = {"23505", "40001", "40P01"}  # unique violation, serialization, deadlock


def _retryable(exc: Exception) -> bool:
    """A collision with another transaction (not a bug, not bad data): worth trying again."""
    if isinstance(exc, repo.ConcurrentChange):
        return True
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    text = str(orig or exc).lower()
    return "database is locked" in text or ("unique constraint failed" in text
                                            and "observation" in text)


def _apply(db: Database, parsed: ParsedTable, *, actor: str, dry_run: bool,
           kind: str = "import") -> ImportResult:
    """Apply in one transaction; when another import collides with this one (same new keys,
    a row revised meanwhile, a locked SQLite file), roll back and try again, up to
    :data:`IMPORT_ATTEMPTS` times, then refuse with a clear error. Nothing is half-written."""
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        try:
            return _apply_once(db, parsed, actor=actor, dry_run=dry_run, kind=kind)
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


def _apply_once(db: Database, parsed: ParsedTable, *, actor: str, dry_run: bool,
                kind: str) -> ImportResult:
    with db.session() as s:
        if not dry_run and db.engine.dialect.name == "postgresql":
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _IMPORT_LOCK})
        batch = None if dry_run else repo.new_batch(s, parsed.file, parsed.sha256, kind, actor)
        obs = repo.apply_observations(s, parsed.observations, actor=actor, batch=batch,
                                      dry_run=dry_run)
        tgs = repo.apply_targets(s, parsed.targets, batch=batch, dry_run=dry_run)
        changes = ([{"action": "insert", "key": list(k)} for k in obs.inserted]
                   + [{"action": "revise", "key": list(k), "old": old, "new": new}
                      for k, old, new in obs.revised]
                   + [{"action": "insert target", "key": list(k)} for k in tgs.inserted])
        if dry_run:
            s.rollback()
        else:
            summary = {"observations": obs.as_dict(), "targets": tgs.as_dict(),
                       "layout": parsed.layout}
            batch.summary = summary
            if obs.changed or tgs.changed:
                repo.audit(s, actor, "import", "file", Path(parsed.file).name, summary)
    if not dry_run:
        security_event("import", user=actor, file=Path(parsed.file).name, kind=kind,
                       inserted=len(obs.inserted), revised=len(obs.revised),
                       targets=len(tgs.inserted))
    return ImportResult(parsed.file, parsed.layout, parsed.encoding, dry_run, obs, tgs,
                        parsed.gaps, changes)


def import_file(db: Database, path: str | Path, *, actor: str = "cli", dry_run: bool = False,
                sheet: str | None = None, today: date | None = None,
                display_name: str | None = None) -> ImportResult:
    """Validate a table file and apply it in one transaction (or only report, ``dry_run``).

    Raises :class:`~lantu.ingest.tables.ImportRefused` listing every problem; then nothing is
    written. Importing the same file twice changes nothing; a changed value becomes a revision.
    """
    raw = read_raw(path, sheet=sheet)
    if display_name:
        raw.file = display_name
    parsed = parse_table(raw, catalogue(db, today))
    return _apply(db, parsed, actor=actor, dry_run=dry_run)


def record_observation(session: Session, obs: Observation, *, actor: str,
                       via: str = "api") -> str:
    """Insert or revise one observation in the caller's transaction, through the same gate as
    an import (:mod:`lantu.domain.gate`, asked by the store); audited. Returns ``inserted``,
    ``revised`` or ``unchanged``; raises :class:`~lantu.domain.gate.GateRefused`."""
    summary = repo.apply_observations(session, [obs], actor=actor)
    action = "inserted" if summary.inserted else "revised" if summary.revised else "unchanged"
    if summary.changed:
        repo.audit(session, actor, f"{via} {action}", "observation", "/".join(obs.key),
                   {"value": obs.value})
        security_event("import", user=actor, via=via, key="/".join(obs.key), action=action)
    return action


def load_plan(db: Database, plan: Plan, *, actor: str = "cli") -> int:
    """Load (or update) a plan in one transaction. Departments may be named by code or by
    Chinese name; the plan passes the gate (:func:`lantu.domain.gate.check_plan`: known
    departments and indicators, http(s) links, dates in order). Returns the number of nodes."""
    with db.session() as s:
        by_name = {d.name_zh: d.code for d in repo.departments(s)}
        for _, node in plan.walk():
            node.lead = by_name.get(node.lead, node.lead) if node.lead else None
            node.supporting = [by_name.get(d, d) for d in node.supporting]
        n = repo.save_plan(s, plan, actor=actor)
        return n


# -- the embedded default -------------------------------------------------------------------------


def init_reference(db: Database, *, actor: str = "init") -> dict[str, int]:
    """Regions, groups, indicators and departments of the default (idempotent)."""
    regions, groups = defaults.load_regions()
    with db.session() as s:
        out = {"regions": repo.upsert_regions(s, regions),
               "groups": repo.upsert_groups(s, groups),
               "indicators": repo.upsert_indicators(s, defaults.load_indicators()),
               "departments": repo.upsert_departments(s, defaults.load_departments())}
        repo.audit(s, actor, "init", "reference", "", out)
    return out


def load_default_data(db: Database, *, actor: str = "init") -> dict[str, Any]:
    """Observations and targets of the embedded default, all or nothing per file."""
    from lantu.domain import Observation, parse_flags

    cat = catalogue(db)
    result: dict[str, Any] = {}
    have: set[tuple[str, str, str]] = set()  # keys of the shared raw data
    for name in defaults.RAW_OBSERVATION_FILES:
        path = defaults.DATA / "raw" / name
        raw = read_raw(path)
        raw.file = f"defaults/raw/{name}"
        parsed = parse_table(raw, cat)
        # the raw note says when a source is not the bulletin itself: keep it as a flag
        notes = {ln: dict(zip(raw.header, cells)).get("note", "") for ln, cells in raw.rows}
        parsed.observations = [
            Observation(o.region_code, o.period, o.indicator_code, o.value, o.unit,
                        parse_flags(set(o.flags) | set(defaults.flags_from_note(notes[ln]))),
                        o.source)
            for o, ln in zip(parsed.observations, parsed.lines)]
        have.update(o.key for o in parsed.observations)
        result[name] = _apply(db, parsed, actor=actor, dry_run=False, kind="default").as_dict()
    # Figures read from the work reports (``lantu extract`` over the corpus, reviewed): a work
    # report gives the first, preliminary figure; where the shared data already hold the figure
    # from the statistical bulletin or another release, that one is kept and the work report's
    # figure is not loaded (counted as superseded).
    raw_targets = parse_raw_targets(cat)
    extracted = defaults.DATA / "extracted"
    if (extracted / "observations.csv").exists():
        raw = read_raw(extracted / "observations.csv")
        raw.file = "defaults/extracted/observations.csv"
        parsed = parse_table(raw, cat)
        keep = [o for o in parsed.observations if o.key not in have]
        superseded = len(parsed.observations) - len(keep)
        parsed.observations = keep
        res = _apply(db, parsed, actor=actor, dry_run=False, kind="default").as_dict()
        res["superseded"] = superseded
        result["extracted/observations.csv"] = res
    if (extracted / "targets.csv").exists():
        raw = read_raw(extracted / "targets.csv")
        raw.file = "defaults/extracted/targets.csv"
        parsed = parse_table(raw, cat)

        def same(t) -> tuple:
            return (t.region_code, t.indicator_code, str(t.target_period), t.value, t.value_high)

        curated = {same(t) for t in raw_targets.targets}
        keep = [t for t in parsed.targets if same(t) not in curated]
        duplicates = len(parsed.targets) - len(keep)
        parsed.targets = keep
        res = _apply(db, parsed, actor=actor, dry_run=False, kind="default").as_dict()
        res["already_in_targets_csv"] = duplicates
        result["extracted/targets.csv"] = res
    result["targets.csv"] = _apply(db, raw_targets, actor=actor, dry_run=False,
                                   kind="default").as_dict()
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


def init_default(db: Database, *, actor: str = "init") -> dict[str, Any]:
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


__all__ = ["ImportRefused", "ImportResult", "Problem", "catalogue", "counts", "has_default",
           "import_file", "init_default", "init_reference", "load_default_data", "parse_file"]
