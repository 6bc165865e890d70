"""Issue stops (2): a value's source date must be plausible for its period. Shanxi's 2024
population (and urbanisation) carried 2020-07, the date in the URL of 山西省人民政府网's 人口状况
page — the page's first version, not the 2024 bulletin it quotes. One rule
(:func:`lantu.domain.gate.published_for_period_problem`) is asked by the URL reading of the
default's raw rows and by the import gate; a sweep checks every value the default holds."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lantu import defaults, services
from lantu.domain.gate import published_for_period_problem
from lantu.ingest.tables import ImportRefused
from lantu.store.models import ObservationRevisionRow, ObservationRow

SHANXI_PAGE = "https://www.shanxi.gov.cn/zjsx/zlssx/rkzk/202007/t20200724_6045045.shtml"


@pytest.mark.parametrize("period, published, ok", [
    ("2024", "2020-07", False), ("2024", "2023", False), ("2024", "2024-11-30", False),
    ("2024", "2024", True), ("2024", "2024-12", True), ("2024", "2025-03-05", True),
    ("2023Q1", "2023-02", False), ("2023Q1", "2023-03", True),
    ("2023-03", "2023-03-01", True), ("2023-03", "2023-02-28", False),
    ("2024", "", True),
])
def test_the_rule(period, published, ok):
    assert (published_for_period_problem(period, published) is None) is ok


def test_a_url_date_before_the_figure_is_no_publication_date():
    assert defaults.published_from_url(SHANXI_PAGE) == "2020-07"  # what the URL says
    assert defaults.published_from_url(SHANXI_PAGE, "2024") == ""  # not when the 2024 text was
    assert defaults.published_from_url("http://x.cn/20250228/a.html", "2024") == "2025-02-28"


def test_the_default_holds_no_value_dated_before_its_period(default_db):
    with default_db.session() as s:
        rows = [(r.region_code, r.period, r.indicator_code, r.source_published)
                for r in s.scalars(select(ObservationRow))]
        revs = [(o.region_code, o.period, o.indicator_code, r.source_published)
                for r, o in s.execute(select(ObservationRevisionRow, ObservationRow).join(
                    ObservationRow, ObservationRevisionRow.observation_id == ObservationRow.id))]
    bad = [r for r in rows + revs if published_for_period_problem(r[1], r[3])]
    assert len(rows) > 1500 and len(revs) > 20 and bad == []
    shanxi = {(r[1], r[2]): r[3] for r in rows if r[0] == "140000"}
    assert shanxi[("2024", "population")] == ""  # unknown, not 2020-07


def test_an_import_dated_before_its_period_is_refused(db, tmp_path):
    services.init_reference(db)
    p = tmp_path / "a.csv"
    p.write_text("region_code,period,indicator,value,unit,source_url,excerpt,source_quality,"
                 "source_published\n140000,2024,population,3445.96,万人,"
                 f"{SHANXI_PAGE},2024年末全省常住人口3445.96万人,official_other,2020-07\n",
                 encoding="utf-8")
    with pytest.raises(ImportRefused, match="2020-07"):
        services.import_file(db, p, today=date(2026, 11, 26))
