"""Session 14's left list, the analyst's pages (left15): the comparison page's refusal of a
year names the region group by its name in the page's language, not by its code."""

from __future__ import annotations

import html
import re

import pytest

from webutil import login

BOX = re.compile(r'<section class="card error-box">(.*?)</section>', re.S)


def _box(r) -> str:
    box = BOX.search(r.text)
    assert box, r.text[:300]
    return html.unescape(re.sub(r"<[^>]+>", " ", box.group(1)))


@pytest.fixture()
def admin(client):
    login(client, "admin")
    return client


def test_the_refusal_of_a_year_names_the_group(admin):
    with_code = admin.get("/comparison?year=2031&group=central_shanxi",
                          headers={"accept": "application/json"})
    assert with_code.status_code == 422
    assert "central_shanxi" in with_code.json()["detail"]  # the API and CLI keep the code
    zh = _box(admin.get("/comparison?year=2031&group=central_shanxi&lang=zh"))
    assert "central_shanxi" not in zh, zh
    assert "山西中部城市群" in zh and "2031 年" in zh, zh
    en = _box(admin.get("/comparison?year=2031&group=central_shanxi&lang=en"))
    assert "central_shanxi" not in en, en
    assert "cannot be built for 2031" in en and "Shanxi" in en, en
