"""The gate's column-wise rules, made faster after session 11's merges, give the answers of the
one rule they stand for: ``gate.unstorable`` finds what ``UNSTORABLE.search`` finds (two
searches instead of one class that reaches beyond the Basic Multilingual Plane), and the
source-date rule asks each distinct (period, date) pair once by the codes of the two columns."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd

from lantu import defaults
from lantu.domain import gate

#: the edges of every part of the rule, and characters beside them that are allowed
EDGES = [0x00, 0x01, 0x08, 0x09, 0x0a, 0x1f, 0x20, 0x7e, 0x7f, 0x9f, 0xa0, 0x061b, 0x061c, 0x200b,
         0x200d, 0x200e, 0x200f, 0x2027, 0x2028, 0x2029, 0x202a, 0x202e, 0x202f, 0x2065, 0x2066,
         0x2069, 0x206a, 0xd7ff, 0xd800, 0xdfff, 0xe000, 0xfdcf, 0xfdd0, 0xfdef, 0xfdf0, 0xfefe,
         0xfeff, 0xfff8, 0xfff9, 0xfffb, 0xfffc, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1fffd,
         0x1fffe, 0x1ffff, 0x20000, 0x2fffe, 0xdffff, 0xe0000, 0xe0041, 0xe007f, 0xe0080,
         0x10fffd, 0x10fffe, 0x10ffff, 0x1f600, 0x4e2d, 0x592a]


def _first(match):
    return None if match is None else (match.start(), match.group())


def test_the_fast_search_finds_what_the_rule_finds():
    rng = random.Random(2026)
    pool = [chr(c) for c in EDGES] + list("太原市abc 1.5")
    for _ in range(50_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 16)))
        assert _first(gate.unstorable(text)) == _first(gate.UNSTORABLE.search(text)), repr(text)
    # a long text of allowed astral ideographs with one refused character at its end
    text = "𠀀中" * 50_000 + "\U000e0041"
    assert _first(gate.unstorable(text)) == (100_000, "\U000e0041")
    assert gate.text_problem("太原\U0001fffe") == "the text contains the noncharacter U+1FFFE"


def test_each_source_date_is_judged_against_its_own_period():
    inds = {i.code: i for i in defaults.load_indicators()}
    periods = ["2024", "2024", "2023", "2024Q1", "2024", "2022", "2023", "2024Q1"]
    published = ["2020-07", None, "2024-03", "2024-02", "bad", "", "2023-12", "2024-03"]
    n = len(periods)
    frame = pd.DataFrame({
        "region_code": ["140100"] * n, "period": periods, "indicator_code": ["gdp"] * n,
        "value": [1.0] * n, "unit": ["亿元"] * n, "flags": [""] * n, "source_url": [""] * n,
        "source_file": [""] * n, "excerpt": [""] * n, "source_note": [""] * n,
        "source_quality": ["none"] * n, "source_published": published}, dtype=object)
    frame["value"] = frame["value"].astype(float)
    got = gate.observation_frame_problems(frame, inds, date(2026, 1, 1))
    assert [(p, f) for p, f, _ in got] == [(0, "source_published"), (3, "source_published"),
                                           (4, "source_published")]
    assert "2020-07" in got[0][2] and "before 2024-12" in got[0][2]
    assert "2024Q1" in got[1][2] and "before 2024-03" in got[1][2]
