"""Compare the rows of key5.md with Lantu (comparison5.md)::

    DB_URL=sqlite:///$LANTU_HOME/lantu.db PYTHONPATH=src:tests python tests/gold/verdict/compare5.py

Taiyuan by its verdict (`lantu evaluate`), any other region by its own targets
(lantu.evaluation.verdict.target_statuses), a qualitative goal by its node in Taiyuan's verdict; a row
names its target by year, value and horizon (verdict_keys.hits)."""

from test_verdict14_key5 import KEY_ROWS, QUALITATIVE
from verdict_keys import compare

if __name__ == "__main__":
    compare(KEY_ROWS, QUALITATIVE)
