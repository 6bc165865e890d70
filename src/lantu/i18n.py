"""Translations of the user interface, reports and analysis (layer-neutral: any layer may import
it; ``lantu.web.i18n`` re-exports it): ``src/lantu/locale/<lang>.yaml`` and every
``src/lantu/locale/<lang>/*.yaml`` (one file per area of the application) map a key to a text.
A key defined twice in one language is an error.

Chinese (``zh``) is the default; English (``en``) is complete (a test checks that every key used in
the templates exists in both files). The language of a request comes from ``?lang=`` (which also
sets the ``lantu_lang`` cookie) or from that cookie.

Examples
--------
>>> translator("en")("nav.supervision")
'Supervision'
>>> translator("zh")("nav.supervision")
'督查督办'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

# the texts themselves are read in one place: lantu.locale (this module adds the web's helpers)
from lantu.locale import DEFAULT_LANGUAGE, LANGUAGES, catalogue, translate

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANG_COOKIE", "catalogue", "pick_language",
           "translate", "translator", "unit_label"]

LANG_COOKIE = "lantu_lang"


@lru_cache
def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` bound to one language."""

    def t(key: str, **values: Any) -> str:
        return translate(lang, key, **values)

    return t


def pick_language(query_lang: str | None, cookie_lang: str | None) -> str:
    for cand in (query_lang, cookie_lang):
        if cand in LANGUAGES:
            return cand
    return DEFAULT_LANGUAGE


def unit_label(unit: str | None, lang: str) -> str:
    """A unit as a reader of ``lang`` reads it: as stored (Chinese) in Chinese, spelt out in
    English from the locale files (``unit.<unit>`` and ``unit.prefix.<prefix>`` in
    ``locale/<lang>/units.yaml``); a unit without words stays as it is.

    Examples
    --------
    >>> unit_label("亿元", "en"), unit_label("万人", "en"), unit_label("亿元", "zh")
    ('100 million yuan', '10,000 persons', '亿元')
    >>> unit_label("微克/立方米", "en"), unit_label("万千瓦", "en"), unit_label("标箱", "en")
    ('μg/m³', '10,000 kW', '标箱')
    """
    u = (unit or "").strip()
    if not u or lang == DEFAULT_LANGUAGE:
        return u
    texts = catalogue(lang)
    word = texts.get(f"unit.{u}")
    if word is not None:
        return word
    for prefix in ("万亿", "亿", "万", "千"):
        base = texts.get(f"unit.{u[len(prefix):]}")
        if u.startswith(prefix) and base is not None:
            return f"{texts[f'unit.prefix.{prefix}']} {base}".strip()
    return u
