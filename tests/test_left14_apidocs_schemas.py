"""left14: the Schemas section of the API docs (/api/v1/docs), read in a browser in both languages.

Two things were wrong there. Two models were both called ``TaskPublic`` (a plan tree's node in
``api_schemas``, a task of the supervision cycle in ``api_schemas_cycle``), so the schema named
them by their Python modules: ``lantu__web__api_schemas__TaskPublic`` and
``lantu__web__api_schemas_cycle__TaskPublic``. The plan tree's node is ``PlanNodePublic`` now.
And on a Chinese page Swagger UI's own words of a schema stayed English: "Expand all",
"Collapse all", "Any of", "Items", "Default", "Additional properties", and the constraints
("[1, 200] characters", "≤ 50 items", "matches ^…$"); ``apidocs.js`` says them from the locale
files now (``apidoc.ui.*`` and the templates ``apidoc.uipattern.*``)."""

from __future__ import annotations

import re

import pytest

from lantu.web.apidocs import ui_patterns, ui_words
from webutil import fresh_db, make_client

#: Swagger UI's own words in a schema, as it draws them in English
CHROME = ("Expand all", "Collapse all", "Any of", "Items", "Default", "Additional properties",
          "Examples", "allowed", "forbidden")
CONSTRAINT = re.compile(r"^(.+ characters|.+ items|matches .+)$")

EXPAND_ALL = """() => { document.querySelectorAll(
  'section.models > div > article > .json-schema-2020-12-head .json-schema-2020-12-expand-deep-button')
  .forEach(b => b.click()); }"""
TEXTS = """() => { const out = []; const w = document.createTreeWalker(
  document.querySelector('section.models'), NodeFilter.SHOW_TEXT); let t;
  while ((t = w.nextNode())) { const s = t.nodeValue.trim(); if (s) out.push(s); } return out; }"""


def test_no_schema_is_named_by_its_python_module(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    with make_client(db, tmp_path / "home") as c:
        names = list(c.get("/api/v1/openapi.json").json()["components"]["schemas"])
    db.dispose()
    assert "PlanNodePublic" in names and "TaskPublic" in names
    assert not [n for n in names if not re.fullmatch(r"[A-Za-z0-9]+", n)], names


def test_swagger_uis_schema_words_have_their_chinese():
    said = dict(map(tuple, ui_words("zh")))
    assert all(re.search(r"[\u4e00-\u9fff]", said.get(w, "")) for w in CHROME), said
    patterns = ui_patterns("zh")
    assert ["{x} characters", "{x} 个字符"] in patterns
    # the longer template first: "[1, 5] unique items" is not read as "{x} items"
    english = [p[0] for p in patterns]
    assert english.index("{x} unique items") < english.index("{x} items")
    assert ui_patterns("en") == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_schemas_section_reads_in_the_pages_language(web_template_db, tmp_path, chromium):
    from browserutil import need_chromium
    from test_web_browser import browser_server

    need_chromium()
    db = fresh_db(web_template_db, tmp_path)
    with browser_server(db, tmp_path / "home") as base:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        for lang in ("zh", "en"):
            page.goto(f"{base}/api/v1/docs?lang={lang}")
            page.wait_for_selector("section.models article", timeout=20000)
            page.evaluate(EXPAND_ALL)
            page.wait_for_timeout(1500)
            texts = page.evaluate(TEXTS)
            assert "TargetPublic" in texts and "PlanNodePublic" in texts, lang
            assert not [t for t in texts if "__" in t and "Public" in t], lang
            chrome = [t for t in texts if t in CHROME]
            constraints = [t for t in texts if CONSTRAINT.match(t)]
            if lang == "zh":
                assert not chrome, sorted(set(chrome))
                assert not constraints, sorted(set(constraints))[:10]
                assert "全部展开" in texts or "全部收起" in texts
                assert any(t.endswith("个字符") for t in texts)
            else:  # the English page as Swagger UI draws it
                assert "Collapse all" in texts and any(t.endswith(" characters") for t in texts)
        page.close()
    db.dispose()
