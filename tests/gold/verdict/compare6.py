"""Compare the rows of key6.md with Lantu (comparison6.md)::

    DB_URL=sqlite:///$LANTU_HOME/lantu.db PYTHONPATH=src:tests python tests/gold/verdict/compare6.py

Targets and nodes as compare5 (verdict_keys.compare); the report rows from Taiyuan's monitoring
report data (lantu.reports.data.monitoring_data)."""

import os

from test_verdict15_key6 import KEY_ROWS, NODES, REPORT, report_field
from verdict_keys import compare

if __name__ == "__main__":
    compare(KEY_ROWS, NODES)
    from lantu.reports.data import monitoring_data
    from lantu.store import open_database

    agree = 0
    with open_database(os.environ["DB_URL"]).session() as s:
        for rid, year, ind, field, exp in REPORT:
            got = report_field(monitoring_data(s, "140100", str(year)), ind, field)
            agree += got == exp
            print(rid, "OK " if got == exp else "XX ", exp, "|", got)
    print(f"report rows agree {agree}/{len(REPORT)}")
