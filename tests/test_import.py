"""Import of tables: layouts, encodings, validation that reports every problem, all-or-nothing,
idempotence and revisions — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from lantu import services
from lantu.ingest.tables import ImportRefused, parse_number
from lantu.store import repo
from lantu.store.models import Base, ObservationRow

TODAY = date(2026, 11, 26)
HEADER = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"


def snapshot(db) -> dict[str, list]:
    """Every row of every table, for 'the database is exactly as it was' checks."""
    out = {}
    with db.engine.connect() as c:
        for table in Base.metadata.sorted_tables:
            rows = c.execute(select(table)).all()
            out[table.name] = sorted(map(repr, rows))
    return out


@pytest.fixture
def ref_db(db):
    services.init_reference(db)
    return db


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_parse_number_forms():
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("１２３．４") == 123.4
    assert parse_number(" 7.5% ") == 7.5
    assert parse_number("−3.2") == -3.2
    for gap in ["—", "…", "", "NA", "-", "——"]:
        assert parse_number(gap) is None
    for bad in ["abc", "12a", "1.2.3", "1,23", "inf"]:
        with pytest.raises(ValueError):
            parse_number(bad)


def test_long_import_then_idempotent_then_revision(ref_db, tmp_path):
    f = write(tmp_path, "a.csv", HEADER + "140100,2022,gdp,5571.17,亿元,,https://x.gov.cn/a,全年地区生产总值5571.17亿元\n"
                                          "太原市,2022,gdp_growth,3.3,%,preliminary,,\n")
    r1 = services.import_file(ref_db, f, today=TODAY)
    assert (len(r1.observations.inserted), r1.observations.unchanged) == (2, 0)
    before = snapshot(ref_db)
    r2 = services.import_file(ref_db, f, today=TODAY)
    assert not r2.observations.changed and r2.observations.unchanged == 2
    after = snapshot(ref_db)
    assert before["observation"] == after["observation"]
    assert before["observation_revision"] == after["observation_revision"] == []
    # a changed value becomes a revision, the old value is kept
    g = write(tmp_path, "b.csv", HEADER + "140100,2022,gdp,5600,亿元,,https://x.gov.cn/b,修订\n")
    r3 = services.import_file(ref_db, g, today=TODAY)
    assert r3.observations.revised == [(("140100", "2022", "gdp"), 5571.17, 5600.0)]
    with ref_db.session() as s:
        row = s.scalars(select(ObservationRow).where(ObservationRow.indicator_code == "gdp")).one()
        hist = repo.observation_history(s, row.id)
    assert [h["value"] for h in hist] == [5571.17, 5600.0]
    assert hist[0]["source_url"] == "https://x.gov.cn/a" and "revised" in hist[-1]["flags"]


def test_export_imports_back_unchanged(ref_db, tmp_path):
    src = write(tmp_path, "a.csv", HEADER + '140100,2022,gdp,5571.17,亿元,weak_source,https://x/a,"a, b"\n'
                                             "140700,2021,population,337.9,万人,,,\n")
    services.import_file(ref_db, src, today=TODAY)
    with ref_db.session() as s:
        exported = repo.observations_frame(s).to_csv(index=False)
    out = write(tmp_path, "export.csv", exported)
    before = snapshot(ref_db)
    res = services.import_file(ref_db, out, today=TODAY)
    assert res.observations.unchanged == 2 and not res.observations.changed
    assert snapshot(ref_db)["observation"] == before["observation"]
    # the export gains the source quality; with no column it was inferred from the source
    assert exported.splitlines()[0] == HEADER.strip() + ",source_quality,source_published"
    assert exported.splitlines()[1].endswith(",third_party,")  # weak_source, not a gov URL
    assert exported.splitlines()[2].endswith(",none,")  # no source at all


def test_wide_layouts_gbk_bom_and_xlsx(ref_db, tmp_path):
    wide = "地区,年份,地区生产总值(亿元),常住人口(万人),城镇新增就业\n太原市,2021,\"5,121.61\",539.1,—\n晋中市,2021,1843.4,337.9,\n"
    f = write(tmp_path, "wide.csv", wide, "gbk")
    years = "region,indicator,unit,2020,2021年\n140100,population,人,\"5,304,061\",5391000\n"
    g = write(tmp_path, "years.csv", "\ufeff" + years)
    r1 = services.import_file(ref_db, f, today=TODAY)
    assert r1.layout == "wide-indicators" and r1.encoding == "gbk" and r1.gaps == 2
    r2 = services.import_file(ref_db, g, today=TODAY)
    assert r2.layout == "wide-years" and len(r2.observations.inserted) == 1
    assert r2.observations.unchanged == 1  # 5391000 人 is the 539.1 万人 already there
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["region_code", "period", "indicator", "value", "unit"])
    ws.append([140900, 2022, "good_air_days_ratio", 81.4, "%"])
    ws.append(["141100", "2022", "城镇居民人均可支配收入", 38000, "元"])
    wb.save(tmp_path / "x.xlsx")
    r3 = services.import_file(ref_db, tmp_path / "x.xlsx", today=TODAY)
    assert len(r3.observations.inserted) == 2
    with ref_db.session() as s:
        df = repo.observations_frame(s).set_index(["region_code", "period", "indicator"])["value"]
    assert df[("140100", "2021", "gdp")] == 5121.61
    assert df[("140100", "2020", "population")] == pytest.approx(530.4061)
    assert df[("140100", "2021", "population")] == pytest.approx(539.1)
    assert df[("141100", "2022", "income_urban")] == 38000


BAD_FILES = {
    "gbk_wrong_header": (("地区名,时间点,数量\n太原市,2022,5571\n", "gbk"), ["header not recognised"]),
    "unit_mismatch": ((HEADER + "140100,2022,gdp,5571,亿美元,,,\n", "utf-8"),
                      ["row 2, column 'unit'", "cannot be converted"]),
    "conflicting_duplicate": ((HEADER + "140100,2022,gdp,5571.17,亿元,,,\n140100,2022,gdp,5600,亿元,,,\n", "utf-8"),
                              ["row 3", "conflicting duplicate", "row 2"]),
    "text_in_number": ((HEADER + "140100,2022,gdp,about 5500,亿元,,,\n140100,2021,gdp,5121.61,亿元,,,\n", "utf-8"),
                       ["row 2, column 'value'", "not a number"]),
    "unknown_and_future_and_share": ((HEADER + "999999,2022,gdp,1,亿元,,,\n140100,2031,gdp,1,亿元,,,\n"
                                      "140100,2022,urbanization_rate,128,%,,,\n140100,2022,gdp_magic,1,,,,\n", "utf-8"),
                                     ["row 2, column 'region_code'", "unknown region", "row 3", "future",
                                      "row 4", "at most 100", "row 5", "unknown indicator"]),
    "derived_indicator": ((HEADER + "140100,2022,tertiary_share,60,%,,,\n", "utf-8"), ["derived"]),
    "binary": ((None, None), ["binary"]),
    "empty": (("", "utf-8"), ["empty"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_and_change_nothing(ref_db, tmp_path, case):
    (text, enc), expected = BAD_FILES[case]
    good = write(tmp_path, "good.csv", HEADER + "140100,2021,gdp,5121.61,亿元,,,\n")
    services.import_file(ref_db, good, today=TODAY)
    before = snapshot(ref_db)
    if text is None:
        path = tmp_path / "junk.csv"
        path.write_bytes(bytes(range(256)) * 8)
    else:
        path = write(tmp_path, f"{case}.csv", text, enc)
    with pytest.raises(ImportRefused) as info:
        services.import_file(ref_db, path, today=TODAY)
    message = str(info.value)
    assert str(path) in message and "nothing was imported" in message
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert snapshot(ref_db) == before


def test_every_problem_is_reported_at_once(ref_db, tmp_path):
    text = HEADER + "".join(f"140100,20{i:02d},gdp,x{i},亿元,,,\n" for i in range(10, 20))
    with pytest.raises(ImportRefused) as info:
        services.import_file(ref_db, write(tmp_path, "many.csv", text), today=TODAY)
    assert len(info.value.problems) == 10
    assert [p.row for p in info.value.problems] == list(range(2, 12))


def test_truncated_xlsx_is_refused(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["region_code", "period", "indicator", "value"])
    wb.active.append(["140100", "2022", "gdp", 5571.17])
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    before = snapshot(ref_db)
    with pytest.raises(ImportRefused, match="truncated or corrupt"):
        services.import_file(ref_db, path, today=TODAY)
    assert snapshot(ref_db) == before


def test_dry_run_writes_nothing(ref_db, tmp_path):
    before = snapshot(ref_db)
    res = services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + "140100,2022,gdp,5571.17,亿元,,,\n"),
                               dry_run=True, today=TODAY)
    assert res.dry_run and len(res.observations.inserted) == 1
    assert res.changes[0]["key"] == ["140100", "2022", "gdp"]
    assert snapshot(ref_db) == before


def test_targets_table_and_extract_review_file(ref_db, tmp_path):
    targets = ("region_code,indicator,target_period,kind,value,value_high,qualifier,binding,unit,source_url,excerpt\n"
               "140100,gdp_growth,2021,annual_growth,8,8.5,,,%,https://x/r,增长8%—8.5%\n"
               "140100,gdp_growth,2022,annual_growth,7.5,,力争,,%,https://x/r,力争7.5%\n")
    res = services.import_file(ref_db, write(tmp_path, "t.csv", targets), today=TODAY)
    assert len(res.targets.inserted) == 2
    again = services.import_file(ref_db, write(tmp_path, "t.csv", targets), today=TODAY)
    assert not again.targets.changed
    review = ("region_code,period,indicator,kind,value,value_high,qualifier,unit,excerpt,start,end,source_url\n"
              "140100,2022,gdp,observed,5571.17,,,亿元,实现5571.17亿元,10,20,https://x/w\n"
              "140100,2023,gdp_growth,target,6.5,,左右,%,增长6.5%左右,30,40,https://x/w\n")
    res = services.import_file(ref_db, write(tmp_path, "review.csv", review), today=TODAY)
    assert len(res.observations.inserted) == 1 and len(res.targets.inserted) == 1
    with ref_db.session() as s:
        ts = repo.targets(s, indicators=["gdp_growth"])
    assert [(str(t.target_period), t.value, t.value_high, t.qualifier) for t in ts] == [
        ("2021", 8.0, 8.5, None), ("2022", 7.5, None, "力争"), ("2023", 6.5, None, "左右")]
