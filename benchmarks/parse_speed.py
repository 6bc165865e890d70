"""Speed of the policy-text parser (`lantu plan parse`) over every file of the corpus.

    .venv/bin/python benchmarks/parse_speed.py

For each corpus file (work reports, plan outlines, national bulletins, the seed) it times, in the
same run and on the same text:
  (a) peer: jieba word segmentation (``jieba.lcut``, no HMM) — what any segmenter-based reader pays;
  (b) ``parse_policy(text, mentions=False)``: structure, actions, programmes, targets, indicators;
  (c) ``parse_policy(text)``: the same plus places and organisations (jieba part-of-speech tagging).
It prints the totals in characters per CPU second (process time, so that other jobs on a busy
machine do not count) and the five slowest files for (c).
"""

from __future__ import annotations

import time
from pathlib import Path

import jieba
from _common import SHARED

from lantu.ingest.policy import parse_policy


def _files() -> list[Path]:
    corpus = SHARED / "corpus"
    return sorted(corpus.glob("*/*/*.md")) + sorted(corpus.glob("*/*.md")) + sorted(
        (SHARED / "seed").glob("*.txt")
    )


def _best_of(fn, repeat: int = 3) -> float:
    """Best CPU time of repeat runs (process time: other jobs on the machine do not count)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    files = _files()
    if not files:
        raise SystemExit(f"no corpus files under {SHARED} (set LANTU_SHARED)")
    texts = {p: p.read_text(encoding="utf-8") for p in files}
    # warm-up: jieba's dictionary, lexicon regexes
    jieba.lcut("预热", HMM=False)
    parse_policy(texts[files[0]])
    totals = {"jieba": 0.0, "structure": 0.0, "full": 0.0}
    per_file: list[tuple[float, int, Path]] = []
    chars = 0
    for p, text in texts.items():
        chars += len(text)
        totals["jieba"] += _best_of(lambda t=text: jieba.lcut(t, HMM=False))
        totals["structure"] += _best_of(lambda t=text: parse_policy(t, mentions=False))
        full = _best_of(lambda t=text: parse_policy(t))
        totals["full"] += full
        per_file.append((full, len(text), p))
    print(f"{len(files)} files, {chars:,} characters (best of 3 runs per file, CPU seconds)\n")
    print(f"{'step':<44}{'CPU s':>10}{'chars/s':>14}")
    rows = [
        ("peer: jieba.lcut (segmentation only)", totals["jieba"]),
        ("parse_policy(mentions=False)", totals["structure"]),
        ("parse_policy() incl. places/organisations", totals["full"]),
    ]
    for name, secs in rows:
        print(f"{name:<44}{secs:>10.2f}{chars / secs:>14,.0f}")
    print("\nslowest files (full parse):")
    for secs, n, p in sorted(per_file, reverse=True)[:5]:
        print(f"  {p.relative_to(SHARED)}  {n:,} chars  {secs:.3f} s  {n / secs:,.0f} chars/s")


if __name__ == "__main__":
    main()
