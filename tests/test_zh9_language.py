"""Every page speaks the reader's language: a real browser (Debian's chromium through Playwright)
walks the pages of ``lantu demo`` in Chinese and in English, as the admin, a department reporter
(rep_fgw), the supervisor and an anonymous visitor, and collects every piece of text a reader
meets — the text of the page, ``title`` tooltips, placeholders, ``aria-label``\\ s, the labels a
table cell shows on a phone (``data-label``), button values, the page title, the words of the
charts (titles, series, axis units, labels) and the error pages.

A Chinese page fails on a Latin word that is neither a code (``T1``, ``gdp_growth``, ``PM2.5``,
an acronym such as ``GDP``), nor on the explicit allow-list of names (TOPSIS, COINr, CSV, Excel,
GB/T, …), nor data; an English page fails on Chinese text that is not data. Data are the texts
stored as written (source excerpts and notes, plan texts without an English title, milestones,
user display names, codes): the test reads them from the database and takes them out first.
Code elements (``<code>``) and the API reference (Swagger UI, in English by design) are not
interface text. The Word and Excel documents are Chinese documents (公文, docs/reports.md) and are
checked in Chinese.

Whatever the language, a page fails on a label said twice around a colon (``月份：月份 …``), a
half-width colon after Chinese on a Chinese page, and a locale key shown as itself; the walked
site has notifications, reminders and a request of the supervision cycle (left10web). It fails
on a department's code shown as a word, and the audit log's actions and objects are interface
text, not data; the site has an extension granted and a task closed, so the task's versions
carry the system's reasons (left11web). The audit log's Detail column is interface text too,
read inside whatever markup it has: keys, roles and departments said in the reader's language,
what a person typed as data (left12).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from browserutil import need_chromium
from lantu.config import Settings
from lantu.reports import fonts
from lantu.web.app import create_app
from webutil import fresh_db, live_server, task_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Latin names a Chinese page may carry: products, formats, standards, methods, commands
ALLOW_ZH = {
    "Lantu", "TOPSIS", "COINr", "CSV", "XLSX", "DOCX", "PDF", "HTML", "JSON", "Excel", "Word",
    "WPS", "GB", "GBK", "UTF", "API", "JavaScript", "ECharts", "SDG", "GDP", "Bearer",
    "Authorization", "Authorize", "Cookie", "English", "Debian", "Ubuntu", "LibreOffice",
    "md", "txt", "html", "docx", "pdf", "csv", "xlsx", "http", "https", "Apache",
    "Liberation", "Serif", "Sans", "Noto", "CJK", "SimSun", "SimHei", "FangSong", "KaiTi",
    # the values a refused parameter may take, named by its reason (left10web)
    "json", "true", "false", "installed", "standard",
}
#: phrases a Chinese page may carry as they are: commands and file names it names
PHRASES_ZH = ("lantu extract", "lantu plan parse", "lantu index inputs", "lantu.engine",
              "lantu/defaults/peer_index.yaml", "apt-get install fonts-noto-cjk",
              "Apache-2.0", "SDG Index")
#: Chinese an English page may carry: the brand, the language switch and the names of the faces
#: GB/T 9704 prescribes (the fonts are called so)
ALLOW_EN = {"蓝图", "中文", "方正小标宋简体", "仿宋", "黑体", "楷体", "仿宋_GB2312", "楷体_GB2312"}

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.&+'’/-]*")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
#: a Chinese term quoted in parentheses by an English text ("Petitions (信访) and stability")
QUOTED = re.compile(r"'[^'\n]{1,80}'")
FILE_NAME = re.compile(r"[\w-]+\.(json|yaml|yml|csv|xlsx|docx|md|txt|html|pdf)")
GLOSS = re.compile(r"[(（][^()（）]{1,12}[)）]")


def zh_leaks(s: str) -> list[str]:
    """The Latin words of ``s`` that a Chinese page should not show."""
    for p in PHRASES_ZH:
        s = s.replace(p, " ")
    s = QUOTED.sub(" ", s)  # a value the reader typed, quoted by a reason: 'abc'

    bad = []
    for m in LATIN_WORD.finditer(s):
        w = m.group().strip("./-'’")
        if (not w or len(w) == 1 or w in ALLOW_ZH or re.search(r"[\d_]", w)
                or (w.isupper() and len(w) <= 6) or re.fullmatch(r"[A-Z]\d*(\.\d+)*", w)
                or "/" in w or w.startswith(("http", "www.")) or FILE_NAME.fullmatch(w)):
            continue
        bad.append(w)
    return bad


def en_leaks(s: str) -> list[str]:
    """The Chinese runs of ``s`` that an English page should not show."""
    if re.search(r"[A-Za-z]{2,}", s):
        s = GLOSS.sub(" ", s)
    return [r for r in HAN.findall(s) if r not in ALLOW_EN]


# every text a reader meets on the page, with where it was found; <code> and the Swagger UI of
# the API reference left out
COLLECT = r"""() => {
  const out = [];
  // the audit log's Detail column is read whatever its markup: what a row keeps is said to a
  // person there (left12: it had shown the stored JSON, keys and department codes, in <code>)
  const skip = el => el.closest('script, style, template, #swagger-ui')
      || (el.closest('code, pre, kbd, samp') && !el.closest('table.audit'));
  const w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = w.nextNode())) {
    const p = n.parentElement;
    if (!p || skip(p)) continue;
    const t = n.textContent.trim();
    if (t) out.push([p.tagName.toLowerCase(), t]);
  }
  for (const e of document.querySelectorAll(
      '[title], [placeholder], [aria-label], [alt], [data-label], input[type=submit], input[type=button]')) {
    if (skip(e)) continue;
    for (const a of ['title', 'placeholder', 'aria-label', 'alt', 'data-label'])
      if (e.hasAttribute(a)) out.push(['@' + a, e.getAttribute(a)]);
    if (e.tagName === 'INPUT' && (e.type === 'submit' || e.type === 'button')) out.push(['@value', e.value]);
  }
  out.push(['<title>', document.title]);
  for (const s of document.querySelectorAll('script[type="application/json"]')) out.push(['chart', s.textContent]);
  return out;
}"""
#: the parts of a chart's data a reader sees (titles, series and category names, units, labels)
CHART_KEYS = {"title", "name", "unit", "labels", "categories", "series", "legend", "text",
              "cities", "nodata", "interval", "median", "nominal", "rank", "actual", "target"}


def chart_words(obj, key: str | None = None) -> Iterator[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in CHART_KEYS or key in ("labels",):
                yield from chart_words(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from chart_words(v, key)
    elif isinstance(obj, str) and key is not None:
        yield obj


def data_texts(db) -> list[str]:
    """What the database holds as written (longest first): excerpts, notes, plan texts without
    an English title, milestones, names of people, codes and file names."""
    queries = [
        "select excerpt, source_note, source_file, created_by, flags from observation",
        "select excerpt, source_file, recorded_by, replaced_by from observation_revision",
        "select excerpt, note, plan, source_file from target",
        "select title, note, source_file from plan",
        "select text, note, unit, code from plan_node",
        "select title from plan_node where coalesce(title_en, '') = ''",
        "select title from milestone",
        "select text, excerpt, archive, reviewed_by from milestone_fact",
        "select reason from series_break",
        # the audit log's actions and objects are said in the page's language (left11web)
        "select actor, entity_id from audit_log",
        "select username, display_name from user_account",
        "select code from department", "select code from region_group",
        "select code from indicator", "select file, created_by from import_batch",
        "select text from progress_report",
        # the words people typed into the cycle (a reminder's, a request's), shown as written
        # (left10web: a notification's title is interface text, said in the page's language)
        "select message from reminder", "select reason from extension_request",
        "select comment from closure_request",
        # a reason a person typed for a change, as the version and the history show it
        # (left11web: the system's reasons are said in the page's language)
        "select comment from task_event where kind = 'changed'",
    ]
    found: set[str] = set()
    with db.engine.connect() as conn:
        for q in queries:
            for row in conn.execute(text(q)):
                found |= {str(v).strip() for v in row if v and str(v).strip()}
    # the names of font families a document says it uses: whichever of the candidates this
    # machine has installed (DejaVu Serif where no Times New Roman or Liberation is)
    found |= {name for _, names in fonts.ROLE_CANDIDATES.values() for name in names}
    found |= set(fonts.LATIN_CANDIDATES) | set(fonts.CHART_CANDIDATES)
    # a text cut short on the page ("… an…") still starts as the data does
    return sorted(found, key=len, reverse=True)


def without_data(s: str, data: list[str]) -> str:
    for d in data:
        if d in s:
            s = s.replace(d, " ")
    return s


#: a label said twice around a colon ("月份：月份 3000-01", "month: month 3000-01") (left10web)
TWICE_ZH = re.compile(r"([\u4e00-\u9fff]{2,})：\1")
TWICE_EN = re.compile(r"\b([A-Za-z]{3,}): \1\b", re.IGNORECASE)
#: a half-width colon after Chinese on a Chinese page ("太原市: 332") (left10web), also where a
#: text ends with it ("来源质量:" before the badges) (left11web)
HALF_COLON = re.compile(r"[\u4e00-\u9fff）]:(?: |$)")


#: Chinese punctuation on an English page ("qualitative（progress evidenced）") (left11web)
FULL_WIDTH = re.compile(r"[（）：；。，、]")


def _key_prefixes() -> frozenset[str]:
    from lantu.locale import catalogue

    return frozenset(k.split(".")[0] for k in catalogue("en") if "." in k)


#: a locale key shown as itself (a missing text): ``nt.kind.assigned``, ``rsn.word.x``
RAW_KEY = re.compile(r"(?<![\w./-])([a-z][a-z0-9]*)\.[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*(?![\w/-])")


def form_leaks(s: str, lang: str) -> list[str]:
    """What is wrong in ``s`` whatever its language: a label said twice, a half-width colon
    after Chinese on a Chinese page, a locale key shown as itself (left10web)."""
    bad = [m.group() for m in (TWICE_ZH if lang == "zh" else TWICE_EN).finditer(s)]
    if lang == "zh":
        bad += [m.group() for m in HALF_COLON.finditer(s)]
    else:
        bad += [m.group() for m in FULL_WIDTH.finditer(s)]
    prefixes = _key_prefixes()
    bad += [m.group() for m in RAW_KEY.finditer(s) if m.group(1) in prefixes
            and not FILE_NAME.fullmatch(m.group())]
    return bad


def department_codes(db) -> re.Pattern:
    """A department's code standing as a word (``fgw``, not ``rep_fgw``): a page names a
    department by its name in the reader's language, never by its code (left11web: the
    escalation titles and the user menu said "fgw")."""
    with db.engine.connect() as conn:
        codes = sorted((c for (c,) in conn.execute(text("select code from department"))),
                       key=len, reverse=True)
    return re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, codes)) + r")(?![\w./-])")


def leaks_of(items, lang: str, data: list[str],
             codes: re.Pattern | None = None) -> list[tuple[str, str, list[str]]]:
    check = zh_leaks if lang == "zh" else en_leaks
    found = []
    for kind, raw in items:
        if codes is not None and kind != "chart" and (
                named := codes.findall(without_data(raw, [d for d in data
                                                          if not codes.fullmatch(d)]))):
            found.append((kind, raw[:160], [f"department code {c}" for c in named]))
        texts = [raw]
        if kind == "chart":
            try:
                texts = list(chart_words(json.loads(raw)))
            except ValueError:
                pass
        for s in texts:
            if check(s) and (bad := check(without_data(s, data))):
                found.append((kind, s[:160], bad))
            elif kind != "chart" and (bad := form_leaks(without_data(s, data), lang)):
                found.append((kind, s[:160], bad))
    return found


@pytest.fixture(scope="module")
def site(web_template_db, tmp_path_factory):
    """The demo (default data and demo logins) served by a uvicorn thread; yields its URL, the
    database and the tasks of fgw (rep_fgw's department)."""
    need_chromium()
    tmp = tmp_path_factory.mktemp("zh9")
    db = fresh_db(web_template_db, tmp)
    _cycle_events(db, task_ids(db, "fgw")[0])
    with live_server(create_app(db, Settings(home=tmp / "home"))) as base:
        yield base, db, task_ids(db, "fgw")
    db.dispose()


def _cycle_events(db, task: int) -> None:
    """What the cycle tells people, so that the bell's page and the task's history have it:
    a reminder with a reply-by date and the automatic ones to rep_fgw, an extension request to
    the supervisor (left10web: these had been written in Chinese when they happened)."""
    from datetime import date, timedelta

    from lantu.store import cycle, users

    with db.session() as s:
        chief, rep = users.get_user(s, "supervisor"), users.get_user(s, "rep_fgw")
        cycle.send_reminder(s, chief, task, message="请于本周五前报送选址进展",
                            reply_by=date.today() + timedelta(days=5))
        cycle.request_extension(s, rep, task, due=date.today() + timedelta(days=400),
                                reason="用地审批尚未完成")
    with db.session() as s:
        cycle.automatic_reminders(s, today=date.today(), remind_days=7, escalate_days=30,
                                  ack_days=3)
    _versions(db, task, task_ids(db, "fgw")[1])


def _versions(db, task: int, other: int) -> None:
    """Versions whose reasons the system wrote (left11web: stored in Chinese, or in English
    whatever the page): a change of ``task`` (its first version "as loaded"), and ``other``'s
    deadline extended and the task closed."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from lantu.store import assignment, cycle, users
    from lantu.store.models_supervision import ClosureRequestRow, ExtensionRequestRow

    with db.session() as s:
        chief = users.get_user(s, "supervisor")
        assignment.update_task(s, chief, task, {"due": date.today() + timedelta(days=200)},
                               reason="按市政府常务会议要求调整",
                               expected_version=assignment.task_version(s, task))
        cycle.request_extension(s, users.get_user(s, "rep_fgw"), other,
                                due=date.today() + timedelta(days=300), reason="资金尚未到位")
    with db.session() as s:
        rid = s.scalar(select(ExtensionRequestRow.id).where(ExtensionRequestRow.node_id == other))
        cycle.decide_extension(s, users.get_user(s, "supervisor"), rid, grant=True)
    with db.session() as s:
        cycle.request_closure(s, users.get_user(s, "rep_fgw"), other, comment="已全部完成")
    with db.session() as s:
        rid = s.scalar(select(ClosureRequestRow.id).where(ClosureRequestRow.node_id == other))
        cycle.decide_closure(s, users.get_user(s, "supervisor"), rid, grant=True)


def _sign_in(page, base: str, username: str | None) -> None:
    page.context.clear_cookies()
    if username is None:
        return
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-demo-2026")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url


PUBLIC = ["/", "/plan/P0", "/plan/T1", "/plan/T2?year=2025", "/indicators",
          "/indicators?indicator=population", "/indicators?indicator=afforestation_area",
          "/indicators?indicator=fdi_actual", "/targets", "/targets?indicator=afforestation_area",
          "/comparison", "/comparison?year=2025&group=central_shanxi", "/login",
          # error pages: an unknown page, a bad year, a bad page number, an unknown goal,
          # an unknown status, region and group
          "/no-such-page", "/comparison?year=1800", "/targets?page=x", "/plan/NOPE",
          "/indicators?status=bogus", "/indicators?region=999999", "/indicators?group=nope",
          "/?year=abc",
          # (left10web) a field named twice or not in the page's words
          "/?format=x", "/indicators/export.exe", "/reports/monitoring?fonts=x"]
SIGNED_IN = ["/supervision", "/supervision/queue", "/supervision/bulletin",
             "/supervision/assessment", "/notifications", "/account", "/reports", "/api/v1/docs",
             "/supervision/tasks/{task}", "/supervision/tasks/{task}/versions",
             # (left11web) a deadline extended and a task closed, in its versions
             "/supervision/tasks/{other}/versions",
             # (left10web) refusals of a signed-in page's parameters
             "/supervision/bulletin?month=3000-01", "/supervision/tasks/abc",
             "/notifications?unread=maybe"]
ROLE_PAGES = {
    None: PUBLIC,
    "admin": PUBLIC[:13] + SIGNED_IN + ["/import", "/review", "/groups", "/audit", "/admin/users",
                                        "/supervision/tasks/new", "/supervision/plans/new",
                                        "/supervision/tasks/{task}/edit"],
    "supervisor": ["/", "/indicators"] + SIGNED_IN + ["/audit", "/supervision/tasks/new",
                                                      "/supervision/tasks/{task}/edit",
                                                      "/import"],  # 403
    "rep_fgw": ["/"] + SIGNED_IN + ["/import", "/admin/users"],  # 403s
}


def walk(chromium, base: str, db, task: int, role: str | None, lang: str) -> dict[str, list]:
    """The leaks of every page ``role`` is shown, in ``lang``: {page: [(where, text, words)]}."""
    data, codes = data_texts(db), department_codes(db)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, base, role)
    page.goto(f"{base}/?lang={lang}")  # the language cookie
    found: dict[str, list] = {}
    for path in ROLE_PAGES[role]:
        url = path.format(task=task, other=task_ids(db, "fgw")[1])
        resp = page.goto(base + url)
        assert resp is not None and resp.status < 500, (url, resp and resp.status)
        if "/api/v1/docs" in url:
            page.wait_for_selector("#swagger-ui .information-container", timeout=15000)
        leaks = leaks_of(page.evaluate(COLLECT), lang, data, codes)
        if leaks:
            found[url] = leaks
    page.close()
    return found


def _report(found: dict[str, list]) -> str:
    return "\n".join(f"{url}: {kind} {s!r} -> {words}" for url, leaks in found.items()
                     for kind, s, words in leaks)


@pytest.mark.parametrize("role", ["admin", "supervisor", "rep_fgw", None])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_the_readers_language(site, chromium, role, lang):
    base, db, tasks = site
    found = walk(chromium, base, db, tasks[0], role, lang)
    assert not found, f"{lang} pages as {role or 'anonymous'}:\n{_report(found)}"


def test_the_checks_catch_what_they_should_and_pass_what_they_should():
    assert zh_leaks("404 · 未找到 Not Found") == ["Not", "Found"]
    assert zh_leaks("因数据不足未参与排名：忻州市（data availability < 0.5）") == ["data",
                                                                                "availability"]
    assert zh_leaks("导出 CSV · 导出 Excel · GB/T 2260 · T1.2 · gdp_growth · PM2.5 · GDP") == []
    assert zh_leaks("由 lantu extract 从官方文本机读得到") == []
    assert zh_leaks("状态：无法识别的状态 'bogus'") == [] and zh_leaks("见 openapi.json") == []
    assert en_leaks("target 30 万亩 (at least) for 2022") == ["万亩"]
    assert en_leaks("Petitions (信访) and stability") == []
    assert en_leaks("Lantu 蓝图 · 中文") == []
    assert en_leaks("太原市") == ["太原市"]
    assert form_leaks("月份：月份 3000-01：年份 3000 不在 1949–2100 年之间", "zh") == ["月份：月份"]
    assert form_leaks("month: month 3000-01: the year 3000", "en") == ["month: month"]
    assert form_leaks("太原市: 332.68", "zh") == ["市: "] and form_leaks("太原市：332", "zh") == []
    assert form_leaks("nt.kind.assigned", "en") == ["nt.kind.assigned"]
    assert form_leaks("见 openapi.json 与 lantu.engine、T1.2、PM2.5", "zh") == []
    data = ["2024年太原GDP为5418.87亿元，增速1.2%"]
    assert leaks_of([("q", "2024年太原GDP为5418.87亿元，增速1.2%")], "en", data) == []
    assert leaks_of([("chart", json.dumps({"title": "地区生产总值", "kind": "line",
                                          "cities": [{"feature": "太原市", "name": "Taiyuan"}]}))],
                    "en", []) == [("chart", "地区生产总值", ["地区生产总值"])]


def _document_texts(blob: bytes, kind: str) -> list[str]:
    if kind == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(blob), read_only=True)
        out = list(wb.sheetnames)
        for ws in wb.worksheets:
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if i > 6:  # the headings and the first rows
                    break
                out += [str(v) for v in row if isinstance(v, str)]
        return out
    from docx import Document

    doc = Document(io.BytesIO(blob))
    out = [p.text for p in doc.paragraphs if p.text.strip()]
    for table in doc.tables:
        out += [c.text for c in table.rows[0].cells]
    return out


@pytest.mark.parametrize(("path", "kind"), [
    ("/reports/tasks.xlsx", "xlsx"),
    ("/supervision/assessment.xlsx", "xlsx"),
    ("/reports/monitoring?region=140100&period=2024&format=docx", "docx"),
    ("/reports/bulletin?month=2024-06&format=docx", "docx"),
])
def test_the_documents_are_chinese(site, chromium, path, kind):
    """The Word and Excel documents an office sends on: headings, sheet names, column titles
    and paragraphs in Chinese (data and codes as written)."""
    base, db, _ = site
    page = chromium.new_page()
    _sign_in(page, base, "admin")
    resp = page.request.get(base + path)
    assert resp.status == 200, (path, resp.status, resp.text()[:300])
    data = data_texts(db)
    leaks = leaks_of([("doc", s) for s in _document_texts(resp.body(), kind)], "zh", data)
    assert not leaks, leaks
