"""Milestones: dated, completed achievements an official text states — a designation or approval
(入选/获批/获评/列入), a completion (建成/投运/开通/挂牌), an event held, a first — with the clause,
where it was read, and the plan nodes it serves. They are the evidence of qualitative goals
(a logistics hub, a highland, a zone) that no indicator measures.

Not to be confused with :class:`lantu.domain.plans.Milestone`, a planned step of a task with a due
date; a :class:`MilestoneFact` is something that happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantu.domain.errors import ValidationError
from lantu.domain.gate import MAX_TEXT, text_problem
from lantu.domain.links import check_url
from lantu.domain.observations import check_quality
from lantu.domain.periods import year_problem
from lantu.domain.regions import check_region_code

#: Kinds of milestone (labels ``milestone.kind.<code>`` in the locale area file ``evidence``).
MILESTONE_KINDS = ("designation", "completion", "event", "first", "other")

_NODE_SPLIT = re.compile(r"[;,|，；、\s]+")


def parse_nodes(value: object) -> tuple[str, ...]:
    """Plan node codes from ``"P0.1;T2"`` (``;``, ``,``, ``|`` or spaces) or a sequence; order kept,
    repeats dropped."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple, set, frozenset)) else \
        _NODE_SPLIT.split(str(value))
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


#: The longest text of a milestone (the achievement in the source's words; the excerpt around it
#: may hold :data:`~lantu.domain.gate.MAX_TEXT`). The text is part of the milestone's key, and
#: PostgreSQL's unique index over it holds at most 2,704 bytes: 500 characters of up to 4 bytes
#: each fit with the key's other columns, on both databases alike (a review's 2,000 Chinese
#: characters were a 500 there, probe13). The longest in the default and the corpus is 218.
MAX_MILESTONE_TEXT = 500


@dataclass(frozen=True, slots=True)
class MilestoneFact:
    """One achievement: ``region_code`` (the city, even when a district or park of it did it),
    ``year`` it happened (for a work report of year Y reviewing last year: Y−1), ``kind`` (one of
    :data:`MILESTONE_KINDS`), ``text`` (the achievement in the source's words), ``excerpt`` (the
    clause around it), ``start``/``end`` (offsets of the milestone in the source text), the source
    (``source_url``, else ``archive``: the path of the archived copy of the official text),
    ``source_quality``, whether a person ``reviewed`` it, and the plan ``nodes`` it serves."""

    region_code: str
    year: int
    kind: str
    text: str
    excerpt: str = ""
    start: int | None = None
    end: int | None = None
    nodes: tuple[str, ...] = field(default_factory=tuple)
    source_url: str = ""
    archive: str = ""
    source_quality: str = "official_report"
    reviewed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "region_code", check_region_code(self.region_code))
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise ValidationError(f"year must be a year like 2024, got {self.year!r}",
                                  field="year")
        if why := year_problem(self.year):  # the one year rule of everything dated
            raise ValidationError(why, field="year")
        if self.kind not in MILESTONE_KINDS:
            raise ValidationError(f"kind must be one of {', '.join(MILESTONE_KINDS)}, got "
                                  f"{self.kind!r}", field="kind")
        text = " ".join(str(self.text or "").split())
        if not text:
            raise ValidationError("a milestone needs its text", field="text")
        object.__setattr__(self, "text", text)
        for name in ("text", "excerpt"):  # the gate's rules for a source's texts
            value = getattr(self, name) or ""
            limit = MAX_MILESTONE_TEXT if name == "text" else MAX_TEXT
            if len(value) > limit:
                raise ValidationError(f"at most {limit} characters, not {len(value):,}",
                                      field=name)
            if why := text_problem(value):
                raise ValidationError(why, field=name)
        for name in ("start", "end"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise ValidationError(f"must be a non-negative offset, got {v!r}", field=name)
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValidationError(f"end {self.end} is before start {self.start}", field="end")
        object.__setattr__(self, "nodes", parse_nodes(self.nodes))
        object.__setattr__(self, "source_quality", check_quality(self.source_quality))
        # the one rule for stored links (a milestone's source is rendered as a link)
        check_url(self.source_url or "", "source_url")

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.region_code, self.year, self.kind, self.text)

    @property
    def citation(self) -> str:
        """The source to cite: the official URL, else the archived copy."""
        return self.source_url or (f"archived copy of the official report: {self.archive}"
                                   if self.archive else "")


# -- one act stated twice ------------------------------------------------------------------------

#: Words that say who acted or how the act is reported, not *what* was designated or completed:
#: the city as subject, the verbs of designation, emphasis. Stripped before two texts are compared.
_NOT_THE_THING = re.compile(
    r"我市|本市|全市|太原市|太原|成功|正式|顺利|获批|批准|入选|获评|荣获|被评为|评为|设立|创建|成为|"
    r"列入|纳入|进入|建设|\d{4}年|[\s，,。、；;：:“”\"'‘’《》（）()·]")
#: A recurring title or event (an annual award, the n-th session): the same words in another year
#: are another act.
_RECURRING = re.compile(r"年度|连续|第[0-9一二三四五六七八九十]+[届次]|每年|又一次|再次")
#: The shorter core must be this long for containment to count (so "国家物流枢纽" alone never
#: swallows every hub of the country).
MIN_CORE_CHARS = 8
#: How many years apart two statements of one act may be dated: a report of year Y reviews Y−1,
#: and the next year's five-year review restates it, dated a year later.
REPEAT_YEARS = 1


def milestone_core(text: str) -> str:
    """What a milestone text designates or completes, without the subject, the verbs and the
    years: ``我市首批入选2019年国家物流枢纽建设名单`` → ``首批国家物流枢纽名单``.

    >>> milestone_core("入选首批国家物流枢纽建设名单") == milestone_core("首批入选2019年国家物流枢纽建设名单")
    True
    """
    return _NOT_THE_THING.sub("", text)


def repeats(machine: MilestoneFact, reviewed: MilestoneFact) -> bool:
    """Whether a machine-read milestone states again an act a person reviewed, so the default
    loads it once (the reviewed one). All must hold:

    * the same region and kind;
    * dated at most :data:`REPEAT_YEARS` apart — or the same year when either text names a
      recurring title (年度, 连续, 第N届 …: the same award next year is another act);
    * the same thing: :func:`milestone_core` equal, or one core containing the other with the
      shorter at least :data:`MIN_CORE_CHARS` characters.

    >>> r = MilestoneFact("140100", 2019, "designation", "首批入选2019年国家物流枢纽建设名单")
    >>> repeats(MilestoneFact("140100", 2020, "designation", "入选首批国家物流枢纽建设名单"), r)
    True
    >>> repeats(MilestoneFact("140100", 2022, "designation", "入选首批国家物流枢纽建设名单"), r)
    False
    >>> repeats(MilestoneFact("140100", 2020, "designation", "入选国家物流枢纽"), r)
    False
    """
    if (machine.region_code, machine.kind) != (reviewed.region_code, reviewed.kind):
        return False
    window = 0 if (_RECURRING.search(machine.text) or _RECURRING.search(reviewed.text)) \
        else REPEAT_YEARS
    if abs(machine.year - reviewed.year) > window:
        return False
    a, b = milestone_core(machine.text), milestone_core(reviewed.text)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= MIN_CORE_CHARS and short in long_
