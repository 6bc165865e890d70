"""How a number written in running text is read: the one rule every reader of figures uses.

GB/T 15835-2011 (出版物上数字的用法) lets a number of five or more digits be grouped by threes with
a thousands comma (千分撇 ",") or a thin space (千分空). Reports converted from PDF or Word carry the
space as an ordinary, no-break, thin, narrow or ideographic space: Taiyuan's 2013 work report writes
"地区生产总值2 311.43亿元" and "城镇居民人均可支配收入22 587元". Read digit by digit, those are 311.43
and 587 — wrong by a factor of ten or a hundred, and an official figure beats every other source.

The rule: a first group of one to three digits, then one or more groups of *exactly* three digits,
each after one separator, and no digit right after the last group; a decimal part may follow. So

* "2 311.43" → 2311.43, "22 587" → 22587, "1,234.5" → 1234.5, "10 000 000" → 10000000;
* "3 5 7" (a list), "2013 12" (a year then a number: the first group has four digits), "1 5%" and
  "22 5871" stay apart;
* the full-width comma "，" is the Chinese clause comma (逗号), never a thousands separator:
  "占全省2/3，700家…" are two numbers.

Full-width digits ("１２３") are made half-width by the callers' one-to-one normalisation
(:func:`lantu.ingest.extract_layout._normalise`) or by :func:`read_number`.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that may separate groups of three digits (space, no-break, thin, narrow no-break,
#: ideographic space, ASCII comma).
SEPARATORS = " \u00a0\u2009\u202f\u3000,"
_SEP = "[" + "".join(f"\\u{ord(c):04x}" for c in SEPARATORS) + "]"

#: An unsigned number: grouped by threes, or plain digits; an optional decimal part. Use it inside
#: larger patterns (it has no groups of its own) and read the match with :func:`read_number`.
#: Digits are 0-9 (full-width ones are made ASCII first, one for one): a run that holds a digit
#: of another script is no number, nor part of one (Bengali ৪৪৪৪ is 4444 and looks like 8888).
_FOREIGN = r"(?![0-9])\d"
NUMBER = rf"(?<!{_FOREIGN})(?:[0-9]{{1,3}}(?:{_SEP}[0-9]{{3}})+|[0-9]+)(?!\d)(?:\.[0-9]+(?!\d))?"
#: The same, with an optional minus sign.
SIGNED_NUMBER = rf"-?{NUMBER}"

_DROP = str.maketrans("", "", SEPARATORS)
_GROUPED = re.compile(rf"(?<![\d.])[0-9]{{1,3}}(?:{_SEP}[0-9]{{3}})+(?!\d)")
_ONE_SEP = re.compile(_SEP)


def join_groups(text: str) -> str:
    """*text* with the separators of every grouped number dropped (a table cell, where offsets do
    not matter): "2 311.43亿元" → "2311.43亿元"; "3 5 7" stays as it is.

    >>> join_groups("2 311.43亿元"), join_groups("3 5 7")
    ('2311.43亿元', '3 5 7')
    """
    return _GROUPED.sub(lambda m: m.group().translate(_DROP), text)


def plain_separators(text: str) -> str:
    """*text* with every separator inside a grouped number made an ordinary space, one character
    for one (offsets are kept): "22,587元，增长12.1%" → "22 587元，增长12.1%", so that the comma of a
    number never ends a clause for the readers of clauses.

    >>> plain_separators("收入22,587元,增长12.1%")
    '收入22 587元,增长12.1%'
    """
    return _GROUPED.sub(lambda m: _ONE_SEP.sub(" ", m.group()), text)


def read_number(text: str) -> float:
    """The value of a match of :data:`NUMBER` (or :data:`SIGNED_NUMBER`): separators dropped,
    full-width digits read as digits.

    >>> read_number("2 311.43"), read_number("22\u2009587"), read_number("1,234.5"), read_number("１２３")
    (2311.43, 22587.0, 1234.5, 123.0)
    """
    return float(unicodedata.normalize("NFKC", text).translate(_DROP))


#: A number written as one magnitude word, with an optional digit before it: "千" (1000), "万"
#: (10000), "两千" (2000) — how thresholds are written ("突破万亿", "首超千亿"; 万亿 is 1 万 亿).
MAGNITUDE_WORD = "[一二两三四五六七八九]?[十百千万]"
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def read_value(text: str) -> float:
    """A match of :data:`NUMBER` (:func:`read_number`) or of :data:`MAGNITUDE_WORD`.

    >>> read_value("2 311.43"), read_value("千"), read_value("两万")
    (2311.43, 1000.0, 20000.0)
    """
    if text and text[-1] in _CN_MAGNITUDE:
        return float(_CN_DIGIT.get(text[0], 1) * _CN_MAGNITUDE[text[-1]])
    return read_number(text)
