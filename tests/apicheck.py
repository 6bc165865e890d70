"""The one schemathesis run of ``/api/v1`` (used on SQLite by test_api_schemathesis.py and on
PostgreSQL by test_hardening_schemathesis_pg.py): for every operation, generated requests never
crash the server and every response matches the documented status codes and response models."""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, given, settings


def operations(app=None, *, url: str | None = None) -> list:
    """The operations of the API's own OpenAPI schema: loaded in-process (ASGI, ``app``) or
    from a running server (``url``, its base address)."""
    if url is not None:
        schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    else:
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def check_api_conforms(app, token: str, *, examples: int = 25, url: str | None = None,
                       after: Callable[[str], None] | None = None) -> int:
    """Each operation in turn, ``examples`` generated requests each, signed in with ``token``
    (schemathesis' pytest plugin does not load schemas from fixtures under pytest 9, so the loop
    is explicit); an AssertionError names the operation that failed. ``url``: send them over
    HTTP to that server instead of ``app``; ``after(label)`` runs after each operation. Returns
    how many operations were checked."""
    headers = {"Authorization": f"Bearer {token}"}
    ops = operations(app, url=url)
    for op in ops:

        @given(case=op.as_strategy())
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            # a well-formed code that names nothing (region 999999) is a 422 by design, so a
            # schema-valid request may be refused: that one check is left out
            # over HTTP: a generous read timeout (schemathesis' default is 10 s), so a loaded CI
            # machine is not taken for a hang; a 5xx still fails at once
            case.call_and_validate(headers=headers, **({"timeout": 60} if url else {}),
                                   excluded_checks=[schemathesis.checks.positive_data_acceptance])

        try:
            check()
        except Exception as exc:  # name the operation that failed
            raise AssertionError(f"{op.label}: {exc}") from exc
        if after is not None:
            after(op.label)
    return len(ops)
