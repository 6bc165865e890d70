"""Connecting to the database and bringing its schema up to date (Alembic)."""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Engine,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

from lantu.errors import EXIT_USAGE, LantuError, Unavailable

MIGRATIONS = Path(__file__).with_name("migrations")

#: PostgreSQL's SQLSTATE for a unique violation: a row refused for a key the table holds
PG_UNIQUE_VIOLATION = "23505"
#: SQLite's extended result codes for the same (SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY)
SQLITE_UNIQUE_VIOLATION = frozenset({getattr(sqlite3, "SQLITE_CONSTRAINT_UNIQUE", 2067),
                                     getattr(sqlite3, "SQLITE_CONSTRAINT_PRIMARYKEY", 1555)})


def is_unique_violation(exc: BaseException) -> bool:
    """Whether the database refused a row for a key it holds already (it was there, or another
    writer took it meanwhile) — not a dangling reference, a NULL or a check. THE test of it,
    asked by the import's retry (:func:`lantu.services._retryable`) and the bulk writer's
    first try (:mod:`lantu.store.bulk`): told by the error's code (PostgreSQL's SQLSTATE
    :data:`PG_UNIQUE_VIOLATION`, SQLite's :data:`SQLITE_UNIQUE_VIOLATION`), never by its text.
    ``exc`` is SQLAlchemy's error (its ``orig``) or the driver's own."""
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "sqlstate", None) == PG_UNIQUE_VIOLATION:
        return True
    return getattr(orig, "sqlite_errorcode", None) in SQLITE_UNIQUE_VIOLATION


def hold_instance_lock(session: Session, key: int) -> None:
    """Hold PostgreSQL advisory lock ``key`` until the session's transaction ends — for this
    Lantu instance only. An instance is a schema (``search_path``): several can share one
    server database (a schema a city, or a test each), and a lock of the database would make
    one instance's import wait for another's, which touches none of its rows. So the lock is
    the pair (``key``, a hash of the current schema). THE way the store serialises a kind of
    write on PostgreSQL (imports: :data:`lantu.services._IMPORT_LOCK`; user names:
    :data:`lantu.store.users._NAMES_LOCK`); SQLite needs none (one writer a file)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
                    {"key": key})


def _alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def sqlite_write_lock(session: Session) -> None:
    """On SQLite, take the database's one write lock now, for the rest of the transaction: the
    rule of every read a write is decided on (a row "locked" by ``SELECT … FOR UPDATE``, which
    SQLite ignores). SQLite has no row locks, and the driver reads outside a transaction until
    the first write, so two requests both read a version, a status or the list of admins before
    either wrote, and both passed their check (probe17: two PATCHes of one task with the same
    version were both taken). A write that changes nothing begins the write transaction; a
    second one waits here (the busy timeout) until the first commits, then reads what it wrote.
    Nothing on other databases, whose row locks do this."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE user_account SET active = active WHERE id IS NULL"))


# -- writes committed by this process ---------------------------------------------------------------

_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "CREATE", "DROP", "ALTER")
_write_counter = itertools.count(1)
_write_generation = 0
_write_lock = threading.Lock()


def write_generation() -> int:
    """A number that grows whenever a transaction that changed data is committed by this process
    (through any engine made by :func:`make_engine`). Caches of this process key on it, so a
    change is visible on the very next request; changes by other processes are not seen here.

    Examples
    --------
    >>> before = write_generation()
    >>> db = Database("sqlite://"); db.migrate()
    >>> write_generation() > before
    True
    """
    return _write_generation


def _bump_generation() -> None:
    global _write_generation
    with _write_lock:
        _write_generation = next(_write_counter)


def _track_writes(engine: Engine) -> None:
    """Mark a connection dirty when it runs a data-changing statement; bump the generation when
    such a transaction commits (a read-only transaction leaves it alone). The ``commit`` event
    fires just before the database commits, so the generation is bumped again when the
    connection goes back to the pool: a reader that looked in between cannot keep what it saw."""

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(conn, _cursor, statement, _params, context, _many):
        if (context is not None and (context.isinsert or context.isupdate or context.isdelete)) \
                or statement.lstrip()[:7].upper().startswith(_WRITE_VERBS):
            conn.info["lantu_dirty"] = True

    @event.listens_for(engine, "commit")
    def _commit(conn):
        if conn.info.pop("lantu_dirty", False):
            conn.info["lantu_bump_on_checkin"] = True
            _bump_generation()

    @event.listens_for(engine.pool, "checkin")
    def _checkin(_dbapi_conn, record):
        if record is not None and record.info.pop("lantu_bump_on_checkin", False):
            _bump_generation()

    @event.listens_for(engine, "rollback")
    def _rollback(conn):
        conn.info.pop("lantu_dirty", None)


def _private_sqlite_file(url: str) -> None:
    """A SQLite database file (and its WAL files) readable by its owner only: created so, and
    narrowed when an older one was readable by others."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    try:
        if not path.exists() and path.parent.is_dir():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if p.exists() and p.stat().st_mode & 0o077:
                p.chmod(0o600)
    except OSError:  # not ours to change (read-only mount, other owner): leave it
        pass


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        _private_sqlite_file(url)
    try:
        engine = create_engine(url, future=True, **kwargs)
    except ModuleNotFoundError as exc:  # a driver of an optional extra
        raise Unavailable(f"{exc.name} is not installed for {url.split(':', 1)[0]}; install "
                          "Lantu with its PostgreSQL extra: pip install 'lantu[postgres]'") from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    _track_writes(engine)
    return engine


#: SQLite's own threshold for its automatic checkpoint, in pages of the log
_AUTOCHECKPOINT_PAGES = 1000


@contextmanager
def checkpoints_aside(engine: Engine) -> Iterator[Callable[[], None]]:
    """A series of large writes to an SQLite file (WAL mode) whose log is copied into the
    database file beside the writing, not in it.

    SQLite copies the log at the commit that makes it long (its automatic checkpoint): a
    quarter to a half of the commit of a large import. Inside this block the connections the
    engine hands out commit without it, and ``soon()`` — called after each commit — has the
    copy made by a thread on a connection of its own while the next write goes on (a passive
    checkpoint: it never waits for the writer nor holds it up, and runs in SQLite's C code,
    outside Python's lock). Leaving the block, the threads are waited for, the rest of the log
    is copied here, and the connections make their own checkpoints again. Another database,
    or SQLite in memory: ``soon()`` does nothing."""
    path = engine.url.database
    if (engine.dialect.name != "sqlite" or not path or path == ":memory:"
            or engine.url.query.get("uri")):  # a URI names memory, or options of its own
        yield lambda: None
        return

    def off(dbapi_conn, _record, _proxy) -> None:
        dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")

    def on(dbapi_conn, _record) -> None:
        if dbapi_conn is not None:
            dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={_AUTOCHECKPOINT_PAGES}")

    def checkpoint() -> None:
        try:
            conn = sqlite3.connect(path, timeout=30)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()
        except sqlite3.Error:  # nothing is lost: the next commit's own checkpoint copies it
            pass

    threads: list[threading.Thread] = []

    def soon() -> None:
        thread = threading.Thread(target=checkpoint, name="lantu-checkpoint", daemon=True)
        thread.start()
        threads.append(thread)

    event.listen(engine, "checkout", off)
    event.listen(engine, "checkin", on)
    try:
        yield soon
    finally:
        event.remove(engine, "checkout", off)
        event.remove(engine, "checkin", on)
        for thread in threads:
            thread.join()
        checkpoint()


class SchemaBehind(LantuError):
    """The database's schema is older (or newer) than the code's; nothing was served."""

    exit_code = EXIT_USAGE
    http_status = 503


#: The most bytes (UTF-8) a text without a width of its own may hold where it is part of an index
#: or a unique key: PostgreSQL's B-tree holds an index row of at most 2,704 bytes (a third of a
#: page) and refuses a longer one with an error no rule names (a 500), while SQLite keeps it. A
#: domain rule keeps such a text well inside it (a milestone's text:
#: :data:`lantu.domain.milestones.MAX_MILESTONE_TEXT`); this is the store's own net, the same
#: answer on both databases whatever route the text came by.
INDEXED_TEXT_BYTES = 2000


def _indexed(column) -> bool:
    """Whether ``column`` is part of an index or a unique key of its table (cached on it)."""
    known = column.info.get("lantu_indexed")
    if known is None:
        table = column.table
        known = bool(column.index or column.unique or any(
            any(c is column for c in getattr(k, "columns", ()))
            for k in (*table.indexes, *table.constraints)
            if not isinstance(k, (PrimaryKeyConstraint, ForeignKeyConstraint))))
        column.info["lantu_indexed"] = known
    return known


def _index_problem(value: str) -> str | None:
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > INDEXED_TEXT_BYTES:
        return (f"at most {INDEXED_TEXT_BYTES:,} bytes (UTF-8) in a column the database "
                f"indexes, not {size:,}")
    return None


def column_problem(column: Any, value: str) -> str | None:
    """Why text ``value`` may not be stored in ``column`` (a mapped column, or None), or None:
    the text rule, or the label rule in a label column, and the column's width — the one
    answer of the write gate (:func:`_refuse_unstorable_text`) and of the sweep of what is
    stored already (:func:`lantu.store.sweep.stored_problems`)."""
    from sqlalchemy import String

    from lantu.domain.gate import label_problem, text_problem

    limit = column.type.length if column is not None and \
        isinstance(column.type, String) else None
    rule = label_problem if column is not None and \
        column.info.get("text_rule") == "label" else text_problem
    return rule(value) or (
        f"at most {limit} characters, not {len(value)}"
        if limit is not None and len(value) > limit else None) or (
        _index_problem(value) if column is not None and limit is None
        and _indexed(column) else None)


def _refuse_unstorable_text(session: Session, _context, _instances) -> None:
    """Every text the store writes through the ORM follows the gate's one text rule
    (:func:`lantu.domain.gate.text_problem`: no NUL, lone surrogate, noncharacter, bidi or
    internal format control, line separator), a label column (``info=LABEL``) the label rule
    (:func:`lantu.domain.gate.label_problem`: no invisible character, one line), and fits its column (``String(n)``: PostgreSQL refuses a longer value, SQLite would keep
    it — the same answer on both), whichever route it came by: a task's title, a report, a
    milestone, a target, a user's display name, a group's name — the columns a row sets or
    changes, before anything is sent to the database. (Observation frames written in bulk ask
    the same rules column-wise, in the gate: :data:`lantu.domain.gate.TEXT_LIMITS`.)"""
    from sqlalchemy import inspect as inspect_

    from lantu.domain.errors import ValidationError

    for states, is_new in (((inspect_(o) for o in session.new), True),
                           ((inspect_(o) for o in session.dirty), False)):
        for state in states:  # a new row: every column it sets; a changed one: what changed
            values = state.dict
            columns = state.mapper.columns
            for key in (values if is_new else state.committed_state):
                value = values.get(key)
                if not isinstance(value, str):
                    continue
                if why := column_problem(columns.get(key), value):
                    name = f"{state.class_.__name__.removesuffix('Row').lower()}.{key}"
                    raise ValidationError(f"{name}: {why}", field=key)


class Database:
    """An engine, a session factory and the migrations for one database URL.

    Examples
    --------
    >>> db = Database("sqlite://")
    >>> db.migrate()
    >>> with db.session() as s:
    ...     pass
    """

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _refuse_unstorable_text)

    def migrate(self) -> None:
        """Upgrade the schema to the newest migration (creates it on an empty database)."""
        with self.engine.begin() as conn:
            cfg = _alembic_config(self.url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def is_up_to_date(self) -> bool:
        return self.current_revision() == self.head_revision()

    def head_revision(self) -> str | None:
        """The newest migration this code knows."""
        return ScriptDirectory.from_config(_alembic_config(self.url)).get_current_head()

    def check_schema(self) -> None:
        """Refuse a database whose schema is not the newest (a server does not migrate in each
        of its workers: the operator upgrades once, with the command the error names)."""
        current, head = self.current_revision(), self.head_revision()
        if current != head:
            url = self.engine.url.render_as_string(hide_password=True)
            raise SchemaBehind(
                f"the database {url} is at schema revision {current or '(empty)'}, this version "
                f"of Lantu needs {head}; upgrade it first: lantu init --db '{url}'")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed at the end, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            try:
                session.rollback()
            except Exception:  # noqa: BLE001 - the connection broke; the first error is the news
                # ctrl-C inside a PostgreSQL statement leaves the connection unusable: the
                # rollback raised PendingRollbackError over the KeyboardInterrupt and `lantu
                # import` ended in a traceback (probe14). The server rolls back the open
                # transaction when the connection goes, so nothing is written either way.
                with contextlib.suppress(Exception):
                    session.invalidate()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
