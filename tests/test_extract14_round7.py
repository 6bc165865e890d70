"""Round 7 of the extraction audit (session 14, branch extract14): the classes of error the first
run on four unseen files (太原 2004, 晋中 2021, 山西 2014, 合肥 2022) showed, each pinned with its real
clause and its neighbours in the corpus (docs/text.md, "Precision and recall", round 7)."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.milestones import extract_milestones

REVIEW = "一、2020年工作回顾\n"
PLAN = "\n二、2021年工作安排\n"


def review(body: str, region: str = "140700", head: str = REVIEW) -> list[tuple]:
    text = head + body + PLAN + "（一）做好今年工作。\n"
    return [(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, region, 2021)]


def plan(body: str, region: str = "340100") -> list[tuple]:
    text = REVIEW + "全年工作顺利。\n" + PLAN + body + "\n"
    return [(r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, region, 2021)]


# --- figures ------------------------------------------------------------------------------------

LOOK_BACK = "一、“十三五”时期和2020年工作回顾\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a clause opening with its own year in a look-back speaks of that year (晋中 2021); fails on main
        ("五年来，全市地区生产总值跨过千亿大关后，2020年达到1468.8亿元；一般公共预算收入由100.2亿元增加到168.7亿元。",
         [(2020, "gdp", "observed", 1468.8, ""), (2020, "budget_revenue", "observed", 168.7, "")]),
        # … neighbours: the look-back's own figures stay out, a flow's year figure too
        ("五年来，全市地区生产总值年均增长6.5%，城乡新增就业41.3万人。", []),
        ("五年来，全市进出口总额突破3200亿元。", []),
    ],
)
def test_look_back_figures(body: str, expected: list[tuple]) -> None:
    assert review(body, head=LOOK_BACK) == expected


@pytest.mark.parametrize(
    ("body", "region", "expected"),
    [
        # fatal accidents named without 起数 as an item of a list (晋中 2021); fails on main
        ("各类生产安全亡人事故、死亡人数同比分别下降15.1%、9.6%。", "140700",
         [(2020, "safety_accidents_growth", "observed", -15.1, ""), (2020, "safety_deaths_growth", "observed", -9.6, "")]),
        # … neighbour: 亡人事故起数 as before; a count of accidents fewer is no rate
        ("安全生产亡人事故起数和死亡人数分别下降12.7％、15％。", "140400",
         [(2020, "safety_accidents_growth", "observed", -12.7, ""), (2020, "safety_deaths_growth", "observed", -15.0, "")]),
        # jobs as an item of a 新增 list (合肥 2022); fails on main
        ("新增参保人员40.9万人、城镇就业14.4万人。", "340100", [(2020, "new_urban_jobs", "observed", 14.4, "")]),
        # … without the 新增 head, employment is no new jobs
        ("全市城镇就业14.4万人。", "340100", []),
        # positions net of losses (太原 2004); fails on main
        ("全市城镇净增就业岗位9.1万个，下岗失业人员再就业4.4万人。", "140100",
         [(2020, "new_urban_jobs", "observed", 9.1, "")]),
        # the stock of new-type R&D institutions where the clause says it is reached (合肥 2022, 2026); fails on main
        ("新型研发机构达30家，墨子传信等成果接踵问世。", "340100", [(2020, "new_rd_institutions", "observed", 30.0, "")]),
        ("新型研发机构总数63家、实现翻番。", "340100", [(2020, "new_rd_institutions", "observed", 63.0, "")]),
        # … not new ones (合肥 2025); the total after them is the stock since round 8 (extract15, as
        # "新增国家高新技术企业40户，总数达到264户"): 54, not 11
        ("新建以企业为主体的新型研发机构11家、总数达54家。", "340100", [(2020, "new_rd_institutions", "observed", 54.0, "")]),
        ("新建以企业为主体的新型研发机构11家。", "340100", []),
        # a bare 万 before the students is their count (南昌 2025, the held-out S4D gold); fails on main
        ("年度吸引14.49万大学生和技能人才来昌创业就业。", "360100", [(2020, "talents_attracted", "observed", 14.49, "")]),
        ("年度吸引近15万大学生和技能人才来昌创业就业。", "360100", [(2020, "talents_attracted", "observed", 15.0, "左右")]),
    ],
)
def test_review_figures(body: str, region: str, expected: list[tuple]) -> None:
    assert review(body, region) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # 造林 as a later item of a 、 list (晋中 2021); fails on main
        ("完成水土流失综合治理52.95万亩、造林30万亩以上。", [("afforestation_area", "target", 30.0, "以上")]),
        # … neighbour: a list that moves on from the planting still ends it
        ("完成6万亩营造林绿化、14万亩水土流失治理。", [("afforestation_area", "target", 6.0, "")]),
        # the count before the noun, after 新增 (合肥 2022); fails on main
        ("打通30条半截路，治理15处拥堵点，新增9万个停车泊位。", [("new_parking_spaces", "target", 9.0, "")]),
        # … neighbours: no verb of adding, no figure; the count after the noun as before
        ("规范管理9万个停车泊位。", []),
        ("新增公共停车泊位1万个以上。", [("new_parking_spaces", "target", 1.0, "以上")]),
        # the students a city draws, counted after another item of 吸引 (合肥 2022); fails on main
        ("吸引100个高层次人才团队和20万大学生汇聚合肥，让各类人才群贤毕至。",
         [("talents_attracted", "target", 20.0, "")]),
        # the days as a share of the year (太原 2004); fails on main
        ("力争二级以上天数达到全年天数的60%以上，主要污染物指标下降15%以上。",
         [("good_air_days_ratio", "target", 60.0, "以上")]),
        # … days alone are no share
        ("空气质量二级以上天数达到150天以上。", []),
    ],
)
def test_plan_figures(body: str, expected: list[tuple]) -> None:
    assert plan(body) == expected


# --- milestones ---------------------------------------------------------------------------------


def found(body: str) -> list[tuple[str, str]]:
    text = f"一、2021年工作回顾\n{body}\n二、2022年工作安排\n（一）力争获批国家中心城市。\n"
    return [(m.kind, m.text) for m in extract_milestones(text, region_code="340100", year=2022)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # all fail on main
        ("成立了住房公积金管理中心，归集公积金9.4亿元。", [("completion", "成立了住房公积金管理中心")]),
        ("成立合肥演艺集团、庐剧艺术传承中心，为一线工人慰问演出1000多场。",
         [("completion", "成立合肥演艺集团、庐剧艺术传承中心")]),
        ("同煤集团成功重组漳泽电力，晋能公司成立运营。", [("completion", "晋能公司成立运营")]),
        ("大运高速公路两侧绿化一期工程顺利完成。", [("completion", "大运高速公路两侧绿化一期工程顺利完成")]),
        ("用20天时间建成了500张床位的后备医院。", [("completion", "用20天时间建成了500张床位的后备医院")]),
        ("安九高铁开通运行、合肥至深圳高铁行程时间缩短至5个半小时。",
         [("completion", "安九高铁开通运行、合肥至深圳高铁行程时间缩短至5个半小时")]),
        ("完成逍遥津公园、撮造山巷、庐州坊等改造升级。", [("completion", "完成逍遥津公园、撮造山巷、庐州坊等改造升级")]),
        ("量子创新院1号科研楼、聚变堆园区全面建成。", [("completion", "量子创新院1号科研楼、聚变堆园区全面建成")]),
        ("建成朔州、晋城两个本科校区。", [("completion", "建成朔州、晋城两个本科校区")]),
        ("创建山西传媒学院、太原学院两所本科院校。", [("completion", "创建山西传媒学院、太原学院两所本科院校")]),
        ("英国伦敦、德国汉堡、新加坡3个国际离岸创新孵化中心挂牌成立。",
         [("completion", "英国伦敦、德国汉堡、新加坡3个国际离岸创新孵化中心挂牌成立")]),
        ("相继创建国家公共文化服务体系示范区、国家园林城市、省级文明城市。",
         [("designation", "相继创建国家公共文化服务体系示范区、国家园林城市、省级文明城市")]),
        ("先进光源、量子精密测量实验设施纳入国家规划。", [("designation", "先进光源、量子精密测量实验设施纳入国家规划")]),
        ("京东嘉远实现百亿单体商贸企业零突破。", [("first", "京东嘉远实现百亿单体商贸企业零突破")]),
    ],
)
def test_milestones_found(body: str, expected: list[tuple[str, str]]) -> None:
    assert found(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # fail on main: residence registration (山西 2014), a count reached (太原 2004), an amount with
        # nothing named (太原 2004, a damaged page), an assessment's result (太原 2004, 山西 2024), a
        # standard met for the first time (合肥 2022), a model held up (晋中 2021, 长沙 2022)
        "放宽城市城镇落户条件，全面实行居住登记和居住证制度。",
        "列入国家级高新技术产业化示范工程项目累计达15个。",
        "旧城改造和经济适用房开复工115.，竣工50.。",
        "在全省考核中获进步奖。",
        "连续两年在党中央国务院污染防治攻坚战成效考核中评为优秀。",
        "南淝河全流域首次全面达标。",
        "我市成为全国优化营商环境综合表现突出的标杆城市。",
        "轨道集团成为全省“去平台、市场化”转型标杆。",
        # general aviation (通航) is no route opened (山西 2024, 郑州 2021, 2024, 大同 2022)
        "大力发展通航产业。",
        "国家通航产业综合示范区累计入驻通航企业70家。",
        "新增山西通航职业技术学院、大同师范两所高等专科学校。",
        # neighbours the new words must leave alone
        "覆盖城乡的社会保障体系全面建成。",
        "小康社会全面建成。",
        "“五环二十六射”高快速路网全面建成。",
        "全面建成四级快反平台。",
        "100家政府主导的社区卫生服务中心全部建成。",
        "建成口袋公园、街头游园157个。",
    ],
)
def test_not_milestones(body: str) -> None:
    assert found(body) == []


def test_an_airport_opened_stays() -> None:
    assert found("吕梁机场正式通航，江淮运河全线通航。") == [("completion", "吕梁机场正式通航"), ("completion", "江淮运河全线通航")]


def test_a_pilot_batch_held_up_stays() -> None:
    body = "郑州儿童医院成为国家儿童区域医疗中心试点建设首批示范标杆。"
    assert [k for k, _ in found(body)] == ["designation"]
