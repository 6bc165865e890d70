"""Periods: a year (``2023``), a quarter (``2023Q1``) or a month (``2023-03``).

Written as Chinese tables head them, too — the one rule of what a period is written as, for a
cell, a column heading and a typed value alike (:meth:`Period.parse`, :data:`YEAR_HEADING`):

- a year: ``2023``, ``2023年``, ``2023年度`` (how an annual column is most often headed),
  ``2023年全年`` / ``2023全年`` (the whole year), a blank before the word allowed;
- a quarter: ``2023Q1``, ``2023年第一季度``, ``2023年一季度``, ``2023年1季度``, ``2023年四季``;
- a month: ``2023-03``, ``2023/3``, ``2023.3``, ``2023年3月``.

Not a period, and refused, never read as the year: a half-year (``2023年上半年``), a cumulative
span (``2023年前三季度``, ``2023年1-3季度``, ``2023年1-6月``: the figure of several quarters or
months), a year's end (``2023年末``: the year's figure for a stock, none for a flow — the
period alone does not say which), a year named from where it stands (``上年``, ``本年``); the
last two by name (:func:`period_words_problem`).

Periods are ordered by their start and, for the same start, the longer one first
(``2023`` < ``2023Q1`` < ``2023-01`` < ``2023-02``), so sorting a mixed list reads naturally.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from lantu.domain.digits import marker_problem
from lantu.domain.errors import ValidationError

# digits 0-9 only (re.ASCII): ``\d`` alone would read the digits of every script, and some
# pass for others (Bengali ৪ is 4 and looks like 8); full-width ones are made ASCII first (NFKC)
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$", re.ASCII)
#: the words after a year that leave it the year: 年, 年度 (the annual column), (年)全年
_YEAR_WORDS = r"(?:年度|年全年|全年|年)"
_YEAR_WORDED = re.compile(rf"^(\d{{4}})\s*{_YEAR_WORDS}$", re.ASCII)
#: a column heading that names a year (a table by year: ``2023``, ``2023年``, ``2023年度``)
#: — the same words as a cell; its digits read as :meth:`Period.parse` reads them (NFKC)
YEAR_HEADING = re.compile(rf"^(\d{{4}})\s*{_YEAR_WORDS}?$")
_QUARTER = re.compile(r"^(\d{4})\s*[Qq]([1-4])$", re.ASCII)
#: a quarter in words: 2023年第一季度, 2023年一季度, 2023年1季度, 2023年四季 (never 前三季度)
_QUARTER_WORDED = re.compile(r"^(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?$", re.ASCII)
_QUARTER_NUMBER = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_MONTH = re.compile(r"^(\d{4})[-/.年]\s*(\d{1,2})月?$", re.ASCII)
_LEN = {"year": 12, "quarter": 3, "month": 1}


#: The years Lantu handles: from the founding of the People's Republic to 2100. Everything dated
#: keeps to them through :func:`year_problem` — a figure's period and a target's (the gate,
#: :mod:`lantu.domain.gate`), a milestone's year (:class:`lantu.domain.milestones.MilestoneFact`),
#: a plan's dates (:func:`lantu.domain.plans.date_problem`): a figure for 1001, a target for
#: 9999 or a deadline in year 1 is a typo or an attack, never a plan. (:class:`Period` itself
#: reads any four-digit year; what may be stored is the rule's.)
FIRST_YEAR, LAST_YEAR = 1949, 2100

#: a year's end: 2023年末, 2023年底, 2023末 (full-width digits made ASCII first)
_YEAR_END = re.compile(r"^(\d{4})\s*年?\s*[末底]$", re.ASCII)
#: words that name a year only from where they stand (the year before which?)
_RELATIVE_YEARS = frozenset({"上年", "去年", "本年", "今年", "当年", "上一年", "前一年",
                             "上年度", "本年度", "上年同期", "同期", "本期", "上期"})


def period_words_problem(text: str) -> str | None:
    """Why a period written in words is refused though it looks like one — a year's end, a
    year named from where it stands — or None. THE wording of these (``rsn.period_year_end``,
    ``rsn.period_relative``), asked by :meth:`Period.parse` and the tables' period cells, which
    said only "not a period" (probe16).

    A year's end is refused for every indicator, not read as the year: for a stock (年末常住人口)
    the year's figure is the one at its end, for a flow (地区生产总值) there is none, and the
    period alone does not say which the figure is.

    >>> period_words_problem("２０２３年末")
    "a year's end (2023年末) is no period: for a stock (年末常住人口) write the year, 2023 — its figure is the one at the year's end; a flow has no year-end figure"
    >>> period_words_problem("上年"), period_words_problem("2023")
    ("上年 names a year only from where it stands (which year's 上年?); write the year, such as 2023", None)
    """
    t = unicodedata.normalize("NFKC", text).strip()
    if m := _YEAR_END.match(t):
        return (f"a year's end ({t}) is no period: for a stock (年末常住人口) write the year, "
                f"{m.group(1)} — its figure is the one at the year's end; a flow has no "
                "year-end figure")
    if t in _RELATIVE_YEARS:
        return (f"{t} names a year only from where it stands (which year's {t}?); write the "
                "year, such as 2023")
    return None


def year_problem(year: int) -> str | None:
    """Why ``year`` is not one Lantu handles (:data:`FIRST_YEAR` – :data:`LAST_YEAR`), or None:
    the one year rule of everything dated.

    >>> year_problem(2024), year_problem(1900)
    (None, 'the year 1900 is outside 1949–2100')
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}"
    return None


_YEAR_TYPED = re.compile(r"[0-9]{4}")


def read_year(text: str) -> int:
    """A year as a person types it where a year is asked — a page's or the API's ``year``, a
    command's ``--year``: four digits 0-9 (full-width ones made ASCII, blanks around dropped),
    of the one year rule (:func:`year_problem`). Not ``+2024``, ``2_024``, ``2024.0``, nor the
    digits of another script (Bengali ২০২৩ reads as 2023 to ``int`` and looks like 2020).
    Raises ValueError naming what is wrong (the caller's refusal: a 422, a usage error).

    >>> read_year(" ２０２４ ")
    2024
    >>> read_year("1900")
    Traceback (most recent call last):
    ...
    ValueError: the year 1900 is outside 1949–2100
    """
    if why := marker_problem(text, "year"):
        raise ValueError(why)
    t = unicodedata.normalize("NFKC", text).strip()
    if not _YEAR_TYPED.fullmatch(t):
        raise ValueError(f"a year is four digits such as 2023; got {text[:20]!r}")
    if why := year_problem(int(t)):
        raise ValueError(why)
    return int(t)


_DAY_TYPED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_day(text: str) -> date:
    """A day as a person types it — a milestone's date in the task form, a plan's dates, a
    command's ``--today``: ``YYYY-MM-DD`` with digits 0-9 (full-width ones made ASCII, blanks
    around dropped), a day of the calendar, of the one year rule (:func:`year_problem`). Not
    what ``date.fromisoformat`` reads besides (``20261231``, the week date ``2026-W52-1``, which
    is 21 December), nor digits of another script. Raises ValueError naming what is wrong.

    >>> read_day("２０２６-１２-３１")
    datetime.date(2026, 12, 31)
    >>> read_day("2026-W52-1")
    Traceback (most recent call last):
    ...
    ValueError: '2026-W52-1' is not a date (YYYY-MM-DD)
    """
    t = unicodedata.normalize("NFKC", text).strip()
    try:
        if not _DAY_TYPED.fullmatch(t):
            raise ValueError
        day = date.fromisoformat(t)
    except ValueError:
        raise ValueError(f"{text.strip()[:20]!r} is not a date (YYYY-MM-DD)") from None
    if why := year_problem(day.year):
        raise ValueError(why)
    return day


_MONTH_TYPED = re.compile(r"([0-9]{4})-([0-9]{2})")


def read_month(text: str) -> str:
    """A month as a person types it where a month is asked — a list's or a page's ``month``,
    a command's ``--month``, a report's month: ``YYYY-MM`` with digits 0-9 (full-width ones made
    ASCII, blanks around dropped), the month 01–12, of the one year rule (:func:`year_problem`).
    Raises ValueError naming what is wrong (the caller's refusal: a 422, a usage error) — a
    month no report can have is refused, not answered with an empty list.

    >>> read_month(" ２０２６-０６ ")
    '2026-06'
    >>> read_month("3000-01")
    Traceback (most recent call last):
    ...
    ValueError: month 3000-01: the year 3000 is outside 1949–2100
    """
    t = unicodedata.normalize("NFKC", text).strip()
    m = _MONTH_TYPED.fullmatch(t)
    if not m:
        raise ValueError(f"a month is YYYY-MM such as 2026-06; got {text[:20]!r}")
    if not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"a month is YYYY-MM with the month 01–12; got {text[:20]!r}")
    if why := year_problem(int(m.group(1))):
        raise ValueError(f"month {t}: {why}")
    return t


def read_period(text: str) -> str:
    """A period as a person types it where a period is asked — a list's ``period``, ``from``
    and ``to``: what :meth:`Period.parse` reads (2023, 2023Q1, 2023-03, full-width digits made
    ASCII, the digits 0-9 only), of the one year rule (:func:`year_problem`), in the form
    periods are stored in. Raises ValueError naming what is wrong (a 422): a period nothing can
    be stored for is refused, not answered with an empty list.

    >>> read_period("２０２３ｑ１"), read_period("2023年")
    ('2023Q1', '2023')
    >>> read_period("1800")
    Traceback (most recent call last):
    ...
    ValueError: period 1800: the year 1800 is outside 1949–2100
    """
    try:
        p = Period.parse(text)
    except ValidationError:
        raise ValueError(f"not a period: {text[:20]!r} (expected a year 2023, a quarter "
                         "2023Q1 or a month 2023-03)") from None
    if why := year_problem(p.year):
        raise ValueError(f"period {p}: {why}")
    return str(p)


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period. Build it with :meth:`parse`.

    Examples
    --------
    >>> Period.parse("2023Q1").start
    datetime.date(2023, 1, 1)
    >>> sorted([Period.parse("2023-02"), Period.parse("2023")])
    [Period('2023'), Period('2023-02')]
    """

    year: int
    kind: str = "year"  # year | quarter | month
    index: int = 0  # quarter 1-4 or month 1-12; 0 for a year

    def __post_init__(self) -> None:
        if self.kind not in _LEN:
            raise ValidationError(f"unknown period kind {self.kind!r}", field="period")
        if not 1000 <= self.year <= 9999:
            raise ValidationError(f"year {self.year} is out of range", field="period")
        limit = {"year": 0, "quarter": 4, "month": 12}[self.kind]
        if (self.kind == "year" and self.index != 0) or (
            self.kind != "year" and not 1 <= self.index <= limit
        ):
            raise ValidationError(f"{self.kind} index {self.index} is out of range", field="period")

    @classmethod
    def parse(cls, value: object) -> Period:
        """Read ``2023``, ``"2023"``, ``"2023年"``, ``"2023年度"``, ``"2023Q1"``,
        ``"2023年第一季度"``, ``"2023-03"`` or ``"2023年3月"`` (the module's rule).

        >>> Period.parse("2023年度"), Period.parse("2023年一季度")
        (Period('2023'), Period('2023Q1'))
        """
        if isinstance(value, Period):
            return value
        if isinstance(value, bool):
            raise ValidationError(f"not a period: {value!r}", field="period")
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, float) and value.is_integer():
            return cls(int(value))
        text = str(value)
        if not text.isascii():  # full-width digits and letters (２０２３, Ｑ) as ASCII
            if why := marker_problem(text, "period"):  # not 2022¹ as 20221, 202² as 2022
                raise ValidationError(f"not a period: {why}", field="period")
            text = unicodedata.normalize("NFKC", text)
        text = text.strip()
        if m := _YEAR.match(text) or _YEAR_WORDED.match(text):
            return cls(int(m.group(1)))
        if m := _QUARTER.match(text):
            return cls(int(m.group(1)), "quarter", int(m.group(2)))
        if m := _QUARTER_WORDED.match(text):
            return cls(int(m.group(1)), "quarter", _QUARTER_NUMBER[m.group(2)])
        if m := _MONTH.match(text):
            return cls(int(m.group(1)), "month", int(m.group(2)))
        if why := period_words_problem(text):
            raise ValidationError(f"not a period: {why}", field="period")
        raise ValidationError(
            f"not a period: {value!r} (expected a year 2023, a quarter 2023Q1 or a month 2023-03)",
            field="period",
        )

    @property
    def start(self) -> date:
        month = {"year": 1, "quarter": 3 * (self.index - 1) + 1, "month": self.index}[self.kind]
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """Last day of the period."""
        first = self.start
        months = first.month - 1 + _LEN[self.kind]
        nxt = date(first.year + months // 12, months % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    def _key(self) -> tuple[int, int]:
        return (self.start.toordinal(), -_LEN[self.kind])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"
