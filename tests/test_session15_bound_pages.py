"""The pages write a figure known only as a bound with its sign (session 15).

The 2026 work report of Taiyuan says "地区生产总值迈上5000亿元台阶" (stored as 5,000 with
``lower_bound``). Session 14 took such figures as bounds in every status, trend, share and report
table; the overview's indicator lines, a goal's page and the indicator explorer still wrote "5,000"
as if it were the measured value. Each of the three tests below fails on the code before.
"""

from __future__ import annotations

import re

import pytest

from webutil import fresh_db, login, make_client


@pytest.fixture(scope="module")
def client(web_template_db, tmp_path_factory):
    db = fresh_db(web_template_db, tmp_path_factory.mktemp("bounds"))
    with make_client(db, tmp_path_factory.mktemp("home")) as c:
        login(c, "viewer")
        yield c
    db.dispose()


def _gdp_value(html: str, label: str) -> str:
    """The text of the value after the link to GDP's page on an overview or goal page."""
    at = html.find('indicator=gdp"')
    assert at > 0, label
    m = re.search(r'class="(?:val|num)"[^>]*>\s*(?:<a [^>]*>)?([^<]+)', html[at:])
    assert m, label
    return m.group(1).strip()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_writes_the_lower_bound(client, lang):
    r = client.get(f"/?year=2025&lang={lang}")
    assert r.status_code == 200
    assert _gdp_value(r.text, "overview") == "≥5,000"


def test_goal_page_writes_the_lower_bound(client):
    r = client.get("/plan/T1?year=2025")
    assert r.status_code == 200
    assert _gdp_value(r.text, "node") == "≥5,000"


def test_explorer_writes_the_bound_and_not_a_measured_year(client):
    r = client.get("/indicators?indicator=gdp&region=140100&from=2024&to=2025")
    assert r.status_code == 200
    assert "≥5,000" in r.text
    # 2024's 5,418.87 is a measurement: no sign before it
    assert "5,418.87" in r.text and "≥5,418.87" not in r.text
