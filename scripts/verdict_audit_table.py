"""Regenerate the verdict audit tables of docs/analysis.md ("Audit of the verdict: Taiyuan
2021–2024") from the embedded default: loads it into a temporary SQLite database (as
``lantu init --demo`` does), evaluates Taiyuan (140100) for each year and rewrites the two
tables between their markers. ``tests/test_verdict_audit_doc.py`` checks the docs against the
same evaluation, so rerun this after a change of the default or of a rule, then check the
changed rows by hand against the rules.

    PYTHONPATH=src python scripts/verdict_audit_table.py [--years 2021-2024] [--docs docs/analysis.md]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from lantu import services
from lantu.evaluation import audit, evaluate
from lantu.store import open_database


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", default="2021-2024")
    ap.add_argument("--region", default="140100")
    ap.add_argument("--docs", type=Path, default=Path(__file__).parents[1] / "docs/analysis.md")
    a = ap.parse_args()
    lo, _, hi = a.years.partition("-")
    years = range(int(lo), int(hi or lo) + 1)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/lantu.db")
        services.init_default(db)
        ind, nodes = [], []
        with db.session() as s:
            for y in years:
                v = evaluate(s, region=a.region, year=y)
                ind += audit.indicator_rows(v)
                nodes += audit.node_rows(v)
        db.dispose()
    text = a.docs.read_text(encoding="utf-8")
    text = audit.replace_section(text, "verdict-audit-indicators",
                                 audit.markdown(audit.INDICATOR_HEADER, ind))
    text = audit.replace_section(text, "verdict-audit-nodes",
                                 audit.markdown(audit.NODE_HEADER, nodes))
    a.docs.write_text(text, encoding="utf-8")
    print(f"{a.docs}: {len(ind)} indicator rows, {len(nodes)} node rows")


if __name__ == "__main__":
    main()
