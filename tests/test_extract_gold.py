"""Precision and recall against the hand-annotated gold files stay above the thresholds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lantu.ingest.goldeval import evaluate, find_report, load_gold

GOLD = Path(__file__).parent / "gold" / "extract"


def test_there_are_at_least_six_gold_reports_of_different_cities() -> None:
    names = [p.stem for p in GOLD.glob("*.csv")]
    assert len(names) >= 6
    assert len({n.split("-")[0] for n in names}) >= 6


@pytest.mark.parametrize("gold", sorted(GOLD.glob("*.csv")), ids=lambda p: p.stem)
def test_every_gold_value_is_written_in_its_report(shared_dir: Path, gold: Path) -> None:
    """Guards against typos in the gold: each value appears as a number in the text."""
    code, year = gold.stem.split("-")
    text = find_report(shared_dir / "corpus", code, int(year)).read_text(encoding="utf-8")
    text = text.translate(str.maketrans("０１２３４５６７８９％．", "0123456789%."))
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}
    for _period, indicator, _kind, value, _q in load_gold(gold):
        # as written, or converted to the catalogue unit (万 ↔ units, 千 → 万, CPI index 102.1 → 2.1)
        candidates = {abs(value), abs(value) / 10000, abs(value) + 100, round(abs(value) * 10000, 4),
                      round(abs(value) / 10000, 4), round(abs(value) * 10, 4)}  # 8千亩 = 0.8 万亩
        assert candidates & numbers, (gold.name, indicator, value)


@pytest.mark.slow
def test_precision_and_recall_on_gold(shared_dir: Path) -> None:
    scores = evaluate(GOLD, shared_dir / "corpus")
    total = scores[-1]
    assert total.true_pos + total.false_neg >= 100  # the gold is not trivially small
    assert total.precision >= 0.95, [(s.name, s.spurious) for s in scores if s.spurious]
    assert total.recall >= 0.85, [(s.name, s.missed) for s in scores if s.missed]
