"""Round 5 of the extraction audit (session 12, branch extract12): the classes of error the first
run on four unseen files (太原 2000, 阳泉 2020, 南昌 2023, 山西 2025) showed, each pinned with its real
clause and its neighbours in the corpus (docs/text.md, "Precision and recall", round 5)."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.milestones import extract_milestones

REVIEW = "一、2022年工作回顾\n"
PLAN = "\n二、2023年工作安排\n"


def keys(text: str, year: int = 2023, region: str = "360100") -> list[tuple]:
    return [(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, region, year)]


# --- figures of the review ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # one change said once for both subjects, its sign kept through 超过 (南昌 2023)
        ("全市安全生产事故起数和死亡人数下降幅度均超过30%。",
         [(2022, "safety_accidents_growth", "observed", -30.0, "突破"),
          (2022, "safety_deaths_growth", "observed", -30.0, "突破")]),
        # a fall "more than 30 %" was +30 突破 on main
        ("安全生产事故起数下降超过30%。", [(2022, "safety_accidents_growth", "observed", -30.0, "突破")]),
        # neighbours: a fall with its bound after, and a plain fall, stay as they were
        ("安全生产事故起数下降30%以上。", [(2022, "safety_accidents_growth", "observed", -30.0, "以上")]),
        ("全市安全生产事故起数和死亡人数分别下降30%、20%。",
         [(2022, "safety_accidents_growth", "observed", -30.0, ""),
          (2022, "safety_deaths_growth", "observed", -20.0, "")]),
        # nearly a figure: an approximate figure where no exact one is given (南昌 2023, 合肥 2025)
        ("新建公共停车场57个，新增泊位近1.4万个。", [(2022, "new_parking_spaces", "observed", 1.4, "左右")]),
        ("完成营造林近12万亩。", [(2022, "afforestation_area", "observed", 12.0, "左右")]),
        # … but 不足 stays no figure
        ("新增泊位不足1万个。", []),
        # kinds closed by 等 before the figure are counted together (南昌 2023) …
        ("完成人工造林、封山育林、退化林修复等4.1万亩，梅岭森林生态系统更加稳定多样。",
         [(2022, "afforestation_area", "observed", 4.1, "")]),
        # … while a list that moves on to another item still ends the window
        ("完成6万亩营造林绿化、14万亩水土流失治理。", [(2022, "afforestation_area", "observed", 6.0, "")]),
        # new energy named with renewables and the generating projects (南昌 2023; 山西 2022)
        ("全市新能源和可再生能源发电项目总装机容量达60万千瓦，超全口径发电装机容量四分之一。",
         [(2022, "new_energy_capacity", "observed", 60.0, "")]),
        # national-level (key) laboratories: a stock the clause states (南昌 2023, 山西 2023, 太原 2026)
        ("拥有国家级重点实验室5家、国家级工程技术研究中心4家。", [(2022, "national_labs", "observed", 5.0, "")]),
        ("拥有国家级重点实验室7个、企业技术中心19个。", [(2022, "national_labs", "observed", 7.0, "")]),
        # … not new ones
        ("新增国家重点实验室3个。", []),
        # a programme's yearly aim stated in the review is no achievement (南昌 2022)
        ("大力开展每年吸引10万名大学生和技能人才来昌留昌创业就业行动，举办线上线下“百场校招”454场。", []),
        ("吸纳各类人才14.26万名。", [(2022, "talents_attracted", "observed", 14.26, "")]),
    ],
)
def test_review_figures(body: str, expected: list[tuple]) -> None:
    assert keys(REVIEW + body + PLAN) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the programme's count, graduates and skilled workers (南昌 2022–2025)
        ("持续引进10万名大学生和技能人才，统筹推进“洪城计划”。", [(2023, "talents_attracted", "target", 10.0, "")]),
        ("常态化开展“每年吸引10万名大学生和技能人才来昌留昌创业就业”工作。",
         [(2023, "talents_attracted", "target", 10.0, "")]),
        # … not a small group of top talent
        ("引进10名顶级人才、100名高层次领军人才。", []),
        # a count before the noun after 开展 (南昌 2023, 2025)
        ("扎实开展303个城镇老旧小区改造，持续开展通道沿线环境整治。",
         [(2023, "old_communities_renovated", "target", 303.0, "")]),
        # the digital core's growth without 增加值, the growth right after it (山西 2025) …
        ("推动大数据、集成电路、智能终端等数字经济核心产业增长10%以上。",
         [(2023, "digital_economy_growth", "target", 10.0, "以上")]),
        # … not its firms' revenue
        ("数字经济核心产业企业营业收入突破1000亿元、增长12%。", []),
    ],
)
def test_plan_figures(body: str, expected: list[tuple]) -> None:
    assert keys(REVIEW + "全年地区生产总值增长8%。" + PLAN + body)[1:] == expected


def test_comparable_prices_continue_the_subject() -> None:
    # 太原 2000: "国内生产总值（现价）360亿元，按可比价增长7.5%" — 按可比价 without 计算 goes on with GDP
    text = ("一、1999年经济社会发展取得了明显成绩\n全年完成国内生产总值332.68亿元，比上年增长7.1%。\n"
            "二、2000年政府工作的总体要求和主要预期目标\n国民经济和社会发展的主要预期目标是：\n\n"
            "国内生产总值（现价）360亿元，按可比价增长7.5%。\n\n全部工业增加值（现价）143.3亿元，按可比价增长7%。\n")
    assert keys(text, 2000, "140100") == [
        (1999, "gdp", "observed", 332.68, ""), (1999, "gdp_growth", "observed", 7.1, ""),
        (2000, "gdp", "target", 360.0, ""), (2000, "gdp_growth", "target", 7.5, ""),
    ]


# --- milestones ---------------------------------------------------------------------------------


def found(body: str) -> list[tuple[str, str]]:
    text = f"一、2022年工作回顾\n{body}\n二、2023年工作安排\n（一）力争获批国家中心城市。\n"
    return [(m.kind, m.text) for m in extract_milestones(text, region_code="360100", year=2023)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a first in other words, and the first train (太原 2000, 南昌 2023; 朔州 2020 was a completion)
        ("《太原市清洁生产条例》已经省人大常委会批准实施，成为全国第一个清洁生产法规。",
         [("first", "成为全国第一个清洁生产法规")]),
        ("全省首列“铁路快通”模式中欧班列顺利开行。", [("first", "全省首列“铁路快通”模式中欧班列顺利开行")]),
        # … not a rank
        ("地区生产总值增速居全国第一。", []),
        # events: an edition or a named forum held, a hosting done (山西 2025, 阳泉 2020)
        ("举办第六届“中国创翼”创业大赛，提升122个劳务品牌知名度。", [("event", "举办第六届“中国创翼”创业大赛")]),
        ("举办太原论坛和能博会、2024中国—东盟周活动。", [("event", "举办太原论坛和能博会、2024中国—东盟周活动")]),
        ("圆满完成二青会射箭比赛承办任务。", [("event", "圆满完成二青会射箭比赛承办任务")]),
        # … not a count of sessions
        ("举办线上线下“百场校招”454场。", []),
        # completions: a named centre set up, a museum opened, a film released (太原 2000, 山西 2025, 阳泉 2020)
        ("组建了市清洁生产指导中心。", [("completion", "组建了市清洁生产指导中心")]),
        ("陶寺遗址博物馆开放运营。", [("completion", "陶寺遗址博物馆开放运营")]),
        ("市博物馆正式对外开放，城乡规划展览馆基本建成。", [("completion", "市博物馆正式对外开放")]),
        ("主题电影《铁血阳泉》正式公映。", [("completion", "主题电影《铁血阳泉》正式公映")]),
        # a capacity naming projects is no quantity built (阳泉 2020; 运城 2021) …
        ("贝特瑞3万吨人造石墨、70万吨氧化钙等项目建成投产。",
         [("completion", "贝特瑞3万吨人造石墨、70万吨氧化钙等项目建成投产")]),
        # … a quantity built still is
        ("建成海绵城市63平方公里。", []),
        # stages before the completion (阳泉 2020) …
        ("阳中新材气凝胶项目实现当年立项、当年开工、当年投产。",
         [("completion", "阳中新材气凝胶项目实现当年立项、当年开工、当年投产")]),
        # … a start alone, or after the completion, is none
        ("西上庄煤电一体化项目开工建设。", []),
        ("一期工程建成，二期签约开工。", [("completion", "一期工程建成")]),
    ],
)
def test_milestones_found(body: str, expected: list[tuple[str, str]]) -> None:
    assert found(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # a grade won in an assessment (山西 2024–25, 阳泉 2020, 南昌 2024)
        "企业职工基本养老保险工作在国家考核中评为A级。",
        "清产核资工作通过省级验收并被评为优秀等次。",
        # a figure reached for the first time, said with 全线 (山西 2025)
        "太榆退水渠水质首次全线达到优良。",
        # a firm's certification (太原 2000)
        "双喜轮胎股份有限公司等市属17户企业通过了ISO9000系列质量认证。",
        # 创建成果 holds no 建成 (南昌 2023, 忻州 2022, 长沙 2024)
        "持续巩固全国文明城市创建成果。",
        # a ranking list (南昌 2023, 2025; 长沙 2024)
        "6家企业入选全球最大250家国际承包商“榜单”。",
        "南昌农发集团等9家企业入围中国农业企业500强。",
    ],
)
def test_not_milestones(body: str) -> None:
    assert found(body) == []


def test_a_clause_opening_with_shi_says_more_of_the_one_before() -> None:
    # 阳泉 2020: the second clause restates the prize
    assert found("平定武迓鼓《保卫娘子关》荣获全国第十八届群星奖音乐类作品最高奖，是我省唯一获奖作品。") == [
        ("designation", "平定武迓鼓《保卫娘子关》荣获全国第十八届群星奖音乐类作品最高奖")]


def test_a_scenic_grade_and_a_park_city_stay_titles() -> None:
    assert found("晋祠天龙山晋级5A级景区。") == [("designation", "晋祠天龙山晋级5A级景区")]
    assert found("获评中国A级公园城市。") == [("designation", "获评中国A级公园城市")]
