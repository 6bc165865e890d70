"""Checks of the hand-written default files under ``src/lantu/defaults/``.

The plan (``taiyuan_plan.yaml``), the departments (``departments.yaml``) and the regions
(``regions.yaml``) are data typed by hand from the seed; these tests hold them to the seed and to
each other: every ``text`` is a verbatim substring of the seed, every reference (indicator,
department, region, parent) resolves, codes are unique and well formed, dates and milestones nest.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

DEFAULTS = Path(str(files("lantu") / "defaults"))
SEED_NAME = "taiyuan-blueprint-2021-11.txt"
CHINESE_ORDINALS = "一二三四五六七"
DEMO_MARKERS = ("演示", "demo")


def _load(name: str) -> Any:
    with (DEFAULTS / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return _load("taiyuan_plan.yaml")


@pytest.fixture(scope="module")
def departments() -> list[dict[str, Any]]:
    return _load("departments.yaml")


@pytest.fixture(scope="module")
def regions_file() -> dict[str, Any]:
    return _load("regions.yaml")


@pytest.fixture(scope="module")
def indicator_pillars() -> dict[str, str]:
    with (DEFAULTS / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["pillar"] for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> str:
    return (shared_dir / "seed" / SEED_NAME).read_text(encoding="utf-8")


def walk(nodes: list[dict[str, Any]], parent: dict[str, Any] | None = None,
         top: str | None = None) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str]]:
    """Yield (node, parent node or None, code of its top-level ancestor), depth first in file order."""
    for node in nodes:
        pillar = top or node["code"]
        yield node, parent, pillar
        yield from walk(node.get("children") or [], node, pillar)


def non_verbatim(nodes: list[dict[str, Any]], seed_text: str) -> list[str]:
    """Codes of the nodes whose ``text`` is missing, empty or not a substring of the seed."""
    return [
        node["code"]
        for node, _, _ in walk(nodes)
        if not isinstance(node.get("text"), str) or not node["text"] or node["text"] not in seed_text
    ]


# --------------------------------------------------------------------------- loading and shape


def test_files_load_with_expected_top_level_shape(plan, departments, regions_file):
    assert isinstance(plan, dict) and isinstance(plan["children"], list)
    assert isinstance(departments, list) and departments
    assert set(regions_file) == {"regions", "groups"}


def test_plan_header_names_source_and_region(plan, shared_dir, regions_file):
    assert plan["code"] == "taiyuan-2021-11"
    assert plan["title"] and plan["title_en"]
    assert (shared_dir / plan["source"]["file"]).is_file()
    assert plan["region"] in {r["code"] for r in regions_file["regions"]}
    header = (DEFAULTS / "taiyuan_plan.yaml").read_text(encoding="utf-8").split("\ncode:")[0]
    assert "DEMONSTRATION" in header  # the header says the assignments are not from the source


def test_every_node_has_the_required_fields(plan):
    required = {"code", "kind", "title", "title_en", "text", "indicators", "children"}
    task_fields = {"lead", "supporting", "start", "due", "note"}
    for node, _, _ in walk(plan["children"]):
        assert required <= set(node), f"{node['code']}: missing {required - set(node)}"
        assert node["kind"] in {"goal", "task"}, node["code"]
        if node["kind"] == "task":
            assert task_fields <= set(node), f"{node['code']}: missing {task_fields - set(node)}"


# --------------------------------------------------------------------------- faithfulness


def test_every_text_is_a_verbatim_substring_of_the_seed(plan, seed):
    assert non_verbatim(plan["children"], seed) == []


def test_verbatim_check_catches_a_changed_character(plan, seed):
    t1 = next(n for n in plan["children"] if n["code"] == "T1")
    altered = dict(t1, text=t1["text"].replace(",", "，", 1), children=[])
    assert non_verbatim([altered], seed) == ["T1"]


def test_seven_tasks_in_order_with_the_seeds_titles(plan, seed):
    # The seed's own task headings: 一要持续优化产业结构。 … 七要纵深推进从严治党。
    headings = re.findall(rf"([{CHINESE_ORDINALS}])要([^。]+)。", seed)
    assert [o for o, _ in headings] == list(CHINESE_ORDINALS)
    tasks = [n for n in plan["children"] if n["kind"] == "task"]
    assert [t["code"] for t in tasks] == [f"T{i}" for i in range(1, 8)]
    for task, (ordinal, title) in zip(tasks, headings, strict=True):
        assert task["title"] == title
        assert task["text"].startswith(f"{ordinal}要{title}。")
        # the task's text is the whole paragraph: the seed separates paragraphs by two spaces
        end = seed.index(task["text"]) + len(task["text"])
        assert seed[end:end + 2] == "  ", task["code"]


def test_goals_come_first_and_cover_the_positioning(plan, seed):
    top = plan["children"]
    assert top[0]["code"] == "P0" and top[0]["kind"] == "goal"
    goals = [n for n, _, pillar in walk(top) if pillar == "P0"]
    assert all(n["kind"] == "goal" for n in goals)
    texts = " ".join(n["text"] for n in goals)
    for phrase in ("国家物流枢纽", "国家区域中心城市", "现代产业体系", "太忻经济区", "首位度"):
        assert phrase in texts, phrase
    # each of the "four highlands" the seed names is its own goal
    highlands = re.findall(r"(\w{2}高地)", seed.split("省第十二次党代表大会报告")[0])
    assert len(highlands) == 4
    goal_titles = {n["title"] for n in goals}
    assert set(highlands) <= goal_titles


def test_task_subtrees_hold_only_tasks(plan):
    for node, _, pillar in walk(plan["children"]):
        if pillar.startswith("T"):
            assert node["kind"] == "task", node["code"]


# --------------------------------------------------------------------------- codes


def test_node_codes_are_unique_and_follow_the_tree(plan):
    codes = [n["code"] for n, _, _ in walk(plan["children"])]
    assert len(codes) == len(set(codes))
    for node, parent, _ in walk(plan["children"]):
        kids = node["children"]
        assert [k["code"] for k in kids] == [f"{node['code']}.{i}" for i in range(1, len(kids) + 1)]
        if parent is None:
            assert re.fullmatch(r"P0|T[1-7]", node["code"])


def test_department_codes_unique_and_ascii(departments):
    codes = [d["code"] for d in departments]
    assert len(codes) == len(set(codes))
    names = [d["name_zh"] for d in departments]
    assert len(names) == len(set(names))
    for d in departments:
        assert set(d) == {"code", "name_zh", "name_en"}, d
        assert re.fullmatch(r"[a-z]{2,8}", d["code"]), d["code"]
        assert d["name_zh"].startswith("市") and d["name_en"]


def test_region_and_group_codes_unique(regions_file):
    codes = [r["code"] for r in regions_file["regions"]]
    assert len(codes) == len(set(codes))
    groups = [g["code"] for g in regions_file["groups"]]
    assert len(groups) == len(set(groups))


# --------------------------------------------------------------------------- references


def test_indicator_links_exist_and_belong_to_the_pillar(plan, indicator_pillars):
    linked = 0
    for node, _, pillar in walk(plan["children"]):
        assert len(node["indicators"]) == len(set(node["indicators"])), node["code"]
        for code in node["indicators"]:
            assert code in indicator_pillars, f"{node['code']}: unknown indicator {code}"
            assert indicator_pillars[code] == pillar, f"{node['code']}: {code} is not of {pillar}"
            linked += 1
    assert linked > 0


def test_every_indicator_is_linked_within_its_pillar(plan, indicator_pillars):
    # every indicator of a pillar is linked somewhere in that pillar's subtree; T7 has none
    by_pillar: dict[str, set[str]] = {}
    for node, _, pillar in walk(plan["children"]):
        by_pillar.setdefault(pillar, set()).update(node["indicators"])
    for code, pillar in indicator_pillars.items():
        assert code in by_pillar.get(pillar, set()), f"{code} ({pillar}) is linked nowhere"
    assert by_pillar["T7"] == set()


def test_lead_and_supporting_departments_exist(plan, departments):
    known = {d["code"] for d in departments}
    used: set[str] = set()
    for node, _, _ in walk(plan["children"]):
        if node["kind"] != "task":
            continue
        assert node["lead"] in known, f"{node['code']}: unknown lead {node['lead']}"
        assert set(node["supporting"]) <= known, f"{node['code']}: {set(node['supporting']) - known}"
        assert node["lead"] not in node["supporting"], node["code"]
        assert len(node["supporting"]) == len(set(node["supporting"])), node["code"]
        used |= {node["lead"], *node["supporting"]}
    assert used == known, f"departments listed but never used: {known - used}"


def test_region_parents_exist_and_levels_nest(regions_file):
    by_code = {r["code"]: r for r in regions_file["regions"]}
    parent_level = {"province": "country", "city": "province", "county": "city"}
    prefix = {"province": 0, "city": 2, "county": 4}  # digits a code shares with its parent
    for r in regions_file["regions"]:
        assert r["name_zh"] and r["name_en"]
        if r["level"] == "zone":  # planning zones: not a GB/T 2260 division, code Z + province + serial
            assert re.fullmatch(r"Z\d{5}", r["code"]), r["code"]
            assert r["code"][1:3] == r["parent"][:2], r["code"]
            continue
        assert re.fullmatch(r"\d{6}", r["code"]), r["code"]
        if r["level"] == "country":
            assert r["parent"] is None
            continue
        parent = by_code.get(r["parent"])
        assert parent is not None, f"{r['code']}: parent {r['parent']} not in regions.yaml"
        assert parent["level"] == parent_level[r["level"]], r["code"]
        n = prefix[r["level"]]
        assert r["code"][:n] == parent["code"][:n], r["code"]


def test_regions_cover_shanxi_and_central_capitals(regions_file):
    regions = regions_file["regions"]
    shanxi_cities = [r for r in regions if r["parent"] == "140000" and r["level"] == "city"]
    assert len(shanxi_cities) == 11
    taiyuan_counties = [r for r in regions if r["parent"] == "140100"]
    assert len(taiyuan_counties) == 10


def test_group_members_exist(regions_file):
    by_code = {r["code"]: r for r in regions_file["regions"]}
    groups = {g["code"]: g for g in regions_file["groups"]}
    for g in groups.values():
        assert g["members"] and len(g["members"]) == len(set(g["members"])), g["code"]
        missing = [m for m in g["members"] if m not in by_code]
        assert missing == [], f"group {g['code']}: unknown members {missing}"
    assert set(groups["taixin"]["members"]) <= set(groups["central_shanxi"]["members"])
    assert "140100" in groups["central_capitals"]["members"]
    # the central capitals are each the capital (…0100) of a different province
    provinces = {by_code[m]["parent"] for m in groups["central_capitals"]["members"]}
    assert len(provinces) == len(groups["central_capitals"]["members"])


# --------------------------------------------------------------------------- demo dates


def test_task_dates_nest_and_milestones_fall_inside(plan):
    lo, hi = dt.date(2022, 1, 1), dt.date(2026, 12, 31)
    for node, parent, _ in walk(plan["children"]):
        if node["kind"] != "task":
            continue
        start, due = node["start"], node["due"]
        assert isinstance(start, dt.date) and isinstance(due, dt.date), node["code"]
        assert lo <= start <= due <= hi, node["code"]
        if parent is not None and parent["kind"] == "task":
            assert parent["start"] <= start and due <= parent["due"], node["code"]
            milestones = node.get("milestones") or []
            assert 1 <= len(milestones) <= 3, node["code"]
            dues = [m["due"] for m in milestones]
            assert dues == sorted(dues), node["code"]
            titles = [m["title"] for m in milestones]
            assert len(titles) == len(set(titles)), f"{node['code']}: repeated milestone title"
            for m in milestones:
                assert set(m) == {"title", "due"} and m["title"], node["code"]
                assert start <= m["due"] <= due, f"{node['code']}: milestone {m}"


def test_every_task_note_says_the_assignment_is_a_demo(plan):
    for node, _, _ in walk(plan["children"]):
        if node["kind"] == "task":
            assert all(marker in node["note"] for marker in DEMO_MARKERS), node["code"]
