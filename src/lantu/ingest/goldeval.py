"""Precision and recall of the extractor against hand-annotated gold files.

A gold file ``<region_code>-<year>.csv`` lists every in-scope figure and target of one work
report (columns ``region_code,period,indicator,kind,value,value_high,qualifier``), written by
reading the text. Rows are compared as sets of (period, indicator, kind, value, qualifier): a
figure read for the wrong year or with the wrong qualifier is both a miss and a spurious row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from lantu.ingest.extract import ExtractedRow, extract_file

__all__ = ["Score", "gold_key", "load_gold", "score_rows", "find_report", "evaluate", "chosen_sets"]

Key = tuple[int, str, str, float, str]


@dataclass(frozen=True)
class Score:
    """Counts for one file or a total; ``precision``/``recall`` are 1.0 when undefined."""

    name: str
    true_pos: int
    false_pos: int
    false_neg: int
    missed: tuple[Key, ...] = ()
    spurious: tuple[Key, ...] = ()

    @property
    def precision(self) -> float:
        n = self.true_pos + self.false_pos
        return self.true_pos / n if n else 1.0

    @property
    def recall(self) -> float:
        n = self.true_pos + self.false_neg
        return self.true_pos / n if n else 1.0


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


def evaluate(gold_dir: Path, corpus: Path, names: list[str] | None = None) -> list[Score]:
    """Score every gold file (or those named ``<code>-<year>``) and append a total."""
    scores: list[Score] = []
    for gpath in sorted(Path(gold_dir).glob("*.csv")):
        if names is not None and gpath.stem not in names:
            continue
        code, year = gpath.stem.split("-")
        _, rows = extract_file(find_report(corpus, code, int(year)), code, int(year))
        scores.append(score_rows(gpath.stem, rows, load_gold(gpath)))
    tp = sum(s.true_pos for s in scores)
    fp = sum(s.false_pos for s in scores)
    fn = sum(s.false_neg for s in scores)
    scores.append(Score("total", tp, fp, fn))
    return scores


def chosen_sets(argv: list[str], all_names: list[str], last_round: list[str]) -> list[tuple[str, list[str]]] | None:
    """The sets of gold files a benchmark's command line asks for, titled: ``--files a,b`` (those
    files), ``--by-round`` (the older files, then the last round annotated before the run), or
    None for the benchmark's usual tables."""
    if "--files" in argv:
        return [("files given", argv[argv.index("--files") + 1].split(","))]
    if "--by-round" in argv:
        return [("older gold files", [n for n in all_names if n not in last_round]),
                ("last round (annotated before the run)", list(last_round))]
    return None
