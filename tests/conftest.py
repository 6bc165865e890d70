"""Shared fixtures. PostgreSQL tests run when LANTU_TEST_POSTGRES_URL is set (CI sets it) and are
required (fail instead of skip) when LANTU_REQUIRE_POSTGRES=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# fixtures of the web tests (client, web_db, …) live in tests/webutil.py
pytest_plugins = ["webutil"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LANTU_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"shared material not found at {SHARED} (set LANTU_SHARED)")
    return SHARED
