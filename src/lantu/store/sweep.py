"""What is stored already and the gate now refuses: texts written before a newer text rule
(a line separator, a bidi control, an invisible character in a label, a value wider than its
column) stay in the database; the write gate (:func:`lantu.store.db.column_problem`, the one
rule) sees only what is written from now on. :func:`stored_problems` reads every text column
of every table and says which rows break the rule — table, row, column, reason — and changes
nothing (``lantu check-stored``). JSON columns (an audit row's detail, a notification's
parameters) are not text columns and are not read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from lantu.store.base import Base
from lantu.store.db import column_problem


@dataclass(frozen=True, slots=True)
class StoredProblem:
    table: str
    row: str  # the row's primary key (a composite one joined by "/")
    column: str
    reason: str


def _mappers() -> list:
    import lantu.store.models  # noqa: F401  (every mapped table registered)
    import lantu.store.models_supervision  # noqa: F401
    import lantu.store.models_web  # noqa: F401

    return sorted(Base.registry.mappers, key=lambda m: m.local_table.name)


def stored_problems(session: Session, *, batch: int = 2000) -> Iterator[StoredProblem]:
    """Every stored text that :func:`lantu.store.db.column_problem` refuses, table by table
    (in name order), row by row (in key order); reads only, ``batch`` rows at a time."""
    for mapper in _mappers():
        table = mapper.local_table
        keys = list(table.primary_key.columns)
        texts = [c for c in table.columns if isinstance(c.type, String)]  # Text too
        if not texts or not keys:
            continue
        q = select(*keys, *texts).order_by(*keys).execution_options(yield_per=batch)
        for row in session.execute(q):
            values = tuple(row)
            key = "/".join(str(v) for v in values[:len(keys)])
            for column, value in zip(texts, values[len(keys):], strict=True):
                if isinstance(value, str) and (why := column_problem(column, value)):
                    yield StoredProblem(table.name, key, column.name, why)
