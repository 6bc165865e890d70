"""Which characters are the digits of a number or a period: 0-9 and their full-width forms
(what a Chinese input method types), nothing else.

Lantu reads numbers and periods after Unicode's compatibility normalisation (NFKC), so that
``５５７１．１７`` is 5571.17. NFKC also makes digits of marks that are no digits of a number:
a footnote marker ``¹`` or ``①`` glued to a figure copied from a bulletin (``5571.17¹`` became
5571.171, ``5571.17①`` too), a list number ``⑤`` standing alone (became 5), a subscript, a
parenthesised ``⑴`` or a ``⒈``. :func:`marker_problem` names such a mark before the text is
normalised; every reader of a typed number, a table cell's number and a period asks it
(:func:`lantu.ingest.tables_values.parse_quantity`, :func:`lantu.domain.indicators.read_typed_number`,
:meth:`lantu.domain.periods.Period.parse`, :func:`lantu.domain.periods.read_year`).

A superscript after a letter is a unit's power (``m²``, ``μg/m³``) and stays what it is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: the characters that are digits of a number as written: 0-9 and the full-width ０-９
DIGITS = frozenset("0123456789０１２３４５６７８９")


@lru_cache(maxsize=4096)
def _reads_as_digit(ch: str) -> str | None:
    """What ``ch`` becomes under NFKC when that holds a digit 0-9 and ``ch`` is none of
    :data:`DIGITS` (``¹`` → ``1``, ``①`` → ``1``, ``⑴`` → ``(1)``, ``𝟓`` → ``5``), else None."""
    if ch in DIGITS or ch.isascii():
        return None
    n = unicodedata.normalize("NFKC", ch)
    return n if n != ch and any("0" <= c <= "9" for c in n) else None


def _after_letter(text: str, i: int) -> bool:
    """Whether the character before ``text[i]`` is a Latin or Greek letter (``m²``, ``μg/m³``):
    there a superscript is a unit's power, not a marker."""
    if i == 0:
        return False
    prev = text[i - 1]
    return prev.isalpha() and ord(prev) < 0x2E80 and _reads_as_digit(prev) is None


def marker_problem(text: str, what: str = "number") -> str | None:
    """Why ``text`` (as written, before NFKC) may not be read as a ``what`` ("number",
    "period"): it holds a mark that NFKC would make a digit — a footnote marker, a list number,
    a super- or subscript — named with the digit it would become; None when it holds none.

    >>> marker_problem("5571.17¹")
    "'¹' is not a digit of the number but a marker (a footnote or a list number, read as 1); write the number with the digits 0-9 and keep a note apart from it"
    >>> marker_problem("５５７１．１７") is None, marker_problem("120万m²") is None
    (True, True)
    """
    if text.isascii():
        return None
    for i, ch in enumerate(text):
        if (n := _reads_as_digit(ch)) is not None and not _after_letter(text, i):
            return (f"{ch!r} is not a digit of the {what} but a marker (a footnote or a list "
                    f"number, read as {n}); write the {what} with the digits 0-9 and keep a note "
                    "apart from it")
    return None
