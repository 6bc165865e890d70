"""Tables on a phone, measured in a real browser (Debian's chromium through Playwright).

At 375 px a table's rows stack as label and value. Each stacked cell was a flex row, so every
part of a cell — a target's words, its source link, its quality mark — became a column of its
own and the words stood one or two characters a line ("2003 / 年 / 29.8 / 亿元"). A cell is now
one block of text beside its label. Measured: no run of text of four or more characters is
drawn in three or more lines narrower than 45 px, on the pages with the widest tables, in both
languages; the target cell of the targets page keeps its words on at most two lines.

Both fail on main (the targets page's target cells, the indicators page's excerpts and the plan
page's departments were squeezed)."""

from __future__ import annotations

import pytest

import test_web_browser
from test_web_phone import _phone_signed_in

server = test_web_browser.server  # the fixture: a uvicorn thread on a fresh default database
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/targets", "/indicators", "/supervision", "/plan/T1", "/supervision/queue"]

#: text runs (4+ characters) drawn in 3+ lines narrower than 45 px: a column a character or two wide
SQUEEZED = """() => { const out = [];
  document.querySelectorAll('main td, main th').forEach(c => {
    if (!c.getBoundingClientRect().width) return;
    const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT); let n;
    while ((n = walker.nextNode())) {
      const text = n.textContent.trim(); if (text.length < 4) continue;
      const r = document.createRange(); r.selectNodeContents(n);
      const rects = Array.from(r.getClientRects()).filter(x => x.width > 0);
      if (!rects.length) continue;
      const lines = new Set(rects.map(x => Math.round(x.top))).size;
      const widest = Math.max(...rects.map(x => x.width));
      if (lines >= 3 && widest < 45) { out.push(`${c.dataset.label || c.tagName}: ${text.slice(0, 24)}`
                                                 + ` (${lines} lines, ${Math.round(widest)} px)`); break; }
    } });
  return out; }"""

TARGET_LINES = """() => Array.from(document.querySelectorAll('table.responsive tbody tr')).slice(0, 12)
  .map(tr => { const td = tr.children[1]; const n = Array.from(td.childNodes)
      .find(x => x.nodeType === 3 && x.textContent.trim());
    const r = document.createRange(); r.selectNodeContents(n);
    return [n.textContent.trim(), new Set(Array.from(r.getClientRects())
      .map(x => Math.round(x.top))).size]; })"""


def _open_details(page) -> None:
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")


def test_no_table_cell_is_squeezed_to_a_character_a_line_on_a_phone(server, chromium):
    base = server[0]
    page = _phone_signed_in(chromium, base)
    page.set_viewport_size({"width": 375, "height": 800})
    problems: list[str] = []
    for lang in ("zh", "en"):
        for path in PAGES:
            resp = page.goto(f"{base}{path}?lang={lang}")
            assert resp is not None and resp.status == 200, (path, lang)
            _open_details(page)
            problems += [f"{path} ({lang}) {p}" for p in page.evaluate(SQUEEZED)]
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                problems.append(f"{path} ({lang}) is {width} px wide")
    assert not problems, "\n".join(problems[:40])


def test_a_target_reads_on_one_or_two_lines_on_a_phone(server, chromium):
    base = server[0]
    page = _phone_signed_in(chromium, base)
    page.set_viewport_size({"width": 375, "height": 800})
    for lang in ("zh", "en"):
        page.goto(f"{base}/targets?lang={lang}")
        rows = page.evaluate(TARGET_LINES)
        assert len(rows) >= 5, rows
        tall = [(text, n) for text, n in rows if n > 2]
        assert not tall, (lang, tall)

