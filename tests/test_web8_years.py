"""Every place a year is accepted asks the one year rule of everything dated
(``lantu.domain.periods.year_problem``: 1949–2100) through one reader of a typed year
(``read_year``: four digits 0-9, full-width made ASCII): ``GET /api/v1/assessment`` and the
assessment pages took 2000–2100 only, the targets page and the explorer's ``from``/``to`` any four
digits (1000 too), pydantic's int read ``+2024``, ``2_024`` and ``2024.0`` as 2024, the
commands' ``--year`` read Bengali digits as a year and ended in a traceback on superscript ones,
and ``lantu show coverage --years`` took any range. Each test failed on the code before.
"""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from lantu import textreview
from lantu.cli import app as cli_app
from lantu.cli import common
from lantu.domain import ValidationError
from lantu.domain.periods import FIRST_YEAR, LAST_YEAR, read_year
from lantu.errors import EXIT_USAGE
from webutil import backend_app, login

RULE = f"{FIRST_YEAR}–{LAST_YEAR}"

#: every route and page taking a year as a query parameter, with who may read it
YEARS = [
    ("/api/v1/assessment?year={y}", "analyst"),
    ("/api/v1/milestones?year={y}", "analyst"),
    ("/api/v1/index?year={y}", "analyst"),
    ("/api/v1/evaluation?region=140100&year={y}", "analyst"),
    ("/supervision/assessment?year={y}", "supervisor"),
    ("/supervision/assessment.xlsx?year={y}", "supervisor"),
    ("/?year={y}", None),
    ("/plan/NODE?year={y}", None),
    ("/comparison?year={y}", None),
    ("/targets?year={y}", None),
    ("/indicators?indicator=gdp&from={y}", None),
    ("/indicators?indicator=gdp&to={y}", None),
    ("/indicators/export.csv?indicator=gdp&from={y}", None),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("web8y"),
                     ("analyst",), "web8y") as app:
        yield app


def _get(env, path: str, who: str | None):
    client, auth, _db, _home = env
    path = path.replace("NODE", _a_node_code(env))
    if who == "supervisor":
        login(client, "supervisor")
        return client.get(path)
    client.cookies.clear()
    return client.get(path, headers=auth[who] if who else None)


def _a_node_code(env) -> str:
    from sqlalchemy import select

    from lantu.store.models import PlanNodeRow

    with env[2].session() as s:
        return s.scalar(select(PlanNodeRow.code).where(PlanNodeRow.kind == "goal").limit(1))


def _paths() -> list[str]:
    return sorted({p.split("?")[0] for p, _ in YEARS})


def test_the_list_names_every_route_taking_a_year(env):
    """The OpenAPI document's year parameters are all in :data:`YEARS` (a new one is added
    there, and so asked here)."""
    client = env[0]
    doc = client.get("/api/v1/openapi.json").json()
    taking = {path for path, ops in doc["paths"].items() for op in ops.values()
              if any(p["name"] in ("year", "from", "to") and p["in"] == "query"
                     and p.get("schema", {}).get("anyOf", [{}])[0].get("type", p["schema"]
                                                                  .get("type")) == "integer"
                     for p in op.get("parameters", []))}
    assert taking <= {p for p in _paths() if p.startswith("/api/")}, taking


@pytest.mark.parametrize("path, who", YEARS)
def test_a_year_outside_the_rule_is_refused_by_the_rule_everywhere(env, path, who):
    for year in ("1948", "2101", "1000"):
        r = _get(env, path.format(y=year), who)
        assert r.status_code == 422, (path, year, r.status_code)
        # the reason as the API writes it, or in a page's language (Chinese by default)
        assert RULE in r.text and (f"the year {year}" in r.text or f"年份 {year} 不在" in r.text), \
            (path, r.text[:400])


@pytest.mark.parametrize("path, who", YEARS)
def test_a_year_is_four_digits_as_a_person_types_them(env, path, who):
    for typed in ("%2B2023", "2_023", "2023.0", "২০২৩", "20230"):
        r = _get(env, path.format(y=typed), who)
        assert r.status_code == 422, (path, typed, r.status_code)
        assert ("four digits" in r.text or "四位数字" in r.text or RULE in r.text), \
            (path, typed, r.text[:300])
    r = _get(env, path.format(y="２０２３"), who)  # full-width: the year 2023
    assert r.status_code == 200, (path, r.status_code, r.text[:300])


@pytest.mark.parametrize("path, who", [(p, w) for p, w in YEARS if "assessment" in p])
def test_the_assessment_takes_every_year_of_the_rule(env, path, who):
    """It took 2000–2100 only: an assessment of 1999 (or 1949) is an assessment with no tasks
    due, not a typo — the year rule of everything dated is the one that holds."""
    for year in ("1949", "1999"):
        r = _get(env, path.format(y=year), who)
        assert r.status_code == 200, (path, year, r.text[:300])
    r = _get(env, "/api/v1/assessment?year=1999", "analyst")
    assert r.json()["year"] == 1999


def test_an_empty_year_of_a_picker_is_every_year(env):
    for path in ("/?year=", "/comparison?year=", "/targets?year=",
                 "/indicators?indicator=gdp&from=&to="):
        assert _get(env, path, None).status_code == 200, path


def test_the_one_reader_of_a_typed_year():
    assert read_year(" ２０２４ ") == 2024 and read_year("1949") == 1949
    # superscripts are markers, not digits (probe12: 2022¹ was the year 20221, 202³ 2023)
    for bad in ("+2024", "2_024", "2024.0", "৪০২৪", "", "1948", "2101", "²⁰²³", "202³"):
        with pytest.raises(ValueError):
            read_year(bad)


def test_the_text_reviews_edit_reads_a_year_and_a_number_by_the_rules():
    """The text review's edit form (a page): its year and its figures were read by ``int`` and
    ``float`` (``2_024`` was 2024, ``1_0`` 10)."""
    assert textreview._year("２０２４", "year") == 2024
    assert textreview._number("1,234.5", "value") == 1234.5  # as copied from a text
    assert textreview._number("-0", "value") == 0.0 and str(textreview._number("-0", "v")) == "0.0"
    for bad in ("2_024", "+2024", "1900"):
        with pytest.raises(ValidationError):
            textreview._year(bad, "year")
    for bad in ("1_0", "0x1A", "nan", "1e-400"):
        with pytest.raises(ValidationError):
            textreview._number(bad, "value")


runner = CliRunner()


def test_a_year_option_reads_what_nfkc_makes_a_year_without_a_traceback():
    """``--year ²⁰²³`` passed ``str.isdigit`` and then ``int`` raised: a traceback."""
    assert common.parse_year(" ２０２３") == 2023
    with pytest.raises(typer.BadParameter):  # Bengali digits passed as 2023
        common.parse_year("২০২৩")
    with pytest.raises(typer.BadParameter):  # superscripts are markers (probe12), no traceback
        common.parse_year("²⁰²³")


@pytest.mark.parametrize("args", [
    ["evaluate", "--region", "140100", "--year", "২০২৩"],  # Bengali: read as 2023 before
    ["evaluate", "--region", "140100", "--year", "1948"],
    ["report", "bulletin", "--month", "1948-06"],
    ["show", "coverage", "--by-quality", "--years", "1900-1901"],
    ["show", "coverage", "--by-quality", "--years", "2019-99999"],
    ["show", "coverage", "--by-quality", "--years", "2024-2019"],
    ["show", "coverage", "--by-quality", "--years", "2_019"],
])
def test_every_command_taking_a_year_asks_the_rule(args):
    """(``--years`` of ``show coverage`` took any range; ``--year`` read Bengali digits)"""
    res = runner.invoke(cli_app, args)
    assert res.exit_code == EXIT_USAGE, (res.exit_code, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
