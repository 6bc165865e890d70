"""The one peer index (lantu.evaluation.peer_index) on hand-made data: same-year ratios, own-series
fill before group fill (flagged, with the method and the years used), seeded rank intervals, and
the same numbers on the comparison page, in the monitoring report and from `lantu index inputs`."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.defaults import load_indicators
from lantu.domain import Observation, Source, ValidationError
from lantu.evaluation import peer_index
from lantu.store import repo

TY, JZ, XZ, LL, YQ = "140100", "140700", "140900", "141100", "140300"
YEARS = (2020, 2021, 2022, 2023)
BASE = {  # per city: gdp, population, va_tertiary, gdp_growth, rd_intensity, urbanization_rate
    TY: (4000.0, 540.0, 2000.0, 5.0, 2.2, 80.0),
    JZ: (1800.0, 340.0, 800.0, 6.0, 1.1, 60.0),
    XZ: (1200.0, 265.0, 550.0, 7.0, 0.7, 55.0),
    LL: (2000.0, 337.0, 600.0, 4.0, 0.6, 54.0),
    YQ: (900.0, 131.0, 450.0, 5.5, 0.8, 71.0),
}
COLS = ("gdp", "population", "va_tertiary", "gdp_growth", "rd_intensity", "urbanization_rate")
#: gaps: Taiyuan's tertiary value added only in 2020 (its GDP grows), Taiyuan's urbanisation rate
#: only in 2020 and 2023, Jinzhong's R&D intensity never.
GAPS = {(TY, "va_tertiary", y) for y in (2021, 2022, 2023)} | \
       {(TY, "urbanization_rate", y) for y in (2021, 2022)} | \
       {(JZ, "rd_intensity", y) for y in YEARS}
TY_GDP = {2020: 4000.0, 2021: 4500.0, 2022: 5000.0, 2023: 5400.0}
TY_URB = {2020: 80.0, 2023: 86.0}


@pytest.fixture
def hand_db(default_db):
    units = {i.code: i.unit for i in load_indicators()}
    obs = []
    for city, vals in BASE.items():
        for k, y in enumerate(YEARS):
            for col, v in zip(COLS, vals, strict=True):
                if (city, col, y) in GAPS:
                    continue
                v = v * (1 + 0.05 * k) if col not in ("gdp_growth",) else v + 0.1 * k
                if city == TY and col == "gdp":
                    v = TY_GDP[y]
                if city == TY and col == "urbanization_rate":
                    v = TY_URB[y]
                obs.append(Observation(city, str(y), col, round(v, 4), units[col],
                                       source=Source(url="https://example.org/hand")))
    with default_db.session() as s:
        repo.delete_all_observations(s)
        repo.apply_observations(s, obs)
    return default_db


def _filled(res, region, indicator):
    return next((c for c in res.filled if c["region"] == region and c["indicator"] == indicator),
                None)


def _value(res, region, indicator):
    return next(v["value"] for v in res.values
                if v["region"] == region and v["indicator"] == indicator)


def test_a_ratio_takes_numerator_and_denominator_of_the_same_year(hand_db):
    with hand_db.session() as s:
        res = peer_index.compute(s, region=TY, year=2022, n_ua=0)
    c = _filled(res, TY, "tertiary_share")
    # 2022 has no tertiary value added: the 2020 ratio (2000 / 4000), not 2000 / 2022's 5000
    assert c is not None and c["method"] == "latest" and c["years_used"] == [2020]
    assert c["value"] == pytest.approx(50.0)
    assert _value(res, TY, "gdp_pc") == pytest.approx(5000 / (540 * 1.1) * 10000, rel=1e-6)


def test_own_series_fills_before_the_group_and_every_fill_is_flagged(hand_db):
    with hand_db.session() as s:
        res = peer_index.compute(s, region=TY, year=2022, n_ua=0)
    urb = _filled(res, TY, "urbanization_rate")
    assert urb["method"] == "interpolate" and urb["years_used"] == [2020, 2023]
    assert urb["value"] == pytest.approx(84.0)  # 80 + (86 - 80) * 2/3, not the group's mean
    rd = _filled(res, JZ, "rd_intensity")  # no own value in any year: the group's mean
    others = [BASE[c][4] * 1.1 for c in (TY, XZ, LL, YQ)]
    assert rd["method"] == "group" and rd["value"] == pytest.approx(sum(others) / 4, rel=1e-4)
    assert {(c["region"], c["indicator"]) for c in res.filled} == {
        (TY, "tertiary_share"), (TY, "urbanization_rate"), (JZ, "rd_intensity")}
    assert "本市2020年与2023年" in peer_index.fill_words(urb, "zh")


def test_rank_intervals_are_seeded_and_equal_across_calls(hand_db):
    with hand_db.session() as s:
        first = peer_index.compute(s, region=TY, year=2022, n_ua=30).to_json()
        peer_index._CACHE.clear()
        again = peer_index.compute(s, region=TY, year=2022, n_ua=30).to_json()
    assert first == again
    assert first["rank_q5"] is not None and first["rank_q5"] <= first["rank"] <= first["rank_q95"]
    assert set(first) >= {"group", "year", "score", "rank", "rank_q5", "rank_q95", "units",
                          "filled"}


def test_page_report_and_index_inputs_give_the_same_numbers(hand_db, tmp_path):
    from lantu.reports.data import monitoring_data
    from lantu.web.dashboard import compare

    compare.CACHE.clear()
    with hand_db.session() as s:
        res = peer_index.compute(s, region=TY, year=2022)
        page = compare.build_compare(s, lang="zh", year=2022)
        report = monitoring_data(s, TY, "2022")["index"]
    ranked = {u["region"]: u for u in res.units if u["rank"] is not None}
    shown = {r["code"]: r for r in page["index"]["results"] if r["rank"] is not None}
    in_report = {r["code"]: r for r in report["rows"]}
    assert set(shown) == set(in_report) == set(ranked)
    for code, u in ranked.items():
        assert (shown[code]["index"], shown[code]["rank"], shown[code]["q5"], shown[code]["q95"]) \
            == (u["score"], u["rank"], u["rank_q5"], u["rank_q95"])
        assert (in_report[code]["score"], in_report[code]["rank"]) == (u["score"], u["rank"])
    runner = CliRunner()
    out = runner.invoke(app, ["index", "inputs", "--out", str(tmp_path / "in"), "--year", "2022",
                              "--db", hand_db.url])
    assert out.exit_code == 0, out.output
    built = runner.invoke(app, ["index", "build", "--idata", str(tmp_path / "in" / "iData.csv"),
                                "--imeta", str(tmp_path / "in" / "iMeta.csv"),
                                "--spec", str(tmp_path / "in" / "spec.yaml"), "--time", "2022",
                                "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    cli = pd.read_csv(tmp_path / "out" / "results.csv", dtype={"uCode": str}).set_index("uCode")
    for code, u in ranked.items():
        assert round(cli.loc[code, "Index"], 2) == u["score"] and cli.loc[code, "Rank"] == u["rank"]


def test_the_framework_is_data_and_bad_framework_files_are_named(tmp_path):
    fw = peer_index.load_framework()
    assert fw.group == "central_shanxi" and fw.pillars == ["ECO", "PRO", "INN"]
    assert {i["code"]: i.get("denominator") for i in fw.indicators}["tertiary_share"] == "gdp"
    bad = tmp_path / "fw.yaml"
    bad.write_text("group: g\nindicators:\n  - {code: a, parent: X, input: a, name_zh: 甲, "
                   "name_en: A}\naggregates: []\nspec: {steps: []}\nuncertainty: {}\n",
                   encoding="utf-8")
    with pytest.raises(ValidationError, match=r"fw.yaml: item a: parent 'X'"):
        peer_index.load_framework(bad)


def test_a_group_the_region_is_not_in_or_an_unbuildable_year_is_a_clear_error(hand_db):
    with hand_db.session() as s:
        with pytest.raises(ValidationError, match="not a member of group central_shanxi"):
            peer_index.compute(s, region="410100", group="central_shanxi", n_ua=0)
        with pytest.raises(ValidationError, match="years it can: 2020, 2021, 2022, 2023"):
            peer_index.compute(s, region=TY, year=2019, n_ua=0)
