"""The monitoring report (监测报告) of a blueprint: Word after GB/T 9704, and HTML.

:func:`build_monitoring_docx` and :func:`render_monitoring_html` take the dictionary of
:func:`lantu.reports.data.monitoring_data` (plain data, no database).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from lantu.analysis.targets import STATUS_ZH, STATUSES
from lantu.domain.links import live_link
from lantu.domain.observations import bound_sign
from lantu.evaluation.demo import DEMO_LINE_ZH
from lantu.evaluation.quality import cell as quality_cell
from lantu.evaluation.quality import legend_note
from lantu.reports import charts
from lantu.reports.data import fmt_number
from lantu.reports.fonts import FontSet, no_cjk_message
from lantu.reports.gongwen import GongwenDocument, cn_date

#: Column widths (mm) of an indicator table; they add up to the 156 mm text width.
INDICATOR_COLUMNS = (("指标", 33), ("单位", 15), ("本期值", 20), ("上期值", 20), ("趋势", 12),
                     ("目标", 20), ("状态", 20), ("来源", 16))


def report_title(data: dict[str, Any]) -> str:
    return (f"关于{data['region']['name']}{data['period_label']}发展蓝图\n"
            "目标任务实施情况的监测报告")


def _with_period(value: float | None, period: str | None, current: str,
                 quality: str | None = None) -> str:
    if value is None:
        return "—"
    v = quality_cell(fmt_number(value), quality)  # the source-quality mark: 3.8〔报〕
    return v if period == current else f"{v}\n（{period}）"


def quality_legend(section: dict[str, Any]) -> str:
    """The legend of the source-quality marks a section's table uses."""
    return legend_note([q for r in section["rows"] for q in (r.get("quality"),
                                                             r.get("prev_quality"))])


def _refs(refs: list[int]) -> str:
    return "".join(f"[{r}]" for r in refs) or "—"


def indicator_table_rows(section: dict[str, Any], period: str) -> list[list[str]]:
    """The cells of a section's indicator table, in :data:`INDICATOR_COLUMNS` order."""
    out = []
    for r in section["rows"]:
        name = r["name"] + ("（" + "、".join(r["flags"]) + "）" if r["flags"] else "")
        target = f"{r['target']}\n（{r['target_period']}）" if r["target"] else "—"
        out.append([name, r["unit"] or "—",
                    _with_period(r["value"], r["period"], period, r.get("quality")),
                    _with_period(r["prev_value"], r["prev_period"], period, r.get("prev_quality")),
                    r["trend_label"], target, r["status_label"], _refs(r["refs"])])
    return out


def summary_sentences(data: dict[str, Any]) -> list[str]:
    """The 总体情况 paragraphs, with every count taken from ``data``."""
    s = data["summary"]
    per = data["period_label"]
    n = s.get("indicators", 0)
    with_value, current = s.get("with_value", 0), s.get("current", 0)
    n_goal = sum(1 for x in data["sections"] if x["kind"] == "goal")
    n_task = sum(1 for x in data["sections"] if x["kind"] == "task")
    scope = "、".join(x for x in (f"定位目标{n_goal}个方面" if n_goal else "",
                                  f"重点任务{n_task}项" if n_task else "") if x)
    first = (f"本次监测覆盖{scope}，关联统计指标{n}项。其中，{current}项有{per}数据，"
             f"{with_value - current}项采用{per}以前的最新数据，{n - with_value}项暂无数据。")
    assessed = {k: s.get(k, 0) for k in STATUSES}
    with_target = sum(assessed.values())
    parts = [f"{STATUS_ZH[k]}{v}项" for k, v in assessed.items() if v]
    second = (f"对照规划目标和年度预期目标，设有目标的指标{with_target}项"
              + (f"：{'，'.join(parts)}" if parts else ""))
    t_parts = [f"{STATUS_ZH[k]}{s['t_' + k]}项" for k in STATUSES if s.get("t_" + k)]
    if s.get("targets", 0) > with_target:  # an indicator with several targets: each one counted
        second += f"（按在效目标计{s['targets']}项：{'，'.join(t_parts)}）"
    second += "。"
    tasks = [x for x in data["sections"] if x["kind"] == "task"]
    sub = sum(x["subtasks"] for x in tasks)
    due = sum(x["subtasks_due"] for x in tasks)
    done = sum(x["subtasks_done"] for x in tasks)
    overdue = sum(x["subtasks_overdue"] for x in tasks)
    third = (f"重点任务分解为具体任务{sub}项，截至{per}末到期{due}项，已完成{done}项，"
             f"到期未完成{overdue}项（任务进展以督办通报为准）。")
    out = [first, second, third]
    index = data.get("index")
    mine = next((r for r in index["rows"] if r.get("code") == data["region"]["code"]), None) \
        if index else None
    if mine is not None:
        out.append(f"在{index['name']}中，{data['region']['name']}位列第{mine['rank']}位"
                   f"（共{len(index['rows'])}个参与排名，位次区间{mine['rank_low']}—{mine['rank_high']}），"
                   f"得分{fmt_number(mine['score'])}。")
    return out


def _section_lead(sec: dict[str, Any]) -> str:
    if sec["kind"] == "goal":
        return f"目标内容：{sec['text']}。"
    parts = [f"牵头单位：{sec['lead'] or '未明确'}"]
    if sec["supporting"]:
        parts.append(f"配合单位：{'、'.join(sec['supporting'])}")
    if sec["due"]:
        parts.append(f"完成时限：{cn_date(sec['due'])}")
    parts.append(f"具体任务{sec['subtasks']}项，已完成{sec['subtasks_done']}项，"
                 f"到期未完成{sec['subtasks_overdue']}项")
    return "；".join(parts) + "。"


def _status_sentence(sec: dict[str, Any]) -> str:
    head = ""
    if sec.get("verdict_label"):  # the verdict of the node: status and how it was reached
        head = f"评估结论：{sec['verdict_label']}。{sec.get('verdict_reason', '')}"
    if sec.get("goals"):
        head += "其中，" + "；".join(f"{g['code']}{g['title']}：{g['label']}"
                                   for g in sec["goals"]) + "。"
    body = _indicator_sentence(sec)
    return head + body if head else body


def _judged(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, status) of every target in force of the rows: a row with several targets names
    each by its horizon — "地区生产总值增速（年度）", "地区生产总值增速（2010年规划目标）" (Taiyuan
    2010: the year's 8%以上 met, the 十一五 年均12% missed); 力争 only where it is the only one."""
    out = []
    for r in rows:
        ts = r.get("targets") or []
        main = [t for t in ts if not t["stretch"]] or ts
        if len(main) <= 1:
            out.append((r["name"], main[0]["status"] if main else r["status"]))
            continue
        for t in main:
            when = "年度" if t["horizon"] == "yearly" else f"{t['year']}年规划目标"
            out.append((f"{r['name']}（{when}）", t["status"]))
    return out


def _step(row: dict[str, Any], period: str | None) -> str:
    """The indicator a trend names, with the two years it compares unless they are the report's
    year and the year before — "较上期" read as last year's step when it was 2009 → 2011 (Taiyuan
    2018's report said 实际使用外资较上期向好 on 2.62 → 6.8) misleads (verdict15)."""
    p, q = row.get("period"), row.get("prev_period")
    if p and q and p.isdigit() and q.isdigit() and (p != period or int(q) != int(p) - 1):
        return f"{row['name']}（{p}年较{q}年）"
    return row["name"]


def _indicator_sentence(sec: dict[str, Any]) -> str:
    rows = sec["rows"]
    if not rows:
        return "本项暂无可监测的统计指标，进展情况以督办通报为准。"
    judged = _judged(rows)
    good = [n for n, st in judged if st in ("achieved", "on_track")]
    missed = [n for n, st in judged if st == "missed"]
    bad = [n for n, st in judged if st in ("stagnating", "deteriorating")]
    slow = [n for n, st in judged if st == "moderately_improving"]
    up = [_step(r, sec.get("period")) for r in rows if r["trend"] == "improving"]
    down = [_step(r, sec.get("period")) for r in rows if r["trend"] == "worsening"]
    bits = []
    if good:
        bits.append(f"{'、'.join(good)}达到目标或符合进度要求")
    if missed:
        bits.append(f"{'、'.join(missed)}未完成目标")
    if slow:
        bits.append(f"{'、'.join(slow)}有所改善但慢于目标进度")
    if bad:
        bits.append(f"{'、'.join(bad)}停滞或倒退，需重点关注")
    if up:
        bits.append(f"{'、'.join(up)}较上期向好")
    if down:
        bits.append(f"{'、'.join(down)}较上期趋弱")
    if not bits:
        return "已有指标尚不足以判断目标进度，详见下表。"
    return "从监测指标看，" + "；".join(bits) + "。"


def peer_table(peers: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    header = ["指标", "年份", *peers["member_names"], "位次"]
    rows = []
    for r in peers["rows"]:
        rows.append([f"{r['name']}（{r['unit']}）" if r["unit"] else r["name"], r["period"],
                     *[fmt_number(r["values"].get(m)) for m in peers["members"]],
                     f"{r['rank']}/{r['n']}"])
    return header, rows


def _peer_chart_row(peers: dict[str, Any]) -> dict[str, Any] | None:
    rows = [r for r in peers["rows"] if r["n"] >= 2]
    return max(rows, key=lambda r: (r["n"], r["period"], r["code"] == "gdp")) if rows else None


def build_monitoring_docx(data: dict[str, Any], fonts: FontSet) -> GongwenDocument:
    """The monitoring report as a :class:`GongwenDocument` (call ``save`` or ``to_bytes``).

    Parameters
    ----------
    data
        From :func:`lantu.reports.data.monitoring_data`.
    fonts
        Faces by role; when ``fonts.has_cjk`` is false the charts are left out and a note says
        which package to install.
    """
    doc = GongwenDocument(fonts)
    region, per = data["region"]["name"], data["period_label"]
    doc.head(report_title(data), subject=data["plan"]["title"], addressee=data["to"],
             note=DEMO_LINE_ZH if data.get("demo") else "")
    doc.paragraph(f"按照《{data['plan']['title']}》确定的目标任务，依据统计公报、政府工作报告等公开"
                  f"发布的数据，对{region}{per}目标任务落实情况进行了监测。现将有关情况报告如下。")

    doc.heading1(1, "总体情况")
    for s in summary_sentences(data):
        doc.paragraph(s)
    if data["series"]:
        if fonts.has_cjk:
            png = charts.trend_chart(data["series"], data["indicator_names"], fonts,
                                     highlight=data["period"])
            doc.figure(png, f"{region}主要监测指标走势", width_mm=140)
        else:
            doc.small_note(f"（图表未生成：{no_cjk_message()}）")

    doc.heading1(2, "目标任务监测情况")
    for i, sec in enumerate(data["sections"], start=1):
        doc.heading2(i, sec["title"])
        doc.paragraph(_section_lead(sec))
        doc.paragraph(_status_sentence(sec))
        if sec["rows"]:
            fills = {(k, 6): r["fill"] for k, r in enumerate(sec["rows"]) if r["fill"]}
            doc.table([c for c, _ in INDICATOR_COLUMNS], indicator_table_rows(sec, data["period"]),
                      caption=f"{sec['title']}监测指标", widths_mm=[w for _, w in INDICATOR_COLUMNS],
                      fills=fills, align=["l", "c", "r", "r", "c", "r", "c", "c"])
            doc.small_note(quality_legend(sec))
        if sec["no_data"]:
            doc.small_note(f"暂无数据的指标：{'、'.join(sec['no_data'])}。")

    doc.heading1(3, "同类城市比较")
    peers = data.get("peers")
    if peers and peers["rows"]:
        doc.paragraph(f"选取{peers['name']}（{'、'.join(peers['member_names'])}）作为比较对象，"
                      f"逐项取{region}与其他成员均有数据的最近年份进行比较，位次按指标方向排列"
                      f"（第1位为最优）。")
        header, rows = peer_table(peers)
        n_m = len(peers["members"])
        name_w, year_w, rank_w = 34.0, 13.0, 13.0
        member_w = (156.0 - name_w - year_w - rank_w) / n_m
        doc.table(header, rows, caption=f"{region}与{peers['name']}主要指标比较",
                  widths_mm=[name_w, year_w, *[member_w] * n_m, rank_w],
                  align=["l", "c", *["r"] * n_m, "c"])
        best = _peer_chart_row(peers)
        if best is not None and fonts.has_cjk:
            png = charts.peer_chart(best["values"], peers["member_names"], peers["members"], fonts,
                                    title=f"{best['period']}年{best['name']}", region=data["region"]["code"],
                                    unit=best["unit"])
            doc.figure(png, f"{peers['name']}{best['period']}年{best['name']}比较", width_mm=120)
    else:
        doc.paragraph("数据库中暂无可比较的同类城市数据。")
    index = data.get("index")
    if index:
        _index_part(doc, index, region)
    else:
        doc.paragraph("综合发展指数：数据库中尚无为本地区构建的综合指数，本期报告未列入指数排名。")

    doc.heading1(4, "首位度与空间分布")
    _primacy_part(doc, data, fonts)

    doc.heading1(5, "有关说明")
    doc.paragraph("指标表中的数据均为公开发布的原值，缺失数据如实留空、未作插补（综合发展指数补足的"
                  "数值逐项列于指数表下）；标注“初步数”的为初步核算数，"
                  "标注“转引”的数据引自新闻报道等二手来源，以统计部门正式发布为准。")
    doc.paragraph("目标状态参照联合国可持续发展目标指数（SDG Index）仪表盘的规则判定：以基期至目标年"
                  "所需的年均变化为准，比较基期以来实际的年均变化，达到目标为“已实现”，不低于所需"
                  "速度为“按进度推进”，达到所需速度一半以上为“有所改善但慢于进度”，不为负为“停滞”，"
                  "反向变化为“倒退”，缺少当年数据或基期数据为“数据不足”；状态一栏按绿、黄、橙、红"
                  "着色。趋势为最新两期数据按指标方向比较，变化幅度不足0.5%的为“持平”。")
    doc.paragraph(f"本报告使用字体：{fonts.describe()}。")
    for note in fonts.notes:
        doc.paragraph(note)
    doc.signature(data["issuer"], data["date"])

    if data["sources"]:
        doc.annex_heading("附：数据来源", new_page=True)
        for s in data["sources"]:
            excerpt = f"摘录：“{s['excerpt']}”" if s["excerpt"] else ""
            # percent-encoded Chinese paths are shown decoded: a reader can read them
            doc.small_note(f"[{s['n']}] {s['label']}。{unquote(s['url'])}　{excerpt}")
    return doc


def _index_part(doc: GongwenDocument, index: dict[str, Any], region: str) -> None:
    doc.paragraph(index.get("intro", f"{index.get('name', '综合发展指数')}及其排名区间如下。"))
    header = ["地区", "指数", "位次", "位次区间（5%–95%）"]
    rows = [[r["name"], fmt_number(r["score"]), str(r["rank"]),
             f"{r['rank_low']}–{r['rank_high']}" if r.get("rank_low") is not None else "—"]
            for r in index["rows"]]
    doc.table(header, rows, caption=f"{index.get('name', '综合发展指数')}及排名区间",
              widths_mm=[46, 36, 30, 44], align=["l", "r", "c", "c"])
    if index.get("filled"):
        doc.small_note("补足的数值：" + "；".join(
            f"{c['name']}{c['indicator_name']}（{c['how']}）" for c in index["filled"]) + "。")
    if index.get("note"):
        doc.small_note(index["note"])


def primacy_sentences(data: dict[str, Any]) -> list[str]:
    """The primacy part in words: the latest share of the province by GDP and by population,
    and the primacy indices where every city of the province has a figure."""
    prim = data.get("primacy")
    region = data["region"]["name"]
    if not prim:
        return [f"{region}不是省辖市，不计算首位度。"]
    out = []
    words = {"gdp": "地区生产总值", "population": "常住人口"}
    for ind, word in words.items():
        row = prim["current"].get(ind)
        if not row:
            out.append(f"{word}：数据库中暂无{region}{data['period_label']}及以前的数据。")
            continue
        # a figure the source gives only as a bound ("迈上5000亿元台阶") is said as one
        side = {"lower_bound": "以上", "upper_bound": "以内"}
        if row["share"] is not None:
            share = ("占全省比重" + {"lower_bound": "不低于", "upper_bound": "不高于"}.get(
                row.get("share_bound") or "", "为") + f"{row['share']:.2f}%")
        elif row.get("province_value") is None:
            share = "全省数据暂缺，占比无法计算"
        else:
            share = "本市与全省数据仅知上下限，占比无法计算"
        idx = [f"{k}为{row[k]}" for k in ("S2", "S4", "S11") if row.get(k) is not None]
        tail = ("，首位度指数" + "、".join(idx)) if idx else \
            f"；全省{prim['n_cities']}个市中当年有数据的{row['n_cities']}个，首位度指数暂不计算" \
            if not row.get("complete") else "；部分市的数据仅知上下限，首位度指数暂不计算"
        out.append(f"{row['period']}年{region}{word}{fmt_number(row['capital_value'])}"
                   f"{prim['units'].get(ind) or ''}{side.get(row.get('capital_bound') or '', '')}"
                   f"，{share}{tail}。")
    return out


def primacy_table(prim: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    header = ["年份", "指标", "本市", "全省", "占全省比重", "S2", "S4", "S11", "有数据市"]
    rows = []
    words = {"gdp": "地区生产总值", "population": "常住人口"}
    for ind, word in words.items():
        for r in prim["by"].get(ind, []):
            rows.append([r["period"], word,
                         bound_sign(r.get("capital_bound")) + fmt_number(r["capital_value"]),
                         bound_sign(r.get("province_bound")) + fmt_number(r.get("province_value")),
                         bound_sign(r.get("share_bound")) + f"{r['share']:.2f}%"
                         if r["share"] is not None else "—",
                         *[str(r[k]) if r.get(k) is not None else "—" for k in ("S2", "S4", "S11")],
                         f"{r['n_cities']}/{prim['n_cities']}"])
    return header, rows


def map_title(m: dict[str, Any]) -> str:
    what = m["label"] if m["layer"] != "index" else f"{m['label']}（得分）"
    return f"{m['year']}年山西省各市{what}"


def _primacy_part(doc: GongwenDocument, data: dict[str, Any], fonts: FontSet) -> None:
    for s in primacy_sentences(data):
        doc.paragraph(s)
    prim = data.get("primacy")
    if prim and any(prim["by"].values()):
        header, rows = primacy_table(prim)
        doc.table(header, rows, caption=f"{data['region']['name']}首位度",
                  widths_mm=[14, 24, 20, 20, 20, 13, 13, 13, 19],
                  align=["c", "l", "r", "r", "r", "r", "r", "r", "c"])
        doc.small_note("注：首位度指数在全省各市之间计算（S2＝P1/P2，S4＝P1/(P2+P3+P4)，"
                       "S11＝2P1/(P2+…+P11)），仅在全省各市均有数据且均非上下限的年份给出；仅知上下限的数值前标“≥”“≤”。")
    m = data.get("map")
    if m and fonts.has_cjk:
        from lantu.evaluation.maps import boundaries

        png = charts.map_chart(m, boundaries(m["map"]), fonts, title=map_title(m))
        doc.figure(png, map_title(m), width_mm=90)
        doc.small_note("注：红色粗线勾勒的为" + ("、".join(c["name"] for c in m["cities"]
                                                  if c["outlined"]))
                       + "；灰色为无数据。边界取自 ECharts 4.9.0 附带的山西省地图（Apache-2.0），"
                         "仅作示意。")


def render_monitoring_html(data: dict[str, Any], fonts: FontSet, *,
                           charts_png: dict[str, bytes] | None = None) -> str:
    """The same report as one self-contained HTML page (charts inlined as data URIs)."""
    import base64

    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("lantu.reports", "templates"),
                      autoescape=select_autoescape(["html"]))
    env.filters["unquote"] = unquote
    env.filters["link"] = live_link  # the one rule of a stored link rendered live
    pngs = dict(charts_png or {})
    if fonts.has_cjk and data["series"] and "trend" not in pngs:
        pngs["trend"] = charts.trend_chart(data["series"], data["indicator_names"], fonts,
                                           highlight=data["period"])
    m = data.get("map")
    if fonts.has_cjk and m and "map" not in pngs:
        from lantu.evaluation.maps import boundaries

        pngs["map"] = charts.map_chart(m, boundaries(m["map"]), fonts, title=map_title(m))
    prim = data.get("primacy")
    tables = [(sec, indicator_table_rows(sec, data["period"])) for sec in data["sections"]]
    peers = data.get("peers")
    return env.get_template("monitoring.html").render(
        data=data, title=report_title(data), summary=summary_sentences(data), tables=tables,
        columns=[c for c, _ in INDICATOR_COLUMNS], lead=_section_lead, status=_status_sentence,
        quality_legend=quality_legend,
        peer=peer_table(peers) if peers and peers["rows"] else None,
        primacy=primacy_sentences(data), demo_line=DEMO_LINE_ZH,
        primacy_rows=primacy_table(prim) if prim and any(prim["by"].values()) else None,
        map_title=map_title(m) if m else "",
        charts={k: base64.b64encode(v).decode() for k, v in pngs.items()},
        fonts=fonts, no_cjk=None if fonts.has_cjk else no_cjk_message(), cn_date=cn_date)
