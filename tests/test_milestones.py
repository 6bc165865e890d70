"""Milestones: kinds and traps on small exact cases, the year rules, offsets, node links, the
gold files' scores, Taiyuan's logistics-hub designations and the CLI/CSV/XLSX side."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.ingest.milestone_eval import evaluate_milestones, load_milestone_gold
from lantu.ingest.milestone_io import (
    MILESTONE_COLUMNS,
    MilestoneSheetError,
    add_milestone_sheet,
    milestones_to_csv,
    read_milestone_sheet,
)
from lantu.ingest.milestones import (
    MilestoneCandidate,
    default_node_keywords,
    extract_milestones,
    load_node_keywords,
)
from sharedpath import CORPUS

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "milestones"
HELD_OUT = {"140100-2024", "420100-2023", "360100-2025"}  # as benchmarks/milestones_prf.py (round S4C tuned on since extract6)


def _review(body: str, year: int = 2024) -> str:
    return f"一、{year - 1}年工作回顾\n{body}\n二、{year}年工作安排\n（一）力争获批国家中心城市。\n"


def _found(body: str, year: int = 2024, **kw) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in extract_milestones(_review(body, year), region_code="140100", year=year, **kw)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # designations and approvals, and their neighbours that are plans or rankings
        ("我市入选国家综合货运枢纽补链强链支持城市。", [("designation", "我市入选国家综合货运枢纽补链强链支持城市")]),
        ("积极争取入选国家综合货运枢纽补链强链支持城市。", []),
        ("成功获批国家跨境电子商务综合试验区。", [("designation", "成功获批国家跨境电子商务综合试验区")]),
        ("力争获批国家跨境电子商务综合试验区。", []),
        ("荣获“全国绿化模范城市”称号。", [("designation", "荣获“全国绿化模范城市”称号")]),
        ("营商环境便利度综合排名全省第一。", []),
        ("以第一名的成绩获评全省平安建设先进市。", [("designation", "以第一名的成绩获评全省平安建设先进市")]),
        ("武汉金控入选中国企业500强。", []),
        ("平遥荣获“全国县域旅游综合实力百强县”。", [("designation", "平遥荣获“全国县域旅游综合实力百强县”")]),
        ("柳巷商圈荣列全国国庆消费热门商圈第二名。", []),
        ("典型做法被省政府通报表扬。", []),
        # completions, and routine completions, starts and signings beside them
        ("汾河四期工程建成投用。", [("completion", "汾河四期工程建成投用")]),
        ("建成口袋公园157个。", []),
        ("建成海绵城市63平方公里。", []),
        ("东风云峰、吉利路特斯等85个亿元以上项目建成投产。", [("completion", "东风云峰、吉利路特斯等85个亿元以上项目建成投产")]),
        ("地铁1号线开通运营。", [("completion", "地铁1号线开通运营")]),
        ("地铁3号线开工建设。", []),
        ("古娄方高速启动奠基。", []),
        ("签约亿元以上项目149个。", []),
        ("建成区绿化覆盖率达到44.77%。", []),
        ("216个项目开工率、投产率均居全省前列。", []),
        ("用不到5个月时间完成龙城大街贯通和魏榆路改造。", [("completion", "用不到5个月时间完成龙城大街贯通和魏榆路改造")]),
        ("毕马威、安永等会计师事务所落户太原。", [("completion", "毕马威、安永等会计师事务所落户太原")]),
        # events held, and national events that are not the city's
        ("成功举办中博会。", [("event", "成功举办中博会")]),
        ("世界传感器大会成功举办。", [("event", "世界传感器大会成功举办")]),
        ("党的二十大胜利召开。", []),
        ("举办促消费活动超千场。", []),
        # firsts: precedence over the other kinds; 首批 and 首位 are not firsts
        ("全国首条年产1万台甲醇重卡生产线投产。", [("first", "全国首条年产1万台甲醇重卡生产线投产")]),
        ("在全省率先完成行政复议体制改革。", [("first", "在全省率先完成行政复议体制改革")]),
        ("太钢超纯铁素体材料填补国内空白。", [("first", "太钢超纯铁素体材料填补国内空白")]),
        ("增速居中部六省省会城市首位。", []),
        ("国控断面水质优良比例首次达100％。", []),
        ("光伏、新能源汽车产值首次突破千亿。", []),
        ("48万群众首套房安置到位。", []),
        ("国控断面水质首次全部达标。", [("first", "国控断面水质首次全部达标")]),
        ("发放首批“人才绿卡”。", []),
        # words added after the first run on 晋城 2023, 运城 2022, 太原 2018, with their neighbours
        ("晋源东区地下综合管廊投入运行。", [("completion", "晋源东区地下综合管廊投入运行")]),
        ("“五规合一”信息平台上线运行。", [("completion", "“五规合一”信息平台上线运行")]),
        ("新政务服务中心全面启用。", [("completion", "新政务服务中心全面启用")]),
        ("大运氢燃料重卡实现量产下线。", [("completion", "大运氢燃料重卡实现量产下线")]),
        ("汾河三期水利主体工程完成。", [("completion", "汾河三期水利主体工程完成")]),
        ("山西新产业技师学院获省政府批准。", [("designation", "山西新产业技师学院获省政府批准")]),
        ("被命名为全国基层中医药工作先进单位。", [("designation", "被命名为全国基层中医药工作先进单位")]),
        ("“南果”战略成为省级战略。", [("designation", "“南果”战略成为省级战略")]),
        ("全省国土绿化现场推进会在我市召开。", [("event", "全省国土绿化现场推进会在我市召开")]),
        ("在全省率先划定“三区三线”。", [("first", "在全省率先划定“三区三线”")]),
        ("加快推进乡村振兴示范区建设。", []),
        # after round 3 (朔州 2022)
        ("晋坤双碳产业研究院成立。", [("completion", "晋坤双碳产业研究院成立")]),
        ("成立省能源互联网研究院储能分院。", [("completion", "成立省能源互联网研究院储能分院")]),
        ("成立疫情防控工作专班。", []),
        ("怀仁撤县设市。", [("designation", "怀仁撤县设市")]),
        ("山西工学院成功转设。", [("designation", "山西工学院成功转设")]),
        ("高标准举办第九届国际工业固废综合利用大会。", [("event", "高标准举办第九届国际工业固废综合利用大会")]),
        ("重点抓好新投产项目入库。", []),
        ("争取获省政府批准。", []),
        # several clauses: each stands alone; the plan clause beside a milestone is dropped
        ("加快制造业转型，入选全国首批中小企业数字化转型试点城市，新增绿色工厂5户。",
         [("designation", "入选全国首批中小企业数字化转型试点城市")]),
    ],
)
def test_kinds_and_traps(body: str, expected: list[tuple[str, str]]) -> None:
    assert _found(body) == expected


def test_plans_of_the_work_section_are_not_milestones() -> None:
    text = _review("过去一年成绩显著。") + "（二）建成投用汾河五期工程，成功举办全国运动会，入选国家物流枢纽。\n"
    assert extract_milestones(text, region_code="140100", year=2024) == []


def test_offsets_and_excerpt() -> None:
    text = _review("**（一）开放。**大力发展服务业，我市首批入选2019年国家物流枢纽建设名单，连锁便利店发展指数位列全国第一。", 2020)
    (m,) = extract_milestones(text, region_code="140100", year=2020)
    assert text[m.start : m.end] == m.text == "我市首批入选2019年国家物流枢纽建设名单"
    assert m.excerpt.startswith("大力发展服务业") and m.text in m.excerpt and "**" not in m.excerpt
    assert (m.region_code, m.year, m.kind, m.period) == ("140100", 2019, "designation", None)


def test_years_of_a_five_year_review() -> None:
    text = (
        "一、2021年和过去五年工作回顾\n过去的一年，成功举办中博会。\n"
        "各位代表！回顾过去五年，2019年获批国家跨境电子商务综合试验区，地铁2号线开通运营。\n"
        "2018年，成功举办二青会。\n"
        "二、今后五年目标任务\n建成国家中心城市。\n"
    )
    got = [(m.year, m.period, m.text) for m in extract_milestones(text, region_code="140100", year=2022)]
    assert got == [
        (2021, None, "成功举办中博会"),
        (2019, None, "2019年获批国家跨境电子商务综合试验区"),
        (2021, (2017, 2021), "地铁2号线开通运营"),  # undated: by the period's end, flagged
        (2018, None, "成功举办二青会"),  # the sentence opens with its year
    ]
    # a title naming the plan period first starts as the period; 刚刚过去的2025年 turns to the year
    text = (
        "一、“十四五”时期及2025年工作回顾\n“十四五”时期很不平凡。获批国家现代流通战略支点城市。\n"
        "各位代表，刚刚过去的2025年，太原航空正式落地运营，成功举办全国学青会。\n二、2026年工作安排\n推进建设。\n"
    )
    got = [(m.year, m.period, m.text) for m in extract_milestones(text, region_code="140100", year=2026)]
    assert got == [(2025, (2021, 2025), "获批国家现代流通战略支点城市"), (2025, None, "成功举办全国学青会")]


def test_text_without_review_sections_is_read_whole() -> None:
    got = extract_milestones("去年我市成功获批国家物流枢纽。今年力争入选示范城市。", region_code="140100", year=2024)
    assert [(m.year, m.text) for m in got] == [(2023, "去年我市成功获批国家物流枢纽")]
    with pytest.raises(ValueError, match="expected the text as str"):
        extract_milestones(b"x", region_code="140100", year=2024)  # type: ignore[arg-type]


def test_node_suggestions_come_from_the_keywords_given() -> None:
    body = "入选国家综合货运枢纽补链强链支持城市，获批建设3个国家重点实验室。"
    got = extract_milestones(_review(body), region_code="140100", year=2024,
                             node_keywords={"L": ["货运枢纽", "物流"], "I": ["实验室"], "X": []})
    assert [m.nodes for m in got] == [("L",), ("I",)]
    assert all(m.nodes == () for m in extract_milestones(_review(body), region_code="140100", year=2024))
    # the default plan's keywords are data, used for the plan's own region only
    assert set(load_node_keywords()) >= {"P0.1", "P0.8", "T1.1", "T7.7"}
    assert default_node_keywords("140100") == load_node_keywords()
    assert default_node_keywords("420100") is None


def test_default_keywords_name_nodes_of_the_default_plan() -> None:
    import yaml

    plan = yaml.safe_load((ROOT / "src" / "lantu" / "defaults" / "taiyuan_plan.yaml").read_text(encoding="utf-8"))
    codes: set[str] = set()
    stack = list(plan["children"])
    while stack:
        node = stack.pop()
        codes.add(node["code"])
        stack.extend(node.get("children") or [])
    assert set(load_node_keywords()) <= codes


TAIYUAN_HUB = [
    # (report year, milestone year, words the report uses)
    (2020, 2019, "首批入选2019年国家物流枢纽建设名单"),
    (2022, 2021, "入选全国物流枢纽建设和智慧物流配送示范城市"),
    (2024, 2023, "入选国家综合货运枢纽补链强链支持城市"),
    (2026, 2025, "国家现代流通战略支点城市"),
]


@pytest.mark.needs_shared  # reads the corpus
@pytest.mark.parametrize(("report", "year", "words"), TAIYUAN_HUB)
def test_taiyuan_logistics_hub_designations(report: int, year: int, words: str) -> None:
    text = (CORPUS / "work-reports" / "140100-taiyuan" / f"{report}.md").read_text(encoding="utf-8")
    found = extract_milestones(text, region_code="140100", year=report, node_keywords=load_node_keywords())
    hits = [m for m in found if words in m.text]
    assert len(hits) == 1, [m.text for m in found]
    assert (hits[0].year, hits[0].kind) == (year, "designation")
    assert "P0.1" in hits[0].nodes


@pytest.mark.needs_shared  # reads the corpus
def test_gold_scores_on_development_files() -> None:
    names = sorted(p.stem for p in GOLD.glob("*.csv") if p.stem not in HELD_OUT)
    assert len(names) >= 5
    scores = evaluate_milestones(GOLD, CORPUS, names)
    total = scores[-1]
    assert total.true_pos + total.false_neg >= 100  # the gold files are not trivially small
    assert total.precision >= 0.95, [(s.name, s.spurious) for s in scores]
    assert total.recall >= 0.90, [(s.name, s.missed) for s in scores]
    assert total.kind_right >= 0.95 * total.true_pos
    assert all(s.precision >= 0.85 and s.recall >= 0.8 for s in scores), [(s.name, s.precision, s.recall) for s in scores]


def test_gold_loader_names_the_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "140100-2020.csv"
    path.write_text("region_code,year,kind,text\n140100,2019,designation,成功举办\n140100,2019,event,不在文中\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"140100-2020.csv: row 3: text '不在文中' is not in the report"):
        load_milestone_gold(path, "我们成功举办了大会")


# ---------------------------------------------------------------------------------------------
# CSV, review sheet, command line

runner = CliRunner()


def _m(**kw) -> MilestoneCandidate:
    base = {"region_code": "140100", "year": 2023, "kind": "designation", "text": "=入选示范城市",
            "excerpt": "加快建设，=入选示范城市", "start": 5, "end": 12, "nodes": ("P0.1", "T1.6")}
    return MilestoneCandidate(**{**base, **kw})


def test_csv_columns_and_nodes() -> None:
    rows = list(csv.DictReader(io.StringIO(milestones_to_csv([_m()]))))
    assert tuple(rows[0]) == MILESTONE_COLUMNS
    assert rows[0]["nodes"] == "P0.1;T1.6" and rows[0]["start"] == "5"


def test_review_sheet_round_trip(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    path = tmp_path / "review.xlsx"
    Workbook().save(path)
    add_milestone_sheet(path, [_m(), _m(text="地铁开通", kind="completion", nodes=(), period=(2021, 2025))],
                        source_url="https://example.gov.cn/r.html", source_path="r.md")
    got = read_milestone_sheet(path)
    assert [(r["text"], r["kind"], r["nodes"], r["period"]) for r in got] == [
        ("=入选示范城市", "designation", ["P0.1", "T1.6"], None), ("地铁开通", "completion", [], (2021, 2025))]
    assert got[0]["source_url"] == "https://example.gov.cn/r.html"
    ws = load_workbook(path)["milestones"]
    assert ws["D2"].data_type == "s"  # text beginning with "=" is kept as text, not a formula
    ws["C3"] = "ranking"
    ws.parent.save(path)
    with pytest.raises(MilestoneSheetError, match=r"row 3, column kind: expected one of"):
        read_milestone_sheet(path)
    Workbook().save(path)
    with pytest.raises(MilestoneSheetError, match="no sheet 'milestones'"):
        read_milestone_sheet(path)


@pytest.mark.needs_shared  # reads the corpus
def test_cli_writes_milestones_and_review_sheet(tmp_path: Path) -> None:
    from lantu.ingest.extract_io import read_review_xlsx

    report = CORPUS / "work-reports" / "140100-taiyuan" / "2024.md"
    out, mcsv, review = tmp_path / "f.csv", tmp_path / "m.csv", tmp_path / "r.xlsx"
    result = runner.invoke(app, ["extract", str(report), "--region", "140100", "--year", "2024", "--out", str(out),
                                 "--milestones", str(mcsv), "--review", str(review)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(mcsv.open(encoding="utf-8")))
    assert tuple(rows[0]) == MILESTONE_COLUMNS and len(rows) >= 20
    from lantu.ingest.textio import read_text

    text = read_text(report).text  # offsets are into the text as read, like the figures'
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["text"]
        assert row["year"] == "2023"
    hub = next(r for r in rows if "货运枢纽补链强链" in r["text"])
    assert "P0.1" in hub["nodes"].split(";")
    assert len(read_milestone_sheet(review)) == len(rows)
    assert read_review_xlsx(review)  # the figures sheet still reads back
    # another region's milestones are not linked to the default plan's nodes
    wuhan = CORPUS / "work-reports" / "420100-wuhan" / "2023.md"
    result = runner.invoke(app, ["extract", str(wuhan), "--region", "420100", "--year", "2023", "--out", str(out),
                                 "--milestones", str(mcsv)])
    assert result.exit_code == 0, result.output
    assert {r["nodes"] for r in csv.DictReader(mcsv.open(encoding="utf-8"))} == {""}


@pytest.mark.needs_shared  # reads the corpus
def test_cli_cannot_write_milestones(tmp_path: Path) -> None:
    report = CORPUS / "work-reports" / "140100-taiyuan" / "2024.md"
    result = runner.invoke(app, ["extract", str(report), "--region", "140100", "--year", "2024",
                                 "--out", str(tmp_path / "f.csv"), "--milestones", str(tmp_path / "no" / "m.csv")])
    assert result.exit_code != 0
    assert "cannot write" in result.output and "Traceback" not in result.output


REPORTS = sorted((CORPUS / "work-reports").glob("*/*.md"))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_report_of_the_corpus(path: Path) -> None:
    """Every report gives milestones whose offsets slice back to their clause, inside its excerpt,
    dated in the years it reviews, of a known kind; most reports state some."""
    text = path.read_text(encoding="utf-8")
    code, year = path.parent.name.split("-")[0], int(path.stem)
    found = extract_milestones(text, region_code=code, year=year, node_keywords=load_node_keywords())
    for m in found:
        assert text[m.start : m.end] == m.text and m.text in m.excerpt
        assert m.kind in ("first", "designation", "event", "completion")
        if m.period is None:
            assert year - 10 <= m.year <= year - 1, (m.year, m.text)
        else:
            assert m.period[0] <= m.year == m.period[1] < year
    if path.stat().st_size > 20_000:  # a full report reviews a year of work
        assert found, "no milestone in a full report"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # round S4 (长沙 2022, 临汾 2021), each family with a neighbour that is not a milestone
        ("率先全国实现城市生活垃圾“全量焚烧”。", [("first", "率先全国实现城市生活垃圾“全量焚烧”")]),
        ("天心区、雨花区率先推进长株潭跨域通办。", [("first", "天心区、雨花区率先推进长株潭跨域通办")]),
        ("连续三届蝉联全国文明城市。", [("designation", "连续三届蝉联全国文明城市")]),
        ("蝉联全省民营企业“榜首”。", []),
        ("实现全国双拥模范城“七连冠”。", [("designation", "实现全国双拥模范城“七连冠”")]),
        ("双拥建设在“五连冠”的基础上又有新的提高。", []),
        ("洋湖、松雅湖等5家湿地公园晋升国家级。", [("designation", "洋湖、松雅湖等5家湿地公园晋升国家级")]),
        ("跻身“科创中国”试点城市。", [("designation", "跻身“科创中国”试点城市")]),
        ("跻身特大城市行列。", []),
        ("宁乡撤县改市。", [("designation", "宁乡撤县改市")]),
        ("智能网联汽车领域聚齐四块国家级牌照。", [("designation", "智能网联汽车领域聚齐四块国家级牌照")]),
        ("入选全国十大最受欢迎出游目的地城市。", []),
        ("成为全国营商便利度提升最快的城市之一。", []),
        ("被评为“浙商最佳投资城市”之一。", [("designation", "被评为“浙商最佳投资城市”之一")]),
        ("成功举办北京投资环境推介会和中国民企500强峰会。", [("event", "成功举办北京投资环境推介会和中国民企500强峰会")]),
        ("湖南大数据交易所试运营。", [("completion", "湖南大数据交易所试运营")]),
        ("市图书馆开馆运行。", [("completion", "市图书馆开馆运行")]),
        ("成立上海、西安等外地临汾商会。", [("completion", "成立上海、西安等外地临汾商会")]),
        ("建成三大职教园区。", []),
        ("建成母婴关爱室200余家。", []),
        ("洪都大道快速路、昌九大道快速路二期主线通车。", [("completion", "洪都大道快速路、昌九大道快速路二期主线通车")]),
        ("牛口峪引黄等三大水源工程主体建成。", [("completion", "牛口峪引黄等三大水源工程主体建成")]),
        # the corpus hunt after round S4 (长沙 2022, 太原 2009–11, 山西 2003, 南昌 2019–20)
        ("三一、三安、惠科、铁建重工等一批制造业标志性重大项目建成投产。",
         [("completion", "三一、三安、惠科、铁建重工等一批制造业标志性重大项目建成投产")]),
        ("石楼等 6 个县级综合社会福利中心建成投运。", [("completion", "石楼等 6 个县级综合社会福利中心建成投运")]),
        ("一批重大项目建成投产。", []),
        ("获得“全国人民防空先进城市”荣誉。", [("designation", "获得“全国人民防空先进城市”荣誉")]),
        ("获得2008自行车BMX世锦赛暨奥运会预赛举办权。", [("designation", "获得2008自行车BMX世锦赛暨奥运会预赛举办权")]),
        ("滕王阁景区创5A成功。", [("designation", "滕王阁景区创5A成功")]),
        ("大同、侯马海关正式成立。", [("completion", "大同、侯马海关正式成立")]),
        ("华创会等活动成功举办。", [("event", "华创会等活动成功举办")]),
        ("源网荷储虚拟电厂项目入选省级低碳零碳负碳示范工程。", [("designation", "源网荷储虚拟电厂项目入选省级低碳零碳负碳示范工程")]),
        ("拟入选省级示范工程。", []),
        # a plan word inside a quoted name or a body's name is none (合肥 2025), 正式开园 (长沙 2024)
        ("“共同成长计划”入选国家优秀案例。", [("designation", "“共同成长计划”入选国家优秀案例")]),
        ("计划入选国家优秀案例。", []),
        ("国际先进技术应用推进中心在全国率先实体化运行。", [("first", "国际先进技术应用推进中心在全国率先实体化运行")]),
        ("湘江欢乐海洋公园正式开园。", [("completion", "湘江欢乐海洋公园正式开园")]),
        # 太原 2007–09, 山西 2005, 晋城 2022, 合肥 2026: more words of the same kinds
        ("北京奥组委授予我市“奥运火炬传递突出贡献奖”。", [("designation", "北京奥组委授予我市“奥运火炬传递突出贡献奖”")]),
        ("获得小轮车世锦赛暨奥运预赛主办权。", [("designation", "获得小轮车世锦赛暨奥运预赛主办权")]),
        ("获准实施国家级公立医院改革和高质量发展示范项目。", [("designation", "获准实施国家级公立医院改革和高质量发展示范项目")]),
        ("运城机场成功试航。", [("completion", "运城机场成功试航")]),
        ("山西科技学院正式成立。", [("completion", "山西科技学院正式成立")]),
        ("中国网络文明大会圆满成功。", [("event", "中国网络文明大会圆满成功")]),
        ("力争获准实施示范项目。", []),
        # 临汾 2021: an ordinal is no count
        ("18天完成市第三人民医院应急工程。", [("completion", "18天完成市第三人民医院应急工程")]),
    ],
)
def test_round_s4_milestone_families(body: str, expected) -> None:
    assert _found(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # round S4B (阳泉 2021, 太原 2015): 赢得…称号, 成功备案; a completion as a time frame, a count of awards
        ("成功赢得国家卫生城市、省级文明城市和全国双拥模范城荣誉称号。",
         [("designation", "成功赢得国家卫生城市、省级文明城市和全国双拥模范城荣誉称号")]),
        ("百度创新中心成功备案国家级众创空间。", [("designation", "百度创新中心成功备案国家级众创空间")]),
        ("为祖国赢得了荣誉。", []),
        ("继中环建成后，东中环快速路全线通车。", [("completion", "东中环快速路全线通车")]),
        ("是“十二五”期间获奖数量的2.5倍。", []),
    ],
)
def test_round_s4b_milestone_families(body: str, expected) -> None:
    assert _found(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # 太原 2015: a size that names one facility is no quantity built; no subject; the same thing again
        ("城南20万吨污水处理厂建成投运。", [("completion", "城南20万吨污水处理厂建成投运")]),
        ("完成全长21公里阳兴大道快速路建设，缩短了市县连接时空距离。", [("completion", "完成全长21公里阳兴大道快速路建设")]),
        ("建成海绵城市63平方公里。", []),
        ("一批重大项目进展顺利，有的已投产见效。", []),
        ("太原南站候车楼全面竣工，并于7月1日正式投入使用。", [("completion", "太原南站候车楼全面竣工")]),
    ],
)
def test_round_s4b_sizes_subjects_and_repeats(body: str, expected) -> None:
    assert _found(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # round S4C (运城 2021) and its neighbour (山西 2006): an institution raised to a higher rank
        ("运城职业技术学院升格为运城职业技术大学。", [("designation", "运城职业技术学院升格为运城职业技术大学")]),
        ("太原航空口岸升格为国家一类口岸。", [("designation", "太原航空口岸升格为国家一类口岸")]),
        # an intention to raise is no milestone
        ("积极推动运城学院升格为运城大学。", []),
    ],
)
def test_round_s4c_raised_to_a_higher_rank(body: str, expected) -> None:
    assert _found(body) == expected
