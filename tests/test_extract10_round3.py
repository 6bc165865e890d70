"""Round 3 of session 10 (branch extract10): the classes of error the first run on four unseen
reports (太原 2005, 长治 2022, 长沙 2019, 山西 2005) showed, each pinned with its real clause and its
neighbours in the corpus (docs/text.md, "Precision and recall", round 3 of session 10)."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.milestones import extract_milestones

REVIEW = "一、2018年工作回顾\n"
PLAN = "\n二、2019年工作安排\n"


def keys(text: str, year: int = 2019, region: str = "430100") -> list[tuple]:
    return [(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, region, year)]


# --- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the spaces listed after new parking lots are new spaces (长沙 2019, 阳泉 2020)
        ("新建公共停车场137个、停车位2.68万个；新改建自行车道488.46公里。",
         [(2018, "new_parking_spaces", "observed", 2.68, "")]),
        ("新建公共停车场5个、增加停车位1102个，新建城市健身步道3.7公里。",
         [(2018, "new_parking_spaces", "observed", 0.1102, "")]),
        # 老旧社区 is the old-community programme (长沙 2019); 环境整治 of them is no renovation (南昌 2019)
        ("改造老旧社区50个。", [(2018, "old_communities_renovated", "observed", 50.0, "")]),
        ("完成21个老旧社区环境整治。", []),
        # green coverage is the built-up area's: 城区 names the city's figure (太原 2004–05); a
        # district's GDP stays a part
        ("城区绿化覆盖率37.6%，绿地率30.6%。", [(2018, "green_coverage_built_up", "observed", 37.6, "")]),
        ("城区地区生产总值增长8%。", []),
        # a zone that is the object of 举办 / 鼓励 / 覆盖, or the name of a zone's policy, is not the
        # subject of the sentence (长治 2022, 长沙 2019)
        ("举办四期开发区项目建设“三个一批”活动，全年实施重点项目1807个，带动固定资产投资完成892亿元、增长10.3%。",
         [(2018, "fai_growth", "observed", 10.3, "")]),
        ("国家自主创新示范区政策覆盖省级以上园区，新建院士专家工作站17家，研究与试验发展经费支出占地区生产总值的比重达2.6%。",
         [(2018, "rd_intensity", "observed", 2.6, "")]),
        # … but a zone that opens its sentence still governs it (长沙 2019's 湘江新区: 5.2% is the zone's)
        ("湖南湘江新区“三区一高地”格局加快形成，研究与试验发展经费支出占地区生产总值的比重达5.2%。", []),
    ],
)
def test_review_figures(body: str, expected: list[tuple]) -> None:
    assert keys(REVIEW + body + PLAN) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("鼓励各开发区开展国际合作，实际利用外资完成3亿美元以上。", [(2019, "fdi_actual", "target", 3.0, "以上")]),
        # a county of a category (重点示范县, 贫困县) names no county (山西 2005)
        ("抓好通道、重点城市和重点示范县绿化，全年造林400万亩，治理水土流失面积540万亩。",
         [(2019, "afforestation_area", "target", 400.0, "")]),
        # a named county still is one
        ("支持娄烦县发展，阳曲县全年造林4万亩。", []),
        # a zone's own figures stay out
        ("确保开发区工业投资增长20%以上、规上工业增加值增长15%以上。", []),
    ],
)
def test_plan_figures(body: str, expected: list[tuple]) -> None:
    assert keys(REVIEW + "全年地区生产总值增长8%。" + PLAN + body)[1:] == expected


# --- milestones ---------------------------------------------------------------------------------


def found(body: str) -> list[tuple[str, str]]:
    text = f"一、2018年工作回顾\n{body}\n二、2019年工作安排\n（一）力争获批国家中心城市。\n"
    return [(m.kind, m.text) for m in extract_milestones(text, region_code="430100", year=2019)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a scope after 率先 is a first whatever the verb (长沙 2019; 长沙 2021, 2023)
        ("率先全国推行盾构土环保处置。", [("first", "率先全国推行盾构土环保处置")]),
        ("长沙县率先全省消除集体经济薄弱村。", [("first", "长沙县率先全省消除集体经济薄弱村")]),
        ("力争率先全省消除集体经济薄弱村。", []),
        # completions in other words
        ("后湖艺术园开园。", [("completion", "后湖艺术园开园")]),
        ("开园以来游客超700万人。", []),
        ("“多规合一”在线审批平台正式运行。", [("completion", "“多规合一”在线审批平台正式运行")]),
        ("“互联网+政务服务”平台成功上线。", [("completion", "“互联网+政务服务”平台成功上线")]),
        ("城市“一卡通”正式发行。", [("completion", "城市“一卡通”正式发行")]),
        ("岳麓尾水工程通水。", [("completion", "岳麓尾水工程通水")]),
        ("75%的行政村通水泥路或油路。", []),
        ("麓山南路、后湖综合整治完成。", [("completion", "麓山南路、后湖综合整治完成")]),
        ("完成卫生职院新校区主体工程。", [("completion", "完成卫生职院新校区主体工程")]),
        ("华夏文明主题公园9个项目完成主体工程。", []),  # a count of generic projects: routine
        # designations and events in other words
        ("成功申报全国首批系统化全域推进海绵城市建设示范市。",
         [("designation", "成功申报全国首批系统化全域推进海绵城市建设示范市")]),
        ("椒花水利枢纽纳入国家重大水利项目库。", [("designation", "椒花水利枢纽纳入国家重大水利项目库")]),
        ("完成“一城四区”行政区划调整。", [("designation", "完成“一城四区”行政区划调整")]),
        ("中国晋阳文化艺术节、太原国际面食节等文化节会圆满成功。",
         [("event", "中国晋阳文化艺术节、太原国际面食节等文化节会圆满成功")]),
        # not milestones: a subsidy (奖补 is no prize), a count of things that passed (a figure)
        ("获得10亿元中央奖补资金。", []),
        ("通过“普九”验收的县达到114个。", []),
        ("荣获特色小镇发展潜力奖。", [("designation", "荣获特色小镇发展潜力奖")]),
    ],
)
def test_milestone_words(body: str, expected: list[tuple[str, str]]) -> None:
    assert found(body) == expected
