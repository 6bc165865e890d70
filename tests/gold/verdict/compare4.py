"""Compare the rows of key4.md with Lantu (comparison4.md)::

    DB_URL=sqlite:///$LANTU_HOME/lantu.db PYTHONPATH=src:tests python tests/gold/verdict/compare4.py

Taiyuan by its verdict (`lantu evaluate`), any other region by its own targets
(lantu.evaluation.verdict.target_statuses), a qualitative goal by its node in Taiyuan's verdict."""

import os

from lantu.evaluation import evaluate
from lantu.evaluation.verdict import target_statuses
from lantu.store import open_database
from test_verdict13_key4 import KEY_ROWS, QUALITATIVE


def shown(s, region, year, ind):
    if region == "140100":
        v = evaluate(s, region=region, year=year)
        iv = next((i for n in v.nodes for i in n.indicators if i.indicator == ind), None)
    else:
        iv = target_statuses(s, region, year, [ind]).get(ind)
    return [t for t in ([iv.target, *iv.others] if iv else []) if t is not None]


def main() -> None:
    db = open_database(os.environ["DB_URL"])
    agree = total = 0
    with db.session() as s:
        for rid, region, year, ind, ty, val, exp in KEY_ROWS:
            total += 1
            try:
                ts = shown(s, region, year, ind)
            except Exception as e:  # a refusal is an answer too
                print(rid, "ERROR", type(e).__name__, str(e)[:100])
                continue
            hit = [t for t in ts if t.year == ty and abs(t.value - val) < 1e-9]
            if exp is None:
                got = None if not hit else hit[0].status
                note = "no such target" if not hit else f"shown: {hit[0].excerpt[:40]}"
            else:
                got = hit[0].status if hit else f"(no such target; shown {[(t.year, t.value) for t in ts]})"
                note = f"gap={hit[0].gap} | {hit[0].reason_zh[:90]}" if hit else ""
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
