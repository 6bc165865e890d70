"""Pydantic models at the edge of the JSON API (``/api/v1``), one family per entity:
``<Entity>Public`` (what a read returns), ``<Entity>ListPublic`` (a page of them with the total),
``<Entity>Create`` (what a write accepts), as in the FastAPI full-stack template.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from lantu.domain import FLAGS, KINDS, ValidationError, check_region_code
from lantu.domain.gate import MAX_TEXT
from lantu.domain.indicators import number_problem, read_typed_number
from lantu.domain.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    Period,
    read_month,
    read_period,
    read_year,
    year_problem,
)
from lantu.errors import LantuError

#: the review marker (lantu.domain.review), one wording for every schema that carries it
MACHINE_READ_HELP = ("read from a text by lantu extract, not confirmed by a person yet; where a "
                     "reviewed target of the same indicator, year and kind exists it does not "
                     "count, and a goal judged only on machine-read targets says so")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


#: Times are stored in UTC without a zone; the API says so (RFC 3339 with ``Z``/offset).
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]

#: the largest id a database row has (PostgreSQL ``integer``): a bigger number is no id at all
MAX_ID = 2**31 - 1


class MisreadFloat(float):
    """A JSON number that does not hold what was written (``1e-400`` read as 0, ``5e-324`` as a
    subnormal: :func:`lantu.domain.indicators.number_problem`), as :func:`json_float` reads
    it: still the float it was read as wherever a float is taken, refused by :data:`Number`."""

    why: str

    def __new__(cls, value: float, why: str) -> MisreadFloat:
        self = super().__new__(cls, value)
        self.why = why
        return self


def json_float(text: str) -> float:
    """A JSON number with a point or an exponent, as the API reads it (``json.loads``'s
    ``parse_float``): the float, marked when it is not the number written."""
    value = float(text)
    why = number_problem(text, value)
    return MisreadFloat(value, why) if why else value


class DuplicateKey(LantuError, ValueError):
    """A JSON object naming one key twice (:func:`json_object`); a ValueError as the JSON
    reader's own refusals are."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the key {key!r} is given twice in one object")
        self.key = key


def json_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object as the API reads it (``json.loads``'s ``object_pairs_hook``): each key
    once. RFC 8259 §4 leaves an object with a key twice to the parser (the first, the last or
    an error), so a proxy, a log or a firewall that keeps the first and Python, which keeps the
    last, read two different requests (probe24: ``{"percent": 10, "percent": 90}`` stored 90).
    Raises :class:`DuplicateKey` naming the key, also when the two are written differently
    (``"percent"`` and ``"perc\\u0065nt"``).

    >>> import json
    >>> json.loads('{"a": 1, "b": {"c": 2}}', object_pairs_hook=json_object)
    {'a': 1, 'b': {'c': 2}}
    >>> json.loads('{"a": 1, "a": 2}', object_pairs_hook=json_object)
    Traceback (most recent call last):
    ...
    lantu.web.api_schemas.DuplicateKey: the key 'a' is given twice in one object
    """
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return out


def _held(value: object) -> object:
    if isinstance(value, MisreadFloat):
        raise ValueError(value.why)
    if isinstance(value, float) and value == 0:  # -0.0 is 0, as a form's -0 (probe13: a
        return 0.0  # part's history showed "-0%" again through the JSON API, web8's case)
    return value


def form_number(value: object) -> object:
    """A form field's number as the pages read it — every number field of a form: the one
    rule of a number a person types (:func:`lantu.domain.indicators.read_typed_number`: a
    plain decimal, full-width made ASCII, not ``1_0``; too small refused; ``-0`` is 0)."""
    return read_typed_number(value) if isinstance(value, str) else value


def _year(value: object) -> object:
    if isinstance(value, str):
        return read_year(value)  # its ValueError is pydantic's 422, naming the field
    if isinstance(value, int) and not isinstance(value, bool) and (why := year_problem(value)):
        raise ValueError(why)
    return value


def _year_or_none(value: object) -> object:
    return None if value == "" else _year(value)


#: A number a write accepts: a JSON number, finite — not ``true`` (read as 1 otherwise), not a
#: string of digits (``"1e5"``), not NaN or Infinity, not one too small to store exactly
#: (``1e-400``, ``5e-324``: 422 naming the field). Every number of a ``…Create``/``…In``
#: model is one of these.
Number = Annotated[float, BeforeValidator(_held), Field(strict=True, allow_inf_nan=False)]
def whole_number(value: object) -> object:
    """THE rule of a whole number in a URL — a row id in the path, ``limit``, ``offset``, a
    page: the digits 0-9 and nothing else. Read by pydantic's own rule, ``/tasks/87.0``,
    ``+87``, ``8_7``, ``087`` and `` 87`` were task 87 and ``?limit=1_0`` ten (probe13): one
    thing under many addresses, and not the rule every other number of Lantu keeps (the years:
    :func:`lantu.domain.periods.read_year`; a form's numbers: :func:`form_number`). Bounds are
    each parameter's own (``ge``/``le``). A value that is no text (a Python caller) is left to
    them."""
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()) or (len(value) > 1 and value[0] == "0"):
            # pydantic's own words for a text that is no integer (one reason, translated once)
            raise ValueError("Input should be a valid integer, unable to parse string as an "
                             "integer")
        # more digits than any bound has are read as a number past every bound (the bound
        # names the parameter); int() refuses a text of more than 4,300 digits (probe23)
        return int(value) if len(value) <= 30 else 10**30
    return value


def row_id(value: str) -> int | None:
    """The row id a path's text names by the one rule of a whole number (:func:`whole_number`),
    or None when it names none (not the rule's digits, 0, or past :data:`MAX_ID`)."""
    try:
        n = whole_number(value)
    except ValueError:
        return None
    return n if isinstance(n, int) and 1 <= n <= MAX_ID else None


#: Every whole number of a path or a query carries it (a test walks the routes): 422 naming
#: the parameter, as for a number out of its bounds.
WholeNumber = BeforeValidator(whole_number)
#: A number of a form (the pages), every one — a part's progress and weight, a report's
#: percent, a form's version: :func:`form_number`.
FormNumber = BeforeValidator(form_number)
#: A year a query or a form takes (``?year=``, the text review's year): the one year rule of
#: everything dated (:func:`lantu.domain.periods.read_year`), 422 naming it — every route and
#: page taking a year. The bounds are the rule's, given to the OpenAPI document.
_Years = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Year = Annotated[_Years, BeforeValidator(_year)]
#: The same, optional: an empty value (a picker's "every year") is none.
OptionalYear = Annotated[_Years | None, BeforeValidator(_year_or_none)]


def _month_or_none(value: object) -> object:
    if value == "":
        return None
    return read_month(value) if isinstance(value, str) else value


def _period_or_none(value: object) -> object:
    if value == "":
        return None
    return read_period(value) if isinstance(value, str) else value


#: A month a list or a page filters by (``?month=``: progress reports, a task's report form):
#: ``YYYY-MM`` of the one year rule (:func:`lantu.domain.periods.read_month`), 422 naming it —
#: a month no report can have is refused, not answered with an empty list. Empty: any month.
OptionalMonth = Annotated[Annotated[str, Field(pattern="^[0-9]{4}-[0-9]{2}$")] | None,
                          BeforeValidator(_month_or_none)]
#: A period a list filters by (``from``, ``to``): a year, quarter or month of the one year rule
#: (:func:`lantu.domain.periods.read_period`), in the form periods are stored in; 422 naming it.
OptionalPeriod = Annotated[Annotated[str, Field(max_length=10)] | None,
                           BeforeValidator(_period_or_none)]
#: A yes/no a write accepts: JSON ``true`` or ``false`` — not ``1``, ``"yes"`` or ``"on"``
#: (pydantic reads those as true otherwise). Every flag of a ``…Create``/``…In`` model is one.
Flag = Annotated[bool, Field(strict=True)]
#: A row id a write accepts: a JSON whole number 1 … :data:`MAX_ID` (not ``true``), else 422
#: before the database is asked (SQLite cannot even bind an integer beyond 64 bits).
RowId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]


def _iso_day(value: object) -> object:
    """A day as a write gives it: the text ``YYYY-MM-DD`` (a ``date`` from Python callers)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


_ISO_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A date a write accepts (JSON or form): the text ``YYYY-MM-DD`` only, else 422 — not a number
#: or a digit string read as seconds since 1970 (``0``, ``"1654646400"``), not a date-time.
#: Every date of a ``…Create``/``…In``/``…Patch`` model and of a page's form is one of these.
Day = Annotated[date, BeforeValidator(_iso_day)]


class ErrorPublic(BaseModel):
    """Every error of the API: what went wrong in words, and a stable code."""

    detail: str = Field(description="what went wrong, naming the field or the object")
    error: str = Field(description="stable code: not_found, validation_error, unauthorized, "
                                   "forbidden, conflict, bad_request")
    errors: list[FieldError] = Field(default_factory=list,
                                     description="one entry per invalid field (422 only), "
                                                 "the first 50")
    errors_omitted: int = Field(0, description="how many invalid fields were not listed")


class FieldError(BaseModel):
    field: str
    reason: str


class Page(BaseModel):
    total: int = Field(ge=0, description="number of items matching the filters")
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)


# -- reference data ---------------------------------------------------------------------------


class RegionPublic(BaseModel):
    code: str = Field(description="GB/T 2260 code (or a planning zone code Z + 5 digits)")
    name_zh: str
    name_en: str
    level: str
    parent: str | None


class RegionListPublic(BaseModel):
    data: list[RegionPublic]
    count: int


class RegionGroupPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    members: list[str]


class RegionGroupListPublic(BaseModel):
    data: list[RegionGroupPublic]
    count: int


class RegionGroupCreate(BaseModel):
    """A region group (peer group) to create, or whose name and members to replace."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=40, examples=["north_capitals"])
    name_zh: str = Field(min_length=1, max_length=200, examples=["北方省会"])
    name_en: str = Field(default="", max_length=200)
    members: list[str] = Field(min_length=1, max_length=5000, examples=[["130100", "140100"]],
                               description="GB/T 2260 codes or region names")
    note: str = Field(default="", max_length=2000)


class IndicatorPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: int = Field(description="1 more is better, -1 less is better, 0 neither")
    pillar: str | None
    note: str


class IndicatorListPublic(BaseModel):
    data: list[IndicatorPublic]
    count: int


# -- observations -----------------------------------------------------------------------------


class SourcePublic(BaseModel):
    url: str
    file: str
    excerpt: str
    note: str = ""


class RevisionPublic(BaseModel):
    version: int
    value: float
    unit: str
    flags: list[str]
    source_url: str
    excerpt: str
    recorded_by: str
    recorded_at: UtcDatetime | None
    replaced_by: str
    replaced_at: UtcDatetime | None


class ObservationPublic(BaseModel):
    id: int
    region_code: str
    period: str
    indicator: str
    value: float
    unit: str
    flags: list[str]
    source: SourcePublic
    version: int
    updated_at: UtcDatetime | None


class ObservationDetailPublic(ObservationPublic):
    history: list[RevisionPublic] = Field(description="earlier versions, oldest first")


class ObservationListPublic(Page):
    data: list[ObservationPublic]


class ObservationCreate(BaseModel):
    """One observation to insert or revise (same region, period and indicator: a revision)."""

    model_config = ConfigDict(extra="forbid")

    region_code: str = Field(examples=["140100"])
    period: str = Field(examples=["2023"], description="YYYY, YYYYQn or YYYY-MM")
    indicator: str = Field(examples=["gdp"])
    value: Number
    unit: str = ""
    flags: list[str] = Field(default_factory=list, description=f"any of {', '.join(FLAGS)}")
    source_url: str = Field(min_length=1, max_length=2000,
                            description="where the number comes from (required)")
    excerpt: str = Field(default="", max_length=MAX_TEXT)

    @field_validator("region_code")
    @classmethod
    def _region(cls, v: str) -> str:
        try:
            return check_region_code(v)
        except ValidationError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        try:
            return str(Period.parse(v))
        except ValidationError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("flags")
    @classmethod
    def _flags(cls, v: list[str]) -> list[str]:
        bad = [f for f in v if f not in FLAGS]
        if bad:
            raise ValueError(f"unknown flag(s) {bad}; known: {', '.join(FLAGS)}")
        return v


class ObservationCreateResult(BaseModel):
    action: str = Field(description="inserted, revised or unchanged")
    observation: ObservationDetailPublic


# -- targets ----------------------------------------------------------------------------------


class TargetStatusPublic(BaseModel):
    status: str = Field(description="achieved, missed, on_track, moderately_improving, "
                                    "stagnating, deteriorating, pending or no_data")
    colour: str
    arrow: str
    met: bool | None
    year: int | None = Field(description="year of the figure evaluated (the last year of its "
                                         "span when since is set)")
    since: int | None = Field(None, description="first year of the span the figure is computed "
                                                "over: an average growth or a cumulative change "
                                                "over a plan's years; null for one year's figure")
    measured: str = Field("", description="the figure's years in words, as the targets page "
                                          "shows them: 2021, 2006–2010 average, 2022–2025 "
                                          "cumulative")
    current: float | None
    gap: float | None = Field(description="current - target (negative: short of it)")
    outcome: str = Field(description="met, missed or open")
    explanation: str


class TargetPublic(BaseModel):
    id: int
    region_code: str
    indicator: str
    plan: str
    base_period: str | None
    base_value: float | None
    target_period: str
    kind: str = Field(description=f"one of {', '.join(KINDS)}")
    value: float
    value_high: float | None
    qualifier: str | None
    binding: bool
    unit: str
    source: SourcePublic
    source_quality: str
    machine_read: bool = Field(description=MACHINE_READ_HELP)
    evaluation: TargetStatusPublic


class TargetListPublic(Page):
    data: list[TargetPublic]


class TargetCreate(BaseModel):
    """One target to insert (a repeat of a stored one changes nothing, except that a stored
    machine-read target written by a person becomes reviewed). A person writing through the API
    has reviewed what they write: ``machine_read`` is false unless they say otherwise (a script
    relaying what ``lantu extract`` read)."""

    model_config = ConfigDict(extra="forbid")

    region_code: str = Field(examples=["140100"])
    indicator: str = Field(examples=["gdp_growth"])
    target_period: str = Field(examples=["2025"])
    kind: str = Field("level", description=f"one of {', '.join(KINDS)}")
    value: Number
    value_high: Number | None = None
    qualifier: str | None = Field(None, description="左右, 以上, 以内, 力争, 突破 or null")
    binding: Flag = False
    base_period: str | None = None
    base_value: Number | None = None
    unit: str = ""
    plan: str = ""
    source_url: str = Field(min_length=1, max_length=2000,
                            description="where the target is stated (required)")
    excerpt: str = Field(default="", max_length=MAX_TEXT)
    source_quality: str = Field("none", description="official_statistics, official_report, "
                                                    "official_other, third_party or none")
    machine_read: Flag = Field(False, description=MACHINE_READ_HELP)


class TargetCreateResult(BaseModel):
    action: str = Field(description="inserted, reviewed (a stored machine-read target is now "
                                    "reviewed) or unchanged")
    target: TargetPublic


# -- milestones (qualitative evidence) --------------------------------------------------------


class MilestoneFactPublic(BaseModel):
    """A dated, completed achievement an official text states (``lantu.store.evidence``)."""

    id: int
    region_code: str
    year: int
    kind: str = Field(description="designation, completion, event, first or other")
    text: str = Field(description="the clause of the text")
    source_url: str
    archive: str = Field(description="the file's path in the public archive (citation where no URL)")
    excerpt: str
    nodes: list[str] = Field(description="plan nodes it serves")
    source_quality: str
    reviewed: bool = Field(description="a person confirmed it")


class MilestoneFactListPublic(Page):
    data: list[MilestoneFactPublic]


# -- plans and tasks --------------------------------------------------------------------------


class MilestonePublic(BaseModel):
    title: str
    due: date | None
    done_on: date | None


class PlanNodePublic(BaseModel):
    """A goal or a task of a plan, with its sub-nodes."""

    id: int
    code: str
    kind: str
    title: str
    title_en: str
    text: str
    lead: str | None
    supporting: list[str]
    start: date | None
    due: date | None
    status: str
    progress: float
    timing: str | None = Field(description="tasks: done, on_time or late (today)")
    indicators: list[str]
    milestones: list[MilestonePublic]
    children: list[PlanNodePublic] = Field(default_factory=list)


class PlanPublic(BaseModel):
    code: str
    title: str
    title_en: str
    region_code: str | None
    source_url: str
    source_file: str
    nodes: int


class PlanListPublic(BaseModel):
    data: list[PlanPublic]
    count: int


class PlanTreePublic(PlanPublic):
    children: list[PlanNodePublic]


# -- progress reports -------------------------------------------------------------------------


class ProgressReportPublic(BaseModel):
    id: int
    task_code: str
    task_title: str
    department_code: str
    month: str
    percent: int
    status: str
    text: str
    submitted_at: UtcDatetime | None
    reviewed_at: UtcDatetime | None
    review_comment: str
    updated_at: UtcDatetime | None


class ProgressReportListPublic(Page):
    data: list[ProgressReportPublic]


# -- index results ----------------------------------------------------------------------------


class IndexUnitPublic(BaseModel):
    code: str
    name: str
    index: float | None
    rank: int | None
    q5: float | None = None
    q95: float | None = None
    median: float | None = None
    mean: float | None = None
    pillars: dict[str, float | None]
    imputed: list[str]


class IndexResultsPublic(BaseModel):
    group: str
    year: int
    data_version: str
    spec: dict
    framework: list[dict]
    results: list[IndexUnitPublic]
    dropped: list[dict]
    imputed: list[dict]
    uncertainty: dict


ErrorPublic.model_rebuild()
PlanNodePublic.model_rebuild()


# -- the verdict (lantu.evaluation) ------------------------------------------------------------

TARGET_STATUS = ("achieved, missed (yearly or due plan targets); on_track, moderately_improving, "
                 "stagnating, deteriorating (plan targets in an interim year); pending (no "
                 "figure for the year needed yet); no_data (no figure at all)")


class VerdictTargetPublic(BaseModel):
    value: float
    value_high: float | None
    qualifier: str | None = Field(description="左右, 以上, 以内, 力争 or null")
    year: int = Field(description="target year")
    kind: str = Field(description="level, annual_growth, cumulative_change, ceiling or floor")
    source_url: str
    plan: str = ""
    binding: bool = False
    horizon: str = Field("yearly", description="yearly or multi_year")
    status: str = Field(description=TARGET_STATUS)
    reason: str = ""
    reason_en: str = ""
    current: float | None = None
    gap: float | None = Field(None, description="figure minus target, in the indicator's unit")
    machine_read: Flag = Field(False, description=MACHINE_READ_HELP)
    current_year: int | None = Field(None, description="year of the figure evaluated (the last "
                                                       "year of its span when since is set)")
    since: int | None = Field(None, description="first year of the span the figure is computed "
                                                "over: an average growth or a cumulative change "
                                                "over a plan's years; null for one year's figure")


class VerdictIndicatorPublic(BaseModel):
    indicator: str
    name: str = ""
    name_en: str = ""
    value: float | None = Field(description="the figure used: of the year, else the latest before")
    period: str | None
    unit: str
    source_url: str
    quality: str | None = None
    flags: list[str] = Field(default_factory=list)
    current: bool = Field(False, description="the figure is of the evaluated year")
    before_plan: bool = Field(False, description="the figure predates the plan: context only")
    derived: str | None = None
    target: VerdictTargetPublic | None = Field(description="the target in force it is judged on")
    other_targets: list[VerdictTargetPublic] = Field(default_factory=list)
    status: str | None = Field(description=TARGET_STATUS + "; null without a target in force")
    reason: str
    reason_en: str = ""
    trend: str = Field("n/a", description="last step: improving, worsening, stable, up, down, n/a")


class VerdictMilestonePublic(BaseModel):
    year: int
    text: str
    source_url: str
    reviewed: bool = Field(False, description="a person confirmed it; machine-read milestones "
                                              "are listed but do not count until reviewed")


class VerdictCountedPublic(BaseModel):
    indicator: str
    status: str


class VerdictNodePublic(BaseModel):
    code: str
    kind: str = ""
    title: str
    title_en: str = ""
    parent: str | None = None
    depth: int = 0
    status: str = Field(description="achieved, on_track, challenges_remain, "
                                    "significant_challenges, major_challenges, pending, no_data "
                                    "or qualitative (no measurable target in force)")
    state: str | None = Field(None, description="qualitative nodes: evidence, mixed, "
                                                "no_evidence, awaiting_review")
    colour: str = ""
    reason: str
    reason_en: str = ""
    counted: list[VerdictCountedPublic] = Field(default_factory=list)
    indicators: list[VerdictIndicatorPublic]
    milestones: list[VerdictMilestonePublic]


class VerdictIndexPublic(BaseModel):
    model_config = ConfigDict(extra="allow")
    group: str
    year: int | str
    score: float | None
    rank: int | None
    rank_q5: float | None
    rank_q95: float | None
    units: list = Field(default_factory=list)
    filled: list = Field(default_factory=list)


class VerdictPublic(BaseModel):
    """The verdict of a region, year and plan: the same JSON as ``lantu evaluate -f json``."""

    region: str
    region_name: str = ""
    region_name_en: str = ""
    year: int
    plan: str
    plan_title: str = ""
    plan_start: int | None = None
    demo: bool = Field(description="rests on demonstration assignments (the embedded default)")
    data_year: int | None = None
    nodes: list[VerdictNodePublic]
    index: VerdictIndexPublic | None
    index_note: str | None = None
    primacy: dict | None
