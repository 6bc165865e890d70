"""One test of a unique violation (``lantu.store.db.is_unique_violation``: PostgreSQL's SQLSTATE
23505, SQLite's extended codes), asked by the import's retry and the bulk writer alike: a key
taken is one, a dangling reference is not — on SQLite and PostgreSQL, with the database's own
errors."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from lantu import services
from lantu.store import db as store_db
from lantu.store.models_web import UserRow

SRC = Path(__file__).resolve().parents[1] / "src" / "lantu"


def _refusal(db, **values) -> IntegrityError:
    row = {"display_name": "x", "password_hash": "x", "role": "viewer", "active": True}
    with pytest.raises(IntegrityError) as caught:
        with db.session() as s:
            s.execute(insert(UserRow).values(username="wang", **row))
            s.execute(insert(UserRow).values(**{**row, **values}))
    return caught.value


def test_a_key_taken_is_a_unique_violation_and_a_dangling_reference_is_not(db) -> None:
    taken = _refusal(db, username="wang")
    dangling = _refusal(db, username="li", department_code="no-such-department")
    assert store_db.is_unique_violation(taken) and store_db.is_unique_violation(taken.orig)
    assert not store_db.is_unique_violation(dangling)
    # the import's retry asks the same test: a key taken meanwhile is tried again, a dangling
    # reference is refused at once
    assert services._retryable(taken) and not services._retryable(dangling)


def test_the_code_is_named_once_in_the_store_layer() -> None:
    """23505 (and SQLite's 2067/1555) appear as literals in one module only."""
    found = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ("23505", 2067, 1555):
                found.setdefault(str(path.relative_to(SRC)), set()).add(node.value)
    assert found == {"store/db.py": {"23505", 2067, 1555}}
