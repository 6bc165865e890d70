"""A list filtered by a period or a month outside the year rule (1949–2100) — or by no period at
all — answered an empty list, as if nothing had been reported: ``GET /api/v1/observations?period=
1800`` (and ``from``/``to``: ``3000``, Bengali digits), ``GET /api/v1/progress-reports?month=
3000-01`` (and ``2023-13``), and a task's page showed its report form for the month 3000-01 or
``banana``. Now each is read by the one reader of a typed period or month
(``lantu.domain.periods.read_period``/``read_month``, after ``read_year``) and refused with 422
naming the field and the rule, on the pages and the API alike; the bulletin, the report
documents and ``--month`` ask the same reader (Bengali digits were read as a month there).
SQLite and PostgreSQL; the refusals failed on the code before.
"""

from __future__ import annotations

import pytest

from lantu.domain import periods
from lantu.domain.periods import FIRST_YEAR, LAST_YEAR
from lantu.supervise import WorkflowError, validate_month
from webutil import backend_app, login, task_ids

RULE = f"{FIRST_YEAR}–{LAST_YEAR}"
#: every list (API) and page filtered by a period or a month, with who may read it
PERIODS = [
    ("/api/v1/observations?period={p}", "analyst", "period"),
    ("/api/v1/observations?region=140100&period=2022,{p}", "analyst", "period"),
    ("/api/v1/observations?from={p}", "analyst", "from"),
    ("/api/v1/observations?to={p}", "analyst", "to"),
    ("/reports/monitoring?format=html&period={p}", "supervisor", None),
]
MONTHS = [
    ("/api/v1/progress-reports?month={m}", "analyst", "month"),
    ("/supervision/tasks/NODE?month={m}", "supervisor", None),
    ("/supervision/bulletin?month={m}", "supervisor", None),
    ("/reports/bulletin?month={m}", "supervisor", None),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams9y"),
                     ("analyst",), "seams9y") as app:
        yield app


def _get(env, path: str, who: str):
    client, auth, db, _home = env
    path = path.replace("NODE", str(task_ids(db, "fgw")[0]))
    if who == "supervisor":
        login(client, "supervisor")
        return client.get(path)
    client.cookies.clear()
    return client.get(path, headers=auth[who])


def _refused(r, field: str | None, *words: str) -> None:
    assert r.status_code == 422, (r.status_code, r.text[:300])
    if field is not None:  # the API: the JSON error shape naming the field
        body = r.json()
        assert [e["field"] for e in body["errors"]] == [field], body
        text = body["errors"][0]["reason"]
    else:
        text = r.text
    assert any(w in text for w in words), (words, text[:600])


@pytest.mark.parametrize("path, who, field", PERIODS)
def test_a_period_outside_the_rule_is_refused_not_an_empty_list(env, path, who, field):
    for period in ("3000", "1800", "1948", "2101", "3000Q1", "1800-06"):
        r = _get(env, path.format(p=period), who)
        _refused(r, field, RULE)


@pytest.mark.parametrize("path, who, field", PERIODS)
def test_what_is_no_period_is_refused(env, path, who, field):
    for typed in ("banana", "২০২৩", "2023Q5", "2023-13", "20230"):
        r = _get(env, path.format(p=typed), who)
        _refused(r, field, "not a period", "不是有效的时期", "out of range", "超出")


@pytest.mark.parametrize("path, who, field", MONTHS)
def test_a_month_outside_the_rule_or_no_month_is_refused(env, path, who, field):
    for month in ("3000-01", "1800-01", "2101-12"):
        _refused(_get(env, path.format(m=month), who), field, RULE)
    for typed in ("2023-13", "2023-00", "banana", "২০২৩-০১", "2023/01", "2023-1"):
        _refused(_get(env, path.format(m=typed), who), field, "YYYY-MM", "年-月")


def test_periods_and_months_of_the_rule_still_filter(env):
    def total(path):
        r = _get(env, path, "analyst")
        assert r.status_code == 200, r.text[:300]
        return r.json()["total"]

    one = total("/api/v1/observations?region=140100&period=2022")
    assert one > 0
    assert total("/api/v1/observations?region=140100&period=２０２２") == one  # full-width
    assert total("/api/v1/observations?region=140100&period=2022年") == one
    assert total("/api/v1/observations?region=140100&from=2022&to=2022") == one
    assert total("/api/v1/observations?region=140100&from=&to=") >= one  # a picker's "any"
    assert total("/api/v1/progress-reports?month=2026-11") >= 0
    assert total("/api/v1/progress-reports?month=") >= 0
    assert _get(env, "/supervision/tasks/NODE?month=2026-10", "supervisor").status_code == 200


def test_the_one_reader_of_a_typed_month_and_period():
    read_month, read_period = periods.read_month, periods.read_period
    assert read_month(" ２０２６-０６ ") == "2026-06"
    assert read_period("２０２３ｑ１") == "2023Q1" and read_period("2023-3") == "2023-03"
    for bad in ("2026-6", "2026-13", "১৯৯৯-০১", "3000-01", "+2026-06", ""):
        with pytest.raises(ValueError):
            read_month(bad)
    for bad in ("3000", "1800Q1", "২০২৩", "x", ""):
        with pytest.raises(ValueError):
            read_period(bad)


def test_a_reports_month_asks_the_same_reader():
    """``validate_month`` (a report's month, the bulletin) read Bengali digits as a month:
    ``\\d`` is every script's digit."""
    from datetime import date

    with pytest.raises(WorkflowError):
        validate_month("২০২৩-০১", start=None, today=date(2026, 12, 1))
    assert validate_month("2023-01", start=None, today=date(2026, 12, 1)) == "2023-01"


def test_the_readers_reasons_read_in_chinese():
    """Drift: every reason the two readers write has its template (``locale/*/seams9.yaml``),
    and a page's 422 names the field as the address does (``month``, not ``query.month``)."""
    import re

    from lantu.reasons import reason_text

    read_month, read_period = periods.read_month, periods.read_period
    english = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")
    reasons = []
    for bad in ("2026-13", "banana", "3000-01"):
        with pytest.raises(ValueError) as caught:
            read_month(bad)
        reasons.append(f"month: {caught.value}")
    for bad in ("banana", "3000"):
        with pytest.raises(ValueError) as caught:
            read_period(bad)
        reasons.append(f"period: {caught.value}")
    for why in reasons:
        zh = reason_text("zh", why)
        assert re.search(r"[\u4e00-\u9fff]", zh) and not english.search(zh), (why, zh)


def test_a_pages_refusal_of_a_typed_month_is_in_chinese(env):
    r = _get(env, "/supervision/tasks/NODE?month=2023-13", "supervisor")
    assert r.status_code == 422
    assert "月份应写作“年-月”，月为 01–12" in r.text and "query.month" not in r.text
    assert "Value error" not in r.text
