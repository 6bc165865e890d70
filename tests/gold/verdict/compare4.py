"""Compare the rows of key4.md with Lantu (comparison4.md)::

    DB_URL=sqlite:///$LANTU_HOME/lantu.db PYTHONPATH=src:tests python tests/gold/verdict/compare4.py

Taiyuan by its verdict (`lantu evaluate`), any other region by its own targets
(lantu.evaluation.verdict.target_statuses), a qualitative goal by its node in Taiyuan's verdict."""

from test_verdict13_key4 import KEY_ROWS, QUALITATIVE
from verdict_keys import compare

if __name__ == "__main__":
    compare(KEY_ROWS, QUALITATIVE)
