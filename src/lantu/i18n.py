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
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANG_COOKIE = "lantu_lang"


def _read(path: Any, name: str) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"locale/{name} must map keys to texts")
    return {str(k): str(v) for k, v in data.items()}


@lru_cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language (flat ``key: text``): ``<lang>.yaml`` then ``<lang>/*.yaml``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    root = resources.files("lantu.locale")
    texts = _read(root.joinpath(f"{lang}.yaml"), f"{lang}.yaml")
    area_dir = root.joinpath(lang)
    areas = sorted((p for p in area_dir.iterdir() if p.name.endswith(".yaml")),
                   key=lambda p: p.name) if area_dir.is_dir() else []
    for path in areas:
        name = f"{lang}/{path.name}"
        part = _read(path, name)
        twice = sorted(set(part) & set(texts))
        if twice:
            raise ValueError(f"locale/{name} defines keys defined elsewhere: {', '.join(twice)}")
        texts.update(part)
    return texts


def translate(lang: str, key: str, **values: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` placeholders filled; a missing key shows
    as the key itself (and fails the locale test)."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


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
