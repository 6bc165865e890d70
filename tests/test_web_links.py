"""Every internal link reachable from the navigation works: signed in as admin (who sees every
page), a crawler follows the links of each page it reaches, in Chinese and English, and no
link answers 4xx or 5xx. Also: the status colours are the same in the stylesheet and in the
charts, so overview, targets and supervision agree."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from lantu.web.dashboard.status import HEX
from lantu.web.nav import NAV
from webutil import fresh_db, login, make_client

MAX_PAGES = 500
PER_PATH = 6  # distinct query strings followed per path (the explorer links every cell)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag in ("link", "script", "img") and (a.get("href") or a.get("src")):
            self.hrefs.append(a.get("href") or a.get("src"))


def _internal(href: str, base_path: str) -> str | None:
    href = urldefrag(href)[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # a source on another site
    if href.startswith("?"):
        return base_path + href
    return href if href.startswith("/") else None


@pytest.fixture(scope="module")
def admin_client(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    db = fresh_db(web_template_db, tmp)
    with make_client(db, tmp / "home") as client:
        login(client, "admin")
        yield client
    db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize(("role", "lang"), [("admin", "zh"), ("admin", "en"), ("rep_fgw", "en"),
                                            ("supervisor", "en")])
def test_every_internal_link_from_the_nav_works(admin_client, role, lang):
    """Admin sees every page; a reporter and a supervisor must not be shown links they may not
    follow (a 403 on a link of their own pages is a broken link too)."""
    client = admin_client
    login(client, role)
    user_role = "reporter" if role.startswith("rep_") else role
    queue = deque(f"{item.path}?lang={lang}" for item in NAV
                  if item.roles is None or user_role in item.roles)
    seen: set[str] = set(queue)
    parent: dict[str, str] = {}
    per_path: Counter[str] = Counter()
    broken: list[tuple[str, int, str]] = []
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        r = client.get(url)
        pages += 1
        referrer = parent.get(url, "nav")
        if r.status_code in (301, 302, 303, 307, 308):
            target = _internal(r.headers["location"], urlsplit(url).path)
            if target and target not in seen:
                seen.add(target)
                parent[target] = url
                queue.append(target)
            continue
        if r.status_code >= 400:
            broken.append((url, r.status_code, referrer))
            continue
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        parser = _Links()
        parser.feed(r.text)
        for href in parser.hrefs:
            target = _internal(href, urlsplit(url).path)
            if target is None or target in seen or target.startswith("/logout"):
                continue
            path = urlsplit(target).path
            if per_path[path] >= PER_PATH:
                continue
            per_path[path] += 1
            parent[target] = url
            seen.add(target)
            queue.append(target)
    assert not broken, broken
    assert pages > len(NAV) * 3, f"the crawl reached only {pages} pages"
    # the crawl went past the nav: detail pages, supervision tasks, exports, static files
    assert any(p.startswith("/plan/") for p in per_path)
    assert any(p.startswith("/supervision/tasks/") for p in per_path)
    assert any(p.startswith("/static/") for p in per_path)
    login(client, "admin")  # as the other tests of the module expect


def _css_vars(path) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", path.read_text(encoding="utf-8")))


def test_status_colours_agree_between_charts_and_badges():
    from lantu.web import templating

    css = Path(templating.__file__).parent / "static" / "css"
    dash, base = _css_vars(css / "dashboard.css"), _css_vars(css / "lantu.css")
    for colour in ("green", "yellow", "orange", "red", "grey"):
        assert HEX[colour].lower() == dash[f"s-{colour}"].lower(), colour
    # the supervision badges (lantu.css) use the same green and red as the status badges
    assert base["green"].lower() == dash["s-green"].lower()
    assert base["redc"].lower() == dash["s-red"].lower()


@pytest.mark.parametrize(("lang", "sep"), [("en", ", "), ("zh", "、")])
def test_lists_use_the_page_language_separator(admin_client, lang, sep):
    html = admin_client.get(f"/plan/T1?lang={lang}").text
    label = "Supporting" if lang == "en" else "配合"
    m = re.search(re.escape(label) + r"[^<]*</strong>([^<]+)</p>", html)
    assert m, f"no list of supporting departments on /plan/T1 ({lang})"
    departments = m.group(1)
    assert sep in departments
    assert ("、" in departments) == (lang == "zh")


@pytest.mark.parametrize(("lang", "gdp", "pop"), [("en", "100 million yuan", "10,000 persons"),
                                                  ("zh", "亿元", "万人")])
def test_primacy_tables_name_their_units(admin_client, lang, gdp, pop):
    html = admin_client.get(f"/comparison?lang={lang}").text
    heads = re.findall(r'<th class="num">[^<]*<small class="muted">\(([^)]+)\)</small></th>', html)
    assert gdp in heads and pop in heads, heads
