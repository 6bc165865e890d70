"""The generated documents opened again (python-docx, openpyxl) and checked against the database:
expected numbers come from the store's repositories, not from the report code's own output."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import unquote

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from typer.testing import CliRunner

from lantu import services
from lantu.analysis import targets as analysis_targets
from lantu.domain import Period
from lantu.evaluation.quality import cell as quality_cell
from lantu.i18n import translate
from lantu.reports import fonts as fonts_mod
from lantu.reports import progress
from lantu.reports.data import FLAG_LABELS, WARNING, fmt_number, month_bounds, target_text
from lantu.reports.fonts import find_fonts
from lantu.reports.gongwen import cell_fill
from lantu.reports.service import bulletin_report, monitoring_report, task_table
from lantu.store import Database, repo
from lantu.store.models import MilestoneRow

REGION, PERIOD, MONTH = "140100", "2023", "2023-06"
_FLAG = "|".join(re.escape(w) for w in [*FLAG_LABELS.values(), translate("zh", "flag.derived")])
# (the words of the locale files; 推算值: the share of the province derived by the verdict)
FLAG_SUFFIX = re.compile(rf"（(?:{_FLAG})(?:、(?:{_FLAG}))*）$")


@pytest.fixture(scope="module")
def db(default_db_module):
    return default_db_module


@pytest.fixture(scope="module")
def fonts():
    return find_fonts()


@pytest.fixture(scope="module")
def monitoring(db, fonts):
    built = monitoring_report(db, REGION, PERIOD, fonts=fonts, issuer="太原市发展和改革委员会",
                              when=date(2024, 3, 1))
    return built, Document(io.BytesIO(built.content))


def _east(run) -> str | None:
    rpr = run._element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def _tables_by_caption(doc) -> dict[str, object]:
    """Map a caption ``表N　…`` to the table right after it."""
    out, caption = {}, None
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            if re.match(r"^表\d+　", text):
                caption = text.split("　", 1)[1]
        elif el.tag == qn("w:tbl") and caption:
            out[caption] = next(t for t in doc.tables if t._tbl is el)
            caption = None
    return out


# -- monitoring report ----------------------------------------------------------------------------


def test_monitoring_layout_and_fonts(monitoring, fonts):
    built, doc = monitoring
    assert built.filename == "监测报告-140100-2023.docx"
    sec = doc.sections[0]
    assert [round(x.mm) for x in (sec.page_width, sec.page_height, sec.top_margin,
                                  sec.bottom_margin, sec.left_margin, sec.right_margin)] == \
        [210, 297, 37, 35, 28, 26]
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = paras[0]
    assert title.text.startswith("关于太原市2023年")
    assert {_east(r) for r in title.runs} == {fonts.title.name}
    assert all(r.font.size.pt == 22 for r in title.runs)
    from lantu.evaluation.demo import DEMO_LINE_ZH

    # the default's assignments are a demonstration: the line at the head says so
    assert paras[1].text == DEMO_LINE_ZH
    assert paras[2].text == "市委、市政府："
    h1 = [p for p in paras if re.match(r"^[一二三四五]、", p.text)]
    assert [p.text for p in h1][:5] == ["一、总体情况", "二、目标任务监测情况", "三、同类城市比较",
                                        "四、首位度与空间分布", "五、有关说明"]
    assert all(_east(p.runs[0]) == fonts.heading1.name for p in h1)
    h2 = [p for p in paras if re.match(r"^（[一二三四五六七八九十]+）", p.text)]
    assert h2 and all(_east(p.runs[0]) == fonts.heading2.name for p in h2)
    body = [p for p in paras if p.paragraph_format.first_line_indent is not None
            and p not in h1 and p not in h2 and p.runs and p.runs[0].font.size
            and p.runs[0].font.size.pt == 16]
    assert len(body) > 10
    assert all(_east(r) == fonts.body.name for p in body for r in p.runs)
    # every run in the document names an East-Asian face
    assert all(_east(r) for p in doc.paragraphs for r in p.runs if r.text.strip())
    # page numbers: a PAGE field in odd and even footers, 14 pt
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
        assert {r.font.size.pt for r in footer.paragraphs[0].runs} == {14}
    # the fonts used are named in the document, and the signature and date close it
    texts = [p.text for p in paras]
    assert any(t.startswith("本报告使用字体：") and fonts.body.name in t for t in texts)
    assert "太原市发展和改革委员会" in texts and "2024年3月1日" in texts


def test_monitoring_numbers_match_the_database(db, monitoring):
    _, doc = monitoring
    with db.session() as s:
        plan = repo.load_plan(s)
        names = {i.code: i for i in repo.indicators(s)}
        obs = repo.observations_frame(s, regions=[REGION])
        prov = repo.observations_frame(s, regions=["140000"], indicators=["gdp"])
        targets = repo.targets(s, regions=[REGION])
    linked = {c for _, n in plan.walk() for c in n.indicators}
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"关联统计指标{len(linked)}项" in text
    p = Period.parse(PERIOD)
    with_value = {c for c in linked
                  if any(Period.parse(x) <= p for x in obs.loc[obs.indicator == c, "period"])}
    # the share of the province is derived (city ÷ province GDP of the same year, from primacy)
    both = set(obs.loc[obs.indicator == "gdp", "period"]) & set(prov["period"])
    if "gdp_share_of_province" in linked and any(Period.parse(x) <= p for x in both):
        with_value.add("gdp_share_of_province")
    # a derived indicator (a formula) has the figures of its inputs (verdict15: the verdict and
    # the report read them, 第三产业增加值占比 = va_tertiary / gdp)
    with db.session() as s:
        for c in linked:
            if names[c].formula is not None and any(
                    Period.parse(x) <= p for x in repo.indicator_values(s, c, regions=[REGION])["period"]):
                with_value.add(c)
    current = {c for c in linked if ((obs.indicator == c) & (obs.period == PERIOD)).any()}
    assert f"其中，{len(current)}项有2023年数据" in text
    assert f"{len(linked) - len(with_value)}项暂无数据" in text

    tables = _tables_by_caption(doc)
    by_name = {(i.name_zh, i.unit or "—"): c for c, i in names.items()}
    checked = 0
    for top in plan.children:
        caption = f"{top.title}监测指标"
        if caption not in tables:
            continue
        table = tables[caption]
        assert [c.text for c in table.rows[0].cells] == \
            ["指标", "单位", "本期值", "上期值", "趋势", "目标", "状态", "来源"]
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            code = by_name[(FLAG_SUFFIX.sub("", cells[0]), cells[1])]
            upto = obs.period.map(lambda x: Period.parse(x) <= p)
            mine = obs[(obs.indicator == code) & upto]
            mine = mine.sort_values("period", key=lambda col: col.map(Period.parse))
            if code == "gdp_share_of_province" or names[code].formula is not None:
                # derived (from primacy: tests/test_evaluation.py; from a formula: verdict15)
                assert "推算值" in cells[0]
                continue
            if mine.empty:
                assert cells[2] == "—"
            else:
                last = mine.iloc[-1]
                # the figure with its source-quality mark (lantu.evaluation.quality)
                expect = quality_cell(fmt_number(last.value), last.source_quality)
                assert "〔" in expect
                assert cells[2] == (expect if last.period == PERIOD
                                    else f"{expect}\n（{last.period}）")
                checked += 1
            # the target in force in the year (docs/analysis.md): that year's yearly target
            # (main before 力争), else the plan target with the nearest target year
            year = p.year
            force = [t for t in targets if t.indicator_code == code
                     and analysis_targets.in_force(progress.spec_of(t), year)]
            force.sort(key=lambda t: (analysis_targets.target_horizon(progress.spec_of(t))[0]
                                      != "yearly", t.qualifier == "力争", t.target_period))
            tg = force[0] if force else None
            if tg is None:
                assert cells[5] == "—"
            else:
                assert cells[5] == f"{target_text(tg)}\n（{tg.target_period}）"
                years = {Period.parse(x).year: v for x, v in zip(
                    obs.loc[obs.indicator == code, "period"], obs.loc[obs.indicator == code, "value"])}
                # a cumulative target of a flow indicator sums the yearly figures
                res = analysis_targets.evaluate_target(
                    progress.spec_of(tg), years, names[code].direction, as_of=year,
                    accumulate=tg.kind == "cumulative_change" and names[code].flow)
                assert cells[6] == analysis_targets.STATUS_ZH[res.status]
                assert cell_fill(row.cells[6]) == progress.fill(res.status)
    assert checked >= 10


def test_monitoring_peers_and_sources_match_the_database(db, monitoring):
    _, doc = monitoring
    tables = _tables_by_caption(doc)
    caption = next(c for c in tables if c.startswith("太原市与") and c.endswith("主要指标比较"))
    with db.session() as s:
        group = next(g for g in repo.region_groups(s)
                     if caption == f"太原市与{g.name_zh}主要指标比较")
        assert REGION in group.members
        obs = repo.observations_frame(s, regions=list(group.members))
        regions = {r.code: r.name_zh for r in repo.regions(s)}
        urls = {unquote(u) for u in set(obs.source_url) | {t.source.url for t in repo.targets(s)}}
        names = {f"{i.name_zh}（{i.unit}）" if i.unit else i.name_zh: i.code
                 for i in repo.indicators(s)}
    peer = tables[caption]
    header = [c.text for c in peer.rows[0].cells]
    assert header[2:-1] == [regions[m] for m in group.members]
    assert len(peer.rows) > 3
    for row in peer.rows[1:]:
        cells = [c.text for c in row.cells]
        code = names[cells[0]]
        year = cells[1]
        for m, cell in zip(group.members, cells[2:-1]):
            hit = obs[(obs.region_code == m) & (obs.indicator == code) & (obs.period == year)]
            assert cell == (fmt_number(hit.value.iloc[0]) if len(hit) else "—")
        rank, n = map(int, cells[-1].split("/"))
        assert n == sum(c != "—" for c in cells[2:-1]) and 1 <= rank <= n
    # sources: numbered notes after the annex heading, each URL one the database holds
    texts = [p.text for p in doc.paragraphs]
    notes = [t for t in texts[texts.index("附：数据来源") + 1:] if t.startswith("[")]
    assert notes and [int(re.match(r"\[(\d+)\]", t).group(1)) for t in notes] == \
        list(range(1, len(notes) + 1))
    for t in notes:
        url = re.search(r"(https?://\S+)", t)
        assert url is None or url.group(1) in urls
    cited = {int(x) for tb in tables.values() for r in tb.rows[1:]
             for x in re.findall(r"\[(\d+)\]", r.cells[-1].text)}
    assert cited <= set(range(1, len(notes) + 1))


def test_chart_series_cover_the_plan_period_up_to_the_period(db):
    """From the plan's base year (the blueprint of November 2021 starts in 2022: base 2021) up
    to the evaluated year: never a figure from before the plan, never one after the period."""
    from lantu.evaluation import evaluate
    from lantu.reports.data import monitoring_data

    with db.session() as s:
        d = monitoring_data(s, REGION, PERIOD)
        v = evaluate(s, region=REGION, year=Period.parse(PERIOD).year)
        obs = repo.observations_frame(s, regions=[REGION], indicators=["population"])
    assert v.base_year == 2021 and v.plan_start == 2022
    expect = {p: v for p, v in zip(obs.period, obs.value)
              if 2021 <= Period.parse(p).year <= Period.parse(PERIOD).year}
    assert "2019" in set(obs.period)  # the data reach back before the plan
    assert d["series"]["population"] == expect and not {"2019", "2020", "2024"} & set(expect)
    years = {Period.parse(k).year for v in d["series"].values() for k in v}
    assert min(years) == 2021 and max(years) == Period.parse(PERIOD).year


def test_monitoring_charts_are_pictures_with_a_cjk_font(monitoring, fonts):
    _, doc = monitoring
    if not fonts.has_cjk:
        pytest.skip("no CJK font installed: the no-font path is tested separately")
    assert len(doc.inline_shapes) == 3
    captions = [p.text for p in doc.paragraphs if re.match(r"^图\d+　", p.text)]
    assert captions[0] == "图1　太原市主要监测指标走势"
    assert len(captions) == 3 and re.match(r"^图2　\S+\d{4}年\S+比较$", captions[1])
    assert re.match(r"^图3　\d{4}年山西省各市", captions[2])


def test_no_cjk_font_still_writes_the_report_with_a_note(db, monkeypatch):
    monkeypatch.setattr(fonts_mod, "installed_families",
                        lambda: frozenset({"DejaVu Sans", "Liberation Serif"}))
    fs = find_fonts()
    assert not fs.has_cjk
    built = monitoring_report(db, REGION, PERIOD, fonts=fs)
    doc = Document(io.BytesIO(built.content))
    assert len(doc.inline_shapes) == 0
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "图表未生成" in text and "fonts-noto-cjk" in text
    assert "本报告使用字体：" in text and "（本机未安装）" in text
    # the standard names are written, so a machine that has them shows them
    title = next(p for p in doc.paragraphs if p.text.strip())
    assert _east(title.runs[0]) == "方正小标宋简体"


def test_index_rows_given_to_the_builder_become_a_table_with_rank_intervals(db, fonts):
    from lantu.reports.data import monitoring_data
    from lantu.reports.monitoring import build_monitoring_docx

    with db.session() as s:
        d = monitoring_data(s, REGION, PERIOD)
    d["index"] = {"name": "高质量发展指数", "note": "权重与方法见指数说明。",
                  "rows": [{"name": "太原市", "score": 71.234, "rank": 1, "rank_low": 1,
                            "rank_high": 2},
                           {"name": "晋中市", "score": 55.5, "rank": 2, "rank_low": 1,
                            "rank_high": 3},
                           {"name": "忻州市", "score": 40.0, "rank": 3, "rank_low": None}]}
    doc = Document(io.BytesIO(build_monitoring_docx(d, fonts).to_bytes()))
    table = _tables_by_caption(doc)["高质量发展指数及排名区间"]
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["地区", "指数", "位次", "位次区间（5%–95%）"], ["太原市", "71.23", "1", "1–2"],
        ["晋中市", "55.5", "2", "1–3"], ["忻州市", "40", "3", "—"]]
    assert "尚无为本地区构建的综合指数" not in "\n".join(p.text for p in doc.paragraphs)


def test_index_table_is_the_peer_index_of_the_comparison_page(db, monitoring):
    """The index part: the group and year named in its caption, the scores, ranks and rank
    intervals of :func:`lantu.evaluation.peer_index.compute` (the comparison page's index), and
    every filled cell said with its method."""
    from lantu.evaluation import peer_index

    _, doc = monitoring
    tables = _tables_by_caption(doc)
    caption = next((c for c in tables if c.endswith("综合发展指数及排名区间")), None)
    assert caption
    m = re.match(r"^(.+?)(\d{4})年综合发展指数及排名区间$", caption)
    with db.session() as s:
        res = peer_index.compute(s, region=REGION, year=int(m.group(2)))
    assert res.group["name"] == m.group(1)
    rows = [[c.text for c in r.cells] for r in tables[caption].rows[1:]]
    ranked = [u for u in res.units if u["rank"] is not None]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (u["name"], fmt_number(u["score"]), str(u["rank"])) for u in ranked]
    for r in rows:
        lo, hi = map(int, r[3].split("–"))
        assert lo <= int(r[2]) <= hi
    text = "\n".join(p.text for p in doc.paragraphs)
    mine = res.unit(REGION)
    assert f"太原市位列第{mine['rank']}位（共{len(ranked)}个" in text
    for c in res.filled:
        assert peer_index.fill_words(c, "zh") in text


def test_monitoring_html_is_the_same_report(db, fonts):
    built = monitoring_report(db, REGION, PERIOD, fmt="html", fonts=fonts)
    html = built.content.decode("utf-8")
    assert built.media_type.startswith("text/html")
    assert "一、总体情况" in html and "附：数据来源" in html and "@page { size: A4" in html
    assert ("data:image/png;base64," in html) == fonts.has_cjk


def test_monitoring_refuses_unknown_region_and_group(db):
    from lantu.domain import ValidationError

    with pytest.raises(ValidationError, match="unknown region '999999'"):
        monitoring_report(db, "999999", PERIOD)
    with pytest.raises(ValidationError, match="unknown region group 'nope'"):
        monitoring_report(db, REGION, PERIOD, group="nope")
    with pytest.raises(ValidationError, match="no plan of region 140700 is stored"):
        monitoring_report(db, "140700", PERIOD)


# -- supervision bulletin -------------------------------------------------------------------------


def _expected_bulletin(db, month):
    """Late tasks and milestones by department name, recomputed from the stored plan rows."""
    start, end = month_bounds(month)
    with db.session() as s:
        nodes = [n for n in repo.plan_node_rows(s, repo.plan_codes(s)[0])
                 if n.kind == "task" and n.lead_department]
        depts = {d.code: d.name_zh for d in repo.departments(s)}
        late_tasks: dict[str, int] = {}
        late_ms: dict[str, list[int]] = {}
        finished_ms = 0
        for n in nodes:
            name = depts[n.lead_department]
            if n.due_date and n.due_date < end and (not n.start_date or n.start_date <= end):
                late_tasks[name] = late_tasks.get(name, 0) + 1
            for m in n.milestones:
                if m.done_on and start <= m.done_on <= end:
                    finished_ms += 1
                if m.due_date and m.due_date < end and not (m.done_on and m.done_on <= end):
                    late_ms.setdefault(name, []).append((end - m.due_date).days)
        leads = {depts[n.lead_department] for n in nodes
                 if not n.start_date or n.start_date <= end}
    return late_tasks, late_ms, finished_ms, leads


def test_bulletin_counts_and_colours_match_the_database(db, fonts):
    built = bulletin_report(db, MONTH, fonts=fonts, when=date(2023, 7, 5))
    doc = Document(io.BytesIO(built.content))
    late_tasks, late_ms, finished_ms, leads = _expected_bulletin(db, MONTH)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"逾期未完成任务{sum(late_tasks.values())}项" in text
    assert f"逾期未完成{sum(len(v) for v in late_ms.values())}个" in text
    assert f"任务节点中本月完成{finished_ms}个" in text
    assert late_tasks, "the default has tasks due in 2022 that are late in 2023-06"
    tables = _tables_by_caption(doc)
    dept = tables["各牵头单位任务推进情况"]
    assert [c.text for c in dept.rows[0].cells] == \
        ["序号", "牵头单位", "任务数", "本月完成", "逾期任务", "逾期节点", "退回", "得分", "预警",
         "位次"]
    assert {r.cells[1].text for r in dept.rows[1:]} == leads
    for r in dept.rows[1:]:
        name = r.cells[1].text
        assert int(r.cells[4].text) == late_tasks.get(name, 0)
        assert int(r.cells[5].text) == len(late_ms.get(name, []))
        colour = "red" if late_tasks.get(name) else "yellow" if late_ms.get(name) else "green"
        assert r.cells[8].text == WARNING[colour][0]
        assert cell_fill(r.cells[8]) == WARNING[colour][1]
    tasks = tables["逾期未完成任务清单"]
    assert len(tasks.rows) - 1 == sum(late_tasks.values())
    assert all(cell_fill(r.cells[5]) == WARNING["red"][1] for r in tasks.rows[1:])
    ms = tables["逾期未完成节点清单"]
    assert len(ms.rows) - 1 == sum(len(v) for v in late_ms.values())
    days = [int(r.cells[5].text) for r in ms.rows[1:]]
    assert days == sorted(days, reverse=True)
    assert all(cell_fill(r.cells[6]) == WARNING["red" if int(r.cells[5].text) > 30
                                                 else "yellow"][1] for r in ms.rows[1:])
    assert "2023年7月5日" in text


def test_bulletin_moves_a_milestone_done_in_the_month_to_finished(db, fonts):
    start, end = month_bounds(MONTH)
    with db.session() as s:
        from sqlalchemy import select

        ms = s.scalars(select(MilestoneRow).where(MilestoneRow.due_date < end)
                       .order_by(MilestoneRow.id)).first()
        ms.done_on = date(start.year, start.month, 15)
        ms_id, title = ms.id, ms.title
    try:
        late_ms = _expected_bulletin(db, MONTH)[1]
        doc = Document(io.BytesIO(bulletin_report(db, MONTH, fonts=fonts).content))
        tables = _tables_by_caption(doc)
        done = tables["本月完成事项清单"]
        assert [r.cells[2].text for r in done.rows[1:]] == [title]
        assert len(tables["逾期未完成节点清单"].rows) - 1 == sum(len(v) for v in late_ms.values())
        assert title not in {r.cells[2].text for r in tables["逾期未完成节点清单"].rows[1:]}
    finally:
        with db.session() as s:
            s.get(MilestoneRow, ms_id).done_on = None


def test_bulletin_refuses_a_future_month(db):
    from lantu.domain import ValidationError

    with pytest.raises(ValidationError, match="in the future"):
        bulletin_report(db, "2023-08", today=date(2023, 7, 1))


# -- task table -----------------------------------------------------------------------------------


def _open_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))["任务分解表"]


def test_task_table_structure_and_print_setup(db, fonts):
    ws = _open_xlsx(task_table(db, fonts=fonts).content)
    with db.session() as s:
        plan = repo.load_plan(s)
        depts = {d.code: d.name_zh for d in repo.departments(s)}
    tasks = [n for _, n in plan.walk() if n.kind == "task"]
    title, demo = ws["A1"].value.split("\n")
    assert title == f"{plan.title}任务分解表" and demo.startswith("演示：本表")
    assert [c.value for c in ws[2]] == ["序号", "任务", "具体内容", "牵头单位", "配合单位",
                                         "完成时限", "进展", "状态", "预警"]
    assert ws.max_row == 2 + len(tasks)
    for i, node in enumerate(tasks, start=3):
        assert ws.cell(i, 2).value.strip("　") == node.title
        assert ws.cell(i, 4).value == depts[node.lead]
        assert ws.cell(i, 6).value == node.due.isoformat()
        assert ws.cell(i, 5).value == ("、".join(depts[d] for d in node.supporting) or "—")
    assert ws.cell(3, 1).value == "1" and ws.cell(4, 1).value == "1.1"
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    assert ws.cell(3, 3).alignment.wrap_text
    assert ws.cell(5, 4).border.left.style == "thin"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}


def test_task_table_for_one_department(db, fonts):
    ws = _open_xlsx(task_table(db, department="kjj", fonts=fonts).content)
    with db.session() as s:
        plan = repo.load_plan(s)
        name = next(d.name_zh for d in repo.departments(s) if d.code == "kjj")
    mine = [n for _, n in plan.walk() if n.kind == "task"
            and ("kjj" == n.lead or "kjj" in n.supporting)]
    assert ws.max_row == 2 + len(mine) and mine
    assert all(name in (ws.cell(i, 4).value + ws.cell(i, 5).value)
               for i in range(3, ws.max_row + 1))
    assert ws["A1"].value.split("\n")[0].endswith(f"（{name}）")


# -- CLI ------------------------------------------------------------------------------------------


def test_cli_report_and_export(db, tmp_path):
    from lantu.cli import app

    runner = CliRunner()
    out = tmp_path / "m.docx"
    res = runner.invoke(app, ["report", "monitoring", "--region", REGION, "--period", PERIOD,
                              "--out", str(out), "--db", db.url])
    assert res.exit_code == 0, res.output
    assert "fonts:" in res.output and out.stat().st_size > 10_000
    assert Document(str(out)).paragraphs[0].text.startswith("关于太原市")
    res = runner.invoke(app, ["report", "monitoring", "--region", REGION, "--period", PERIOD,
                              "--standard-fonts", "--out", str(out), "--db", db.url])
    assert res.exit_code == 0, res.output
    body = next(p for p in Document(str(out)).paragraphs if p.text.startswith("按照"))
    assert _east(body.runs[0]) == "仿宋_GB2312"
    res = runner.invoke(app, ["report", "bulletin", "--month", "2023-13", "--db", db.url])
    assert res.exit_code == 2 and "is not a month" in res.output  # a bad option value: usage
    res = runner.invoke(app, ["report", "monitoring", "--region", REGION, "--period", PERIOD,
                              "--format", "odt", "--db", db.url])
    assert res.exit_code == 2
    xlsx = tmp_path / "t.xlsx"
    res = runner.invoke(app, ["export", "tasks", "--format", "xlsx", "--out", str(xlsx),
                              "--db", db.url])
    assert res.exit_code == 0, res.output
    assert _open_xlsx(xlsx.read_bytes())["A2"].value == "序号"
    res = runner.invoke(app, ["export", "tasks", "--format", "csv", "--db", db.url])
    assert res.output.splitlines()[0] == "序号,任务,具体内容,牵头单位,配合单位,完成时限,进展,状态,预警"


def test_an_empty_database_gives_clear_errors(tmp_path):
    from lantu.domain import ValidationError

    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    empty.migrate()
    services.init_reference(empty)
    with pytest.raises(ValidationError, match="no plan is stored"):
        monitoring_report(empty, REGION, PERIOD)
    with pytest.raises(ValidationError, match="no plan in the database"):
        task_table(empty)
    with pytest.raises(ValidationError, match="no plan in the database"):
        bulletin_report(empty, MONTH, today=date(2024, 1, 1))
    empty.dispose()


def test_primacy_section_and_map_come_from_the_one_computation(db, monitoring, fonts):
    """The report's primacy part says the share that lantu.evaluation.primacy computes (the one
    the comparison page shows), tabulates every year, and carries the map picture."""
    from lantu.evaluation import primacy

    _, doc = monitoring
    texts = [p.text for p in doc.paragraphs]
    assert "四、首位度与空间分布" in texts
    with db.session() as s:
        prim = primacy.compute(s, region=REGION, year=int(PERIOD))
    row = prim["current"]["gdp"]
    assert any(f"{row['period']}年太原市地区生产总值" in t and f"占全省比重为{row['share']:.2f}%" in t
               for t in texts)
    table = _tables_by_caption(doc)["太原市首位度"]
    years = [r.cells[0].text for r in table.rows[1:]]
    assert years == [r["period"] for r in prim["by"]["gdp"]] + [r["period"] for r in prim["by"]["population"]]
    if not fonts.has_cjk:  # charts (the map among them) are left out, with a note
        print("SKIP the map's checks: no CJK font installed (charts are left out)")
        return
    caption = next(t for t in texts if re.match(r"^图\d+　\d{4}年山西省各市", t))
    assert "综合发展指数" in caption
    # the figure right before the caption is an inline picture
    i = texts.index(caption)
    assert doc.paragraphs[i - 1]._element.findall(".//" + qn("w:drawing"))
