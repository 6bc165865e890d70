"""Compare the rows of key5.md with Lantu (comparison5.md)::

    DB_URL=sqlite:///$LANTU_HOME/lantu.db PYTHONPATH=src:tests python tests/gold/verdict/compare5.py

Taiyuan by its verdict (`lantu evaluate`), any other region by its own targets
(lantu.evaluation.verdict.target_statuses), a qualitative goal by its node in Taiyuan's verdict; a row
names its target by year, value and horizon (test_verdict14_key5.hits)."""

import os

from lantu.evaluation import evaluate
from lantu.store import open_database
from test_verdict14_key5 import KEY_ROWS, QUALITATIVE, hits, shown


def main() -> None:
    db = open_database(os.environ["DB_URL"])
    agree = total = 0
    with db.session() as s:
        for rid, region, year, ind, ty, val, tag, exp in KEY_ROWS:
            total += 1
            try:
                ts = shown(s, region, year, ind)
            except Exception as e:  # a refusal is an answer too
                print(rid, "XX ", exp, "| ERROR", type(e).__name__, str(e)[:100])
                continue
            hit = hits(ts, ty, val, tag)
            if exp is None:
                got = None if not hit else hit[0].status
                note = "no such target" if not hit else f"shown: {hit[0].excerpt[:40]}"
            else:
                got = hit[0].status if hit else f"(no such target; shown {[(t.year, t.value, t.horizon) for t in ts]})"
                note = f"gap={hit[0].gap} | {hit[0].reason_zh[:110]}" if hit else ""
            if len(hit) > 1:
                note += f" | {len(hit)} targets match"
            agree += got == exp
            print(rid, "OK " if got == exp else "XX ", exp, "|", got, "|", note)
        for rid, year, node, exp_status, exp_state in QUALITATIVE:
            total += 1
            v = evaluate(s, region="140100", year=year)
            n = next(n for n in v.nodes if n.code == node)
            ok = (n.status, n.state) == (exp_status, exp_state)
            agree += ok
            print(rid, "OK " if ok else "XX ", exp_status, exp_state, "|", n.status, n.state, "|",
                  n.reason_zh[:100])
    print(f"agree {agree}/{total}")


if __name__ == "__main__":
    main()
