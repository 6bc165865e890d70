"""Schemathesis over the whole API against a running server, counting every answer's status
(the suite's own run stops at an operation's first failure; this one counts to the end).

``python benchmarks/probe15_schemathesis.py URL EXAMPLES TOKEN…`` (PYTHONPATH=src:tests): for
each token (a user) and each operation, EXAMPLES generated requests; prints the statuses, the
5xx answers and the operations schemathesis itself failed on. It is a probe, not a test."""

from __future__ import annotations

import collections
import sys

from hypothesis import HealthCheck, given, settings

from apicheck import operations

URL, EXAMPLES, TOKENS = sys.argv[1].rstrip("/"), int(sys.argv[2]), sys.argv[3:]
statuses: collections.Counter[int] = collections.Counter()
server_errors: list[str] = []
broken: list[str] = []

for token in TOKENS:
    headers = {"Authorization": f"Bearer {token}"}
    for op in operations(url=URL):

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            try:
                response = case.call(headers=headers, timeout=60)  # noqa: B023 - run at once
            except Exception as exc:  # a reset connection counts like a 5xx
                server_errors.append(f"{op.label}: {type(exc).__name__}")  # noqa: B023
                return
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                label = op.label  # noqa: B023 - run at once
                server_errors.append(f"{label}: {response.status_code} {response.text[:120]}")

        try:
            check()
        except Exception as exc:  # schemathesis' own failure while generating: say so
            broken.append(f"{op.label}: {type(exc).__name__}: {str(exc)[:120]}")
    print(f"token {token[:8]}…: {sum(statuses.values())} requests so far", flush=True)

print("requests", sum(statuses.values()))
print("statuses", dict(sorted(statuses.items())))
print("5xx", len(server_errors))
for line in server_errors[:40]:
    print("  ", line)
print("schemathesis errors", len(broken))
for line in broken:
    print("  ", line)
