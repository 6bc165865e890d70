"""Pages on a phone and in English, in a real browser (Debian's chromium through Playwright):
signed in as admin (who sees every page), each page of the navigation and a plan detail page at
390 px is no wider than the screen (wide tables scroll inside their box), and in English no
interface text — headings, labels, buttons, table headers — is Chinese (data such as source
excerpts may be). Skipped like the workflow browser test when chromium is missing."""

from __future__ import annotations

import re

import pytest

import test_web_browser
from lantu.web.nav import NAV

server = test_web_browser.server  # the fixture: a uvicorn thread on a fresh default database
pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = [item.path for item in NAV] + ["/plan/T1", "/supervision/queue", "/supervision/bulletin",
                                       "/account"]
HAN = re.compile(r"[\u4e00-\u9fff]")
UI_TEXT = """() => Array.from(document.querySelectorAll(
  'main h1, main h2, main h3, main label, main button, main thead th, main legend, main summary'))
  .map(e => { const c = e.cloneNode(true);  // a picker's options are data (plan titles)
               c.querySelectorAll('select, option').forEach(x => x.remove());
               return c.textContent.trim(); }).filter(Boolean)"""


def _phone_signed_in(chromium, base: str):
    """A 390 px page signed in as admin (who sees every page)."""
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin-demo-2026")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    return page


def test_pages_fit_a_phone_and_english_has_no_chinese_interface_text(server, chromium):
    base = server[0]
    problems: list[str] = []
    page = _phone_signed_in(chromium, base)
    for lang in ("zh", "en"):
        for path in PAGES:
            resp = page.goto(f"{base}{path}?lang={lang}")
            assert resp is not None and resp.status == 200, (path, lang)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                problems.append(f"{path} ({lang}) is {width} px wide on a 390 px screen")
            if lang == "en":
                for text in page.evaluate(UI_TEXT):
                    if HAN.search(text):
                        problems.append(f"{path}: Chinese interface text {text!r}")
    assert not problems, "\n".join(problems)


def test_the_users_table_fits_a_phone_without_scrolling_sideways(server, chromium):
    """Each user's cells stack as label and forms; a form (rename, role and department, the
    password) wraps within its row, so nothing of it lies beyond the right edge, in English
    (long department names) as in Chinese."""
    base = server[0]
    page = _phone_signed_in(chromium, base)
    for lang in ("zh", "en"):
        page.goto(f"{base}/admin/users?lang={lang}")
        box = page.evaluate("""() => { const w = document.querySelector('[data-test=users]')
                                                  .closest('.table-wrap');
                                        return [w.scrollWidth, w.clientWidth]; }""")
        assert box[0] <= box[1], (lang, box)
        rename = page.locator("[data-test=rename-admin] button").bounding_box()
        assert rename is not None and rename["x"] + rename["width"] <= 390, (lang, rename)


def test_a_stacked_number_cell_keeps_its_label_at_the_left(server, chromium):
    """On a phone a table's cells stack as label and value; a number cell aligns its value to
    the right, and its label stays at the left like every other label (it sat mid-row)."""
    base = server[0]
    page = _phone_signed_in(chromium, base)
    seen = 0
    for path in PAGES:
        page.goto(f"{base}{path}")
        aligns = page.evaluate("""() => Array.from(document.querySelectorAll(
            'table.responsive td.num[data-label]')).map(
            td => getComputedStyle(td, '::before').textAlign)""")
        seen += len(aligns)
        assert set(aligns) <= {"left", "start"}, (path, set(aligns))
    assert seen, "no stacked number cell on any page"
