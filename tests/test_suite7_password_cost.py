"""The test suite hashes passwords cheaply (``LANTU_PASSWORD_PROFILE=test``, set by the web
fixtures); a deployment never does: without the variable the setting is OWASP's argon2id minimum,
and a hash made with it carries those parameters."""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher, extract_parameters

from lantu.config import Settings
from lantu.store.users import PROFILES


def test_the_default_password_profile_is_owasps_minimum(monkeypatch) -> None:
    monkeypatch.delenv("LANTU_PASSWORD_PROFILE", raising=False)
    assert Settings().password_profile == "owasp"
    assert PROFILES["owasp"] == {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
    params = extract_parameters(PasswordHasher(**PROFILES["owasp"]).hash("x" * 16))
    assert (params.type.name, params.time_cost, params.memory_cost, params.parallelism) == (
        "ID",
        2,
        19 * 1024,
        1,
    )


def test_a_process_without_the_variable_hashes_at_the_production_cost(tmp_path) -> None:
    """lantu.store.users picks its hasher at import: in a fresh process with no
    LANTU_PASSWORD_PROFILE, a new hash has OWASP's parameters, not the tests' cheap ones."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "LANTU_PASSWORD_PROFILE"}
    env["LANTU_HOME"] = str(tmp_path)
    code = (
        "from argon2 import extract_parameters\n"
        "from lantu.store import users\n"
        "p = extract_parameters(users._hasher.hash('x' * 16))\n"
        "print(p.time_cost, p.memory_cost, p.parallelism)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["2", str(19 * 1024), "1"]
