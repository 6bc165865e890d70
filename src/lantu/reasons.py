"""A reason for refusing an input, in the reader's language: the one place where the English
reasons of the domain and the readers (:class:`lantu.ingest.tables_read.Problem`, the gate's
``(field, reason)`` pairs, a :class:`~lantu.domain.errors.ValidationError`) are shown in Chinese.

The domain and the readers keep writing their reasons in English (the command line and the JSON
API show them as they are); the pages pass them through :func:`reason_text` (the ``reason``
filter of :mod:`lantu.web.templating`). The translations are data: each ``rsn.<name>`` key of
``locale/en/reasons8.yaml`` is the English template of one reason with named ``{fields}``,
its ``locale/zh/reasons8.yaml`` twin the Chinese one. A reason is matched against the English
templates (the most specific first: the most fixed text), its fields read off and written into
the Chinese template:

- a field named ``reason`` or ``reason_…`` holds a reason itself (``period 2031: the year 2031
  is outside 1949–2100``) and is translated the same way;
- a field named ``field`` holds one name (a form's field: ``value``, ``year``), never a phrase;
- ``{*}`` matches a part the translation leaves out;
- any other field is shown as read, unless ``rsn.word.<value>`` names it in the language (the
  words a reason spells out: ``plain numbers``, the script of a digit).

A reason that matches no template is tried as ``<where>: <reason>`` (a file's or a field's name
before it, itself a word when ``rsn.word.<where>`` says so), and failing that shown as it came, in English: never lost. English pages show every
reason as it came.

Examples
--------
>>> reason_text("zh", "not a period (2023, 2023Q1 or 2023-03)")
'不是有效的时期（应为 2023、2023Q1 或 2023-03）'
>>> reason_text("zh", "period 2031 is in the future")
'时期 2031 尚未开始'
>>> reason_text("en", "period 2031 is in the future")
'period 2031 is in the future'
>>> reason_text("zh", "a sentence no template knows")
'a sentence no template knows'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lantu.locale import DEFAULT_LANGUAGE, catalogue

#: the prefix of the reason templates in the locale files
PREFIX = "rsn."
#: the prefix of the words a reason's field may hold (``rsn.word.plain numbers``)
WORD = "rsn.word."
#: what a field named ``field`` holds: one name (a form's field), not a phrase
_NAME = r"[A-Za-z_][\w.]*"
_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
#: a field of the English template, named or ``{*}``: a part of the reason the translation leaves
#: out (the name of a digit's value, ``FOUR``, when the translation says ``4``)
_PART = re.compile(r"\{([a-z_][a-z0-9_]*|\*)\}")


@dataclass(frozen=True)
class Template:
    """One reason template: its key, the English pattern it matches and how specific it is."""

    key: str
    pattern: re.Pattern[str]
    fixed: int  # characters of fixed text: the more, the more specific


def _compile(key: str, english: str) -> Template:
    parts = _PART.split(english)  # fixed text, field, fixed text, …
    regex = "".join(re.escape(p) if i % 2 == 0 else ".+?" if p == "*" else
                    f"(?P<{p}>{_NAME if p == 'field' else '.+?'})" for i, p in enumerate(parts))
    fixed = sum(len(p) for p in parts[::2])
    return Template(key, re.compile(regex, re.DOTALL), fixed)


@lru_cache
def templates() -> tuple[Template, ...]:
    """Every reason template of the English locale, the most specific first."""
    found = [_compile(k, v) for k, v in catalogue("en").items()
             if k.startswith(PREFIX) and not k.startswith(WORD)]
    return tuple(sorted(found, key=lambda t: (-t.fixed, t.key)))


def match(text: str) -> tuple[str, dict[str, str]] | None:
    """The key of the template ``text`` was written by and its fields, or None.

    >>> match("only http(s) links are kept, not 'javascript:'")
    ('rsn.link_scheme', {'scheme': "'javascript:'"})
    """
    for t in templates():
        m = t.pattern.fullmatch(text)
        if m is not None:
            return t.key, m.groupdict()
    return None


def _field(lang: str, name: str, value: str) -> str:
    if name == "reason" or name.startswith("reason_"):
        return reason_text(lang, value)
    return catalogue(lang).get(WORD + value, value)


def field_word(lang: str, field: str) -> str:
    """A form's or a query's field as a reader of ``lang`` calls it: ``rsn.word.<field>`` (the
    one list of field names, in both languages), else the name as it came."""
    return catalogue(lang).get(WORD + field, field)


def _names_field(said: str, word: str) -> bool:
    """Whether a reason, as said to the reader, names its field already: it holds the reader's
    word for it (as a whole word when the word is written in letters)."""
    if not word:
        return False
    if word.isascii():
        # a word of letters is the same word however its parts are joined and in the plural:
        # "user name", "username" and "user-name"; "e-mail" and "email"; "region(s)"
        parts = [re.escape(p) for p in re.split(r"[\s-]+", word.strip()) if p]
        pattern = r"[\s-]?".join(parts) + r"(?:s|\(s\))?"
        return re.search(rf"(?<![\w-]){pattern}(?![\w-])", said, re.IGNORECASE) is not None
    return re.sub(r"\s", "", word) in re.sub(r"\s", "", said)


def field_reason(lang: str, field: str, reason: str) -> str:
    """A refusal of one field as a page says it, the one place that does: ``<field>：<reason>``
    with the field named in ``lang`` (:func:`field_word`) and the reason in ``lang``
    (:func:`reason_text`) — the field left out when the reason names it already (``month
    3000-01: …`` is not said as ``月份：月份 3000-01：…``).

    >>> field_reason("zh", "month", "month 3000-01: the year 3000 is outside 1949–2100")
    '月份 3000-01：年份 3000 不在 1949–2100 年之间'
    >>> field_reason("en", "year", "the year 1800 is outside 1949–2100")
    'the year 1800 is outside 1949–2100'
    >>> field_reason("zh", "node_id", "Input should be a valid integer, unable to parse string as an integer")
    '任务编号：应为整数'
    >>> field_reason("en", "username", "x y is not a valid username: no blanks")
    'x y is not a valid username: no blanks'
    """
    said = reason_text(lang, reason)
    if lang == DEFAULT_LANGUAGE and said == reason and re.search("[A-Za-z]{3}", reason):
        return f"{field}: {reason}"  # a reason no template knows: all of it as it came
    word = field_word(lang, field)
    if _names_field(said, word):
        return said
    return f"{word}{catalogue(lang).get(COLON, ': ')}{said}"


#: the colon after a label, in the reader's language (full-width in Chinese)
COLON = "zh9.colon"


def _known_field(where: str) -> bool:
    return WORD + where in catalogue("en") and re.fullmatch(_NAME, where) is not None


@lru_cache(maxsize=8192)
def reason_text(lang: str, text: str) -> str:
    """``text``, a reason written in English by the domain or a reader, in ``lang``: as it is
    in English (and whenever no template matches), translated in Chinese. A reason written
    ``<field>: <reason>`` for a field with a name (``rsn.word.<field>``) is said by
    :func:`field_reason`, in English too."""
    if not text:
        return text
    where, sep, rest = text.partition(": ")
    if sep and rest and _known_field(where):
        return field_reason(lang, where, rest)
    if lang != DEFAULT_LANGUAGE:
        return text
    found = match(text)
    if found is not None:
        key, values = found
        template = catalogue(lang).get(key, text)
        return _FIELD.sub(lambda m: _field(lang, m.group(1), values[m.group(1)]), template)
    where, sep, rest = text.partition(": ")
    if sep and rest and (said := reason_text(lang, rest)) != rest:
        return f"{catalogue(lang).get(WORD + where, where)}：{said}"
    return text
