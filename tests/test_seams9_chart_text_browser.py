"""Names users can edit reach every chart as text, never as HTML, in Debian's Chromium.

ECharts draws a tooltip's string as HTML. The map's and the rank chart's tooltips were built by
string concatenation from region names (``names[p.name] + "<br>" + …``): a region, indicator or
group name such as ``<img src=x onerror=…>`` became an element in the page, and only the
Content-Security-Policy (no inline handlers) kept its handler from running. Now every chart's
tooltip goes through one helper of ``static/js/charts.js`` (``tooltip``: each line a text,
escaped by ``text``; the swatch a checked colour), and the test runs the pages with the CSP
switched off (Playwright's ``bypass_csp``), so the CSP is not what holds: no element is made,
no handler runs, and the name is shown as written — ``{a}``, ``{b}`` and ``{b|x}`` (ECharts'
template and rich-text marks) too, and ``</script>`` never closes the page's JSON block.
SQLite (the charts do not depend on the database); failed on the code before.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from lantu.store.models import IndicatorRow, PlanNodeRow, RegionRow
from test_web_browser import server  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REGION = '太原市<img src=x1 onerror="window.__pwned=1">{a}{b}</script>'
INDICATOR = '生产总值<img src=x2 onerror="window.__pwned=2">{c}{b|x}</script>'

#: every chart of a page: its instance, and a tooltip shown for every item of every series
#: (ECharts' own action, as a pointer would); what each tooltip and the chart's texts hold
SHOW_ALL = """async (id) => {
  const el = document.querySelector(`[data-chart="${id}"]`);
  const chart = window.echarts.getInstanceByDom(el);
  if (!chart) { return null; }
  const tips = [];
  let made = 0;
  const option = chart.getOption();
  for (let s = 0; s < option.series.length; s++) {
    const data = option.series[s].data || [];
    for (let i = 0; i < data.length; i++) {
      chart.dispatchAction({type: 'showTip', seriesIndex: s, dataIndex: i});
      await new Promise(r => setTimeout(r, 30));
      const tip = Array.from(el.querySelectorAll('div')).filter(
        d => d.style.position === 'absolute' && d.style.zIndex > 1000 && d.style.display !== 'none');
      for (const t of tip) { tips.push([t.innerHTML, t.textContent]); }
      made += document.querySelectorAll('img[src^=x]').length;
    }
  }
  await new Promise(r => setTimeout(r, 300));  // an image's error event, had one been made
  chart.dispatchAction({type: 'hideTip'});
  const texts = Array.from(el.querySelectorAll('svg text')).map(t => t.textContent);
  return {tips, texts, made, pwned: window.__pwned === undefined ? null : window.__pwned};
}"""


def _hostile_names(db) -> str:
    """The names of Taiyuan and of GDP made hostile; a goal whose page charts GDP."""
    with db.session() as s:
        s.execute(update(RegionRow).where(RegionRow.code == "140100")
                  .values(name_zh=REGION, name_en=REGION))
        s.execute(update(IndicatorRow).where(IndicatorRow.code.in_(["gdp", "population"]))
                  .values(name_zh=INDICATOR, name_en=INDICATOR))
        return s.scalars(select(PlanNodeRow.code).where(PlanNodeRow.kind == "goal")).all()


def _charts(page) -> list[str]:
    return page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.dataset.chart)")


def _check_page(page, url: str, seen: dict) -> list[str]:
    response = page.goto(url, wait_until="networkidle", timeout=300000)
    source = response.text()
    assert "{b}</script>" not in source and "{b|x}</script>" not in source, url  # tojson held
    ids = _charts(page)
    for chart_id in ids:
        page.wait_for_function(
            f"document.querySelectorAll('[data-chart=\"{chart_id}\"] svg').length > 0",
            timeout=20000)
        got = page.evaluate(SHOW_ALL, chart_id)
        assert got is not None, (url, chart_id)
        seen[(url, chart_id)] = got
    return ids


def test_names_reach_every_chart_as_text_with_the_csp_off(server, chromium):  # noqa: F811
    base, db = server
    goals = _hostile_names(db)
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    seen: dict = {}
    charted = []
    for path in ("/indicators?indicator=gdp&lang=zh", "/indicators?indicator=population&lang=en",
                 "/comparison?lang=zh", "/comparison?lang=zh&layer=value:gdp",
                 "/targets?lang=zh"):
        charted += _check_page(page, base + path, seen)
    for code in goals:  # the goals whose page charts an indicator (GDP among them)
        page.goto(f"{base}/plan/{code}", wait_until="networkidle")
        if _charts(page) and INDICATOR in page.inner_text("main"):
            charted += _check_page(page, f"{base}/plan/{code}", seen)
            break
    # every kind of chart was looked at, and its tooltips shown
    assert {"explorer-chart", "rank-chart", "pillar-chart", "map-chart", "primacy-chart"} \
        <= set(charted) and any(c.startswith("node-chart") for c in charted), charted
    assert any(c.startswith("tg-") for c in charted), charted
    # no element was made of a name, no handler ran — with the CSP off
    made = {k: (v["made"], v["pwned"]) for k, v in seen.items() if v["made"] or v["pwned"]}
    assert not made, made
    assert not errors, errors
    shown = {k: " ".join(t for _, t in v["tips"]) for k, v in seen.items()}
    markup = {k: " ".join(h for h, _ in v["tips"]) for k, v in seen.items()}
    labels = {k: v["texts"] for k, v in seen.items()}
    for k, html in markup.items():
        assert "<img" not in html, (k, html[:500])  # the name is text in the tooltip's markup
        assert all(v["tips"] for v in [seen[k]]), k  # a tooltip was shown
    # the names as written, in the tooltips and on the charts
    by_id = {k[1]: k for k in seen}
    for chart_id in ("explorer-chart", "rank-chart", "pillar-chart", "map-chart"):
        assert REGION in shown[by_id[chart_id]], (chart_id, shown[by_id[chart_id]][:400])
    # and a tooltip still reads as one: the year, then each series' name and value
    import re

    assert re.search(r"20\d\d.*太原市.*: [0-9.]+", shown[by_id["explorer-chart"]]), \
        shown[by_id["explorer-chart"]][:300]
    node = next(k for k in seen if k[1].startswith("node-chart"))
    assert INDICATOR in shown[node], shown[node][:400]
    assert any(REGION in t for t in labels[by_id["map-chart"]])  # the map's label
    assert any(REGION in t for t in labels[by_id["rank-chart"]])  # an axis label
    assert any(REGION in t for t in labels[by_id["explorer-chart"]])  # the legend
    context.close()
