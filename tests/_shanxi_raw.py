"""Read the embedded raw observations (copies of /work/shared/data/raw, see defaults/data/README.md)."""

from __future__ import annotations

import csv
from importlib.resources import files

RAW = files("lantu") / "defaults" / "data" / "raw"


def observations(indicator: str) -> dict[tuple[str, int], float]:
    """(region, year) → value for one indicator code, from every raw observation file."""
    out: dict[tuple[str, int], float] = {}
    for name in ("taiyuan_shanxi.csv", "jinzhong_yangquan.csv", "xinzhou_lvliang.csv"):
        with (RAW / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["indicator"] == indicator:
                    out[(row["region"], int(row["year"]))] = float(row["value"])
    return out


def targets() -> list[dict[str, str]]:
    with (RAW / "targets.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
