"""Every translation key used by the templates exists in Chinese and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lantu.store.models_web import REPORT_STATUSES, ROLES
from lantu.supervise.warnings import COLOURS
from lantu.web.i18n import LANGUAGES, catalogue, translate
from lantu.web.nav import NAV

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "lantu" / "web" / "templates"
LITERAL = re.compile(r"""\bt\(\s*['"]([A-Za-z0-9_.]+)['"]\s*[,)]""")
DYNAMIC = re.compile(r"""\bt\(\s*['"]([A-Za-z0-9_.]+\.)['"]\s*~""")

# every family of keys built at run time ('prefix.' ~ value), with all its values
FAMILIES = {
    "role.": ROLES,
    "status.": ("not_started", "in_progress", "done", "suspended"),
    "rstatus.": REPORT_STATUSES,
    "colour.": COLOURS,
    "event.": ("drafted", "edited", "submitted", "resubmitted", "returned", "approved", "done",
               "evidence", "milestone"),
    "sv.saved.": ("save", "submit", "approve", "return", "milestone"),
    "error.": ("400", "401", "403", "404", "409", "413", "415", "422", "429"),
    "bl.": ("finished", "late", "returned"),
    "im.act.": ("insert", "revise", "insert_target", "insert_milestone"),
    "au.": ("actor", "entity", "action"),
}


def template_keys() -> tuple[set[str], set[str]]:
    literal, dynamic = set(), set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        literal |= set(LITERAL.findall(text))
        dynamic |= set(DYNAMIC.findall(text))
    return literal, dynamic


def test_every_dynamic_family_is_known():
    """Families listed above are checked key by key below; a family built by another page and
    not listed must at least have keys in both languages."""
    _, dynamic = template_keys()
    assert dynamic, "the scan found no dynamic keys: the pattern is broken"
    for prefix in dynamic - set(FAMILIES):
        for lang in LANGUAGES:
            assert any(k.startswith(prefix) for k in catalogue(lang)), (lang, prefix)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_used_exists(lang):
    literal, _ = template_keys()
    assert len(literal) > 50
    keys = literal | {item.key for item in NAV}
    keys |= {prefix + str(v) for prefix, values in FAMILIES.items() for v in values}
    missing = sorted(k for k in keys if k not in catalogue(lang))
    assert not missing, f"locale/{lang}.yaml lacks {missing}"


ROUTES = TEMPLATES.parent / "routes"
SOURCES = [*ROUTES.glob("*.py"), *(TEMPLATES.parents[1] / "supervise").glob("*.py"),
           *(TEMPLATES.parent).glob("*.py"),
           TEMPLATES.parents[1] / "store" / "supervision.py"]
PY_KEY = re.compile(r"""["']((?:login|ac|sv|im|au|bl|error|nav|wf|err)\.[a-z_]+(?:\.[a-z_]+)*)["']""")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keys_passed_from_routes_exist(lang):
    keys = {k for path in SOURCES for k in PY_KEY.findall(path.read_text("utf-8"))
            if not k.endswith(".html")}
    assert {"login.failed", "ac.mismatch", "wf.stale", "err.csrf", "err.no_task"} <= keys
    missing = sorted(k for k in keys if k not in catalogue(lang))
    assert not missing, f"locale/{lang}.yaml lacks {missing}"


def test_both_languages_have_the_same_keys_and_placeholders():
    zh, en = catalogue("zh"), catalogue("en")
    assert set(zh) == set(en), (sorted(set(zh) - set(en)), sorted(set(en) - set(zh)))
    ph = re.compile(r"{(\w+)}")
    for key in zh:
        assert set(ph.findall(zh[key])) == set(ph.findall(en[key])), key


def test_english_is_not_chinese():
    zh, en = catalogue("zh"), catalogue("en")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    # English may quote a Chinese term, but a text without any Latin word was not translated
    leaked = [k for k, v in en.items() if cjk.search(v) and not re.search(r"[A-Za-z]{2}", v)
              and k != "lang.switch"]
    assert not leaked, leaked
    assert all(zh[k] != en[k] for k in ("nav.supervision", "login.title"))


def test_translate_fills_placeholders_and_falls_back():
    assert translate("en", "sv.shown", n=3) == "3 tasks"
    assert translate("zh", "no.such.key") == "no.such.key"


def test_area_files_add_keys_and_a_repeated_key_is_refused(tmp_path, monkeypatch):
    import lantu.locale as locale

    assert translate("zh", "locale.areas") != "locale.areas"  # read from locale/zh/_areas.yaml
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh.yaml").write_text("a.one: 一\n", encoding="utf-8")
    (tmp_path / "zh" / "x.yaml").write_text("a.two: 二\n", encoding="utf-8")
    monkeypatch.setattr(locale.resources, "files", lambda _pkg: tmp_path)
    locale.catalogue.cache_clear()
    try:
        assert locale.catalogue("zh") == {"a.one": "一", "a.two": "二"}
        (tmp_path / "zh" / "y.yaml").write_text("a.one: 又一\n", encoding="utf-8")
        locale.catalogue.cache_clear()
        with pytest.raises(ValueError, match=r"zh/y.yaml .*a\.one"):
            locale.catalogue("zh")
    finally:
        monkeypatch.undo()
        locale.catalogue.cache_clear()
