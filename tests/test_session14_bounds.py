"""A figure the source gives only as a bound is never used as the value itself (session 14).

Found reading the 2025 monitoring report of Taiyuan: the 2026 work report's review says
"地区生产总值迈上5000亿元台阶" (stored as 5,000 with ``lower_bound``), and the report said GDP was
weakening (5,000 after 2024's 5,418.87), and that Taiyuan's share of the province was 20.00 % —
5,000 over Shanxi's "25000" (also ``lower_bound``), a share the two bounds leave open. The status
of a target already took a bound as a bound (:func:`lantu.analysis.target_status`); the trend, the
share of the province and the primacy indices did not. Cases marked (main) fail on main.
"""

from __future__ import annotations

import pytest

from lantu.analysis.targets import trend
from lantu.domain.observations import bound_of, bound_sign, quotient_bound
from lantu.evaluation import evaluate, primacy
from lantu.reports.monitoring import primacy_sentences, primacy_table


@pytest.mark.parametrize("series, bounds, direction, expected", [
    # (main) a lower bound below the figure before: no fall is shown
    ({2024: 5418.87, 2025: 5000.0}, {2025: "lower_bound"}, 1, "n/a"),
    # a lower bound above the figure before: a rise whatever the truth
    ({2024: 4000.0, 2025: 5000.0}, {2025: "lower_bound"}, 1, "improving"),
    # (main) an upper bound above the figure before decides nothing
    ({2024: 3.0, 2025: 5.0}, {2025: "upper_bound"}, -1, "n/a"),
    # an upper bound below the figure before: a fall whatever the truth (good when lower is better)
    ({2024: 5.0, 2025: 3.0}, {2025: "upper_bound"}, -1, "improving"),
    # (main) the earlier figure a lower bound, the later above it: the truth may have been higher
    ({2024: 100.0, 2025: 120.0}, {2024: "lower_bound"}, 1, "n/a"),
    # the earlier figure a lower bound, the later below it: a fall
    ({2024: 100.0, 2025: 90.0}, {2024: "lower_bound"}, 1, "worsening"),
    # (main) inside the stable band with a bound: not "stable", it cannot tell
    ({2024: 100.0, 2025: 100.1}, {2025: "lower_bound"}, 1, "n/a"),
    # a bound on an earlier step does not touch the last one
    ({2023: 1.0, 2024: 100.0, 2025: 90.0}, {2023: "lower_bound"}, 1, "worsening"),
    # no bound: as before
    ({2024: 100.0, 2025: 100.1}, None, 1, "stable"),
    ({2024: 100.0, 2025: 90.0}, {}, 0, "down"),
])
def test_trend_takes_a_bound_as_a_bound(series, bounds, direction, expected):
    assert trend(series, direction, bounds=bounds)[0] == expected


@pytest.mark.parametrize("num, den, expected", [
    (None, None, "exact"), ("lower_bound", None, "lower_bound"), ("upper_bound", None, "upper_bound"),
    (None, "lower_bound", "upper_bound"), (None, "upper_bound", "lower_bound"),
    ("lower_bound", "upper_bound", "lower_bound"), ("upper_bound", "lower_bound", "upper_bound"),
    ("lower_bound", "lower_bound", None), ("upper_bound", "upper_bound", None),
])
def test_quotient_bound(num, den, expected):
    assert quotient_bound(num, den) == expected


def test_bound_of_and_sign():
    assert bound_of("preliminary;lower_bound;machine_read") == "lower_bound"
    assert bound_of(frozenset({"upper_bound", "weak_source"})) == "upper_bound"
    assert bound_of("lower_bound;upper_bound") is None  # contradictory flags bound nothing
    assert bound_of("") is None and bound_of("lower_boundary") is None
    assert (bound_sign("lower_bound"), bound_sign("upper_bound"), bound_sign(None)) == ("≥", "≤", "")


@pytest.fixture(scope="module")
def session(default_db_module):
    with default_db_module.session() as s:
        yield s


def test_taiyuan_gdp_2025_is_not_weakening(session):  # (main)
    v = evaluate(session, region="140100", year=2025)
    gdp = next(i for n in v.nodes for i in n.indicators if i.indicator == "gdp")
    assert (gdp.period, gdp.value) == ("2025", 5000.0) and "lower_bound" in gdp.flags
    assert gdp.trend == "n/a"


def test_share_of_two_lower_bounds_is_open(session):  # (main)
    prim = primacy.compute(session, region="140100", year=2025)
    row = prim["current"]["gdp"]
    assert row["period"] == "2025" and row["capital_bound"] == row["province_bound"] == "lower_bound"
    assert row["share"] is None and row["share_bound"] is None
    text = " ".join(primacy_sentences({"primacy": prim, "region": {"name": "太原市"},
                                       "period_label": "2025年"}))
    assert "5000亿元以上" in text and "仅知上下限，占比无法计算" in text and "20.00%" not in text
    # the table writes the bounds, never the share the bounds leave open
    _, rows = primacy_table(prim)
    r2025 = next(r for r in rows if r[0] == "2025" and r[1] == "地区生产总值")
    assert r2025[2].startswith("≥5") and r2025[3].startswith("≥") and r2025[4] == "—"


def test_share_of_an_exact_year_is_unchanged(session):
    prim = primacy.compute(session, region="140100", year=2022)
    row = prim["current"]["gdp"]
    assert row["period"] == "2022" and row["share_bound"] is None and row["capital_bound"] is None
    assert row["share"] == pytest.approx(100 * row["capital_value"] / row["province_value"], abs=0.01)


def test_share_of_a_bounded_province_is_a_bound(session):  # (main)
    # Shanxi's 2012 GDP is known only as "12000亿元以上": Taiyuan's share is at most 19.26 %
    row = next(r for r in primacy.compute(session, region="140100")["by"]["gdp"]
               if r["period"] == "2012")
    assert row["share_bound"] == "upper_bound" and row["share"] == pytest.approx(19.26, abs=0.01)
    _, rows = primacy_table({"by": {"gdp": [row]}, "n_cities": 11})
    assert rows[0][4] == "≤19.26%"


SHANXI = ["140100", "140200", "140300", "140400", "140500", "140600", "140700", "140800",
          "140900", "141000", "141100"]


@pytest.mark.parametrize("bounded", [False, True])
def test_no_primacy_index_from_a_bound(db, bounded):  # (main: bounded)
    """Every city of Shanxi with a 2022 GDP, one of them (晋城) only as a lower bound: S2, S4
    and S11 compare the cities' figures themselves, so none is given; with every figure exact
    they are. On SQLite and PostgreSQL."""
    from lantu import services
    from lantu.domain import Observation
    from lantu.store import repo

    services.init_reference(db)
    values = [5571.2, 1842.5, 797.3, 2200.1, 2300.0, 1400.2, 1900.7, 2200.9, 1400.4, 2000.6, 2100.8]
    with db.session() as s:
        repo.apply_observations(s, [
            Observation(c, "2022", "gdp", v, "亿元",
                        flags={"lower_bound"} if bounded and c == "140500" else set())
            for c, v in zip(SHANXI, values)] + [Observation("140000", "2022", "gdp", 25642.6, "亿元")],
            actor="test")
        s.commit()
    with db.session() as s:
        row = primacy.compute(s, region="140100")["current"]["gdp"]
    assert row["complete"] and row["share"] == pytest.approx(21.73, abs=0.01)
    if bounded:
        assert (row["S2"], row["S4"], row["S11"]) == (None, None, None)
    else:
        assert row["S2"] == pytest.approx(5571.2 / 2300.0, abs=1e-3)


def test_share_in_force_takes_the_bound_to_the_verdict(session):  # (main)
    v = evaluate(session, region="140100", year=2025)
    share = next(i for n in v.nodes for i in n.indicators if i.indicator == "gdp_share_of_province")
    assert share.period != "2025"  # the open share of 2025 is no figure
    assert share.trend in ("n/a", "improving", "worsening", "stable")


def test_peers_are_compared_on_measurements(session):  # (main)
    """The 2025 report ranked Taiyuan's "迈上5000亿元台阶" last among 郑州 "≥15200", 武汉 22147.35 and
    合肥 "≥14000": bounds ranked as values. Every comparison now takes measurements only."""
    from lantu.reports.data import monitoring_data

    data = monitoring_data(session, "140100", "2025")
    rows = data["peers"]["rows"]
    assert rows
    gdp = next(r for r in rows if r["code"] == "gdp")
    assert gdp["period"] != "2025"
    assert gdp["values"]["140100"] is not None


def test_index_fills_a_bound_as_missing(session):  # (main)
    from lantu.evaluation import peer_index

    idata, *_ = peer_index.inputs(session, "central_shanxi")
    ty = idata[(idata["uCode"] == "140100") & (idata["Time"] == 2025)]
    gdp_cols = [c for c in idata.columns if c in ("gdp", "den_gdp") or c.startswith("gdp")]
    assert gdp_cols
    assert all(ty[c].isna().all() or float(ty[c].iloc[0]) != 5000.0 for c in gdp_cols)


def test_measured_keeps_other_flags():
    import pandas as pd

    from lantu.domain.observations import measured

    frame = pd.DataFrame({"value": [1.0, 2.0, 3.0, 4.0],
                          "flags": ["preliminary", "lower_bound", "", "approximate;upper_bound"]})
    assert measured(frame)["value"].tolist() == [1.0, 3.0]
    assert measured(frame.iloc[:0]).empty


@pytest.mark.parametrize("expression, bounds, expected", [
    ("va_tertiary / gdp * 100", {}, "exact"),
    ("va_tertiary / gdp * 100", {"va_tertiary": "lower_bound"}, "lower_bound"),
    ("va_tertiary / gdp * 100", {"gdp": "lower_bound"}, "upper_bound"),  # (main: the union said lower)
    ("va_tertiary / gdp * 100", {"gdp": "lower_bound", "va_tertiary": "lower_bound"}, None),
    ("va_tertiary / gdp * 100", {"gdp": "upper_bound", "va_tertiary": "lower_bound"}, "lower_bound"),
    ("a + b", {"a": "lower_bound", "b": "lower_bound"}, "lower_bound"),
    ("a + b", {"a": "lower_bound", "b": "upper_bound"}, None),
    ("a - b", {"a": "lower_bound", "b": "upper_bound"}, "lower_bound"),
    ("a * -2", {"a": "lower_bound"}, "upper_bound"),
    ("-2 * a", {"a": "lower_bound"}, "upper_bound"),
    ("-a", {"a": "upper_bound"}, "lower_bound"),
    ("a * 2 + 1", {"a": "upper_bound"}, "upper_bound"),
])
def test_formula_bound(expression, bounds, expected):
    from lantu.domain.indicators import Formula

    assert Formula(expression).bound(bounds) == expected


def test_derived_value_of_a_bound_divisor(db):  # (main)
    """A derived share whose denominator is only a lower bound is at most its value, and one whose
    inputs are both lower bounds is no value at all (the inputs' flags joined said lower_bound)."""
    from lantu import services
    from lantu.domain import Observation
    from lantu.store import repo

    services.init_reference(db)
    with db.session() as s:
        repo.apply_observations(s, [
            Observation("140100", "2024", "gdp", 5000.0, "亿元", flags={"lower_bound"}),
            Observation("140100", "2024", "va_tertiary", 3000.0, "亿元"),
            Observation("140100", "2023", "gdp", 5000.0, "亿元", flags={"lower_bound"}),
            Observation("140100", "2023", "va_tertiary", 3000.0, "亿元", flags={"lower_bound"}),
            Observation("140100", "2022", "gdp", 5000.0, "亿元", flags={"preliminary"}),
            Observation("140100", "2022", "va_tertiary", 3000.0, "亿元")], actor="test")
        s.commit()
    with db.session() as s:
        got = {r.period: (r.value, set(r.flags.split(";")) - {""})
               for r in repo.indicator_values(s, "tertiary_share", regions=["140100"]).itertuples()}
    assert got == {"2024": (60.0, {"upper_bound"}), "2022": (60.0, {"preliminary"})}
