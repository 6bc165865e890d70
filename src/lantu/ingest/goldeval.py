"""Precision and recall of the extractor against hand-annotated gold files.

A gold file ``<region_code>-<year>.csv`` lists every in-scope figure and target of one work
report (columns ``region_code,period,indicator,kind,value,value_high,qualifier``), written by
reading the text. Rows are compared as sets of (period, indicator, kind, value, qualifier): a
figure read for the wrong year or with the wrong qualifier is both a miss and a spurious row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lantu.ingest.extract import ExtractedRow, extract_file

__all__ = ["PrecisionRecall", "Score", "gold_files", "gold_key", "load_gold", "score_rows", "find_report", "evaluate", "chosen_sets", "shared_folder"]

Key = tuple[int, str, str, float, str]


def shared_folder(checkout: Path, given: str | None = None) -> Path:
    """The shared material (corpus, data, seed) the gold files are read against, for the tests and
    the benchmarks of a checkout: ``given`` (their ``$LANTU_SHARED``; only ``lantu.config`` reads
    the environment in the package), else a ``shared`` folder holding ``corpus``
    beside the checkout or above it (a worktree sits one level deeper than the clone), else
    ``shared`` beside it (which may not exist: callers say so)."""
    if given:
        return Path(given)
    return next((p / "shared" for p in checkout.parents if (p / "shared" / "corpus").is_dir()),
                checkout.parent / "shared")


class PrecisionRecall:
    """Precision and recall of counts ``true_pos``, ``false_pos``, ``false_neg`` (1.0 when
    undefined): the one formula of every gold evaluation (figures here, milestones in
    :mod:`lantu.ingest.milestone_eval`)."""

    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        n = self.true_pos + self.false_pos
        return self.true_pos / n if n else 1.0

    @property
    def recall(self) -> float:
        n = self.true_pos + self.false_neg
        return self.true_pos / n if n else 1.0


@dataclass(frozen=True)
class Score(PrecisionRecall):
    """Counts for one file or a total."""

    name: str
    true_pos: int
    false_pos: int
    false_neg: int
    missed: tuple[Key, ...] = ()
    spurious: tuple[Key, ...] = ()


def gold_key(period: int | str, indicator: str, kind: str, value: float | str, qualifier: str | None) -> Key:
    """The comparison key: (period, indicator, kind, value rounded to 4 places, qualifier)."""
    return (int(period), indicator.strip(), kind.strip(), round(float(value), 4), (qualifier or "").strip())


def load_gold(path: str | Path) -> set[Key]:
    """Read a gold CSV into a set of keys; a bad row raises ValueError naming file and row."""
    out: set[Key] = set()
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                out.add(gold_key(row["period"], row["indicator"], row["kind"], row["value"], row.get("qualifier")))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}: row {n}: {exc}") from exc
    return out


def score_rows(name: str, rows: list[ExtractedRow], gold: set[Key]) -> Score:
    """Compare extracted rows with a gold set."""
    got = {gold_key(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in rows}
    return Score(
        name,
        len(got & gold),
        len(got - gold),
        len(gold - got),
        missed=tuple(sorted(gold - got, key=str)),
        spurious=tuple(sorted(got - gold, key=str)),
    )


def find_report(corpus: Path, region_code: str, year: int) -> Path:
    """The work report ``<corpus>/work-reports/<code>-*/<year>.md``, or for the whole country
    (``100000``) the national statistical bulletin ``<corpus>/national-bulletins/<year>.md``."""
    if region_code == "100000":
        path = corpus / "national-bulletins" / f"{year}.md"
        if path.exists():
            return path
    hits = sorted((corpus / "work-reports").glob(f"{region_code}-*/{year}.md"))
    if not hits:
        raise FileNotFoundError(f"no work report for {region_code} {year} under {corpus}/work-reports")
    return hits[0]


def gold_files(gold_dir: Path, names: list[str] | None = None) -> Iterator[tuple[Path, str, int]]:
    """The gold files ``<code>-<year>.csv`` of ``gold_dir`` (or those named ``<code>-<year>``), in
    name order, with their region code and year."""
    for gpath in sorted(Path(gold_dir).glob("*.csv")):
        if names is None or gpath.stem in names:
            code, year = gpath.stem.split("-")
            yield gpath, code, int(year)


def evaluate(gold_dir: Path, corpus: Path, names: list[str] | None = None) -> list[Score]:
    """Score every gold file (or those named ``<code>-<year>``) and append a total."""
    scores: list[Score] = []
    for gpath, code, year in gold_files(gold_dir, names):
        _, rows = extract_file(find_report(corpus, code, year), code, year)
        scores.append(score_rows(gpath.stem, rows, load_gold(gpath)))
    tp = sum(s.true_pos for s in scores)
    fp = sum(s.false_pos for s in scores)
    fn = sum(s.false_neg for s in scores)
    scores.append(Score("total", tp, fp, fn))
    return scores


def chosen_sets(argv: list[str], all_names: list[str], last_round: list[str],
                rounds: dict[str, list[str]] | None = None) -> list[tuple[str, list[str]]] | None:
    """The sets of gold files a benchmark's command line asks for, titled: ``--files a,b`` (those
    files), ``--by-round`` (the older files, then the last round annotated before the run, then
    each later round of *rounds*, title → names), or None for the benchmark's usual tables."""
    if "--files" in argv:
        return [("files given", argv[argv.index("--files") + 1].split(","))]
    if "--by-round" in argv:
        later = rounds or {}
        newer = {n for names in later.values() for n in names} | set(last_round)
        return [("older gold files", [n for n in all_names if n not in newer]),
                ("last round (annotated before the run)", list(last_round)),
                *((title, list(names)) for title, names in later.items())]
    return None
