"""Word lists the policy-text parser reads: action verbs, adverbs, indicator triggers, place and
organisation endings, positioning nouns. Plain text or YAML files, one list per file, so a
reviewer can extend them without touching code."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

__all__ = ["load_words", "load_indicator_triggers"]


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def load_words(name: str) -> tuple[str, ...]:
    """Return the words of the list file ``name`` (``#`` comments and blank lines skipped).

    Parameters
    ----------
    name : str
        File name inside this package, e.g. ``"verbs.txt"``.

    Returns
    -------
    tuple of str
        The words, longest first, so a caller matching prefixes takes the longest one.

    Examples
    --------
    >>> "建设" in load_words("verbs.txt")
    True
    """
    words = []
    for line in _read(name).splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def load_indicator_triggers() -> dict[str, tuple[str, ...]]:
    """Return ``{indicator code: trigger words}`` from ``indicators.yaml``.

    Examples
    --------
    >>> "空气质量" in load_indicator_triggers()["pm25"]
    True
    """
    data = yaml.safe_load(_read("indicators.yaml")) or {}
    return {str(code): tuple(str(w) for w in words) for code, words in data.items()}
