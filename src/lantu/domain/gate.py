"""The validation gate: the one place that decides whether a figure or a target may be written.

Every write passes here — ``lantu import`` and the web import (column-wise, the whole table at
once, so problems name their row and column), ``POST /api/v1/observations`` (a frame of one
row), the reviewed text sheet, plan loads — and the store asks again just before it writes
(:func:`lantu.store.bulk.apply_frame`), so no route can skip it: all the rules, or only the
references when the frame was checked by the rules in force (:class:`Rules`, an import's table).
The rules are data where they can be: an indicator's admissible range is in the catalogue
(``defaults/data/indicator_ranges.csv``, stored with the indicator).

A rule answers with ``(field, reason)`` pairs; an empty list means the object may be written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
import pandas as pd

from lantu.domain.errors import ValidationError
from lantu.domain.indicators import Indicator, outside_bounds
from lantu.domain.links import url_problem, url_problems
from lantu.domain.observations import FRAME_COLUMNS, Observation, frame_of
from lantu.domain.periods import Period, year_problem
from lantu.domain.plans import Plan
from lantu.domain.targets import Target

#: control characters no stored text holds besides NUL: C0 controls other than TAB, LF, CR, and
#: DEL — what XML cannot carry (a task title with an ESC made every Word report of its plan a
#: 500) and no form needs — and the C1 controls U+0080-U+009F (no text holds them but one
#: decoded in the wrong charset, ``\x80`` for €; U+009B starts a terminal escape sequence in
#: a log line, U+0085 ends a line for Python's ``splitlines``); the table reader refuses the
#: same in a cell (:mod:`lantu.ingest.tables_read`)
CONTROL_CHARACTERS = "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
#: the Unicode noncharacters: U+FDD0-U+FDEF and the last two code points of each of the 17
#: planes (U+nFFFE, U+nFFFF) — "permanently reserved for internal use", not for interchange; no
#: text a person types holds one, and XML cannot carry U+FFFE/U+FFFF
_BMP_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARACTERS = "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}"
                                for p in range(1, 17))
NONCHARACTERS = _BMP_NONCHARACTERS + _ASTRAL_NONCHARACTERS
#: every character of Unicode's ``Bidi_Control`` property: the embeddings, overrides and
#: isolates (U+202A-U+202E, U+2066-U+2069: ``report\u202efdp.exe`` shows as report.exe…pdf)
#: and the marks U+061C, U+200E, U+200F — invisible too, and they change the order the
#: characters beside them are shown in (an ARABIC LETTER MARK turns the digits after it into
#: Arabic numbers, a RIGHT-TO-LEFT MARK turns neutral signs around it) (probe15)
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: format characters Unicode deprecates or keeps for internal use, which no field's text
#: holds: U+FEFF inside a text (a byte-order mark belongs before a file, not in a field: the
#: table reader takes it off a cell), the interlinear annotation characters U+FFF9-U+FFFB
#: ("should not be exchanged"), the tag characters U+E0000-U+E007F (invisible ASCII: a text
#: can carry words no reader sees) (probe15)
_BMP_INTERNAL_FORMATS = "\ufeff\ufff9-\ufffb"
_ASTRAL_INTERNAL_FORMATS = "\U000e0000-\U000e007f"
INTERNAL_FORMATS = _BMP_INTERNAL_FORMATS + _ASTRAL_INTERNAL_FORMATS
#: the line and paragraph separators U+2028/U+2029: a line end for Python's ``splitlines``
#: and for JavaScript before ES2019, as U+0085 is (a log line or a script's string ends
#: there); a form's line break is CR LF (probe15)
LINE_SEPARATORS = "\u2028\u2029"
#: what no text may hold: a NUL byte (PostgreSQL cannot store it), another control character
#: (:data:`CONTROL_CHARACTERS`), a noncharacter (:data:`NONCHARACTERS`), a lone UTF-16
#: surrogate (no character: no driver can encode it; JSON's ``"\\ud800"`` makes one), a bidi
#: control (:data:`BIDI_CONTROLS`), a deprecated or internal format character
#: (:data:`INTERNAL_FORMATS`) or a line separator (:data:`LINE_SEPARATORS`). Zero-width space
#: and joiners, the soft hyphen and the word joiner stay: free texts pasted from documents hold
#: them (a label does not: :func:`label_problem`).
_UNSTORABLE = re.compile(f"[\x00{CONTROL_CHARACTERS}\ud800-\udfff{BIDI_CONTROLS}{NONCHARACTERS}"
                         f"{INTERNAL_FORMATS}{LINE_SEPARATORS}]")
#: the same, public: what a reader of documents replaces before a text reaches the store
#: (:class:`lantu.ingest.textio.Document`)
UNSTORABLE = _UNSTORABLE
_NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
#: :data:`_UNSTORABLE` in two parts, for :func:`unstorable`: the characters of the Basic
#: Multilingual Plane (a class ``re`` tests by one table look-up a character) and those beyond
#: it (a class of 34 ranges, tested one by one), with a class of every character beyond it to
#: tell whether the second search is needed at all
_UNSTORABLE_BMP = re.compile(f"[\x00{CONTROL_CHARACTERS}\ud800-\udfff{BIDI_CONTROLS}"
                             f"{_BMP_NONCHARACTERS}{_BMP_INTERNAL_FORMATS}{LINE_SEPARATORS}]")
_UNSTORABLE_ASTRAL = re.compile(f"[{_ASTRAL_NONCHARACTERS}{_ASTRAL_INTERNAL_FORMATS}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def unstorable(text: str) -> re.Match[str] | None:
    """The first character of ``text`` that no text may hold (:data:`UNSTORABLE`), or None.

    The same answer as ``UNSTORABLE.search(text)``, found faster: a class that reaches beyond
    the Basic Multilingual Plane is tested range by range, so the one search took 67 ms over
    the excerpts of a 100,000-row table (1.7 million characters) where two searches of the plane
    and of "anything beyond it" take 8 ms; the ranges beyond are searched only in a text that
    holds such a character (a rare CJK extension ideograph, an emoji), from the first one on.

    >>> unstorable("太原\u2028").group() == "\u2028", unstorable("𠀀\U000e0041").start()
    (True, 1)
    """
    found = _UNSTORABLE_BMP.search(text)
    end = found.start() if found is not None else len(text)
    beyond = _ASTRAL.search(text, 0, end)
    if beyond is not None:
        first = _UNSTORABLE_ASTRAL.search(text, beyond.start(), end)
        if first is not None:
            return first
    return found


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as text on every database, or None.

    >>> text_problem("太原"), text_problem("a" + chr(0) + "b")
    (None, 'the text contains a NUL byte')
    >>> text_problem("组\ufdd0")
    'the text contains the noncharacter U+FDD0'
    """
    m = unstorable(text)
    if m is None:
        return None
    ch = m.group()
    if ch == "\x00":
        return "the text contains a NUL byte"
    if ch < " " or "\x7f" <= ch <= "\x9f":
        return f"the text contains the control character U+{ord(ch):04X}"
    if _NONCHARACTER.match(ch):
        return f"the text contains the noncharacter U+{ord(ch):04X}"
    if "\ud800" <= ch <= "\udfff":
        return "the text contains a lone UTF-16 surrogate, which is no character"
    if ch in LINE_SEPARATORS:
        return f"the text contains the line separator U+{ord(ch):04X} (start a new line instead)"
    if ch == "\u061c" or "\u200e" <= ch <= "\u200f" or "\u202a" <= ch <= "\u2069":
        return (f"the text contains the bidi control U+{ord(ch):04X}, which shows the "
                "text in another order than it is stored")
    return f"the text contains the invisible format character U+{ord(ch):04X}"


#: what a label may not hold beside what no text may: a line end or TAB (a name is one line)
#: and the characters that show nothing — every format character (Unicode category Cf: the
#: zero-width space and joiners, the soft hyphen, the word joiner, …) and the rest of Unicode's
#: Default_Ignorable_Code_Point (DerivedCoreProperties.txt: the Hangul fillers, the combining
#: grapheme joiner, the Khmer inherent vowels U+17B4/5 and the Mongolian variation selectors
#: U+180B-180F, which probe24 found missing, the variation selectors, U+FFF0-FFF8), and the
#: Braille blank, which draws nothing either
_IGNORABLE_RANGES = ((0x034f, 0x034f), (0x115f, 0x1160), (0x17b4, 0x17b5), (0x180b, 0x180f),
                     (0x3164, 0x3164), (0xfe00, 0xfe0f), (0xffa0, 0xffa0), (0xfff0, 0xfff8),
                     (0x2800, 0x2800), (0xe0100, 0xe01ef))
_INVISIBLE = frozenset(chr(c) for lo, hi in _IGNORABLE_RANGES for c in range(lo, hi + 1))


def invisible_problem(text: str) -> str | None:
    """The first character of ``text`` that shows nothing (:data:`_INVISIBLE` or a format
    character), named; or None. THE rule of a label (:func:`label_problem`) and of what a
    person is known by (a user name, an e-mail address: :mod:`lantu.store.users`).

    >>> invisible_problem("admin\u2800"), invisible_problem("组名")
    ('a name may not hold the invisible character U+2800', None)
    """
    if text.isascii():
        return None
    for ch in text:
        if ch in _INVISIBLE or unicodedata.category(ch) == "Cf":
            return f"a name may not hold the invisible character U+{ord(ch):04X}"
    return None


def label_problem(text: str) -> str | None:
    """Why ``text`` cannot be a label — a short name others pick or recognize a thing by (a
    region group's names, an API token's name, a user's display name, a department's name) —
    or None: the text rule (:func:`text_problem`), one line, no character that shows nothing
    (``组\u200b名`` beside ``组名``), and something shown when it is not empty (probe15).

    >>> label_problem("太原都市圈"), label_problem("组\u200b名"), label_problem("\u3000")
    (None, 'a name may not hold the invisible character U+200B', 'a name must show something, not only blanks')
    """
    if why := text_problem(text):
        return why
    if text.isascii() and text.isprintable():
        return None if not text or not text.isspace() else \
            "a name must show something, not only blanks"
    if any(ch in "\t\n\r" for ch in text):
        return "a name is one line"
    if why := invisible_problem(text):
        return why
    shown = any(not ch.isspace() for ch in text)
    return None if shown or not text else "a name must show something, not only blanks"


def trim(text: str) -> str:
    r"""``text`` without the blanks at its ends a person typed without seeing them (spaces,
    tabs, line ends, the ideographic space): the one trimming of a title or name before the
    gate. Unlike :meth:`str.strip`, it leaves what the text rule refuses (U+2028, U+2029, a
    control character such as U+000B or U+0085) where it is, so that the gate refuses it at the
    end of a text as it does inside one, instead of it being dropped silently (left12).

    >>> trim(" 任务\u3000\n"), trim("任务\u2028") == "任务\u2028"
    ('任务', True)
    """
    i, j = 0, len(text)
    while i < j and text[i].isspace() and _UNSTORABLE.match(text[i]) is None:
        i += 1
    while j > i and text[j - 1].isspace() and _UNSTORABLE.match(text[j - 1]) is None:
        j -= 1
    return text[i:j]


def storable(text: str) -> str:
    r"""``text`` with what :func:`text_problem` refuses shown as U+FFFD: for what Lantu keeps as
    a client told it, not as a user's input (a browser's ``User-Agent`` header, read by
    Starlette as Latin-1, holds U+0080-U+009F whenever its UTF-8 bytes do).

    >>> storable("Mozilla/5.0 \u00e2\x80\u00a6 \u202e") == "Mozilla/5.0 \u00e2\ufffd\u00a6 \ufffd"
    True
    """
    return _UNSTORABLE.sub("\ufffd", text)


#: the longest a free text of a source may be (an excerpt, a note, a milestone's clause): a
#: clause or two of an official text — the default's longest is 321 characters; the API says
#: the same (:mod:`lantu.web.api_schemas`)
MAX_TEXT = 4000
#: the longest text each text column of an observation frame may hold: the free texts
#: :data:`MAX_TEXT`, the others the store's column widths (``lantu.store.models``), so that a
#: table is refused with its row and column on SQLite as on PostgreSQL (which would refuse the
#: write; SQLite would keep it). Links have their own rule (:mod:`lantu.domain.links`).
TEXT_LIMITS = {"unit": 40, "flags": 200, "source_file": 500, "excerpt": MAX_TEXT,
               "source_note": MAX_TEXT, "source_published": 10}
#: the longest each text of a plan and its nodes may be: titles as the API and the pages
#: take them (``api_schemas_cycle``: 2,000), a node's clause and a note as long as a source's
#: free text may be ten times over (the default's longest are 38, 200 and 186 characters)
PLAN_TEXT_LIMITS = {"title": 2000, "title_en": 2000, "text": 10 * MAX_TEXT, "note": 10 * MAX_TEXT,
                    "source_file": 500, "milestones": 500}
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def length_problems(column: str, texts: Sequence[object]) -> list[tuple[int, str]]:
    """``(position, reason)`` for each text of ``column`` longer than its limit
    (:data:`TEXT_LIMITS`; one pass when none is)."""
    limit = TEXT_LIMITS.get(column)
    if limit is None:
        return []
    try:  # a column of text: one C-level pass
        if max(map(len, cast(Sequence[str], texts)), default=0) <= limit:
            return []
    except TypeError:  # not only text (a missing cell): each cell
        pass
    lengths = [len(t) if isinstance(t, str) else 0 for t in texts]
    return [(i, f"at most {limit} characters, not {n:,}") for i, n in enumerate(lengths)
            if n > limit]


def published_problem(text: str) -> str | None:
    """Why ``text`` cannot be when a source was published (it decides which source outranks
    which at equal quality: :func:`lantu.domain.observations.outranks`), or None: empty, or a
    year, month or day (``2024``, ``2024-03``, ``2024-03-05``) of a year Lantu handles.

    >>> published_problem("2024-03-05"), published_problem("9999")
    (None, 'the year 9999 is outside 1949–2100')
    """
    if not text:
        return None
    m = _PUBLISHED.fullmatch(text)
    if m is None:
        return f"{text[:20]!r} is not a date (2024, 2024-03 or 2024-03-05)"
    try:
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return f"{text!r} is not a date (2024, 2024-03 or 2024-03-05)"
    return year_problem(int(m.group(1)))


def published_for_period_problem(period: str | Period, published: str) -> str | None:
    """Why a figure of ``period`` cannot have been published on ``published`` (issue stops 2), or
    None: a figure is known at the earliest in the last month of its period — a year's in its
    December (an estimate, 预计全年), a quarter's in its third month — so a publication date
    that ends before that month began is no date of this figure's source (a page first put up
    in 2020-07 and updated with the 2024 bulletin carries 202007 in its URL). An empty or
    malformed date is :func:`published_problem`'s to judge.

    >>> published_for_period_problem("2024", "2020-07")
    'a figure of 2024 cannot have been published in 2020-07 (before 2024-12)'
    >>> published_for_period_problem("2024", "2024"), published_for_period_problem("2023", "2024-03-14")
    (None, None)
    """
    m = _PUBLISHED.fullmatch(published or "")
    if m is None or published_problem(published):
        return None
    per = period if isinstance(period, Period) else Period.parse(str(period))
    y, mo = int(m.group(1)), int(m.group(2) or 12)
    last = per.end
    if (y, mo) < (last.year, last.month):
        return (f"a figure of {per} cannot have been published in {published} "
                f"(before {last.year}-{last.month:02d})")
    return None


def source_problems(excerpt: str = "", note: str = "", file: str = "",
                    published: str = "") -> Problems:
    """The rules of a source's texts for one object (a target, a milestone): what
    :func:`observation_frame_problems` asks of a frame's columns."""
    out: Problems = []
    for name, column, text in (("excerpt", "excerpt", excerpt), ("note", "source_note", note),
                               ("source_file", "source_file", file),
                               ("published", "source_published", published)):
        out += [(name, r) for _, r in length_problems(column, [text or ""])]
        if text and (why := text_problem(text)):
            out.append((name, why))
    if (published or "") and (why := published_problem(published)):
        out.append(("published", why))
    return out


#: target kinds whose values are levels of the indicator itself (the range applies)
LEVEL_KINDS = ("level", "ceiling", "floor")

Problems = list[tuple[str, str]]


def observation_frame_problems(frame: pd.DataFrame, indicators: Mapping[str, Indicator],
                               today: date, *, regions: Collection[str] | None = None
                               ) -> list[tuple[int, str, str]]:
    """THE rules for observations, column-wise: ``(position, field, reason)`` for every row of
    an observation frame (:data:`lantu.domain.observations.FRAME_COLUMNS`; ``position`` counts
    from 0) that may not be written, in row order. Every write asks this: an import checks its
    whole table at once, ``POST /api/v1/observations`` a frame of one row
    (:func:`observation_problems`), and the store again just before it writes.

    The rules: the region is one the store holds or can take in (``regions``, see
    :func:`region_problems`; None: not checked); the indicator is in the catalogue and not
    derived; the unit, when given, is the
    indicator's; the value lies in the indicator's admissible range (catalogue data,
    :meth:`Indicator.outside`); the period has begun and its year is one Lantu handles
    (:func:`lantu.domain.periods.year_problem`: 1949–2100); links are http(s)
    (:func:`lantu.domain.links.url_problems`); no text holds a NUL byte, a lone surrogate or a
    reordering bidi control (:func:`text_problem`) nor is longer than its column
    (:data:`TEXT_LIMITS`); a publication date is a date (:func:`published_problem`), not before
    the figure could be known (:func:`published_for_period_problem`).
    """
    n = len(frame)
    found: list[tuple[int, int, str, str]] = []  # (position, rule order, field, reason)
    if not n:
        return []
    found += [(p, -1, f, r) for p, f, r in _region_frame_problems(frame["region_code"],
                                                                   regions)]
    # each distinct indicator is looked up once; its unit and range are then spread over rows
    ic, uniq = pd.factorize(frame["indicator_code"].to_numpy(object))
    entries = [indicators.get(str(c)) for c in uniq]
    known = np.array([e is not None for e in entries], dtype=bool)[ic]
    for pos in np.flatnonzero(~known):
        found.append((int(pos), 0, "indicator", f"unknown indicator {uniq[ic[pos]]!r}"))
    derived = np.array([e is not None and e.is_derived for e in entries], dtype=bool)[ic]
    for p in np.flatnonzero(derived):
        ind = entries[ic[p]]
        assert ind is not None
        found.append((int(p), 1, "indicator", f"{ind.code} is derived "
                      f"({ind.formula.expression if ind.formula else ''}) and computed on "
                      "demand; write its inputs instead"))
    values = frame["value"].to_numpy(dtype=float)
    units = frame["unit"].to_numpy(object) if "unit" in frame \
        else np.full(n, "", dtype=object)
    unit_of = np.array([e.unit if e is not None else "" for e in entries], dtype=object)[ic]
    for p in np.flatnonzero(known & (units != "") & (units != unit_of)):
        ind = entries[ic[p]]
        assert ind is not None
        found.append((int(p), 2, "unit", f"{ind.code} is measured in "
                      f"{ind.unit or 'plain numbers'!s}, not {units[p]!r}"))
    bounds = [e.bounds if e is not None else (None, None) for e in entries]
    low = np.array([-np.inf if b[0] is None else b[0] for b in bounds], dtype=float)[ic]
    high = np.array([np.inf if b[1] is None else b[1] for b in bounds], dtype=float)[ic]
    for p in np.flatnonzero(known & outside_bounds(values, low, high)):
        ind = entries[ic[p]]
        assert ind is not None
        found.append((int(p), 3, "value", ind.admissible(float(values[p])) or ""))
    periods = frame["period"].astype(object)
    wrong: dict[object, str] = {}
    for p in periods.unique():
        period = Period.parse(str(p))
        if why := year_problem(period.year):  # the one year rule of everything dated
            wrong[p] = f"period {p}: {why}"
        elif period.start > today:
            wrong[p] = f"period {p} is in the future"
    if wrong:
        for at in np.flatnonzero(periods.isin(list(wrong)).to_numpy(bool)):
            found.append((int(at), 4, "period", wrong[periods.iat[at]]))
    if "source_url" in frame:
        links = [u or "" for u in frame["source_url"].tolist()]
        for i, reason in enumerate(url_problems(links)):
            if reason:
                found.append((i, 5, "source_url", reason))
    for col in TEXT_LIMITS:
        if col in frame:
            found += [(i, 20, col, r) for i, r in length_problems(col, frame[col].tolist())]
    if "source_published" in frame:
        published = frame["source_published"]
        bad = {p: why for p in published.unique()
               if isinstance(p, str) and p and (why := published_problem(p))}
        if bad:
            for at in np.flatnonzero(published.isin(list(bad)).to_numpy(bool)):
                found.append((int(at), 21, "source_published", bad[published.iat[at]]))
        # each distinct (period, date) pair asked once: the pair as one number of the two
        # columns' codes (a Series of tuples cost 0.25 s for 100,000 rows)
        pc, pu = pd.factorize(periods.to_numpy(object), use_na_sentinel=False)
        qc, qu = pd.factorize(published.to_numpy(object), use_na_sentinel=False)
        kc, ku = pd.factorize(pc.astype(np.int64) * (len(qu) + 1) + qc)
        early = np.zeros(len(ku), dtype=object)
        for k, key in enumerate(ku):
            p, q = pu[key // (len(qu) + 1)], qu[key % (len(qu) + 1)]
            if isinstance(q, str) and q and q not in bad:
                early[k] = published_for_period_problem(str(p), q)
        for at in np.flatnonzero(early.astype(bool)[kc]):
            found.append((int(at), 22, "source_published", early[kc[at]]))
    for order, col in enumerate(c for c in FRAME_COLUMNS if c in frame and c != "value"):
        text = frame[col].tolist()
        try:
            joined = "".join(text)
        except TypeError:  # not only text: each cell as text
            joined = "".join(map(str, text))
        # printable ASCII (two C-level flags) holds nothing the rule refuses; any other text,
        # ASCII with a control character included, is searched
        if not (joined.isascii() and joined.isprintable()) and unstorable(joined):
            for i, x in enumerate(text):
                if isinstance(x, str) and (reason := text_problem(x)):
                    found.append((i, 6 + order, col, reason))
    found.sort(key=lambda f: (f[0], f[1]))
    return [(p, f, r) for p, _, f, r in found]


def observation_problems(obs: Observation, ind: Indicator | None, today: date) -> Problems:
    """What is wrong with writing ``obs`` (``ind`` is its catalogue entry, None if unknown):
    :func:`observation_frame_problems` for a frame of one row."""
    cat = {ind.code: ind} if ind is not None and ind.code == obs.indicator_code else {}
    return [(f, r) for _, f, r in observation_frame_problems(frame_of([obs]), cat, today)]


def target_problems(t: Target, ind: Indicator | None) -> Problems:
    """What is wrong with writing target ``t``: its values must be admissible figures of the
    indicator when they are levels (``level``, ``ceiling``, ``floor``)."""
    if ind is None:
        return [("indicator", f"unknown indicator {t.indicator_code!r}")]
    out: Problems = []
    if why := year_problem(t.target_period.year):
        out.append(("target_period", f"the target period {t.target_period}: {why}"))
    if t.base_period is not None and (why := year_problem(t.base_period.year)):
        out.append(("base_period", f"the base period {t.base_period}: {why}"))
    if t.kind in LEVEL_KINDS:
        for name in ("value", "value_high"):
            v = getattr(t, name)
            if v is not None and (reason := ind.admissible(v)):
                out.append((name, reason))
    if t.base_value is not None and (reason := ind.admissible(t.base_value)):
        out.append(("base_value", reason))
    if reason := url_problem(t.source.url):
        out.append(("source_url", reason))
    out += source_problems(t.source.excerpt, t.source.note, t.source.file, t.source.published)
    return out


def plan_problems(plan: Plan, *, departments: set[str] | None = None,
                  indicators: set[str] | None = None,
                  regions: Collection[str] | None = None) -> list[tuple[str, str, str]]:
    """What is wrong with writing ``plan``: ``(plan, field, reason)`` for its link, its
    departments and indicators (a node's own rules, such as dates in order, hold when it is
    built: :class:`~lantu.domain.plans.PlanNode`); as for observations, no text holds a NUL
    byte or a lone surrogate (:func:`text_problem`: the rule is the same on every database)."""
    out: list[tuple[str, str, str]] = []
    if reason := url_problem(plan.source_url):
        out.append((plan.code, "source_url", reason))
    if regions is not None and plan.region_code and plan.region_code not in regions:
        # a plan's region must be in the store (its key): `lantu plan load` into a database
        # without the regions ended in the database's IntegrityError (probe16)
        out.append((plan.code, "region", f"unknown region {plan.region_code!r}: not a region "
                                         "of the database (lantu init loads the default's)"))
    texts = [("title", plan.title), ("title_en", plan.title_en), ("note", plan.note),
             ("source_file", plan.source_file)]
    for _, node in plan.walk():
        texts += [(f"{node.code}.{name}", str(getattr(node, name) or "")) for name in
                  ("title", "title_en", "text", "note")]
        texts += [(f"{node.code}.milestones", m.title) for m in node.milestones]
    out += [(plan.code, name, reason) for name, text in texts if (reason := text_problem(text))]
    # a plan's texts are bounded as the API's and the pages' are: a title of a million
    # characters was loaded from a YAML plan (probe16); one rule for every way a plan comes in
    out += [(plan.code, name, f"at most {limit} characters, not {len(text):,}")
            for name, text in texts
            if len(text) > (limit := PLAN_TEXT_LIMITS[name.rpartition(".")[2] or name])]
    try:
        plan.validate(departments=departments, indicators=indicators)
    except ValidationError as exc:
        out.append((plan.code, exc.field or "", str(exc).split(": ", 1)[-1]))
    return out


class GateRefused(ValidationError):
    """Objects the gate refused: ``problems`` holds ``(key, field, reason)`` for each."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first[0]}: {first[2]}{more}", field=first[1])


def check_plan(plan: Plan, *, departments: set[str] | None = None,
               indicators: set[str] | None = None,
               regions: Collection[str] | None = None) -> None:
    """Raise :class:`GateRefused` when ``plan`` may not be written (:func:`plan_problems`)."""
    if bad := plan_problems(plan, departments=departments, indicators=indicators,
                            regions=regions):
        raise GateRefused(bad)


def region_problems(code: str, regions: Collection[str] | None) -> Problems:
    """A region must be one the store holds or can take in: a division of the embedded
    GB/T 2260 list or a user-defined region (``regions``: those codes; None: not checked)."""
    return [(f, r) for _, f, r in _region_frame_problems([code], regions)]


def _region_frame_problems(codes: Sequence[str] | pd.Series, regions: Collection[str] | None
                           ) -> list[tuple[int, str, str]]:
    if regions is None:
        return []
    codes = pd.Series(codes, dtype=object) if not isinstance(codes, pd.Series) else codes
    unknown = np.flatnonzero(~codes.isin(list(regions)).to_numpy(bool))
    return [(int(i), "region_code", f"unknown region {codes.iat[i]!r}: not a GB/T 2260 "
                                    "division (defaults/data/gbt2260.csv) nor a region of the "
                                    "database") for i in unknown]


@dataclass(frozen=True, eq=True)
class Rules:
    """What a frame was checked against: the indicator catalogue (codes, units, admissible
    ranges, formulas) and the day (a period must have begun). A check under rules equal to
    those in force need not be repeated (:func:`check_frame`)."""

    indicators: Mapping[str, Indicator]
    today: date

    __hash__ = None  # type: ignore[assignment]


def check_frame(frame: pd.DataFrame, *, indicators: Mapping[str, Indicator],
                today: date | None = None, regions: Collection[str] | None = None,
                checked: Rules | None = None) -> Rules:
    """Raise :class:`GateRefused` naming every row of an observation frame that may not be
    written (:func:`observation_frame_problems`; ``regions``: the admissible region codes).

    ``checked``: the rules this very frame already passed (the import checks its table
    column-wise as it reads it, so its report names file, row and column). When they equal
    the rules in force only the references are asked again — every region admissible, every
    indicator in the catalogue (:func:`reference_problems`): a frame is validated once, and
    its foreign keys are known to hold before the store writes. Returns the rules applied."""
    rules = Rules(indicators, today or date.today())
    if checked is not None and checked == rules:
        bad = reference_problems(frame, indicators, regions)
    else:
        bad = observation_frame_problems(frame, indicators, rules.today, regions=regions)
    if bad:
        keys = frame[["region_code", "period", "indicator_code"]].astype(str)
        raise GateRefused([("/".join(keys.iloc[p]), f, r) for p, f, r in bad])
    return rules


def reference_problems(frame: pd.DataFrame, indicators: Mapping[str, Indicator],
                       regions: Collection[str] | None) -> list[tuple[int, str, str]]:
    """The references of an observation frame, column-wise: each region admissible (see
    :func:`region_problems`; None: not checked), each indicator in the catalogue."""
    found = _region_frame_problems(frame["region_code"], regions)
    codes = frame["indicator_code"]
    for pos in np.flatnonzero(~codes.isin(list(indicators)).to_numpy(bool)):
        found.append((int(pos), "indicator", f"unknown indicator {codes.iat[pos]!r}"))
    return sorted(found, key=lambda f: f[0])


def check(observations: Iterable[Observation] = (), targets: Iterable[Target] = (), *,
          indicators: Mapping[str, Indicator], today: date | None = None,
          regions: Collection[str] | None = None) -> None:
    """Raise :class:`GateRefused` naming every object that may not be written (``regions``:
    the admissible region codes, see :func:`region_problems`)."""
    today = today or date.today()
    bad: list[tuple[str, str, str]] = []
    observations = list(observations)
    if observations:
        try:
            check_frame(frame_of(observations), indicators=indicators, today=today,
                        regions=regions)
        except GateRefused as exc:
            bad += exc.problems
    for t in targets:
        key = f"{t.region_code}/{t.target_period}/{t.indicator_code}"
        bad += [(key, f, r) for f, r in region_problems(t.region_code, regions)
                + target_problems(t, indicators.get(t.indicator_code))]
    if bad:
        raise GateRefused(bad)
