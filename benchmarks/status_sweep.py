"""Every target of every region judged in every year, to see what a change of the rules moves.

    .venv/bin/python benchmarks/status_sweep.py dump OUT.json [--from 2000] [--to 2026]
    .venv/bin/python benchmarks/status_sweep.py compare BEFORE.json AFTER.json

``dump`` loads the embedded default into a scratch SQLite file and writes, for each region, year
and target (``region|year|indicator|target year|value|kind|qualifier``), the status and reason
the targets page and the API give (:func:`lantu.evaluation.verdict.region_targets`). ``compare``
lists every judgement whose status differs, with the new reason, counted by change and target.
Run ``dump`` with the code before a change (``PYTHONPATH=<checkout>/src``) and after it: session
14 read the 21 changes of its pace rule this way, of 41,067 judgements.
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
from pathlib import Path

from lantu import services
from lantu.evaluation.verdict import region_targets
from lantu.store import open_database, queries


def dump(out: Path, first: int, last: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'sweep.db'}")
        services.init_default(db)
        found: dict[str, list[str]] = {}
        with db.session() as s:
            for region in sorted(queries.region_names(s)):
                for year in range(first, last + 1):
                    for row, t in region_targets(s, region, year):
                        key = "|".join(str(x) for x in (
                            region, year, row["indicator"], row["target_period"], row["value"],
                            row["kind"], row.get("qualifier") or ""))
                        found[key] = [t.status, t.reason_zh]
        db.dispose()
    out.write_text(json.dumps(found, ensure_ascii=False, indent=0), encoding="utf-8")
    return len(found)


def compare(before: Path, after: Path) -> None:
    b = json.loads(before.read_text(encoding="utf-8"))
    a = json.loads(after.read_text(encoding="utf-8"))
    changed = sorted(k for k in b.keys() & a.keys() if b[k][0] != a[k][0])
    print(f"{len(changed)} of {len(b)} judgements change; {len(b.keys() ^ a.keys())} only on one side")
    print(collections.Counter((b[k][0], a[k][0]) for k in changed).most_common())
    for k in changed:
        print(f"{k}: {b[k][0]} -> {a[k][0]}\n    {a[k][1]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--from", dest="first", type=int, default=2000)
    d.add_argument("--to", dest="last", type=int, default=2026)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.command == "dump":
        print(dump(args.out, args.first, args.last), "judgements")
    else:
        compare(args.before, args.after)


if __name__ == "__main__":
    main()
