"""Which text of a period column is a month that may be October: the rules of ``2023.1``.

A spreadsheet keeps a typed ``2023.10`` as the number 2023.1 and writes that back, the same text
as January written the Chinese way (2023.1 = 2023年1月); only ``.1`` collides (.20 is no month).
These rules read a column's texts and say which ``2023.1`` a file cannot tell from October; the
row reader (:mod:`lantu.ingest.tables`) and the fast lane (:mod:`lantu.ingest.bulk`) ask them
and word the problem once (``tables.month_problem``, ``tables.month_collision``). A stage of
:mod:`lantu.ingest.tables`; it imports the domain only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence

from lantu.domain import Period, ValidationError

_ONE_DIGIT_MONTH = re.compile(r"[0-9]{4}\.1")

_DOTTED_LATE_MONTH = re.compile(r"[0-9]{4}\.1[12]")
_DOTTED_OCTOBER = re.compile(r"[0-9]{4}\.10")


def october_lost(texts) -> set[str]:
    """The texts ``2023.1`` of a CSV's period column that may be October: the column writes
    months with a point, reaches November or December (``2023.11``, ``2023.12``) and never
    writes ``.10`` — what a spreadsheet gives when typed months 2023.1 … 2023.12 are saved as
    CSV (it keeps a typed 2023.10 as the number 2023.1 and writes that back). Elsewhere
    ``2023.1`` is January, as Chinese writing means it (2023.1 = 2023年1月) and as the file
    was typed. Asked by the row reader (``tables._check_month_numbers``) and the fast lane with
    the column's distinct texts.

    Examples
    --------
    >>> sorted(october_lost(["2023.1", "2023.2", "2023.11", "2023.12"]))
    ['2023.1']
    >>> october_lost(["2023.1", "2023.10", "2023.11"]), october_lost(["2023.1", "2023.2"])
    (set(), set())
    """
    norm = {unicodedata.normalize("NFKC", x).strip(): x for x in texts}
    if not any(_DOTTED_LATE_MONTH.fullmatch(x) for x in norm) or any(
            _DOTTED_OCTOBER.fullmatch(x) for x in norm):
        return set()
    return {x for n, x in norm.items() if _ONE_DIGIT_MONTH.fullmatch(n)}


_DOTTED_MONTH = re.compile(r"([0-9]{4})\.([0-9]{1,2})")


def october_doubts(texts: Sequence[str], series: Sequence[Hashable]) -> dict[int, str]:
    """The ``2023.1`` of a CSV's period column that nothing in the file tells from October, by
    position in file order → why: ``"alone"`` or ``"september"``. ``texts`` are the column's
    cells, ``series`` each row's series (region and indicator as written).

    A spreadsheet keeps a typed ``2023.10`` as the number 2023.1 and writes that back, the same
    text as January written the Chinese way (2023.1 = 2023年1月); only ``.1`` collides (.20 is no
    month). Where the column writes ``.10`` its months are text as typed and ``2023.1`` is
    January; where it writes ``.11``/``.12`` but no ``.10``, :func:`october_lost` names every
    ``2023.1``. Otherwise a ``2023.1`` is named

    - ``"alone"`` when it is the only month the column writes (a month's file for every
      region — the month a statistics office sends each month): nothing says which;
    - ``"september"`` when it stands next to ``2023.9`` of the same year in its own series
      (before or after it in file order): where October would be, and where January never is
      but in a file of January and September alone, which is no less ambiguous.

    A series holding the same ``2023.1`` twice is left to the duplicate rule
    (:func:`month_collision`), which names the pair. Elsewhere ``2023.1`` is January.

    Examples
    --------
    >>> october_doubts(["2023.8", "2023.9", "2023.1"], ["a", "a", "a"])
    {2: 'september'}
    >>> october_doubts(["2023.1", "2023.1"], ["a", "b"])
    {0: 'alone', 1: 'alone'}
    >>> october_doubts(["2023.9", "2023.1", "2023.2"], ["a", "b", "b"])
    {}
    """
    norm = {x: unicodedata.normalize("NFKC", x).strip() for x in set(texts)}
    ones = {x for x, n in norm.items() if _ONE_DIGIT_MONTH.fullmatch(n)}
    if not ones or october_lost(norm) or any(_DOTTED_OCTOBER.fullmatch(n) for n in norm.values()):
        return {}
    others = [x for x in norm if x not in ones]
    if not any(_is_month(norm[x]) for x in others):
        return {k: "alone" for k, x in enumerate(texts) if x in ones}
    by_series: dict[Hashable, list[int]] = {}
    for k, x in enumerate(texts):
        if (m := _DOTTED_MONTH.fullmatch(norm[x])) and 1 <= int(m.group(2)) <= 12:
            by_series.setdefault(series[k], []).append(k)
    out: dict[int, str] = {}
    for ks in by_series.values():
        seen = [norm[texts[k]] for k in ks]
        twice = Counter(seen)
        for i, k in enumerate(ks):
            n = seen[i]
            if texts[k] not in ones or twice[n] > 1:
                continue
            september = n[:4] + ".9"
            if (i > 0 and seen[i - 1] == september) or (i + 1 < len(ks) and
                                                         seen[i + 1] == september):
                out[k] = "september"
    return out


def _is_month(text: str) -> bool:
    try:
        return Period.parse(text).kind == "month"
    except ValidationError:
        return False


def dotted_january(text: str) -> bool:
    """Whether a period cell is written ``2023.1``: January as typed, but also what a
    spreadsheet keeps of a typed ``2023.10`` (October)."""
    return bool(_ONE_DIGIT_MONTH.fullmatch(unicodedata.normalize("NFKC", text).strip()))


def month_collision(key: str, text: str, first: int) -> str:
    """The one wording of a key given twice where a period is written ``2023.1``: a
    January-to-October file saved from a sheet of typed months holds October as 2023.1 too
    (a cumulative 1–10月 figure beside January's) — named as such, whether the two values
    differ or not, never imported once nor called a plain duplicate."""
    return (f"{key} is given twice with the period {text!r} (row {first} and this row): a "
            f"spreadsheet keeps a typed {text}0 (October) as {text}, so one of the two may be "
            "October; write the periods as text (2023-01 or 2023-10)")
