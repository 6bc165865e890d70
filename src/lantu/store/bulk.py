"""Observations written in bulk: an observation frame is checked by the gate, compared with what
is stored column by column, and written with PostgreSQL's ``COPY`` or SQLite's ``executemany``,
all in the caller's transaction (so an import stays all or nothing).

This is the one write path of observations: :func:`lantu.store.repo.apply_observations` (the
API, the reviewed text sheet, the default) hands its objects here as a frame, and an import
hands its table here without making objects at all. The rules it applies live elsewhere, once:
what may be written in :func:`lantu.domain.gate.observation_frame_problems`, which value is
current in :func:`lantu.domain.outranks` (applied column-wise).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from lantu.domain import Indicator, gate, outranks
from lantu.domain.observations import FRAME_COLUMNS, format_flags, parse_flags
from lantu.store import repo
from lantu.store.models import ImportBatchRow, utcnow

KEY = ["region_code", "period", "indicator_code"]
#: compared with the stored row: equal in all of them, the new row changes nothing
_SAME = ["value", "unit", "flags", "source_url", "excerpt", "source_quality", "source_published"]


# -- writing rows --------------------------------------------------------------------------------


class RowBatch(Sequence[dict[str, Any]]):
    """Rows to insert held as columns (``columns``: name → list, ``same``: name → one value
    for every row): a sequence of dicts to whoever reads it row by row, written column-wise
    by :func:`write_rows`."""

    def __init__(self, columns: dict[str, list[Any]], same: dict[str, Any] | None = None):
        self.columns, self.same = columns, same or {}
        self._n = len(next(iter(columns.values()))) if columns else 0

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return RowBatch({k: v[i] for k, v in self.columns.items()}, self.same)
        return {**{k: v[i] for k, v in self.columns.items()}, **self.same}

    def column(self, name: str) -> list[Any]:
        return self.columns[name] if name in self.columns else [self.same[name]] * self._n

    @property
    def names(self) -> list[str]:
        return [*self.columns, *self.same]


def write_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the session's transaction:
    one ``COPY … FROM STDIN`` on PostgreSQL (psycopg), one ``executemany`` of the INSERT that
    SQLAlchemy compiles for the table elsewhere. A database refusal is raised as SQLAlchemy's
    exception class (``IntegrityError``, ``OperationalError``) whatever the path."""
    if not rows:
        return
    conn = session.connection()
    columns = rows.names if isinstance(rows, RowBatch) else list(rows[0])
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, table, columns, rows)
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=columns)
    order = list(compiled.positiontup or ())
    if conn.dialect.paramstyle not in ("qmark", "format", "numeric") or not order:
        conn.execute(insert(table), list(rows))  # a named paramstyle takes the dicts themselves
        return
    values = []
    for name in order:  # each column once, through its type's conversion for this database
        col = rows.column(name) if isinstance(rows, RowBatch) else [r[name] for r in rows]
        proc = table.c[name].type._cached_bind_processor(conn.dialect)
        if proc is not None:
            done = {v: proc(v) for v in set(col)} if len(col) > 64 else None
            col = [done[v] for v in col] if done is not None else [proc(v) for v in col]
        values.append(col)
    conn.exec_driver_sql(str(compiled), list(zip(*values)))


def _copy(conn: Connection, table: Table, columns: list[str],
          rows: Sequence[Mapping[str, Any]]) -> None:
    import psycopg
    from psycopg import sql

    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    if isinstance(rows, RowBatch):  # every cell quoted; "" is NULL only where NULL may be
        nullable = [c for c in columns if table.c[c].nullable] or columns[:0]
        force = sql.SQL(", FORCE_NULL ({})").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in nullable)) if nullable else sql.SQL("")
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv{})").format(
            sql.Identifier(table.name), names, force)
    else:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), names)
    raw = conn.connection.driver_connection
    conn.info["lantu_dirty"] = True  # the write tracker (store.db) does not see COPY
    try:
        with raw.cursor() as cur, cur.copy(statement) as copy:
            if isinstance(rows, RowBatch):  # the columns as one CSV text, written by pandas
                copy.write(_csv(rows, columns))
            else:
                for r in rows:
                    copy.write_row([r[c] for c in columns])
    except psycopg.Error as exc:  # the class SQLAlchemy would have raised (IntegrityError …)
        raise DBAPIError.instance(str(statement.as_string(raw)), None, exc, psycopg.Error,
                                  dialect=conn.dialect) from exc


#: An insert of at least this many rows, and more than the table holds, checks the table's
#: foreign keys and builds its plain indexes once afterwards instead of row by row
REINDEX_ROWS = 20_000


@contextmanager
def _indexes_set_aside(session: Session, table: Table, adding: int) -> Iterator[None]:
    """A large insert into a small table (a first load) sets the table's plain (non-unique)
    indexes aside, and on PostgreSQL its foreign keys too, and restores them after the rows
    are in, within the same transaction: an index is built once, a foreign key is checked by
    one query instead of one trigger a row. DDL is transactional in both databases, so a
    failure or a kill leaves them as they were; the unique key stays all along (a duplicate
    is refused row by row) and a row naming a region that is not there still fails the
    import when its foreign key comes back. (PostgreSQL holds the table locked against
    readers until the import commits: only for a load bigger than the table.)"""
    conn = session.connection()
    raw = conn.connection.driver_connection
    name = conn.dialect.name
    plain = [i for i in table.indexes if not i.unique]
    keys = list(table.foreign_key_constraints) if name == "postgresql" else []
    in_transaction = (getattr(raw, "in_transaction", False) if name == "sqlite"
                      else name == "postgresql")
    if (name not in ("sqlite", "postgresql") or adding < REINDEX_ROWS or not (plain or keys)
            or not in_transaction
            or adding <= (session.scalar(select(func.count()).select_from(table)) or 0)):
        yield
        return
    for fk in keys:
        conn.execute(DropConstraint(fk))
    for index in plain:
        index.drop(conn)
    yield
    for index in plain:
        index.create(conn)
    for fk in keys:
        conn.execute(AddConstraint(fk))


def _csv(rows: RowBatch, columns: list[str]) -> str:
    """The rows as CSV for ``COPY … (FORMAT csv)``: every cell quoted, None as ``""``, a float
    in its shortest exact form (``repr``)."""
    texts = []
    for name in columns:
        col = rows.column(name) if name in rows.columns else [rows.same[name]]
        if not all(type(v) is str for v in col):
            col = ["" if v is None else repr(v) if type(v) is float else str(v) for v in col]
        if '"' in "".join(col):
            col = [v.replace('"', '""') for v in col]
        texts.append(col if name in rows.columns else col * len(rows))
    if not rows:
        return ""
    return '"' + '"\n"'.join(map('","'.join, zip(*texts))) + '"\n'


# -- comparing with what is stored ---------------------------------------------------------------


def _stored(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored rows with the frame's keys (what :func:`repo._existing_observations` reads;
    a frame may hold other rows of the same regions and indicators: the merge leaves them)."""
    found = repo._existing_observations(session, frame)
    cols = ["id", *KEY, *_SAME, "version"]
    if isinstance(found, repo.StoredRows):
        return found.frame[cols]
    if not found:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame.from_records([tuple(r[c] for c in cols) for r in found.values()],
                                     columns=cols)


def apply_frame(session: Session, frame: pd.DataFrame, *, actor: str = "",
                batch: ImportBatchRow | None = None, dry_run: bool = False,
                indicators: Mapping[str, Indicator] | None = None,
                today: date | None = None,
                regions: Collection[str] | None = None) -> repo.ApplySummary:
    """Insert new observations of ``frame`` (one row per key), revise the stored ones they
    outrank, keep the outranked ones as revisions; see :func:`repo.apply_observations`.

    The gate checks the frame first (:class:`lantu.domain.gate.GateRefused`); a stored row that
    changed since it was read raises :class:`repo.ConcurrentChange` (the caller retries)."""
    summary = repo.ApplySummary()
    if frame.empty:
        return summary
    frame = frame.reset_index(drop=True)
    if regions is None:  # the one region lookup of every write (GB/T 2260 taken in)
        regions = repo.admissible_regions(session, set(frame["region_code"].unique()))
    gate.check_frame(frame, indicators=indicators if indicators is not None
                     else repo.indicator_catalogue(session), today=today, regions=regions)
    now = utcnow()
    batch_id = batch.id if batch else None
    stored = _stored(session, frame)
    if stored.empty:
        new = np.ones(len(frame), dtype=bool)
        both = frame.assign(id=np.nan)
    else:
        both = frame.merge(stored, how="left", on=KEY, suffixes=("", "_old"))
        new = both["id"].isna().to_numpy(bool)
    old = ~new
    same = np.zeros(len(frame), dtype=bool)
    if old.any():  # the store's own "revised" mark is not a difference of the source's
        marks = {f: format_flags(parse_flags(f) - {"revised"}) for f in
                 set(both["flags"][old]) | set(both["flags_old"][old])}
        mine = {c: both[c].to_numpy(object)[old] for c in _SAME}
        theirs = {c: both[f"{c}_old"].to_numpy(object)[old] for c in _SAME}
        for side in (mine, theirs):
            side["flags"] = np.array([marks[f] for f in side["flags"]], dtype=object)
        same[old] = np.logical_and.reduce([mine[c] == theirs[c] for c in _SAME])
    differ = old & ~same
    wins = np.zeros(len(frame), dtype=bool)
    if differ.any():
        wins[differ] = outranks(both["source_quality"][differ].tolist(),
                                both["source_published"][differ].tolist(),
                                both["source_quality_old"][differ].tolist(),
                                both["source_published_old"][differ].tolist())
    keys = list(zip(both["region_code"], both["period"], both["indicator_code"]))
    summary.inserted = [keys[i] for i in np.flatnonzero(new)]
    summary.unchanged = int(same.sum())
    revised, losers = np.flatnonzero(differ & wins), np.flatnonzero(differ & ~wins)
    summary.revised = [(keys[i], float(both["value_old"].iat[i]), float(both["value"].iat[i]))
                       for i in revised]
    revisions: list[dict[str, Any]] = []
    if not dry_run and len(revised):
        revisions += _revise(session, both.iloc[revised], actor=actor, batch_id=batch_id, now=now)
    known = _outranked_known(session, both.iloc[losers])
    for i, is_known in zip(losers, known):
        if is_known:
            summary.unchanged += 1
            continue
        r = both.iloc[i]
        summary.outranked.append((keys[i], float(r["value_old"]), float(r["value"])))
        revisions.append(dict(
            observation_id=int(r["id"]), version=int(r["version"]), value=float(r["value"]),
            unit=r["unit"], flags=r["flags"], source_url=r["source_url"],
            source_file=r["source_file"], excerpt=r["excerpt"], source_quality=r["source_quality"],
            source_published=r["source_published"], reason="outranked", recorded_by=actor,
            recorded_at=now, replaced_by=actor, replaced_at=now, import_batch_id=batch_id))
    if dry_run:
        return summary
    inserts = frame.loc[new, list(FRAME_COLUMNS)].sort_values(KEY)  # index pages in order
    extra = dict(version=1, created_by=actor, created_at=now, updated_at=now,
                 import_batch_id=batch_id)
    rows = RowBatch({c: inserts[c].tolist() for c in FRAME_COLUMNS}, extra)
    with _indexes_set_aside(session, repo._OBS, len(rows)):
        for chunk in repo._chunks(rows):
            repo._insert_chunk(session, repo._OBS, chunk)
    for chunk in repo._chunks(revisions):
        repo._insert_chunk(session, repo._REV, chunk)
    session.flush()
    return summary


def _revise(session: Session, rows: pd.DataFrame, *, actor: str, batch_id: int | None,
            now: Any) -> list[dict[str, Any]]:
    """Update the stored rows the new values outrank (each only if its version is still the one
    read); return the revisions that keep their previous state."""
    ids = [int(i) for i in rows["id"]]
    full: dict[int, Any] = {}
    for chunk in repo._chunks(ids, 500):
        full.update((r["id"], r) for r in session.execute(
            select(repo._OBS).where(repo._OBS.c.id.in_(chunk))).mappings())
    out = []
    for r in rows.itertuples(index=False):
        prev = full[int(r.id)]
        version = int(r.version)  # as read when compared
        out.append(dict(
            observation_id=prev["id"], version=version, value=prev["value"], unit=prev["unit"],
            flags=prev["flags"], source_url=prev["source_url"], source_file=prev["source_file"],
            excerpt=prev["excerpt"], source_quality=prev["source_quality"],
            source_published=prev["source_published"], reason="replaced",
            recorded_by=prev["created_by"], recorded_at=prev["updated_at"], replaced_by=actor,
            replaced_at=now, import_batch_id=prev["import_batch_id"]))
        flags = parse_flags(r.flags) | ({"revised"} if prev["value"] != r.value else set())
        values = dict(version=version + 1, value=r.value, unit=r.unit, flags=format_flags(flags),
                      source_url=r.source_url, source_file=r.source_file, excerpt=r.excerpt,
                      source_note=r.source_note, source_quality=r.source_quality,
                      source_published=r.source_published, updated_at=now, created_by=actor,
                      import_batch_id=batch_id if batch_id is not None
                      else prev["import_batch_id"])
        res = session.execute(update(repo._OBS).where(repo._OBS.c.id == prev["id"],
                                                      repo._OBS.c.version == version)
                              .values(values))
        if res.rowcount != 1:
            raise repo.ConcurrentChange(f"observation {r.region_code}/{r.period}/"
                                        f"{r.indicator_code} was changed by someone else during "
                                        "this import")
    return out


def _outranked_known(session: Session, losers: pd.DataFrame) -> list[bool]:
    """Which outranked values are stored as revisions already (same value, source and quality):
    importing a losing value twice records it once."""
    if losers.empty:
        return []
    ids = sorted({int(i) for i in losers["id"]})
    have: set[tuple] = set()
    rev = repo._REV
    for chunk in repo._chunks(ids, 500):
        q = select(rev.c.observation_id, rev.c.value, rev.c.source_url, rev.c.excerpt,
                   rev.c.source_quality).where(rev.c.observation_id.in_(chunk))
        have.update(tuple(r) for r in session.execute(q).all())
    return [(int(r.id), float(r.value), r.source_url, r.excerpt, r.source_quality) in have
            for r in losers.itertuples(index=False)]
