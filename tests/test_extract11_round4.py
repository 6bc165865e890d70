"""Round 4 of the extraction audit (session 11, branch extract11): the classes of error the first
run on five unseen files (太原 2003, 晋城 2020, 合肥 2019, 朔州 2021; 吕梁 2022's milestones) showed,
each pinned with its real clause and its neighbours in the corpus (docs/text.md, "Precision and
recall", round 4 of session 11)."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.milestones import extract_milestones

REVIEW = "一、2018年工作回顾\n"
PLAN = "\n二、2019年工作安排\n"


def keys(text: str, year: int = 2019, region: str = "340100") -> list[tuple]:
    return [(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, region, year)]


# --- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # built public spaces are new spaces (合肥 2019); a count of chargers beside them is none
        ("建成公共停车泊位5348个、充电桩9582个，公交都市创建深入推进。",
         [(2018, "new_parking_spaces", "observed", 0.5348, "")]),
        # a count after examples is the whole count, started (吕梁 2022: "铺开" a programme)
        ("铺开货源街等41个老旧小区改造项目，完成高速西口环境综合整治。",
         [(2018, "old_communities_renovated", "observed", 41.0, "")]),
        # … but not a count of demonstration sites (武汉: "等5个老旧小区成片改造示范点")
        ("打造汉阳知音东苑等5个老旧小区成片改造示范点。", []),
    ],
)
def test_review_figures(body: str, expected: list[tuple]) -> None:
    assert keys(REVIEW + body + PLAN) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # positions opened are new jobs, as 新增城镇就业岗位 (太原 2003; 山西 2006 "新增就业岗位40万个")
        ("全年开发就业岗位12.6万个，安置“4050”人员4000名。", [(2019, "new_urban_jobs", "target", 12.6, "")]),
        ("三是新增就业岗位40万个，培训农民100万。", [(2019, "new_urban_jobs", "target", 40.0, "")]),
        # public-welfare positions without a count give nothing
        ("积极开发公益性就业岗位，做好困难群体就业援助。", []),
        # 今年 after a plan of five years turns back to the year, as 年内 does (晋城 2020)
        ("继续实施高新技术企业五年倍增计划，今年达到68家。", [(2019, "high_tech_enterprises", "target", 68.0, "")]),
        ("继续实施高新技术企业五年倍增计划，年内达到68家。", [(2019, "high_tech_enterprises", "target", 68.0, "")]),
        # without the turn back the figure stays the plan's (not the year's)
        ("实施高新技术企业五年倍增计划，达到136家。", []),
        # a count after examples (吕梁 2021, 2022: 启动 is a start, and starts are the count)
        ("启动袁家庄等20个老旧小区改造，持续做好“天坑”治理。",
         [(2019, "old_communities_renovated", "target", 20.0, "")]),
    ],
)
def test_plan_figures(body: str, expected: list[tuple]) -> None:
    assert keys(REVIEW + "全年地区生产总值增长8%。" + PLAN + body)[1:] == expected


# --- milestones ---------------------------------------------------------------------------------


def found(body: str) -> list[tuple[str, str]]:
    text = f"一、2018年工作回顾\n{body}\n二、2019年工作安排\n（一）力争获批国家中心城市。\n"
    return [(m.kind, m.text) for m in extract_milestones(text, region_code="340100", year=2019)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # events: 承办了 is the past, as 成功承办 (太原 2003); not a vague 一批
        ("承办了第11届省运会，夺得金牌总数和总分第一名。", [("event", "承办了第11届省运会")]),
        ("承办了一批国际国内重大体育赛事。", []),
        ("安徽省庆祝改革开放40周年科技创新成果展精彩圆满。",
         [("event", "安徽省庆祝改革开放40周年科技创新成果展精彩圆满")]),
        # completions: 正式成立, 封关运行, a school opened, a train service opened (合肥 2019, 晋城 2020,
        # 吕梁 2022, 朔州 2020)
        ("国际聚变能联合中心正式成立，聚变堆主机关键系统园区顺利开工。", [("completion", "国际聚变能联合中心正式成立")]),
        ("空港保税物流中心（B型）封关运行。", [("completion", "空港保税物流中心（B型）封关运行")]),
        ("晋城一中教育集团南岭爱物学校组建开学。", [("completion", "晋城一中教育集团南岭爱物学校组建开学")]),
        ("静兴高速全线贯通，汾石高速开工建设。太原至柳林开行动车组。",
         [("completion", "静兴高速全线贯通"), ("completion", "太原至柳林开行动车组")]),
        ("开行中欧中亚班列721列。", []),  # a count of trains, not a milestone
        ("完成高速西口环境综合整治，改造提升吕梁火车站。", [("completion", "完成高速西口环境综合整治")]),
        ("全面完成小街小巷的综合整治任务。", []),  # a routine task
        ("朔州大医院主体建筑完成，市疾控中心提档升级项目开工。", [("completion", "朔州大医院主体建筑完成")]),
        # groups and bodies set up (朔州 2021, 合肥 2019), as the older gold counts them
        ("组建城发集团、文旅集团、华朔绿色产业发展集团。", [("completion", "组建城发集团、文旅集团、华朔绿色产业发展集团")]),
        ("成立退役军人事务局，国防教育成效显著。", [("completion", "成立退役军人事务局")]),
        # designations: a national list joined (合肥 2019; 山西 2020)
        ("智能语音基地入列首批国家先进制造业集群培育试点。", [("designation", "智能语音基地入列首批国家先进制造业集群培育试点")]),
        ("高新区跻身世界一流高科技园区建设序列。", [("designation", "高新区跻身世界一流高科技园区建设序列")]),
        ("庐江再次跻身全国投资潜力百强县。", [("designation", "庐江再次跻身全国投资潜力百强县")]),
        # … but a rank is no title (郑州 2021, 长治 2023's heading, 合肥 2019)
        ("货运规模入列全国六强。", []),
        ("创新发展跻身国家行列。", []),
        ("我市跻身中国城市综合竞争力20强。", []),
        ("民营经济发展考核连续11年荣获全省第一。", []),
        ("获批全国第二批智慧城市试点。", [("designation", "获批全国第二批智慧城市试点")]),
        # a praise word naming an item of a list is no praise (合肥 2019)
        ("合肥六中数字实验研究推广等8项成果获2018年国家级教学成果奖。",
         [("designation", "合肥六中数字实验研究推广等8项成果获2018年国家级教学成果奖")]),
        ("“一枚印章管审批”经验在全省复制推广。", []),
        # firsts: a record broken, a gap filled with a longer scope between (合肥; 朔州 2021)
        ("中科大18个量子比特纠缠刷新世界纪录。", [("first", "中科大18个量子比特纠缠刷新世界纪录")]),
        ("填补了我市本科院校空白。", [("first", "填补了我市本科院校空白")]),
        # figures reached and shares are no milestones (吕梁 2022, 合肥 2019)
        ("市区PM2.5浓度历史首次降到27微克／立方米。", []),
        ("城区一半以上存量菜市场完成改造升级。", []),
    ],
)
def test_milestone_words(body: str, expected: list[tuple[str, str]]) -> None:
    assert found(body) == expected
