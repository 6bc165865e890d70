"""Policy-text parser: structure of real work reports and the seed blueprint, action clauses,
programmes, targets, furniture, spans, the plan/XLSX outputs and bad input."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lantu.cli import app
from lantu.ingest.plan_export import TASK_COLUMNS, to_plan, write_task_table
from lantu.ingest.policy import (
    REVIEW_SECTION,
    cn_to_int,
    find_actions,
    find_programmes,
    find_targets,
    parse_policy,
    suggest_indicators,
)
from sharedpath import SHARED

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((SHARED / "corpus" / "work-reports").glob("*/*.md"))
SEED = SHARED / "seed" / "taiyuan-blueprint-2021-11.txt"

pytestmark = pytest.mark.needs_shared  # most tests read the corpus or the seed

_CN_MARK = re.compile(r"[一二三四五六七八九十]+、")
_PCN_MARK = re.compile(r"[（(][一二三四五六七八九十]+[）)]")


@cache
def _parsed(path: Path):
    text = path.read_text(encoding="utf-8")
    return text, parse_policy(text, mentions=False)


def test_corpus_present() -> None:
    assert len(REPORTS) >= 60, f"work reports not found under {SHARED}"


def _report_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


#: Reports whose archived copy is damaged, and how; their markers are read as the page has them.
DAMAGED = {
    # the page lost the first character of many paragraphs: "、本届政府五年工作回顾", "五）以加入…"
    "140100-taiyuan/2002": re.compile(r"[一二三四五六七八九十]*、|[（(]?[一二三四五六七八九十]+[）)]"),
}
# the first section reviews the past: its title says so (回顾, 过去五年, 取得了…成绩, 本届政府…)
_REVIEW_TITLE = re.compile(r"回顾|过去[一二三四五六七八九十]?年|本届政府|取得了[^，。]{0,6}成绩")
# a section of work ahead names the year, the next government's term or the five-year plan
_AHEAD = re.compile(r"下届|今后|“十[一二三四五六]五”|目标任务")
_ITEM_MARK = {
    "pcn": _PCN_MARK,
    "di": re.compile(r"第[一二三四五六七八九十]+[，,、]"),
    "cn": _CN_MARK,
}


def _sections(doc) -> list[list]:
    """The document's lists of "一、" sections: the top level, or one list per bold part
    (**本届政府工作回顾** 一、… **“十三五”时期目标任务** 一、…)."""
    if doc.children and all(n.marker == "bold_part" for n in doc.children):
        return [[c for c in part.children if c.marker == "cn"] for part in doc.children]
    return [doc.children]


def _work_section(doc, year: str):
    """The section of the year's work: its title names the year (else the next government's term
    or the five-year plan) and work/tasks, and it is not a review."""
    tops = [n for n in doc.children if not _REVIEW_TITLE.search(n.title)]
    for named in (lambda t: year in t, lambda t: _AHEAD.search(t)):
        hits = [n for n in tops if named(n.title) and re.search("工作|任务|重点|建议|目标", n.title)]
        if hits:
            return hits[-1]
    return None


def _marker_ok(report: str, marker: str, before: str) -> bool:
    if _ITEM_MARK[marker].fullmatch(before):
        return True
    return report in DAMAGED and DAMAGED[report].fullmatch(before) is not None


def _continues(text: str, a, b) -> bool:
    """b continues a's list (or restarts it at 1); a skip is allowed only past numbers that are
    nowhere in the text between (their markers lost from the page)."""
    if b.ordinal in (a.ordinal + 1, 1):
        return True
    cn = "一二三四五六七八九十"
    lost = [f"（{cn[n - 1]}）" for n in range(a.ordinal + 1, b.ordinal)]
    between = text[a.span[0] : b.span[0]]
    return a.ordinal < b.ordinal <= a.ordinal + 3 and not any(m in between for m in lost)


# ---------------------------------------------------------------------------------------------
# Work reports of the corpus


@pytest.mark.parametrize("path", REPORTS, ids=_report_id)
def test_work_report_top_sections(path: Path) -> None:
    text, doc = _parsed(path)
    report = _report_id(path)
    first = doc.children[0] if doc.children else None
    assert first is not None and _REVIEW_TITLE.search(first.title), [n.title for n in doc.children]
    assert REVIEW_SECTION.search(first.title)  # the parser reads it as a review (no targets)
    lists = _sections(doc)
    for tops in lists:
        assert len(tops) >= 2, [n.title for n in tops]
        assert [n.ordinal for n in tops] == list(range(1, len(tops) + 1))
        assert all(n.marker == "cn" for n in tops)
        for node in tops:
            # the title starts right after its marker "一、" (bold marks allowed around it)
            before = text[node.span[0] : node.title_span[0]].replace("*", "").strip()
            assert _marker_ok(report, "cn", before), (before, node.title)
            assert text.startswith(node.title[:4], node.title_span[0] + (text[node.title_span[0]] == "*") * 2)
            assert text[node.span[0] : node.span[1]] == node.text
        # sections follow each other and stay inside the document
        for a, b in zip(tops, tops[1:], strict=False):
            assert a.span[1] <= b.span[0]
    if len(lists) > 1:
        for part in doc.children:
            assert text[part.span[0] : part.title_span[0]] == "**"  # a bold line alone
            assert text[part.span[0] : part.span[1]] == part.text


@pytest.mark.parametrize("path", REPORTS, ids=_report_id)
def test_work_report_items_of_the_year(path: Path) -> None:
    text, doc = _parsed(path)
    year, report = path.stem, _report_id(path)
    work = _work_section(doc, year)
    assert work is not None, [n.title for n in doc.children]
    numbered = [c for c in work.children if c.marker in ("pcn", "di", "cn")]
    marker = numbered[0].marker if numbered else None
    items = [c for c in work.children if c.marker == marker]
    if len(items) < 5 and work.marker == "cn":
        # the older shape: "二、2000年工作的总体要求和主要预期目标" then the tasks as sections 三、四、…
        siblings = next(s for s in _sections(doc) if work in s)
        items = siblings[siblings.index(work) + 1 :]
        assert len(work.children) == 0 or all(c.marker not in ("pcn", "di") for c in work.children[:1])
        assert items and items[0].ordinal == work.ordinal + 1
        marker = "cn"
    else:
        assert items and items[0].ordinal == 1  # numbered from （一）
    assert len(items) >= 5, [c.title for c in work.children]
    # each continuing the one before (a second list may restart at （一）)
    for a, b in zip(items, items[1:], strict=False):
        assert _continues(text, a, b), (a.title, b.ordinal)
    for item in items:
        before = text[item.span[0] : item.title_span[0]].replace("*", "").strip()
        assert _marker_ok(report, marker, before), (before, item.title)
        assert 2 <= len(item.title) <= 120
        assert not item.title.endswith(("。", "，", "*"))
        if marker != "cn":
            assert work.span[0] <= item.span[0] and item.span[1] <= work.span[1]


PINNED = [
    ("140100-taiyuan/2023", 2, 1, "以制造业振兴为主攻方向，加快推动工业转型升级"),
    ("140100-taiyuan/2023", 2, 11, "以保障和改善民生为根本，全面提升群众幸福指数"),
    ("340100-hefei/2020", 2, 1, "更宽视野打造具有国际影响力的创新高地"),
    ("340100-hefei/2020", 2, 7, "更暖温度保障改善民生增进群众福祉"),
    ("420100-wuhan/2020", 2, 1, "坚决打赢三大攻坚战"),
    ("420100-wuhan/2020", 2, 9, "更好地保障和改善民生"),
    ("430100-changsha/2019", 3, 1, "强力推进现代产业发展"),
    # a page whose line breaks were lost: headings run on inside one long line
    ("140100-taiyuan/2019", 2, 1, "全力实施创新驱动战略，推动制造业高质量发展"),
    ("140100-taiyuan/2019", 2, 7, "全力增进民生福祉，不断提升人民群众获得感幸福感安全感"),
]


@pytest.mark.parametrize(("report", "section", "item", "title"), PINNED)
def test_pinned_titles(report: str, section: int, item: int, title: str) -> None:
    path = SHARED / "corpus" / "work-reports" / f"{report}.md"
    _text, doc = _parsed(path)
    sec = doc.children[section - 1]
    items = [c for c in sec.children if c.marker == "pcn"]
    assert items[item - 1].ordinal == item
    assert items[item - 1].title == title


# older formats: (report, path of (marker, ordinal) from the top, title read from the text by hand)
PINNED_OLDER = [
    # tasks as top-level sections after "二、2000年政府工作的总体要求和主要预期目标"
    ("140100-taiyuan/2000", [("cn", 3)], "扎扎实实推进经济结构调整，提高经济运行质量和效益"),
    ("140100-taiyuan/2000", [("cn", 10)], "全面贯彻依法治市方略，加强政府自身建设"),
    # "**第一，努力增加农民收入，加快城镇化进程。**" items under "二、关于下届政府工作的建议"
    ("140000-shanxi/2003", [("cn", 2), ("di", 1)], "努力增加农民收入，加快城镇化进程"),
    ("140000-shanxi/2003", [("cn", 2), ("di", 8)], "加强民主法制建设，积极转变政府职能"),
    # bold parts (unnumbered: the n-th) above lists that restart at "一、"
    ("141100-lvliang/2016", [("bold_part", 1), ("cn", 6)], "不断深化改革开放，扎实推进政府自身建设，发展动力和活力进一步增强"),
    ("141100-lvliang/2016", [("bold_part", 2), ("cn", 1)], "坚持精准扶贫，如期实现贫困人口脱贫和贫困县摘帽目标"),
    ("141100-lvliang/2016", [("bold_part", 2)], "“十三五”时期目标任务和工作重点"),
    # a page that lost first characters: "、本届政府五年工作回顾", "五）以加入世贸组织为契机，…"
    ("140100-taiyuan/2002", [("cn", 1)], "本届政府五年工作回顾"),
    ("140100-taiyuan/2002", [("cn", 1), ("pcn", 5)], "财政改革逐步深化，财税管理不断加强"),
    ("140100-taiyuan/2002", [("cn", 2), ("pcn", 5)], "以加入世贸组织为契机，进一步扩大对外开放"),
    # "**（四）…**" after "**（一）…**" whose （二）（三） lost their numbers on the page
    ("140100-taiyuan/2018", [("cn", 2), ("pcn", 4)], "以承办全国二青会为动力，全面提升省会城市整体形象和文明水平"),
]


@pytest.mark.parametrize(("report", "path", "title"), PINNED_OLDER)
def test_pinned_older_formats(report: str, path: list, title: str) -> None:
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / f"{report}.md")
    nodes = doc.children
    node = None
    for marker, ordinal in path:
        if marker == "bold_part":  # unnumbered: the n-th part
            matches = [n for n in nodes if n.marker == marker][ordinal - 1 : ordinal]
        else:
            matches = [n for n in nodes if n.marker == marker and n.ordinal == ordinal]
        assert len(matches) == 1, (marker, ordinal, [(n.marker, n.ordinal, n.title) for n in nodes])
        node = matches[0]
        nodes = node.children
    assert node is not None and node.title == title


def test_pinned_section_titles() -> None:
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2019.md")
    assert [n.title for n in doc.children] == ["2018年工作回顾", "2019年工作安排", "全面加强政府自身建设"]
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2022.md")
    assert [n.title for n in doc.children] == ["2021年和过去五年工作回顾", "今后五年工作目标任务", "2022年工作安排"]
    # bold paragraph headings under the review, with inline bold sub-headings under them
    review = doc.children[0]
    assert review.children[0].marker == "bold"
    assert review.children[0].title == "坚持稳中求进，高质量发展迈出新步伐"
    assert [c.title for c in review.children[0].children][:2] == ["抢抓机遇开新局", "狠抓工业促转型"]


def test_front_matter_source_kept() -> None:
    text, doc = _parsed(SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2022.md")
    assert doc.source["url"] == "https://www.taiyuan.gov.cn/zfgzbg/20220223/1192317.html"
    assert doc.title == "2022年政府工作报告"
    kind, (a, b) = doc.furniture[0]
    assert kind == "front_matter" and a == 0 and text[:b].rstrip().endswith("---")
    assert "source:" not in doc.text and doc.span[0] >= b


def test_plan_outline_chapters() -> None:
    path = SHARED / "corpus" / "plans" / "2021-national-14th-fyp-outline.md"
    _text, doc = _parsed(path)
    assert len(doc.children) == 19  # 第一篇 … 第十九篇; the table of contents is not parsed again
    assert doc.children[1].title.startswith("坚持创新驱动发展")
    chapters = [c for c in doc.children[1].children if c.marker == "zhang"]
    assert [c.ordinal for c in chapters] == [4, 5, 6, 7]  # chapters run on across parts
    assert [c.title for c in chapters[0].children][:2] == ["整合优化科技资源配置", "加强原创性引领性科技攻关"]
    principles = doc.children[0].children[1].children[1]
    assert principles.title == "必须遵循的原则"
    assert [c.marker for c in principles.children] == ["dash"] * 5
    assert principles.children[0].title == "坚持党的全面领导"


# ---------------------------------------------------------------------------------------------
# The seed blueprint

SEED_TASKS = [
    "持续优化产业结构",
    "集聚转化创新资源",
    "深化关键领域改革",
    "不断增进民生福祉",
    "全力确保安全稳定",
    "加快厚植生态本底",
    "纵深推进从严治党",
]


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text(encoding="utf-8")
    return text, parse_policy(text)


def test_seed_seven_tasks(seed) -> None:
    text, doc = seed
    assert [n.title for n in doc.children] == SEED_TASKS
    assert [n.marker for n in doc.children] == ["yao"] * 7
    for i, node in enumerate(doc.children):
        assert node.text.startswith("一二三四五六七"[i] + "要" + SEED_TASKS[i])
        assert node.text.endswith("。")
        assert text[node.span[0] : node.span[1]] == node.text
    assert "蓝图已经绘就" not in doc.children[-1].text  # the closing paragraph is not task 7


def test_seed_sub_items(seed) -> None:
    from lantu.ingest.plan_export import subtasks

    text, doc = seed
    titles = [t for t, _x, _s in subtasks(doc.children[0])]
    assert titles[3:7] == ["推动传统产业内涵集约发展", "推动战略性新兴产业集群规模发展",
                           "推动服务业高端融合发展", "推动农业优质高效发展"]
    assert "完整准确全面贯彻新发展理念" not in titles  # a principle, not a task
    for _t, words, (a, b) in subtasks(doc.children[0]):
        assert text[a:b] == words
    first = [a.text for a in doc.children[0].actions]
    assert "全力推进项目建设" in first
    assert "培育壮大市场主体" in first
    assert any(t.startswith("统筹三次产业协同跨越发展") for t in first)
    innovation = doc.children[1]
    assert any(a.verb == "推进" and "“111”“1331”“136”" in a.object for a in innovation.actions)
    assert {p.name for p in innovation.programmes} >= {"111", "1331", "136", "专精特新"}
    ecology = doc.children[5]
    assert any("空气质量" in link.triggers for link in ecology.indicators if link.code == "pm25")
    assert "energy_intensity_change" in [link.code for link in ecology.indicators]


def test_seed_goals(seed) -> None:
    _text, doc = seed
    titles = [g.title for g in doc.goals]
    assert titles == [
        "建设太原国家物流枢纽",
        "建设太原国家区域中心城市",
        "举全省之力支持太原打造创新高地、产业高地、人才高地、开放高地",
        "率先形成以先进制造业为支撑、现代服务业为主体的现代产业体系",
        "再现“锦绣太原城”盛景",
        "重点建设太忻经济区",
        "当好学习贯彻省党代会精神、全方位推动高质量发展的排头兵",
        "不断提升太原在全省的首位度和在全国的影响力",
    ]
    assert [g.where for g in doc.goals] == ["lead"] * 6 + ["position", "closing"]
    assert "带动山西中部其他四市协同发展" in doc.goals[1].text
    assert doc.goals[4].text.startswith("提升综合实力")
    assert doc.goals[5].text.endswith("打造山西中部城市群发展北引擎")
    assert doc.goals[2].parts == ["创新高地", "产业高地", "人才高地", "开放高地"]
    assert len(doc.goals[6].parts) == 4 and all(p.endswith("走在前列") for p in doc.goals[6].parts)
    assert "freight_volume" in [x.code for x in doc.goals[0].indicators]
    four = next(p for p in doc.programmes if p.name == "四个高地")
    assert four.count == 4 and four.parts == ["创新高地", "产业高地", "人才高地", "开放高地"]


def test_goals_only_where_the_text_states_them() -> None:
    # a report opening with narrative, not with ';'-separated positioning statements
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2024.md")
    assert [g.where for g in doc.goals] in ([], ["closing"])
    doc = parse_policy("建设物流枢纽;打造开放高地;率先形成现代产业体系,再现古城盛景。\n一要加快建设。\n二要深化改革。")
    assert [g.title for g in doc.goals] == ["建设物流枢纽", "打造开放高地", "率先形成现代产业体系", "再现古城盛景"]


def test_seed_furniture_dropped(seed) -> None:
    text, doc = seed
    kinds = [k for k, _s in doc.furniture]
    assert kinds[:1] == ["caption"] and "byline" in kinds and "related" in kinds
    assert "梁琛摄" not in doc.text and "本报记者杨彧" not in doc.text and "推荐内容" not in doc.text
    assert doc.text.startswith("建设太原国家物流枢纽")
    assert doc.text.endswith("胜利召开!")
    assert text[doc.span[0] : doc.span[1]] == doc.text


def test_seed_mentions(seed) -> None:
    _text, doc = seed
    names = {m.name for n in doc.walk() for m in n.mentions if m.kind == "place"}
    assert "山西" in names


def test_seed_matches_default_plan(seed) -> None:
    """The hand-encoded default plan has the same seven tasks, the same goals (count and, where
    the default keeps the seed's words, title) and the same four highlands."""
    default = ROOT / "src" / "lantu" / "defaults" / "taiyuan_plan.yaml"
    plan = yaml.safe_load(default.read_text(encoding="utf-8"))
    tasks = [e for e in plan["children"] if e.get("kind") == "task"]
    goal_group = next(e for e in plan["children"] if e.get("kind") == "goal")
    goals = goal_group["children"]
    _text, doc = seed
    assert [t["title"] for t in tasks] == [n.title for n in doc.children]
    assert len(goals) == len(doc.goals)
    same = sum(g["title"] == mine.title or g["title"] in mine.title or g["text"] == mine.text
               for g, mine in zip(goals, doc.goals, strict=True))
    assert same == len(goals)
    highlands = next(g for g in goals if "四个高地" in g["title"])
    assert [c["title"] for c in highlands["children"]] == doc.goals[2].parts
    mine = to_plan(doc, code="taiyuan-2021-11")
    assert [c["code"] for c in mine["children"][0]["children"]] == [g["code"] for g in goals]
    # sub-tasks: most of the hand-encoded ones are found word for word, in the same task
    theirs = {(i, c["title"]) for i, t in enumerate(tasks) for c in t["children"]}
    ours = {(i, c["title"]) for i, t in enumerate(mine["children"][1:]) for c in t["children"]}
    assert len(theirs & ours) >= 0.7 * len(theirs), sorted(theirs - ours)
    assert len(ours - theirs) <= 0.3 * len(ours), sorted(ours - theirs)


# ---------------------------------------------------------------------------------------------
# Pieces on hand-written examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全力推进项目建设，培育壮大市场主体。", [("推进", "项目建设"), ("培育", "壮大市场主体")]),
        ("加快重点实验室建设", [("加快", "重点实验室建设")]),
        ("高标准高质量推进“111”工程", [("推进", "“111”工程")]),
        ("深入推进反腐败斗争；持之以恒正风肃纪", [("深入推进", "反腐败斗争")]),
        ("我们坚信，太原的明天更加美好。", []),
    ],
)
def test_action_clauses(text: str, expected: list[tuple[str, str]]) -> None:
    got = find_actions(text)
    assert [(a.verb, a.object) for a in got] == expected
    for a in got:
        assert text[a.span[0] : a.span[1]] == a.text


def test_inline_enumerations_need_a_run() -> None:
    doc = parse_policy("统一是前提。重点抓好三件事：一是加快建设枢纽；二是推进多式联运；三是培育物流企业。")
    assert [n.title for n in doc.children] == ["加快建设枢纽", "推进多式联运", "培育物流企业"]
    doc = parse_policy("一是加快建设枢纽，没有第二项。")
    assert doc.children == []


def test_mixed_nesting() -> None:
    text = (
        "# 实施方案\n\n一、总体要求\n\n坚持稳中求进。\n\n二、重点任务\n\n（一）建设物流枢纽。\n\n"
        "1. 推进多式联运。一是建设铁路专用线；二是发展公铁联运。\n\n2. 培育物流企业。\n\n"
        "（二）打造创新高地。\n\n**强化企业主体。**支持企业建设研发平台。\n\n三、保障措施\n\n第一，加强组织领导。第二，强化考核。\n"
    )
    doc = parse_policy(text, mentions=False)
    assert doc.title == "实施方案"
    assert [n.title for n in doc.children] == ["总体要求", "重点任务", "保障措施"]
    tasks = doc.children[1]
    assert [c.title for c in tasks.children] == ["建设物流枢纽", "打造创新高地"]
    assert [c.title for c in tasks.children[0].children] == ["推进多式联运", "培育物流企业"]
    assert [c.title for c in tasks.children[0].children[0].children] == ["建设铁路专用线", "发展公铁联运"]
    assert tasks.children[1].children[0].marker == "bold"
    assert [c.title for c in doc.children[2].children] == ["加强组织领导", "强化考核"]
    for node in doc.walk():
        assert text[node.span[0] : node.span[1]] == node.text
        assert not node.text.endswith(("\n", " "))


def test_numbers_in_running_text_are_not_markers() -> None:
    doc = parse_policy("一、目标\n增长6.5%，完成1.2万亿元。全市1、2月份数据向好。二、任务\n推进建设。\n")
    assert [n.title for n in doc.children] == ["目标", "任务"]
    assert doc.children[0].children == []


def test_programmes_and_formulas() -> None:
    progs = find_programmes("实施“1331”工程，打好三大攻坚战，推进“放管服效”改革，建设“四个高地”。")
    names = [p.name for p in progs]
    assert names == ["1331", "三大攻坚战", "放管服效", "四个高地"]
    assert progs[1].count == 3 and progs[1].parts == []  # the three are not listed here


def test_targets() -> None:
    ts = find_targets("到2025年，研发经费投入强度达到2.5%以上，城镇新增就业4.5万人。去年下雨。")
    assert [(t.value, t.unit, t.qualifier, t.deadline) for t in ts] == [
        (2.5, "%", "以上", "2025"),
        (4.5, "万人", None, "2025"),
    ]
    assert find_targets("今年增长6.5%左右。")[0].qualifier == "左右"


def test_indicator_suggestions() -> None:
    links = {x.code: x.triggers for x in suggest_indicators("加大研发投入，千方百计增加城乡居民收入，建设物流枢纽")}
    assert links["rd_intensity"] == ["研发投入"] and links["rd_expenditure"] == ["研发投入"]
    assert links["income_urban"] == ["城乡居民收入"] and links["income_rural"] == ["城乡居民收入"]
    assert links["freight_volume"] == ["物流枢纽"] == links["express_volume"]
    links = {x.code: x.triggers for x in suggest_indicators("支持企业建设研发平台，发展R&D服务和物流")}
    assert links["rd_intensity"] == ["研发", "R&D"]
    assert links["express_volume"] == ["物流"] and links["freight_volume"] == ["物流"]


def test_indicator_codes_exist_in_catalogue() -> None:
    import csv

    from lantu.ingest.lexicon import load_indicator_triggers

    path = ROOT / "src" / "lantu" / "defaults" / "data" / "indicators.csv"
    with path.open(encoding="utf-8") as fh:
        codes = {row["code"] for row in csv.DictReader(fh)}
    assert set(load_indicator_triggers()) <= codes


def test_furniture_rules() -> None:
    text = (
        "三月五日，市长在清徐县调研。张三摄\n\n一、总体要求\n坚持稳中求进。\n二、任务\n推进建设。\n\n"
        "本报记者 李四\n\n责任编辑：王五\n\n推荐内容\n\n一、别的文章\n"
    )
    doc = parse_policy(text, mentions=False)
    assert [n.title for n in doc.children] == ["总体要求", "任务"]
    assert doc.children[-1].text == "二、任务\n推进建设。"
    assert {k for k, _ in doc.furniture} >= {"caption", "byline", "related"}


def test_cn_numerals() -> None:
    assert [cn_to_int(s) for s in ("一", "十", "十一", "二十", "九十九", "两")] == [1, 10, 11, 20, 99, 2]
    assert cn_to_int("甲") is None


def test_responsibility_fields() -> None:
    doc = parse_policy("（一）建设物流枢纽。（牵头单位：市发展改革委；配合单位：市交通局、市商务局；完成时限：2025年底）\n"
                       "（二）培育物流企业。\n", mentions=False)
    first = doc.children[0]
    assert first.lead == "市发展改革委"
    assert first.supporting == ["市交通局", "市商务局"]
    assert first.due == "2025年底"
    assert doc.children[1].lead is None and doc.children[1].due is None


# ---------------------------------------------------------------------------------------------
# Outputs and the command line

runner = CliRunner()


def test_cli_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", "parse", str(SEED)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = SEED.read_text(encoding="utf-8")
    assert [c["title"] for c in data["children"]] == SEED_TASKS
    for child in data["children"]:
        assert text[child["span"][0] : child["span"][1]] == child["text"]
    out = tmp_path / "seed.json"
    result = runner.invoke(app, ["plan", "parse", str(SEED), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["children"]


def test_cli_yaml_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["plan", "parse", str(SEED), "-f", "yaml", "-o", str(out),
                                 "--code", "taiyuan-2021-11", "--region", "140100"])
    assert result.exit_code == 0, result.output
    plan = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert plan["code"] == "taiyuan-2021-11" and plan["region"] == "140100"
    assert set(plan["source"]) == {"url", "file"}
    goals = [c for c in plan["children"] if c["kind"] == "goal"]
    tasks = [c for c in plan["children"] if c["kind"] == "task"]
    assert [g["code"] for g in goals] == ["P0"] and goals[0]["title"] == "定位目标"
    assert [g["code"] for g in goals[0]["children"]] == [f"P0.{i}" for i in range(1, 9)]
    assert [g["title"] for g in goals[0]["children"][2]["children"]] == ["创新高地", "产业高地", "人才高地", "开放高地"]
    assert [t["title"] for t in tasks] == SEED_TASKS
    assert [t["code"] for t in tasks] == [str(i) for i in range(1, 8)]
    assert tasks[0]["children"][0]["code"] == "1.1"
    keys = ["code", "title", "text", "kind", "indicators", "lead", "supporting", "start", "due", "span", "children"]
    assert list(tasks[0])[: len(keys)] == keys
    assert "pm25" in tasks[5]["indicators"]
    projects = next(c for c in tasks[0]["children"] if c["title"] == "全力推进项目建设")
    assert projects["indicators"] == ["fai_growth"]


def test_cli_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "tasks.xlsx"
    result = runner.invoke(app, ["plan", "parse", str(SEED), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    ws = wb["任务分解表"]
    assert tuple(c.value for c in ws[1]) == TASK_COLUMNS
    assert ws.freeze_panes == "A2" and ws[1][0].font.bold
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[0][:2] == ("1", "持续优化产业结构")
    assert all(r[3] is None and r[5] is None for r in rows)  # the text names no department
    assert wb["目标定位"].max_row == 1 + 1 + 8  # header, P0, P0.1 … P0.8
    result = runner.invoke(app, ["plan", "parse", str(SEED), "--format", "xlsx"])
    assert result.exit_code != 0 and "--out" in result.output


def test_gbk_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、总体要求\n坚持稳中求进。\n二、重点任务\n加快建设枢纽。\n".encode("gbk"))
    result = runner.invoke(app, ["plan", "parse", str(path)])
    assert result.exit_code == 0, result.output
    assert [c["title"] for c in json.loads(result.stdout)["children"]] == ["总体要求", "重点任务"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("junk.txt", bytes(range(256)) * 20, "binary"),
        ("latin.txt", b"just some english words\n", "no Chinese text"),
        ("table.xlsx", b"PK\x03\x04", "unsupported extension"),
        ("noext", "一、总体".encode(), "unsupported extension"),
        ("broken.pdf", b"%PDF-1.4\n%%EOF\n", "not a readable PDF"),
        ("prose.md", "今天天气很好，我们去公园散步。".encode(), "no sections"),
    ],
)
def test_bad_input(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["plan", "parse", str(path)])
    assert result.exit_code != 0
    assert message in result.output and name in result.output
    assert "Traceback" not in result.output


def test_scanned_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    path = tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # a page with no text layer, like a scan
    writer.write(path)
    result = runner.invoke(app, ["plan", "parse", str(path)])
    assert result.exit_code != 0
    assert "scan.pdf" in result.output and "no text layer" in result.output
    assert "Traceback" not in result.output


def test_missing_file_and_bad_region(tmp_path: Path) -> None:
    def flat(output: str) -> str:  # Typer's usage-error box wraps the message in its frame
        return " ".join(output.replace("│", " ").split())

    result = runner.invoke(app, ["plan", "parse", str(tmp_path / "nope.md")])
    assert result.exit_code == 3 and "no such file" in flat(result.output)
    result = runner.invoke(app, ["plan", "parse", str(tmp_path)])
    assert result.exit_code == 3 and "is a directory" in flat(result.output)
    for fmt, name in (("json", "x.json"), ("xlsx", "x.xlsx")):
        out = tmp_path / "no" / "such" / name
        result = runner.invoke(app, ["plan", "parse", str(SEED), "-f", fmt, "-o", str(out)])
        assert result.exit_code != 0 and "cannot write" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["plan", "parse", str(SEED), "-f", "yaml", "--region", "shanxi"])
    assert result.exit_code == 2 and "6-digit" in flat(result.output)


@pytest.mark.slow
def test_large_text_is_parsed(tmp_path: Path) -> None:
    """A 10 MB text (the seed repeated) parses without error and keeps every span exact."""
    body = parse_policy(SEED.read_text(encoding="utf-8"), mentions=False).text  # no furniture
    text = "\n".join(f"{_cn(i)}、第{i}部分\n{body}\n{body}" for i in range(1, 900))
    assert len(text.encode("utf-8")) > 10_000_000
    doc = parse_policy(text, mentions=False)
    assert len(doc.children) == 899
    last = doc.children[-1]
    assert text[last.span[0] : last.span[1]] == last.text


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        t, u = divmod(n, 10)
        return ("" if t == 1 else digits[t]) + "十" + (digits[u] if u else "")
    h, r = divmod(n, 100)
    rest = "" if r == 0 else ("零" + digits[r] if r < 10 else ("一" if r < 20 else "") + _cn(r))
    return digits[h] + "百" + rest


def test_plan_from_report_has_numbered_codes() -> None:
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / "430100-changsha" / "2024.md")
    plan = to_plan(doc, code="changsha-2024", region="430100")
    work = plan["children"][0]  # the review (一、2023年工作回顾) reports results, not tasks
    assert work["code"] == "2" and work["title"] == "2024年工作重点"
    assert work["children"][0]["code"] == "2.1"
    assert to_plan(doc, code="c", skip_review=False)["children"][0]["title"] == "2023年工作回顾"


def test_write_task_table_is_atomic(tmp_path: Path) -> None:
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2024.md")
    out = write_task_table(to_plan(doc, code="t"), tmp_path / "t.xlsx")
    assert out.exists() and not (tmp_path / "t.xlsx.part").exists()


def test_html_and_docx_through_the_reader(tmp_path: Path) -> None:
    from docx import Document

    html = tmp_path / "plan.html"
    html.write_text(
        "<html><head><title>实施方案</title></head><body><h2>一、总体要求</h2><p>坚持稳中求进。</p>"
        "<h2>二、重点任务</h2><p>（一）建设物流枢纽。推进多式联运。</p><p>（二）打造创新高地。</p></body></html>",
        encoding="gbk",
    )
    result = runner.invoke(app, ["plan", "parse", str(html)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "实施方案"
    assert [c["title"] for c in data["children"]] == ["总体要求", "重点任务"]
    assert [c["title"] for c in data["children"][1]["children"]] == ["建设物流枢纽", "打造创新高地"]

    docx = tmp_path / "plan.docx"
    d = Document()
    for line in ("一要持续优化产业结构。全力推进项目建设。", "二要深化关键领域改革。加快建设示范区。"):
        d.add_paragraph(line)
    d.save(docx)
    result = runner.invoke(app, ["plan", "parse", str(docx), "-f", "yaml"])
    assert result.exit_code == 0, result.output
    plan = yaml.safe_load(result.stdout)
    assert [c["title"] for c in plan["children"]] == ["持续优化产业结构", "深化关键领域改革"]


@pytest.mark.parametrize(
    "path",
    [SEED, SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2023.md",
     SHARED / "corpus" / "plans" / "2021-national-14th-fyp-outline.md"],
    ids=lambda p: p.stem,
)
def test_plan_yaml_loads_as_a_lantu_plan(tmp_path: Path, path: Path) -> None:
    from lantu.defaults import load_plan

    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["plan", "parse", str(path), "-f", "yaml", "-o", str(out), "--no-mentions"])
    assert result.exit_code == 0, result.output
    plan = load_plan(out)
    nodes = [n for _, n in plan.walk()]
    assert len(nodes) > 10 and all(n.title.strip() for n in nodes)
    text = path.read_text(encoding="utf-8")
    for node in nodes:
        if node.span and node.kind == "task" and "." not in node.code:
            assert text[node.span[0] : node.span[1]].startswith(node.text[:20])


def test_deadlines_become_dates_in_the_plan() -> None:
    doc = parse_policy("（一）建设物流枢纽，2025年6月底前完成。\n（二）培育物流企业。（完成时限：2026年底）\n"
                       "（三）两千年前的古城。\n", mentions=False)
    assert [n.due for n in doc.children] == ["2025年6月底前", "2026年底", None]
    plan = to_plan(doc, code="t")
    assert [(c["due"], c.get("due_text")) for c in plan["children"]] == [
        ("2025-06-30", "2025年6月底前"), ("2026-12-31", "2026年底"), (None, None)]


@pytest.mark.parametrize(
    ("text", "places", "organisations"),
    [
        ("韦韬在清徐县闫家营村看望慰问受灾群众。", ["清徐县", "闫家营村"], []),
        ("推进太原与晋中一体化，支持吕梁市离石区发展。", ["太原", "晋中", "吕梁市", "离石区"], []),
        ("武汉市要带动黄陂区和江夏区，武汉的发展。", ["武汉市", "黄陂区", "江夏区", "武汉"], []),
        ("推进美丽乡村建设，打造示范村，建设城市社区和开发区。", [], []),
        ("由市发展改革委牵头，市财政局配合。", [], ["市发展改革委", "市财政局"]),
    ],
)
def test_mentions(text: str, places: list[str], organisations: list[str]) -> None:
    from lantu.ingest.policy import find_mentions

    found = find_mentions(text)
    assert [m.name for m in found if m.kind == "place"] == places
    assert [m.name for m in found if m.kind == "organisation"] == organisations
    for m in found:
        assert text[m.span[0] : m.span[1]] == m.name


def test_other_layouts_of_the_genre() -> None:
    """Layouts the corpus does not use but other cities' documents do."""
    text = (
        "## 第一部分 总体要求\n\n坚持稳中求进。\n\n## 第二部分 重点任务\n\n### 一、产业发展\n\n"
        "（一）建设先进制造业基地。\n\n１．推进智能制造。\n\n２．培育产业集群。\n\n（二）发展现代服务业。\n\n"
        "### 二、民生保障\n\n一是稳定就业。全力稳岗扩岗。\n\n二是提高收入。\n\n三是办好教育。\n"
    )
    doc = parse_policy(text, mentions=False)
    assert [n.title for n in doc.children] == ["总体要求", "重点任务"]
    tasks = doc.children[1]
    assert [n.title for n in tasks.children] == ["产业发展", "民生保障"]
    industry = tasks.children[0]
    assert [n.title for n in industry.children] == ["建设先进制造业基地", "发展现代服务业"]
    assert [n.title for n in industry.children[0].children] == ["推进智能制造", "培育产业集群"]
    assert [n.title for n in tasks.children[1].children] == ["稳定就业", "提高收入", "办好教育"]
    assert tasks.children[1].children[0].text == "一是稳定就业。全力稳岗扩岗。"
    for node in doc.walk():
        assert text[node.span[0] : node.span[1]] == node.text


def test_crlf_and_ideographic_indent() -> None:
    text = "一、总体要求\r\n\u3000\u3000坚持稳中求进。\r\n二、重点任务\r\n\u3000\u3000（一）加快建设枢纽。\r\n"
    doc = parse_policy(text, mentions=False)
    assert [n.title for n in doc.children] == ["总体要求", "重点任务"]
    assert doc.children[1].children[0].title == "加快建设枢纽"
    assert not doc.children[0].text.endswith(("\r", "\n", "\u3000"))


def test_review_figures_are_not_targets() -> None:
    _text, doc = _parsed(SHARED / "corpus" / "work-reports" / "140100-taiyuan" / "2024.md")
    review, plan = doc.children[0], doc.children[1]
    assert [t for n in review.walk() for t in n.targets] == []
    targets = [(t.value, t.unit, t.qualifier) for n in plan.walk() for t in n.targets]
    assert (5.0, "%", "左右") in targets and (8.0, "万人", None) in targets
    assert find_targets("全年地区生产总值同比增长5.2%。") == []


_FRAGMENTS = [
    "一、", "二、", "三、", "（一）", "（二）", "(三)", "1.", "2．", "3、", "（1）", "（2）", "①", "②",
    "一是", "二是", "三是", "一要", "二要", "第一，", "第二，", "第一章", "第二节", "——", "**", "## ",
    "# ", "- ", "加快建设物流枢纽", "推进项目建设", "增长6.5%左右", "。", "，", "；", "\n", "\n\n",
    "  ", "\u3000\u3000", "“四个高地”", "创新高地、产业高地", "本报记者张三", "推荐内容", "梁琛摄",
    "<!-- x -->", "---\n", "2025年底前", "市发展改革委", "清徐县", "**（一）", "。**", "第一部分", "\r\n",
    "<details>", "各位代表：", "十一、", "（十二）", "1.5", "二〇二五年",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=60))
def test_any_mix_of_markers_gives_a_consistent_tree(parts: list[str]) -> None:
    text = "".join(parts)
    doc = parse_policy(text, mentions=False)
    assert text[doc.span[0] : doc.span[1]] == doc.text

    def check(nodes, lo: int, hi: int) -> None:
        prev_end = lo
        for node in nodes:
            a, b = node.span
            assert text[a:b] == node.text
            assert prev_end <= a <= b <= hi
            assert a <= node.title_span[0] <= node.title_span[1] <= b
            assert "**" not in node.title
            for act in node.actions + [t for t in node.targets]:
                assert a <= act.span[0] <= act.span[1] <= b
            check(node.children, a, b)
            prev_end = b

    check(doc.children, doc.span[0], doc.span[1])
    plan = to_plan(doc, code="x")
    assert all(e["title"] for e in plan["children"])


def test_list_whose_first_item_is_unnumbered() -> None:
    text = "2023年工作回顾\n过去一年成绩显著。\n二、2024年工作安排\n（一）加快建设枢纽。\n三、加强政府自身建设\n坚持依法行政。\n"
    doc = parse_policy(text, mentions=False)
    assert [(n.ordinal, n.title) for n in doc.children] == [(2, "2024年工作安排"), (3, "加强政府自身建设")]
    # a lone stray "二、" with no "三、" after it is still ignored
    doc = parse_policy("一要加快建设。\n二要深化改革。\n报告提到二、三产业融合。\n", mentions=False)
    assert [n.title for n in doc.children] == ["加快建设", "深化改革"]


def test_bold_marker_and_title_apart() -> None:
    doc = parse_policy("**一、** **总体要求**\n坚持稳中求进。\n**二、**重点任务\n加快建设。\n", mentions=False)
    assert [n.title for n in doc.children] == ["总体要求", "重点任务"]


def test_long_headlines_are_cut() -> None:
    text = (
        "名词解释\n1.“以克论净”：通常做法是用木框随机划定某一平方米的道路面积，人工用毛刷清理地面浮尘的方式检验考核，以机械化的方式抽检。\n"
        "2.雪亮工程：是以县、乡、村三级综治中心为指挥平台、以综治信息化为支撑、以网格化管理为基础的群众性治安防控工程。\n"
        "——城市品质持续提升，1011条支路街巷旧貌换新颜，优化提质后的“一江两岸”景观亮化更加靓丽，"
        "一批历史文化街区成为“网红”打卡地，长沙位居全国热门宜居城市榜首\n"
        "——创新要素加速集聚。\n"
    )
    doc = parse_policy(text, mentions=False)
    assert [n.title for n in doc.walk()] == ["“以克论净”", "雪亮工程", "城市品质持续提升", "创新要素加速集聚"]
    assert [n.marker for n in doc.children[1].children] == ["dash", "dash"]  # bullets under item 2


def test_task_table_with_many_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = [{"code": str(i), "title": f"任务{i}", "text": "内容。", "kind": "task", "lead": None,
             "supporting": ["市财政局", "市商务局"] if i % 2 else [], "due": None, "children": []}
            for i in range(1, 3001)]
    out = write_task_table({"children": rows}, tmp_path / "many.xlsx")
    ws = load_workbook(out, read_only=True)["任务分解表"]
    values = list(ws.iter_rows(values_only=True))
    assert len(values) == 3001
    assert values[-1][:2] == ("3000", "任务3000") and values[1][4] == "市财政局、市商务局"


def test_lost_first_characters() -> None:
    """A page that lost the first character of its paragraphs: "、…" opens a list whose "二、"
    follows, "一）…" is "（一）…"; in running text neither is a marker."""
    text = "、工作回顾\n一）经济增长\n过去一年增长。\n二）改革深化\n二、今年安排\n（一）加快建设。\n三、自身建设\n"
    doc = parse_policy(text, mentions=False)
    assert [(n.ordinal, n.title) for n in doc.children] == [(1, "工作回顾"), (2, "今年安排"), (3, "自身建设")]
    assert [(c.marker, c.ordinal, c.title) for c in doc.children[0].children] == [
        ("pcn", 1, "经济增长"), ("pcn", 2, "改革深化")]
    # no list follows: the stray "、" is not a section; "一）" inside a sentence is not an item
    doc = parse_policy("、工作回顾\n过去一年，一）增长较快。\n", mentions=False)
    assert doc.children == []


def test_bold_parts_over_restarting_lists() -> None:
    text = ("各位代表：\n**本届政府工作回顾**\n概述。\n一、投资\n增长。\n二、民生\n改善。\n"
            "**今后五年目标任务**\n总体要求。\n一、扶贫\n脱贫。\n二、产业\n转型。\n")
    doc = parse_policy(text, mentions=False)
    assert [(n.marker, n.title) for n in doc.children] == [("bold_part", "本届政府工作回顾"),
                                                          ("bold_part", "今后五年目标任务")]
    assert [c.title for c in doc.children[1].children] == ["扶贫", "产业"]
    # one bold line before a single list stays a plain bold heading (preamble)
    doc = parse_policy("各位代表：\n**本届政府工作回顾**\n一、投资\n增长。\n二、民生\n改善。\n", mentions=False)
    assert [n.marker for n in doc.children] == ["cn", "cn"]


def test_bold_di_items_are_headings() -> None:
    text = ("一、回顾\n成绩。\n二、建议\n**十件实事：**一是减负；二是安居。\n"
            "**第一，增加农民收入。**加强基础设施。\n建设绿色山西。\n**第二，调整结构。**发展工业。\n")
    doc = parse_policy(text, mentions=False)
    work = doc.children[1]
    assert [(c.marker, c.ordinal, c.title) for c in work.children if c.marker == "di"] == [
        ("di", 1, "增加农民收入"), ("di", 2, "调整结构")]
    assert "建设绿色山西" in work.children[-2].text  # the heading spans its paragraphs
    # plain "第一，…第二，…" inside a paragraph stays an inline enumeration of that paragraph
    doc = parse_policy("一、保障\n第一，加强组织领导。第二，强化考核。\n另起一段。\n二、其他\n", mentions=False)
    first = doc.children[0].children
    assert [c.title for c in first] == ["加强组织领导", "强化考核"]
    assert "另起一段" not in first[-1].text


def test_numbers_lost_from_bold_headings() -> None:
    """**（一）…** then two bold headings that lost their numbers, then **（四）…**: （四） continues
    the list; where （二） is in the text, a jump to （四） is not accepted."""
    text = "一、安排\n**（一）稳增长**\n正文。\n**促改革**\n正文。\n**惠民生**\n正文。\n**（四）强生态**\n正文。\n"
    doc = parse_policy(text, mentions=False)
    assert [(c.ordinal, c.title) for c in doc.children[0].children if c.marker == "pcn"] == [
        (1, "稳增长"), (4, "强生态")]
    text = "一、安排\n**（一）稳增长**\n正文（二）见下。\n**（四）强生态**\n正文。\n"
    doc = parse_policy(text, mentions=False)
    assert [c.ordinal for c in doc.children[0].children if c.marker == "pcn"] == [1]
    text = "一、安排\n**（一）稳增长**\n正文。\n（四）强生态，正文在同一段。\n"
    doc = parse_policy(text, mentions=False)
    assert [c.ordinal for c in doc.children[0].children if c.marker == "pcn"] == [1]


def test_older_review_titles() -> None:
    for title in ("1999年经济社会发展取得了明显成绩", "关于过去五年的政府工作", "本届政府工作回顾", "过去六年工作回顾"):
        assert REVIEW_SECTION.search(title), title
    for title in ("对下届政府工作的建议", "2000年政府工作的总体要求和主要预期目标", "切实加强政府自身建设"):
        assert not REVIEW_SECTION.search(title), title


def test_tree_without_annotations() -> None:
    text = "一、总体要求\n坚持稳中求进。\n二、重点任务\n（一）加快建设物流枢纽，增长6.5%左右。\n"
    bare, full = parse_policy(text, annotate=False), parse_policy(text, mentions=False)
    assert [n.title for n in bare.walk()] == [n.title for n in full.walk()]
    assert [n.span for n in bare.walk()] == [n.span for n in full.walk()]
    assert all(not n.actions and not n.targets for n in bare.walk())
    assert any(n.actions for n in full.walk()) and any(n.targets for n in full.walk())
