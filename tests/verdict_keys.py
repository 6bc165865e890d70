"""What the hand keys of verdict statuses (tests/gold/verdict/key*.md) are compared on, once:
the targets Lantu shows for a row and the comparison run of `compare3.py` … `compare5.py`."""

from __future__ import annotations

import os

from lantu.evaluation import evaluate
from lantu.evaluation.verdict import target_statuses

HORIZON = {"G": "multi_year", "Y": "yearly"}


def shown(s, region, year, indicator):
    """Every target Lantu shows for the row: the verdict's for Taiyuan, target_statuses' otherwise."""
    if region == "140100":
        v = evaluate(s, region=region, year=year)
        iv = next((i for n in v.nodes for i in n.indicators if i.indicator == indicator), None)
    else:
        iv = target_statuses(s, region, year, [indicator]).get(indicator)
    return [t for t in ([iv.target, *iv.others] if iv else []) if t is not None]


def hits(ts, target_year, value, tag=None):
    """The shown targets a key row names: by year and value, and by horizon when it says (G/Y)."""
    return [t for t in ts if t.year == target_year and abs(t.value - value) < 1e-9
            and (tag is None or t.horizon == HORIZON[tag])]


def compare(rows, qualitative) -> None:
    """Print each row as agreeing (OK) or not (XX) with Lantu's status, and the count. A row is
    ``(id, region, year, indicator, target year, value, [horizon tag,] expected)``."""
    from lantu.store import open_database

    db = open_database(os.environ["DB_URL"])
    agree = total = 0
    with db.session() as s:
        for row in rows:
            rid, region, year, ind, ty, val = row[:6]
            tag, exp = (row[6], row[7]) if len(row) == 8 else (None, row[6])
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
                got = hit[0].status if hit else \
                    f"(no such target; shown {[(t.year, t.value, t.horizon) for t in ts]})"
                note = f"gap={hit[0].gap} | {hit[0].reason_zh[:110]}" if hit else ""
            agree += got == exp
            print(rid, "OK " if got == exp else "XX ", exp, "|", got, "|", note)
        for rid, year, node, exp_status, exp_state in qualitative:
            total += 1
            n = next(n for n in evaluate(s, region="140100", year=year).nodes if n.code == node)
            ok = (n.status, n.state) == (exp_status, exp_state)
            agree += ok
            print(rid, "OK " if ok else "XX ", exp_status, exp_state, "|", n.status, n.state, "|",
                  n.reason_zh[:100])
    print(f"agree {agree}/{total}")
