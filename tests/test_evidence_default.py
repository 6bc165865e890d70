"""The default rebuilt from the whole official corpus: the facts issue 10 asks of it."""

from __future__ import annotations

import csv

from sqlalchemy import select

from lantu import defaults, services
from lantu.domain import is_official
from lantu.store import repo
from lantu.store.evidence import milestones_for
from lantu.store.models import ObservationRow


def test_taiyuan_logistics_hub_designations_are_milestones_of_p0_1(default_db):
    with default_db.session() as s:
        hub = milestones_for(s, "140100", node_codes=["P0.1"], since_year=2019, until_year=2025)
    designations = [m for m in hub if m["kind"] == "designation"]
    texts = " ".join(m["text"] for m in designations)
    for words in ("国家物流枢纽", "国家综合货运枢纽补链强链支持城市", "国家现代流通战略支点城市"):
        assert words in texts
        # read and dated by a person, not only machine-read
        assert any(words in m["text"] and m["reviewed"] for m in designations)
    assert {m["year"] for m in designations if m["reviewed"]} >= {2019, 2021, 2023, 2025}
    for m in hub:
        assert "P0.1" in m["nodes"] and m["excerpt"] and m["text"] in m["excerpt"]
        assert m["source_url"].startswith("https://www.taiyuan.gov.cn/") or m["archive"]
    with default_db.session() as s:  # the machine-read ones of every report are there too
        machine = [m for m in milestones_for(s) if not m["reviewed"]]
    assert len(machine) > 1000 and len({m["region_code"] for m in machine}) >= 15


def test_taiyuan_2019_gdp_and_growth_from_the_2020_report(default_db):
    with default_db.session() as s:
        df = repo.observations_frame(s, regions=["140100"], periods=["2019"],
                                     indicators=["gdp", "gdp_growth"])
    got = {r.indicator: (r.value, r.source_quality, r.source_url) for r in df.itertuples()}
    url = "https://www.taiyuan.gov.cn/zfgzbg/20200509/1058061.html"
    assert got == {"gdp": (4028.51, "official_report", url),
                   "gdp_growth": (6.6, "official_report", url)}


def _official_keys() -> set[tuple[str, str, str]]:
    keys = set()
    for name in ("extracted/observations.csv", "reviewed/observations.csv"):
        with open(defaults.DATA / name, encoding="utf-8") as fh:
            keys |= {(r["region_code"], r["period"], r["indicator"]) for r in csv.DictReader(fh)}
    return keys


def test_no_third_party_value_where_an_official_text_states_the_key(default_db):
    official = _official_keys()
    with default_db.session() as s:
        rows = list(s.scalars(select(ObservationRow)))
    stated = [r for r in rows if (r.region_code, r.period, r.indicator_code) in official]
    assert len(stated) > 900
    assert all(is_official(r.source_quality) for r in stated), [
        (r.region_code, r.period, r.indicator_code, r.source_quality) for r in stated
        if not is_official(r.source_quality)]
    # a third-party value stands only where no official text of the corpus states the key
    third = [r for r in rows if r.source_quality == "third_party"]
    assert third and not any((r.region_code, r.period, r.indicator_code) in official
                             for r in third)


def test_every_official_observation_cites_its_report_or_archive(default_db):
    with default_db.session() as s:
        rows = list(s.scalars(select(ObservationRow)))
    for r in rows:
        assert "extracted" not in r.source_file, (r.region_code, r.period, r.indicator_code)
        if r.source_quality in ("official_report", "official_statistics") and not r.source_url:
            assert r.source_file.endswith(".md") and "official report" in r.source_note
        assert r.source_url or r.source_file


def test_known_errors_are_corrected_with_reasons(default_db):
    with default_db.session() as s:
        urb = repo.observations_frame(s, regions=["140100"], indicators=["urbanization_rate"])
        targets = repo.targets(s, regions=["140100"], indicators=["gdp", "income_rural"])
    by_period = dict(zip(urb["period"], urb["value"]))
    assert by_period.get("2024") == 89.7 and "2025" not in by_period
    # "向万亿元迈进" is a direction, not a target
    assert not [t for t in targets if t.indicator_code == "gdp" and t.value == 10000]
    rural = [t for t in targets if t.indicator_code == "income_rural" and t.value == 30000]
    assert rural and all(t.qualifier == "突破" and "corrected:" in t.source.note for t in rural)
    for o in defaults.load_overrides():
        assert len(o["reason"]) > 20


def test_every_override_matches_a_row(db):
    res = services.init_default(db)
    assert res["data"]["overrides_unused"] == []


def test_series_breaks_are_data_and_split_the_series(default_db):
    from lantu.analysis.series import comparable, last_segment
    from lantu.store.evidence import break_periods, series_breaks

    with default_db.session() as s:
        pop = break_periods(s, "140100", "population")
        air = series_breaks(s, regions=["140000"], indicators=["good_air_days_ratio"])
        df = repo.observations_frame(s, regions=["140100"], indicators=["population"])
    assert pop == ["2020"] and air and "definition" in air[0]["reason"].lower()
    periods = sorted(df["period"])
    assert "2019" in periods and "2021" in periods
    # 446 → 539 万 is the census revision, not growth: a trend may not span it
    assert not comparable("2019", "2021", pop)
    assert "2019" not in last_segment(periods, pop) and "2021" in last_segment(periods, pop)


def test_show_coverage_by_quality(default_db):
    from typer.testing import CliRunner

    from lantu.cli import app

    res = CliRunner().invoke(app, ["show", "coverage", "--by-quality", "--region", "140100",
                                   "--db", default_db.url], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if "140100" in ln)
    cells = [c.strip() for c in line.strip("│ \n").split("│")]
    stats, report, other, third, none, total = map(int, cells[1:7])
    assert report >= 40 and none == 0 and total == stats + report + other + third + none
    with default_db.session() as s:
        n = len(repo.observations_frame(s, regions=["140100"],
                                        periods=[str(y) for y in range(2019, 2025)]))
    assert total == n
    assert "140700" not in res.output  # --region keeps to the region asked for
    bad = CliRunner().invoke(app, ["show", "coverage", "--by-quality", "--years", "20x9",
                                   "--db", default_db.url])
    assert bad.exit_code == 2


def test_the_build_records_what_no_person_reviewed(default_db, tmp_path):
    """Issue 10: machine-read figures carry the flag ``machine_read`` (exported with them, shown as
    a badge), the rows a person read from the text (``reviewed/``) do not; milestones say
    ``reviewed``."""
    from typer.testing import CliRunner

    from lantu.cli import app

    with default_db.session() as s:
        rows = list(s.scalars(select(ObservationRow)))
    machine = {(r.region_code, r.period, r.indicator_code) for r in rows if "machine_read" in r.flags}
    with open(defaults.DATA / "reviewed" / "observations.csv", encoding="utf-8") as fh:
        reviewed = {(r["region_code"], r["period"], r["indicator"]) for r in csv.DictReader(fh)}
    assert len(machine) > 900 and reviewed and not machine & reviewed
    gdp = next(r for r in rows if (r.region_code, r.period, r.indicator_code) == ("140100", "2019", "gdp"))
    assert "machine_read" not in gdp.flags and "reviewed" in gdp.source_note
    # raw hand-gathered rows were not machine-read either
    assert all("machine-read" in r.source_note for r in rows if "machine_read" in r.flags)
    out = tmp_path / "obs.csv"
    res = CliRunner().invoke(app, ["export", "observations", "--out", str(out), "--db", default_db.url])
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    assert sum("machine_read" in r["flags"] for r in exported) == sum("machine_read" in r.flags for r in rows)
    tout = tmp_path / "targets.csv"
    res = CliRunner().invoke(app, ["export", "targets", "--out", str(tout), "--db", default_db.url])
    assert res.exit_code == 0, res.output
    with open(tout, encoding="utf-8") as fh:
        targets = list(csv.DictReader(fh))
    machine_t = [t for t in targets if "not reviewed by a person" in t["note"]]
    assert len(machine_t) > 900 and len(machine_t) < len(targets)  # the curated raw targets are not
    with default_db.session() as s:
        ms = milestones_for(s)
    assert {m["reviewed"] for m in ms} == {True, False}
    assert sum(m["reviewed"] for m in ms) >= 8


def test_statistics_bureau_releases_among_the_raw_rows_are_official(default_db):
    """A city statistics bureau's own release (吕梁 概览, 忻州 经济快讯) is official statistics and
    a bulletin's text on a government site official, though neither is the bulletin's own page;
    news reposts of the same bulletins stay third party."""
    with default_db.session() as s:
        df = repo.observations_frame(s, regions=["141100", "140900", "140100", "140000"],
                                     periods=["2019", "2021", "2022", "2023"],
                                     indicators=["population", "rd_intensity"])
    got = {(r.region_code, r.period, r.indicator): r.source_quality for r in df.itertuples()}
    assert got[("141100", "2022", "population")] == "official_statistics"
    assert got[("140900", "2019", "population")] == "official_statistics"
    assert got[("140100", "2021", "rd_intensity")] == "official_other"
    assert got[("140000", "2023", "rd_intensity")] == "third_party"  # 黄河新闻网, a news site
