"""Translations of the user interface: ``src/lantu/locale/<lang>.yaml`` and every
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

from lantu.locale import DEFAULT_LANGUAGE, LANGUAGES, catalogue, translate

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANG_COOKIE", "catalogue", "pick_language",
           "translate", "translator"]

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
