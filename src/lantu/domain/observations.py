"""Observations: one value of one indicator for one region and period, with its source."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from lantu.domain.errors import ValidationError
from lantu.domain.links import check_url, lines_naming, url_hosts
from lantu.domain.periods import Period
from lantu.domain.regions import check_region_code

FLAGS = (
    "preliminary",  # a first figure (work report, early release), may be revised
    "revised",  # the value replaced an earlier one (see the revision history)
    "estimated",  # the source calls it an estimate (预计)
    "imputed",  # filled in by Lantu's imputation, not observed
    "weak_source",  # not the statistical bulletin itself: a repost, news report, ranking table
    "approximate",  # the source says 约/近/左右
    "lower_bound",  # the source says 超过/以上: the true value is at least this
    "upper_bound",  # the source says 不到/以内: the true value is at most this
    "registered",  # unemployment: registered rate (城镇登记失业率)
    "surveyed",  # unemployment: surveyed rate (城镇调查失业率)
    "no_official_url",  # the source text is known but not its official address
    "machine_read",  # read from a text by `lantu extract`, no person has reviewed it yet
)


#: The flag an observed figure stated as a bound or an approximation carries (the qualifier words
#: of ``lantu extract``): "控制在3%以内" is at most 3, never exactly 3.
QUALIFIER_FLAGS = {"左右": "approximate", "以上": "lower_bound", "突破": "lower_bound",
                   "以内": "upper_bound"}


def qualifier_flag(qualifier: str | None, value: float | None) -> str | None:
    """The flag a figure stated with ``qualifier`` carries (:data:`QUALIFIER_FLAGS`), the one
    rule of which side a qualifier bounds, asked by every reader of qualifiers (the review file
    of ``lantu import``, the default's build, the target's status).

    The words bound the number as the text writes it, and a text writes a fall by its size:
    "下降幅度超过30%" is stored as −30 and the true change is −30 or less — an upper bound;
    "降幅控制在5%以内" (−5) is at least −5. So on a negative figure the bound turns; an
    approximation stays one.

    Examples
    --------
    >>> qualifier_flag("突破", 180), qualifier_flag("突破", -30), qualifier_flag("以内", -5)
    ('lower_bound', 'upper_bound', 'lower_bound')
    >>> qualifier_flag("左右", -2.5), qualifier_flag("", 3) is None
    ('approximate', True)
    """
    flag = QUALIFIER_FLAGS.get((qualifier or "").strip())
    if flag in ("lower_bound", "upper_bound") and value is not None and value < 0:
        return "upper_bound" if flag == "lower_bound" else "lower_bound"
    return flag


#: the two flags of a figure stated as a bound
BOUND_FLAGS = ("lower_bound", "upper_bound")


def bound_of(flags: object) -> str | None:
    """``"lower_bound"`` or ``"upper_bound"`` when a figure's flags (text or set) say it is
    only a bound ("突破5000亿元": at least 5,000), else None — the one reading of the flags
    every view asks before it uses a figure as the value itself (a status, a trend, a share).

    >>> bound_of("preliminary;lower_bound;machine_read"), bound_of("derived") is None
    ('lower_bound', True)
    """
    if isinstance(flags, str):
        text = flags
    else:
        text = ";".join(str(f) for f in flags) if isinstance(flags, Iterable) else ""
    found = [f for f in BOUND_FLAGS if f in text.replace(",", ";").split(";")]
    return found[0] if len(found) == 1 else None


def measured(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a long table of figures (with ``flags``) that are measurements, not bounds
    (:func:`bound_of`): what a comparison across regions, an index and a map take. A bound is
    no figure to rank, scale or colour by ("突破5000亿元" ranked as 5,000 put a city last among
    its peers whatever its GDP); it is missing there, and an index fills it as it fills any
    missing figure, saying so."""
    if frame.empty or "flags" not in frame:
        return frame
    keep = np.fromiter((bound_of(f or "") is None for f in frame["flags"]), dtype=bool,
                       count=len(frame))
    return frame if keep.all() else frame[keep]


#: the sign a figure given only as a bound is written with (≥ 5,000: at least 5,000)
BOUND_SIGNS = {"lower_bound": "≥", "upper_bound": "≤"}


def bound_sign(bound: object) -> str:
    """``≥`` for a lower bound, ``≤`` for an upper one (:func:`bound_of`), else nothing: what
    every table writes before such a figure, in either language.

    >>> bound_sign("lower_bound") + "5000", bound_sign(None)
    ('≥5000', '')
    """
    return BOUND_SIGNS.get(str(bound), "") if bound else ""


def quotient_bound(numerator: str | None, denominator: str | None) -> str | None:
    """What a quotient of two positive figures is when either is only a bound
    (:func:`bound_of`): ``"exact"``, ``"lower_bound"``, ``"upper_bound"`` or None (the bounds
    leave it open: a city's GDP of at least 5,000 over a province's of at least 25,000 may be
    any share). A larger numerator or a smaller denominator makes the quotient larger.

    >>> quotient_bound(None, None), quotient_bound("lower_bound", None)
    ('exact', 'lower_bound')
    >>> quotient_bound(None, "lower_bound"), quotient_bound("lower_bound", "lower_bound") is None
    ('upper_bound', True)
    """
    flip = {"lower_bound": "upper_bound", "upper_bound": "lower_bound", None: None}
    sides = {numerator, flip[denominator]} - {None}
    if not sides:
        return "exact"
    return sides.pop() if len(sides) == 1 else None


def parse_flags(value: object) -> frozenset[str]:
    """Flags from ``"preliminary;weak_source"`` (``;``, ``,`` or ``|`` separated) or a sequence."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frozenset()
    items = value if isinstance(value, (list, tuple, set, frozenset)) else \
        str(value).replace(",", ";").replace("|", ";").split(";")
    flags = frozenset(str(f).strip() for f in items if str(f).strip())
    unknown = flags - set(FLAGS)
    if unknown:
        raise ValidationError(f"unknown flag(s) {sorted(unknown)}; known: {', '.join(FLAGS)}",
                              field="flags")
    return flags


def format_flags(flags: frozenset[str] | set[str]) -> str:
    return ";".join(f for f in FLAGS if f in flags)


# -- source quality ------------------------------------------------------------------------------

#: Source qualities, best first (labels: ``quality.<code>`` in ``locale/*/evidence.yaml``).
SOURCE_QUALITIES = (
    "official_statistics",  # a statistical bulletin or yearbook of a statistics bureau
    "official_report",  # a government work report: preliminary for the year it reviews
    "official_other",  # another official text (a department's release, a plan, a provincial table)
    "third_party",  # a repost, news report, aggregator or ranking table
    "none",  # no source stated
)
OFFICIAL_QUALITIES = SOURCE_QUALITIES[:3]
_RANK = {q: len(SOURCE_QUALITIES) - 1 - i for i, q in enumerate(SOURCE_QUALITIES)}


def check_quality(value: object) -> str:
    """A source quality code (``""`` and ``None`` are ``none``); anything else is refused."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else str(value).strip()
    if not text:
        return "none"
    if text not in _RANK:
        raise ValidationError(f"unknown source quality {text!r}; known: "
                              f"{', '.join(SOURCE_QUALITIES)}", field="source_quality")
    return text


def quality_rank(quality: Any) -> Any:
    """How good a source is, as a number (official_statistics 4 … none 0); element-wise on an
    array or Series of codes. An unknown or empty code ranks as ``none``."""
    if isinstance(quality, str) or quality is None:
        return _RANK.get(quality or "none", 0)
    return np.fromiter((_RANK.get(q or "none", 0) if isinstance(q, str) else 0 for q in quality),
                       dtype=np.int8, count=len(quality))


def is_official(quality: Any) -> Any:
    """Whether a source quality is official (statistics, report or other); element-wise too."""
    return quality_rank(quality) >= _RANK["official_other"]


def outranks(new_quality: Any, new_published: Any, old_quality: Any, old_published: Any) -> Any:
    """THE precedence rule of Lantu: does a new value replace the one stored for the same key?

    The higher source quality wins; at equal quality the later publication wins (publication
    dates as ISO text, ``"2024"``, ``"2024-03"`` or ``"2024-03-05"``; an empty date is the
    earliest); at equal quality and publication the newer arrival wins (a repeat or a correction
    of the same source). The loser is kept as a revision. Because ``third_party`` ranks below
    every official quality, a third-party value never outranks an official one.

    Works on scalars (returns ``bool``) and element-wise on arrays, lists or Series of equal
    length (returns a boolean array), so an import can apply it column-wise.

    >>> outranks("official_statistics", "2024", "official_report", "2025")
    True
    >>> outranks("third_party", "2026", "official_report", "2020")
    False
    >>> outranks("official_report", "2025", "official_report", "2024")
    True
    >>> outranks(["none", "official_report"], ["", "2024"], ["none", "official_report"],
    ...          ["2020", "2025"]).tolist()
    [False, False]
    """
    if isinstance(new_quality, str) or new_quality is None:
        rn, ro = quality_rank(new_quality), quality_rank(old_quality)
        pn, po = str(new_published or ""), str(old_published or "")
        return bool(rn > ro or (rn == ro and pn >= po))
    rn, ro = quality_rank(new_quality), quality_rank(old_quality)
    pub_n = np.asarray(["" if p is None or p != p else str(p) for p in new_published], dtype=object)
    pub_o = np.asarray(["" if p is None or p != p else str(p) for p in old_published], dtype=object)
    return (rn > ro) | ((rn == ro) & (pub_n >= pub_o).astype(bool))


_GOV_HOST = re.compile(r"(^|\.)(gov\.cn|stats\.gov\.cn)$")
#: words in a link or a note that name a statistical bulletin or yearbook
STATISTICS_WORDS = ("统计公报", "tjgb", "统计年鉴", "tjnj", "stats.gov.cn")


def infer_qualities(urls: Sequence[str], flags: Sequence[Any], notes: Sequence[str], *,
                    kind: str = "") -> list[str]:
    """The source quality rows get when their table has no ``source_quality`` column; THE rule,
    column-wise (:func:`infer_quality` is one row of it). ``flags`` are sets of flag codes.

    * ``weak_source`` flag (a repost, news report, ranking table) → ``third_party``;
    * a URL on a government host (``*.gov.cn``): ``official_statistics`` when it or the note
      names a statistical bulletin or yearbook (统计公报, tjgb, 统计年鉴); ``official_report`` for a
      figure read from a work report (``kind`` ``report``, or flagged ``preliminary``); else
      ``official_other``;
    * any other URL → ``third_party``;
    * no URL and no file → ``none``; a file without a URL (a table the user brings) → ``none``
      too: its standing is unknown until someone states it in a ``source_quality`` column.
    """
    urls, notes = [u or "" for u in urls], [t or "" for t in notes]
    codes, hosts = pd.factorize(np.asarray(url_hosts(urls), dtype=object))
    gov = np.array([bool(_GOV_HOST.search(h)) for h in hosts], dtype=bool)[codes]
    has_host = np.array([bool(h) for h in hosts], dtype=bool)[codes]
    statistics = lines_naming(urls, STATISTICS_WORDS) | lines_naming(notes, STATISTICS_WORDS)
    # a column's flags are a few sets shared by many rows: each distinct one is asked once
    flags = list(flags)
    fc, objects = pd.factorize(np.fromiter(map(id, flags), dtype=np.int64, count=len(flags)))
    first = np.empty(len(objects), dtype=np.int64)
    first[fc[::-1]] = np.arange(len(fc) - 1, -1, -1)  # where each set first appears
    distinct = [flags[i] for i in first]
    weak = np.array([bool(f) and "weak_source" in f for f in distinct], dtype=bool)[fc]
    early = np.array([bool(f) and "preliminary" in f for f in distinct], dtype=bool)[fc]
    out = np.select([weak, ~has_host, ~gov, statistics, early | (kind == "report")],
                    ["third_party", "none", "third_party", "official_statistics",
                     "official_report"], "official_other")
    return out.tolist()


def infer_quality(url: str = "", file: str = "", *, flags: Any = (), note: str = "",
                  kind: str = "") -> str:
    """The source quality of one row when its table has no ``source_quality`` column
    (:func:`infer_qualities`; ``file`` does not change it)."""
    return infer_qualities([url], [flags], [note], kind=kind)[0]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a number comes from: a URL or a file, the words around it, how good the source is
    (:data:`SOURCE_QUALITIES`) and when it was published (ISO text, ``"2024"`` or
    ``"2024-03-05"``; what :func:`outranks` compares at equal quality)."""

    url: str = ""
    file: str = ""
    excerpt: str = ""
    note: str = ""
    quality: str = "none"
    published: str = ""

    def __post_init__(self) -> None:
        check_url(self.url)
        object.__setattr__(self, "quality", check_quality(self.quality))
        object.__setattr__(self, "published", str(self.published or "").strip())

    @property
    def is_empty(self) -> bool:
        return not (self.url or self.file)


@dataclass(frozen=True, slots=True)
class Observation:
    region_code: str
    period: Period
    indicator_code: str
    value: float
    unit: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)
    source: Source = field(default_factory=Source)
    created_by: str = ""
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "region_code", check_region_code(self.region_code))
        object.__setattr__(self, "period", Period.parse(self.period))
        object.__setattr__(self, "flags", parse_flags(self.flags))
        if not isinstance(self.value, (int, float)) or isinstance(self.value, bool) or \
                not math.isfinite(self.value):
            raise ValidationError(f"value must be a finite number, got {self.value!r}", field="value")
        object.__setattr__(self, "value", float(self.value))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.region_code, str(self.period), self.indicator_code)


#: The columns of an observation frame: one row per observation, as it is stored
#: (``flags`` formatted, the source spread over its fields). The gate checks such frames
#: (:func:`lantu.domain.gate.observation_frame_problems`) and the store writes them in bulk.
FRAME_COLUMNS = ("region_code", "period", "indicator_code", "value", "unit", "flags",
                 "source_url", "source_file", "excerpt", "source_note", "source_quality",
                 "source_published")


#: the key of an observation frame, in the order of the store's unique key
KEY_COLUMNS = ("region_code", "period", "indicator_code")


def key_order(frame: pd.DataFrame, ranks: Sequence[np.ndarray] | None = None) -> np.ndarray:
    """The rows of an observation frame in key order (region, period, indicator: the store's
    unique key, whose index pages are then filled in order when the rows are written).
    ``ranks``: each key column's texts as their rank among its distinct texts already (a
    reader that looked each distinct text up knows them)."""
    if ranks is None:
        ranks = [pd.factorize(frame[c], sort=True)[0] for c in KEY_COLUMNS]
    return np.lexsort(list(reversed(ranks)))


def frame_of(observations: Sequence[Observation]) -> pd.DataFrame:
    """Observations as an observation frame (:data:`FRAME_COLUMNS`)."""
    rows = [(o.region_code, str(o.period), o.indicator_code, o.value, o.unit, format_flags(o.flags),
             o.source.url, o.source.file, o.source.excerpt, o.source.note, o.source.quality,
             o.source.published) for o in observations]
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS), dtype=object)
    frame["value"] = frame["value"].astype(float)
    return frame
