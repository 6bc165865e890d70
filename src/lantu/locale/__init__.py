"""The texts of the interface and the documents: ``<lang>.yaml`` and every ``<lang>/*.yaml`` here
(one file per area) map a key to a text; a key defined twice in one language is an error.

The web app (:mod:`lantu.web.i18n`), the reports and the evaluation read them through
:func:`translate`, so a label (e.g. a target status) has one wording everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def _read(path: Any, name: str) -> dict[str, str]:
    # libyaml's safe loader when PyYAML has it (every process reads these files at start)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
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
    as the key itself (and fails the locale test). A count ``n`` of 1 takes the singular
    ``<key>.one`` where the language has one (the one plural rule of the locale files: "1
    version", "2 versions"; Chinese says both alike).

    >>> translate("en", "as.n_versions", n=1), translate("en", "as.n_versions", n=2)
    ('1 version · see the differences', '2 versions · see the differences')
    """
    if values.get("n") in (1, "1") and f"{key}.one" in catalogue(lang):
        key = f"{key}.one"
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the English noun in its form for ``n`` (what code-built English says, where no
    locale text is: the CLI's summaries, the verdict's English reason): the same rule as
    :func:`translate`'s ``.one``.

    >>> plural(1, "version"), plural(3, "version"), plural(0, "worker"), plural(2, "entry", "entries")
    ('1 version', '3 versions', '0 workers', '2 entries')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"
