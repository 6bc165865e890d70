"""Review: has a person confirmed what Lantu read from a text? THE rule of what counts, in one place.

One concept for figures, targets and milestones: **machine-read** — read from a text by
``lantu extract`` (or the default's build) and not yet confirmed by a person. Each kind of fact
says it in the field it already had:

* an observation: its flag ``machine_read`` (:data:`lantu.domain.observations.FLAGS`);
* a target: its field ``machine_read`` (:class:`lantu.domain.targets.Target`, column
  ``target.machine_read``);
* a milestone: ``reviewed`` false — the older name of the same thing, ``reviewed`` is exactly
  ``not machine_read`` (:class:`lantu.domain.milestones.MilestoneFact`).

:func:`is_machine_read` reads any of them; nothing reads a free-text note as a flag. A table row
of any kind and layout is read by :func:`row_machine_read` (its ``machine_read`` cell, or the
older ``reviewed`` of milestone tables, or its flags); every table Lantu writes (exports, the
default's CSVs) says it in the ``machine_read`` column.

The rule (:func:`counting`), applied by the verdict to a node's milestones and to an indicator's
targets in force:

1. what a person reviewed counts;
2. a machine-read fact beside a reviewed one that stands for the same thing (the same ``key``:
   for targets the same indicator, target year and kind; for milestones the node's evidence as a
   whole) is set aside — never counted (the targets page and the timeline still list it);
3. where nothing reviewed stands for it, the machine-read facts count, *provisionally*: the
   judgement that rests on them alone says so (a qualitative goal's state ``awaiting_review``; a
   goal's reason "judged only against machine-read targets").

Examples
--------
>>> r = counting([{"v": 1, "reviewed": True}, {"v": 2, "reviewed": False}])
>>> [x["v"] for x in r.counted], [x["v"] for x in r.set_aside], r.machine_read_only
([1], [2], False)
>>> counting([{"machine_read": True}]).machine_read_only
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from lantu.domain.errors import ValidationError

T = TypeVar("T")

MACHINE_READ = "machine_read"


def is_machine_read(item: Any) -> bool:
    """Whether no person has confirmed ``item``: an object or a mapping with ``machine_read``
    (a target), ``reviewed`` (a milestone: machine-read when false) or ``flags`` (an
    observation: the flag ``machine_read``), in that order. Anything else is a person's."""
    def get(name: str) -> Any:
        if isinstance(item, Mapping):
            return item.get(name)
        return getattr(item, name, None)

    value = get(MACHINE_READ)
    if value is not None:
        return bool(value)
    value = get("reviewed")
    if value is not None:
        return not bool(value)
    flags = get("flags")
    if flags:
        names = flags.replace(",", ";").replace("|", ";").split(";") if isinstance(flags, str) \
            else flags  # separated as parse_flags reads them
        return MACHINE_READ in {str(f).strip() for f in names}
    return False


@dataclass
class Counting(Generic[T]):
    """The result of :func:`counting`: what counts, what was set aside beside a reviewed fact,
    and whether what counts is machine-read only (a judgement on it must say so)."""

    counted: list[T] = field(default_factory=list)
    set_aside: list[T] = field(default_factory=list)

    @property
    def machine_read(self) -> int:
        """How many of the counted facts are machine-read."""
        return sum(is_machine_read(x) for x in self.counted)

    @property
    def reviewed(self) -> int:
        return len(self.counted) - self.machine_read

    @property
    def machine_read_only(self) -> bool:
        """Something counts and none of it was reviewed by a person."""
        return bool(self.counted) and self.reviewed == 0


def counting(items: Iterable[T], key: Callable[[T], Hashable] | None = None) -> Counting[T]:
    """THE rule of what counts (see the module docstring): in each group of ``items`` with the
    same ``key`` (``None``: one group), the reviewed ones count and the machine-read ones are set
    aside; a group without a reviewed fact counts its machine-read ones. Order is kept."""
    items = list(items)
    keys = [key(x) if key is not None else None for x in items]
    reviewed_keys = {k for x, k in zip(items, keys) if not is_machine_read(x)}
    out: Counting[T] = Counting()
    for x, k in zip(items, keys):
        if is_machine_read(x) and k in reviewed_keys:
            out.set_aside.append(x)
        else:
            out.counted.append(x)
    return out


class ReviewCellError(ValidationError):
    """A table row's review cell cannot be read: ``column`` (``machine_read`` or ``reviewed``)
    and the ``value`` it holds; the message is the reason."""

    def __init__(self, column: str, reason: str, value: object) -> None:
        super().__init__(reason)
        self.column, self.value = column, value


def row_machine_read(cells: Mapping[str, object], *, flags: object = "") -> bool | None:
    """Whether a table row is machine-read, as every importer (figures, targets, milestones, in
    every layout) reads it: its ``machine_read`` cell (:func:`parse_machine_read`), else the
    older ``reviewed`` cell of milestone tables (exactly ``not machine_read``), else the flag
    ``machine_read`` in ``flags`` (:func:`is_machine_read`). ``None``: no cell says and there
    are no flags — the caller's default (a person's row for figures and targets).

    Raises :class:`ReviewCellError` naming the column when a cell is neither true nor false,
    or when a row carries both cells and they contradict each other.

    >>> row_machine_read({"machine_read": "是"}), row_machine_read({"reviewed": "true"})
    (True, False)
    >>> row_machine_read({"machine_read": "", "reviewed": ""}) is None
    True
    >>> row_machine_read({}, flags="preliminary;machine_read")
    True
    >>> try:
    ...     row_machine_read({"machine_read": "true", "reviewed": "yes"})
    ... except ReviewCellError as exc:
    ...     print(exc.column, "-", str(exc).split(":")[0])
    machine_read - machine_read says true but reviewed says true
    """
    said: dict[str, bool] = {}
    for column in (MACHINE_READ, "reviewed"):
        value = cells.get(column)
        word = "" if value is None else str(value).strip().lower()
        if word in _STATES:  # a state named in either column: "reviewed", "machine_read"
            said[column] = _STATES[word]
            continue
        try:
            parsed = parse_machine_read(value)
        except ValueError:
            raise ReviewCellError(column, f"{column} must be true or false", value) from None
        if parsed is not None:
            said[column] = parsed if column == MACHINE_READ else not parsed
    if len(said) == 2 and said[MACHINE_READ] != said["reviewed"]:
        raise ReviewCellError(
            MACHINE_READ, f"{MACHINE_READ} says {str(said[MACHINE_READ]).lower()} but reviewed "
            f"says {str(not said['reviewed']).lower()}: a row is machine-read "
            f"({MACHINE_READ} true) or reviewed (reviewed true), not both", cells.get(MACHINE_READ))
    if said:
        return said.get(MACHINE_READ, said.get("reviewed"))
    if flags:
        return is_machine_read({"flags": flags})
    return None


def parse_machine_read(value: object) -> bool | None:
    """A ``machine_read`` cell: true/false, 1/0, yes/no, 是/否; empty → ``None`` (not said)."""
    text = "" if value is None else str(value).strip().lower()
    if not text or text == "nan":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"machine_read must be true or false, got {value!r}")


_TRUE = {"true", "1", "yes", "y", "是", "machine_read", "machine-read"}
_FALSE = {"false", "0", "no", "n", "否", "reviewed"}
#: a cell naming the state (whichever column it is in) → machine-read
_STATES = {"machine_read": True, "machine-read": True, "reviewed": False}
