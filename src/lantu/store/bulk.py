"""Observations written in bulk: an observation frame is checked by the gate, then either
written straight into the table (none of its keys is stored) or staged in a temporary table
(PostgreSQL's ``COPY``, SQLite's ``INSERT`` of a hundred rows a statement), compared with what is stored by joins in the
database, and its new rows written by one ``INSERT … SELECT`` (a frame of one row — the API's
write of an observation — is compared with its stored row read by one query instead: no
temporary table, the same answer: :class:`Inline`), all in the caller's transaction
(so an import stays all or nothing: a failure anywhere leaves nothing, and the temporary table
goes with the transaction).

Whether a frame's keys are stored is looked up for a few of them first (:func:`_write_new`);
a stored key the look misses fails the unique key inside a savepoint and the frame goes the
staged way, so both ways give the same answer. Only what differs comes back to Python (to be
judged by precedence): re-importing an unchanged file of 250,000 rows reads back a count, not
the rows. Foreign keys: every region and indicator of the frame is checked column-wise before
the write (:func:`lantu.domain.gate.check_frame`) and the database's own foreign keys stay on
(set aside and checked by one query for a load bigger than a quarter of the table on
PostgreSQL, :func:`_indexes_set_aside`).

This is the one write path of observations: :func:`lantu.store.repo.apply_observations` (the
API, the reviewed text sheet, the default) hands its objects here as a frame, and an import
hands its table here without making objects at all. The rules it applies live elsewhere, once:
what may be written in :func:`lantu.domain.gate.observation_frame_problems`, which value is
current in :func:`lantu.domain.outranks` (applied column-wise).
"""
from __future__ import annotations

import math
import sqlite3
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from lantu.domain import Indicator, gate, outranks
from lantu.domain.observations import (
    FRAME_COLUMNS,
    KEY_COLUMNS,
    format_flags,
    key_order,
    parse_flags,
)
from lantu.store import repo
from lantu.store.db import is_unique_violation
from lantu.store.models import ImportBatchRow, utcnow

KEY = list(KEY_COLUMNS)
_OBS = repo._OBS
#: compared with the stored row: equal in all of them, the new row changes nothing
_SAME = ["value", "unit", "flags", "source_url", "excerpt", "source_quality", "source_published"]


# -- writing rows --------------------------------------------------------------------------------


class RowBatch(Sequence[dict[str, Any]]):
    """Rows to insert held as columns (``columns``: name → list, ``same``: name → one value
    for every row): a sequence of dicts to whoever reads it row by row, written column-wise
    by :func:`write_rows`."""

    def __init__(self, columns: dict[str, list[Any]], same: dict[str, Any] | None = None, *,
                 native: bool = False):
        self.columns, self.same, self.native = columns, same or {}, native
        self._n = len(next(iter(columns.values()))) if columns else 0

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return RowBatch({k: v[i] for k, v in self.columns.items()}, self.same,
                            native=self.native)
        return {**{k: v[i] for k, v in self.columns.items()}, **self.same}

    def column(self, name: str) -> list[Any]:
        return self.columns[name] if name in self.columns else [self.same[name]] * self._n

    @property
    def names(self) -> list[str]:
        return [*self.columns, *self.same]


def write_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the session's transaction:
    one ``COPY … FROM STDIN`` on PostgreSQL (psycopg), statements of a hundred rows each on
    SQLite (:func:`_insert_values`), one ``executemany`` of the INSERT that SQLAlchemy compiles
    for the table elsewhere. A database refusal is raised as SQLAlchemy's
    exception class (``IntegrityError``, ``OperationalError``) whatever the path."""
    if not rows:
        return
    conn = session.connection()
    columns = rows.names if isinstance(rows, RowBatch) else list(rows[0])
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, table, columns, rows)
        return
    if isinstance(rows, RowBatch) and rows.native and rows.columns and conn.dialect.name == "sqlite":
        # the values every row shares are written once, into the statement (fewer binds a
        # row), the others bound as they are (str, float, int: no conversion); a hundred rows
        # a statement into a table with no plain index to keep up meanwhile
        # (:func:`_insert_values`), else one executemany
        varying = list(rows.columns)
        constants = [_sqlite_literal(_bound(table, n, rows.same[n], conn)) for n in rows.same]
        if conn.info.get(_ASIDE) == table.name or all(i.unique for i in table.indexes):
            _insert_values(conn, table, varying, [rows.columns[n] for n in varying],
                           list(rows.same), constants)
            return
        names = ", ".join(f'"{n}"' for n in [*varying, *rows.same])
        statement = (f'INSERT INTO "{table.name}" ({names}) VALUES '
                     f"({', '.join(['?'] * len(varying) + constants)})")
        _executemany(conn, statement, zip(*[rows.columns[n] for n in varying]))
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
        if proc is not None and not (isinstance(rows, RowBatch) and rows.native):
            done = {v: proc(v) for v in set(col)} if len(col) > 64 else None
            col = [done[v] for v in col] if done is not None else [proc(v) for v in col]
        values.append(col)
    conn.exec_driver_sql(str(compiled), list(zip(*values)))


def _bound(table: Table, name: str, value: Any, conn: Connection) -> Any:
    """``value`` as the database takes it for column ``name`` (its type's conversion)."""
    proc = table.c[name].type._cached_bind_processor(conn.dialect)
    return proc(value) if proc is not None and value is not None else value


def _sqlite_literal(value: Any) -> str:
    """A value written into an SQLite statement: a number as itself, NULL, and text as the
    hexadecimal of its UTF-8 bytes cast to text (no character of it can end the literal)."""
    if value is None:
        return "NULL"
    if type(value) in (int, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return repr(value)
    if type(value) is bool:
        return str(int(value))
    if type(value) is str:
        return f"CAST(X'{value.encode('utf-8').hex()}' AS TEXT)"
    raise TypeError(f"not a value SQLite takes as it is: {type(value).__name__}")


#: Rows one SQLite statement inserts (:func:`_insert_values`)
VALUES_ROWS = 100
#: the connection's note of the table whose plain indexes are set aside (:func:`_indexes_set_aside`)
_ASIDE = "lantu_indexes_aside"


def _insert_values(conn: Connection, table: Table, varying: list[str],
                   columns: list[Sequence[Any]], fixed: list[str], constants: list[str]) -> None:
    """Insert rows into an SQLite table by ``INSERT … SELECT … FROM (VALUES (…), (…), …)``, up
    to :data:`VALUES_ROWS` rows a statement: the ``varying`` columns bound (``columns``, one
    sequence of values each), the ``fixed`` ones written once as SQL ``constants``. A hundred
    rows bound to one statement cost about 30 % less than as many steps of ``executemany``
    (0.20 s of processor time against 0.28 for 100,000 rows of eight bound columns, SQLite
    3.40: the module's work a row, not SQLite's, is what goes) — into a table with no plain
    index to keep up (a first load, whose indexes are set aside, or a staging table). Into a
    table that keeps its index by indicator up row by row (the second file of a million rows
    and after) the import was slower this way (2.4–2.6 s a file of 250,000 rows against
    1.7–2.0), so :func:`write_rows` keeps ``executemany`` there. The statement is prepared once
    and kept by the module's cache; its length does not grow with the constants (written once,
    in the ``SELECT``), and its parameters stay under the build's limit."""
    raw = conn.connection.driver_connection
    width = len(varying)
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(VALUES_ROWS, limit // width))
    names = ", ".join(f'"{n}"' for n in [*varying, *fixed])
    chosen = ", ".join([f"column{i + 1}" for i in range(width)] + constants)
    one = f"({', '.join(['?'] * width)})"

    def statement(count: int) -> str:
        return (f'INSERT INTO "{table.name}" ({names}) SELECT {chosen} FROM '
                f"(VALUES {', '.join([one] * count)})")

    n = len(columns[0])
    flat = list(chain.from_iterable(zip(*columns)))
    full, rest = divmod(n, per)
    step = per * width
    module = conn.dialect.dbapi
    conn.info["lantu_dirty"] = True
    text = statement(per)
    try:
        for k in range(full):
            raw.execute(text, flat[k * step:(k + 1) * step])
        if rest:
            text = statement(rest)
            raw.execute(text, flat[full * step:])
    except module.Error as exc:
        raise DBAPIError.instance(text, None, exc, module.Error,
                                  dialect=conn.dialect) from exc


def _executemany(conn: Connection, statement: str, rows: Iterator[tuple]) -> None:
    """The DB-API's ``executemany`` itself (SQLite), its refusal raised as SQLAlchemy's class."""
    raw = conn.connection.driver_connection
    module = conn.dialect.dbapi
    conn.info["lantu_dirty"] = True
    try:
        raw.executemany(statement, rows)
    except module.Error as exc:
        raise DBAPIError.instance(statement, None, exc, module.Error,
                                  dialect=conn.dialect) from exc


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


#: An insert of at least this many rows into a table it outgrows (or, for PostgreSQL's
#: foreign keys, adds a quarter to) sets indexes or foreign keys aside (:func:`_indexes_set_aside`)
REINDEX_ROWS = 20_000


@contextmanager
def _indexes_set_aside(session: Session, table: Table, adding: int) -> Iterator[None]:
    """A large insert sets work aside that is cheaper done once afterwards, within the same
    transaction: the table's plain (non-unique) indexes when it adds more rows than the table
    holds (a first load: an index is built once), and on PostgreSQL its foreign keys when it
    adds at least a quarter of the table (checked by one query when they come back instead of
    one trigger a row: three of them per row were most of a large import's time). DDL is
    transactional in both databases, so a failure or a kill leaves them as they were; the
    unique key stays all along (a duplicate is refused row by row) and a row naming a region
    that is not there still fails the import when its foreign key comes back. (PostgreSQL
    holds the table locked against readers until such an import commits.)"""
    conn = session.connection()
    raw = conn.connection.driver_connection
    name = conn.dialect.name
    in_transaction = (getattr(raw, "in_transaction", False) if name == "sqlite"
                      else name == "postgresql")
    if name not in ("sqlite", "postgresql") or adding < REINDEX_ROWS or not in_transaction:
        yield
        return
    # the highest id stands for the rows held (read off the key's end, where a count reads
    # every row; deleted rows only make it larger, so indexes are set aside less often)
    held = session.scalar(select(func.max(table.c.id))) or 0
    plain = [i for i in table.indexes if not i.unique] if adding > held else []
    keys = (list(table.foreign_key_constraints)
            if name == "postgresql" and adding * 4 >= held else [])
    for fk in keys:
        conn.execute(DropConstraint(fk))
    for index in plain:
        index.drop(conn)
    if plain:
        conn.info[_ASIDE] = table.name
    try:
        yield
    finally:
        conn.info.pop(_ASIDE, None)
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


# -- comparing with what is stored, in the database ---------------------------------------------

#: the temporary table a frame is staged in (one per connection, dropped when the write is done)
STAGED = "lantu_staged"


class Staged:
    """A frame staged in the temporary table :data:`STAGED`: ``pos`` (the row of the frame)
    and the columns that vary; a column with one value for every row is not written but
    given once (``same``), so ``column(name)`` is a staged column or that value."""

    def __init__(self, table: Table, same: Mapping[str, Any]):
        self.table, self.same = table, dict(same)

    def column(self, name: str) -> Any:
        if name in self.same:
            return literal(self.same[name], _OBS.c[name].type)
        return self.table.c[name]

    def key_matches(self) -> Any:
        return and_(*[_OBS.c[c] == self.table.c[c] for c in KEY])

    def drop(self, conn: Connection) -> None:
        self.table.drop(conn)


class Inline:
    """A frame of :data:`INLINE_ROWS` rows (an API write of one observation) compared where it
    is: the stored rows of its keys are read by one query and compared here, a new row is
    inserted as it is — no temporary table. The answers are those of :class:`Staged`
    (:func:`_matched` gives the same positions and rows for either)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def drop(self, conn: Connection) -> None:
        """Nothing was made to drop."""


#: a frame of at most this many rows is compared without a temporary table (:class:`Inline`)
INLINE_ROWS = 1


def _constant(col: np.ndarray) -> bool:
    """Whether every cell of ``col`` equals the first (a column that varies shows it, as a
    rule, in a sample of a few hundred cells, looked at first)."""
    if not len(col):
        return False
    return bool((col[::max(1, len(col) // 256)] == col[0]).all() and (col == col[0]).all())


def _in_key_order(frame: pd.DataFrame, order: np.ndarray | None
                  ) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """The frame's columns as lists in ``order`` (None: the frame is in key order), and apart
    those with one value for every row but the key's (written once: :class:`RowBatch`'s
    ``same``)."""
    columns: dict[str, list[Any]] = {}
    same: dict[str, Any] = {}
    for c in FRAME_COLUMNS:
        col = frame[c].to_numpy(float if c == "value" else object)
        if c not in KEY and _constant(col):
            same[c] = col[0].item() if c == "value" else col[0]
        else:
            columns[c] = (col if order is None else col[order]).tolist()
    return columns, same


def _stage(session: Session, frame: pd.DataFrame, in_key_order: bool = False) -> Staged:
    """The frame in the staging table, in key order (index pages are then filled in order),
    in chunks of :data:`repo.CHUNK`; the temporary table has no key or index (a leftover of
    a failed call on this connection is dropped first)."""
    conn = session.connection()
    schema = "pg_temp" if conn.dialect.name == "postgresql" else "temp"
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.{STAGED}")
    order = None if in_key_order else key_order(frame)
    columns, same = _in_key_order(frame, order)
    columns = {"pos": list(range(len(frame))) if order is None else order.tolist(), **columns}
    table = Table(STAGED, MetaData(), Column("pos", Integer, nullable=False),
                  *[Column(c, _OBS.c[c].type, nullable=_OBS.c[c].nullable)
                    for c in FRAME_COLUMNS if c in columns], prefixes=["TEMPORARY"])
    table.create(conn)
    rows = RowBatch(columns, native=True)  # str and float already: no conversion
    for chunk in repo._chunks(rows):
        repo._insert_chunk(session, table, chunk)
    return Staged(table, same)


def _matched(session: Session, staged: Staged | Inline, n: int
             ) -> tuple[np.ndarray, pd.DataFrame]:
    """Which rows of the staged frame (of ``n``) have a stored key, and those of them that
    differ in a compared column (``pos``, ``id``, ``version``; the store's own ``revised``
    mark is told apart afterwards), found by joins in the database: a re-import of an
    unchanged file reads back two counts (an :class:`Inline` frame: by reading the stored
    rows of its keys). A separate function so tests can make it stale."""
    if isinstance(staged, Inline):
        return _matched_inline(session, staged.frame)
    t = staged.table
    differs = or_(*[staged.column(c).is_distinct_from(_OBS.c[c]) for c in _SAME])
    count, differing = session.execute(
        select(func.count(), func.coalesce(func.sum(case((differs, 1), else_=0)), 0))
        .select_from(t).join(_OBS, staged.key_matches())).one()
    if not count:
        matched = np.empty(0, dtype=np.int64)
    elif count == n:
        matched = np.arange(n)
    else:
        matched = np.array(session.scalars(
            select(t.c.pos).join_from(t, _OBS, staged.key_matches())).all(), dtype=np.int64)
    found: list[Any] = []
    if differing:
        found = session.execute(select(t.c.pos, _OBS.c.id, _OBS.c.version)
                                .join_from(t, _OBS, staged.key_matches()).where(differs)).all()
    return matched, pd.DataFrame([tuple(r) for r in found], columns=["pos", "id", "version"])


def _matched_inline(session: Session, frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`_matched` of a frame of a few rows: its keys' stored rows read by one query and
    compared here, a cell as ``IS DISTINCT FROM`` compares it (``None`` equals ``None``)."""
    key = tuple_(*[_OBS.c[c] for c in KEY])
    stored = {tuple(r[2:2 + len(KEY)]): r for r in session.execute(
        select(_OBS.c.id, _OBS.c.version, *[_OBS.c[c] for c in (*KEY, *_SAME)])
        .where(key.in_(_keys(frame)))).all()}
    matched: list[int] = []
    found: list[tuple[int, int, int]] = []
    for pos, row in enumerate(frame[[*KEY, *_SAME]].itertuples(index=False, name=None)):
        r = stored.get(row[:len(KEY)])
        if r is None:
            continue
        matched.append(pos)
        if tuple(row[len(KEY):]) != tuple(r[2 + len(KEY):]):
            found.append((pos, r.id, r.version))
    return (np.array(matched, dtype=np.int64),
            pd.DataFrame(found, columns=["pos", "id", "version"]))


def _stored_rows(session: Session, ids: Collection[int]) -> pd.DataFrame:
    """Whole stored rows by id (those a frame may revise; few as a rule)."""
    found: list[Any] = []
    for chunk in repo._chunks(sorted(ids), 500):
        found += map(tuple, session.execute(select(_OBS).where(_OBS.c.id.in_(chunk))).all())
    return pd.DataFrame(found, columns=[c.name for c in _OBS.columns], dtype=object)


def _insert_staged(session: Session, staged: Staged, count: int, *, every: bool, actor: str,
                   now: Any, batch_id: int | None) -> None:
    """Insert the staged rows that are new (``every``: all of them) with one INSERT … SELECT;
    a key stored meanwhile by another transaction fails the unique key or changes the count
    (:class:`repo.ConcurrentChange`): either way the caller tries again."""
    sel = select(*[staged.column(c) for c in FRAME_COLUMNS], literal(1, Integer),
                 literal(actor, String), literal(now, DateTime), literal(now, DateTime),
                 literal(batch_id, Integer))
    if not every:
        sel = sel.where(~exists().where(staged.key_matches()))
    names = [*FRAME_COLUMNS, "version", "created_by", "created_at", "updated_at",
             "import_batch_id"]
    res = session.execute(insert(_OBS).from_select(names, sel),
                          execution_options={"preserve_rowcount": True})
    if res.rowcount != count:
        raise repo.ConcurrentChange(f"{count - res.rowcount} of the new observations were "
                                    "stored by someone else during this import")


@contextmanager
def _roomy_cache(session: Session) -> Iterator[None]:
    """SQLite: a page cache of up to :data:`IMPORT_CACHE_KIB` for this write (the default 2 MiB
    sends every index page of a large import to the file and back), set back afterwards."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = [conn.exec_driver_sql(f"PRAGMA {s}.cache_size").scalar() for s in ("main", "temp")]
    for s in ("main", "temp"):
        conn.exec_driver_sql(f"PRAGMA {s}.cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        for s, size in zip(("main", "temp"), before):
            conn.exec_driver_sql(f"PRAGMA {s}.cache_size={int(size)}")


#: SQLite page cache during a bulk write, KiB (a ceiling: pages are taken as needed)
IMPORT_CACHE_KIB = 262_144


def apply_frame(session: Session, frame: pd.DataFrame, *, actor: str = "",
                batch: ImportBatchRow | None = None, dry_run: bool = False,
                indicators: Mapping[str, Indicator] | None = None,
                today: date | None = None,
                regions: Collection[str] | None = None,
                checked: gate.Rules | None = None,
                in_key_order: bool = False) -> repo.ApplySummary:
    """Insert new observations of ``frame`` (one row per key), revise the stored ones they
    outrank, keep the outranked ones as revisions; see :func:`repo.apply_observations`.
    ``in_key_order``: the frame's rows are in key order already
    (:func:`lantu.domain.observations.key_order`).

    The gate checks the frame first (:class:`lantu.domain.gate.GateRefused`) — only its
    references (region, indicator) when the caller's check of this very frame used the rules
    in force (``checked``: :func:`lantu.domain.gate.check_frame`). The frame is then staged in
    a temporary table (one row, the API's write: read beside its stored row, :class:`Inline`)
    and compared with what is stored by one join in the database; the new
    rows go in by one INSERT … SELECT and only rows that differ come back to be judged by
    precedence. A stored row that changed since it was read raises
    :class:`repo.ConcurrentChange` (the caller retries)."""
    summary = repo.ApplySummary()
    if frame.empty:
        return summary
    frame = frame.reset_index(drop=True)
    if regions is None:  # the one region lookup of every write (GB/T 2260 taken in)
        regions = repo.admissible_regions(session, set(frame["region_code"].unique()))
    gate.check_frame(frame, indicators=indicators if indicators is not None
                     else repo.indicator_catalogue(session), today=today, regions=regions,
                     checked=checked)
    with _roomy_cache(session):
        if not dry_run and _write_new(session, frame, summary, actor=actor, batch=batch,
                                      in_key_order=in_key_order):
            session.flush()
            return summary
        staged = (Inline(frame) if len(frame) <= INLINE_ROWS
                  else _stage(session, frame, in_key_order))
        _compare_and_write(session, frame, staged, summary, actor=actor, batch=batch,
                           dry_run=dry_run)
        staged.drop(session.connection())
    session.flush()
    return summary


#: keys of a frame looked up before it is written straight into the table (all of them when it
#: has no more: the look is then exact)
PROBE_KEYS = 256


def _write_new(session: Session, frame: pd.DataFrame, summary: repo.ApplySummary, *,
               actor: str, batch: ImportBatchRow | None, in_key_order: bool = False) -> bool:
    """Write a frame none of whose keys is stored straight into the table (``COPY`` or one
    statements of a hundred rows: no staging, no join), and say whether it did.

    Whether any key is stored is looked up for :data:`PROBE_KEYS` keys spread over the frame
    (every key of a smaller frame). A larger frame that passes is written inside a savepoint:
    a stored key the look missed fails the unique key, the savepoint is rolled back and the
    frame goes the staged way (:func:`_stage`), so the answer is the same either way, only the
    time differs. A frame with stored keys goes the staged way at once."""
    conn = session.connection()
    n = len(frame)
    exact = n <= PROBE_KEYS
    if conn.dialect.name == "sqlite" and not exact:
        # a savepoint opened outside a transaction would commit when released
        if not getattr(conn.connection.driver_connection, "in_transaction", False):
            return False
    elif conn.dialect.name not in ("sqlite", "postgresql"):
        return False
    pick = frame if exact else frame.iloc[np.linspace(0, n - 1, PROBE_KEYS).astype(np.int64)]
    if session.scalar(select(func.count()).select_from(_OBS)
                      .where(tuple_(*[_OBS.c[c] for c in KEY]).in_(_keys(pick)))):
        return False
    savepoint = None if exact else "lantu_new"
    if savepoint:
        conn.exec_driver_sql(f"SAVEPOINT {savepoint}")
    try:
        with _indexes_set_aside(session, _OBS, n):
            _insert_frame(session, frame, actor=actor, now=utcnow(),
                          batch_id=batch.id if batch else None, in_key_order=in_key_order)
    except IntegrityError as exc:
        if not savepoint or not is_unique_violation(exc):  # not a dangling reference
            raise
        conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {savepoint}")
        conn.exec_driver_sql(f"RELEASE SAVEPOINT {savepoint}")
        return False
    if savepoint:
        conn.exec_driver_sql(f"RELEASE SAVEPOINT {savepoint}")
    summary.inserted = _keys(frame)
    return True


def _insert_frame(session: Session, frame: pd.DataFrame, *, actor: str, now: Any,
                  batch_id: int | None, in_key_order: bool = False) -> None:
    """Insert the frame's rows as they are, in key order (``COPY``, or statements of a
    hundred rows on SQLite;
    ``in_key_order``: the frame is in that order already)."""
    columns, same = _in_key_order(frame, None if in_key_order else key_order(frame))
    same.update(version=1, created_by=actor, created_at=now, updated_at=now,
                import_batch_id=batch_id)
    for chunk in repo._chunks(RowBatch(columns, same, native=True)):
        repo._insert_chunk(session, _OBS, chunk)


def _keys(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (region, period, indicator) key of each row."""
    return list(zip(*(frame[c].to_numpy() for c in KEY)))  # arrays: twice as fast as Series


def _compare_and_write(session: Session, frame: pd.DataFrame, staged: Staged | Inline,
                       summary: repo.ApplySummary, *, actor: str, batch: ImportBatchRow | None,
                       dry_run: bool) -> None:
    now = utcnow()
    batch_id = batch.id if batch else None
    matched, differing = _matched(session, staged, len(frame))
    new = np.ones(len(frame), dtype=bool)
    new[matched] = False
    keys = _keys(frame)
    summary.inserted = [keys[i] for i in np.flatnonzero(new)]
    summary.unchanged = len(matched) - len(differing)
    revisions: list[dict[str, Any]] = []
    if len(differing):
        revisions = _judge(session, frame, differing, keys, summary, actor=actor,
                           batch_id=batch_id, now=now, dry_run=dry_run)
    if dry_run:
        return
    count = int(new.sum())
    if count and isinstance(staged, Inline):  # a key stored meanwhile fails the unique key
        _insert_frame(session, frame.iloc[np.flatnonzero(new)], actor=actor, now=now,
                      batch_id=batch_id)
    elif count:
        with _indexes_set_aside(session, repo._OBS, count):
            _insert_staged(session, staged, count, every=count == len(frame), actor=actor,
                           now=now, batch_id=batch_id)
    for chunk in repo._chunks(revisions):
        repo._insert_chunk(session, repo._REV, chunk)


def _judge(session: Session, frame: pd.DataFrame, differing: pd.DataFrame,
           keys: list[tuple[str, str, str]], summary: repo.ApplySummary, *, actor: str,
           batch_id: int | None, now: Any, dry_run: bool) -> list[dict[str, Any]]:
    """Stored rows the frame differs from: equal but for the store's ``revised`` mark
    (unchanged), outranked by the new value (revised), or outranking it (kept as a revision,
    once). Returns the revisions to write."""
    pos = differing["pos"].to_numpy(np.int64)
    stored = _stored_rows(session, differing["id"].astype(int).tolist()).set_index("id")
    old = stored.loc[differing["id"].astype(int).to_numpy()].reset_index()
    old["version"] = differing["version"].to_numpy()  # as read when compared
    both = frame.iloc[pos].reset_index(drop=True).join(
        old[["id", "version", *_SAME, "source_file", "source_note", "created_by", "updated_at",
             "import_batch_id"]].add_suffix("_old").rename(
            columns={"id_old": "id", "version_old": "version"}))
    marks = {f: format_flags(parse_flags(f) - {"revised"}) for f in
             set(both["flags"]) | set(both["flags_old"])}
    same = np.logical_and.reduce(
        [both[c].to_numpy(object) == both[f"{c}_old"].to_numpy(object)
         for c in _SAME if c != "flags"]
        + [np.array([marks[a] == marks[b] for a, b in zip(both["flags"], both["flags_old"])],
                    dtype=bool)])
    summary.unchanged += int(same.sum())
    differ = np.flatnonzero(~same)
    wins = np.zeros(len(both), dtype=bool)
    if len(differ):
        wins[differ] = outranks(both["source_quality"].iloc[differ].tolist(),
                                both["source_published"].iloc[differ].tolist(),
                                both["source_quality_old"].iloc[differ].tolist(),
                                both["source_published_old"].iloc[differ].tolist())
    revised = [i for i in differ if wins[i]]
    losers = [i for i in differ if not wins[i]]
    summary.revised = [(keys[pos[i]], float(both["value_old"].iat[i]), float(both["value"].iat[i]))
                       for i in revised]
    revisions: list[dict[str, Any]] = []
    if not dry_run and revised:
        revisions += _revise(session, both.iloc[revised], actor=actor, batch_id=batch_id,
                             now=now)
    known = _outranked_known(session, both.iloc[losers])
    for i, is_known in zip(losers, known):
        if is_known:
            summary.unchanged += 1
            continue
        r = both.iloc[i]
        summary.outranked.append((keys[pos[i]], float(r["value_old"]), float(r["value"])))
        revisions.append(dict(
            observation_id=int(r["id"]), version=int(r["version"]), value=float(r["value"]),
            unit=r["unit"], flags=r["flags"], source_url=r["source_url"],
            source_file=r["source_file"], excerpt=r["excerpt"], source_quality=r["source_quality"],
            source_published=r["source_published"], reason="outranked", recorded_by=actor,
            recorded_at=now, replaced_by=actor, replaced_at=now, import_batch_id=batch_id))
    return revisions


def _revise(session: Session, rows: pd.DataFrame, *, actor: str, batch_id: int | None,
            now: Any) -> list[dict[str, Any]]:
    """Update the stored rows the new values outrank (each only if its version is still the one
    read); return the revisions that keep their previous state."""
    out = []
    for r in rows.itertuples(index=False):
        version = int(r.version)  # as read when compared
        out.append(dict(
            observation_id=int(r.id), version=version, value=r.value_old, unit=r.unit_old,
            flags=r.flags_old, source_url=r.source_url_old, source_file=r.source_file_old,
            excerpt=r.excerpt_old, source_quality=r.source_quality_old,
            source_published=r.source_published_old, reason="replaced",
            recorded_by=r.created_by_old, recorded_at=r.updated_at_old, replaced_by=actor,
            replaced_at=now, import_batch_id=r.import_batch_id_old))
        flags = parse_flags(r.flags) | ({"revised"} if r.value_old != r.value else set())
        values = dict(version=version + 1, value=r.value, unit=r.unit, flags=format_flags(flags),
                      source_url=r.source_url, source_file=r.source_file, excerpt=r.excerpt,
                      source_note=r.source_note, source_quality=r.source_quality,
                      source_published=r.source_published, updated_at=now, created_by=actor,
                      import_batch_id=batch_id if batch_id is not None
                      else r.import_batch_id_old)
        res = session.execute(update(_OBS).where(_OBS.c.id == int(r.id),
                                                 _OBS.c.version == version).values(values))
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
