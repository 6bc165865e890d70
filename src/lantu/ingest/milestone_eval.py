"""Precision and recall of milestone extraction against hand-annotated gold files.

A gold file ``<region_code>-<year>.csv`` (columns ``region_code,year,kind,text``) lists every
milestone of one work report, ``text`` being a verbatim clause of the report, written by reading
the text (rules: ``tests/gold/milestones/README.md``). A found milestone matches a gold one when
their spans in the report overlap and their years agree, one to one; kinds are compared among the
matches.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from lantu.ingest.goldeval import PrecisionRecall, find_report, gold_files
from lantu.ingest.milestones import MilestoneCandidate, extract_milestones, load_node_keywords

__all__ = ["GoldMilestone", "MilestoneScore", "load_milestone_gold", "score_milestones", "evaluate_milestones"]


@dataclass(frozen=True)
class GoldMilestone:
    year: int
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class MilestoneScore(PrecisionRecall):
    """Counts for one file or a total."""

    name: str
    true_pos: int
    false_pos: int
    false_neg: int
    kind_right: int = 0
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()


def load_milestone_gold(path: str | Path, text: str) -> list[GoldMilestone]:
    """Read a gold file and place each row's clause in ``text``; a clause not found in the text
    (or a bad year) raises ValueError naming the file and row."""
    out: list[GoldMilestone] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                clause = row["text"].strip()
                at = text.find(clause)
                if not clause or at < 0:
                    raise ValueError(f"text {clause!r} is not in the report")
                out.append(GoldMilestone(int(row["year"]), row["kind"].strip(), clause, at, at + len(clause)))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}: row {n}: {exc}") from exc
    return out


def score_milestones(name: str, found: list[MilestoneCandidate], gold: list[GoldMilestone]) -> MilestoneScore:
    """Match found milestones to gold ones (overlapping spans, same year), one to one."""
    used: set[int] = set()
    tp = kind_right = 0
    spurious: list[str] = []
    for m in found:
        hit = next((i for i, g in enumerate(gold) if i not in used and g.year == m.year
                    and m.start < g.end and g.start < m.end), None)
        if hit is None:
            spurious.append(f"{m.year} {m.kind} {m.text}")
            continue
        used.add(hit)
        tp += 1
        kind_right += gold[hit].kind == m.kind
    missed = [f"{g.year} {g.kind} {g.text}" for i, g in enumerate(gold) if i not in used]
    return MilestoneScore(name, tp, len(spurious), len(missed), kind_right, tuple(missed), tuple(spurious))


def evaluate_milestones(gold_dir: Path, corpus: Path, names: list[str] | None = None) -> list[MilestoneScore]:
    """Score every gold file (or those named ``<code>-<year>``) and append a total."""
    scores: list[MilestoneScore] = []
    keywords = load_node_keywords()
    for gpath, code, year in gold_files(gold_dir, names):
        text = find_report(corpus, code, year).read_text(encoding="utf-8")
        found = extract_milestones(text, region_code=code, year=year, node_keywords=keywords)
        scores.append(score_milestones(gpath.stem, found, load_milestone_gold(gpath, text)))
    scores.append(MilestoneScore("total", sum(s.true_pos for s in scores), sum(s.false_pos for s in scores),
                                 sum(s.false_neg for s in scores), sum(s.kind_right for s in scores)))
    return scores
