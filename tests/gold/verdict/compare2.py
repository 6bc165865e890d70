"""Compare the rows of key2.md with Lantu (comparison2.md)::

    DB_URL=sqlite:///$LANTU_HOME/lantu.db PYTHONPATH=src:tests python tests/gold/verdict/compare2.py verdict|after

``verdict``: `lantu evaluate`'s status of every row (the first run); ``after``: Taiyuan by its
verdict, any other region by its own targets (lantu.evaluation.verdict.target_statuses)."""

import os
import sys

from lantu.evaluation import evaluate
from lantu.store import open_database
from test_verdict11_key2 import KEY_ROWS


def _shown(s, mode, region, year, ind):
    if mode == "verdict" or region == "140100":
        v = evaluate(s, region=region, year=year)
        return next((i for n in v.nodes for i in n.indicators if i.indicator == ind), None)
    from lantu.evaluation.verdict import target_statuses

    return target_statuses(s, region, year).get(ind)


def main(mode: str) -> None:
    db = open_database(os.environ["DB_URL"])
    agree = 0
    with db.session() as s:
        for rid, region, year, ind, ty, val, exp in KEY_ROWS:
            try:
                iv = _shown(s, mode, region, year, ind)
            except Exception as e:  # a refusal is an answer too
                print(rid, "ERROR", type(e).__name__, str(e)[:100])
                continue
            ts = [t for t in ([iv.target, *iv.others] if iv else []) if t is not None]
            hit = [t for t in ts if t.year == ty and abs(t.value - val) < 1e-9]
            got = hit[0].status if hit else f"(no such target; shown {[(t.year, t.value) for t in ts]})"
            note = f"gap={hit[0].gap} | {hit[0].reason_zh[:90]}" if hit else ""
            agree += got == exp
            print(rid, "OK " if got == exp else "XX ", exp, "|", got, "|", note)
    print(f"agree {agree}/{len(KEY_ROWS)} comparisons (C06 is two)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "verdict")
