"""The supervision bulletin (督办通报) of a month: Word after GB/T 9704, warning colours as shading.

:func:`build_bulletin_docx` takes the dictionary of :func:`lantu.reports.data.bulletin_data`.
"""

from __future__ import annotations

from typing import Any

from lantu.evaluation.demo import DEMO_LINE_ZH, DEMO_WORD_ZH
from lantu.i18n import translate
from lantu.reports.data import WARNING, fmt_number
from lantu.reports.fonts import FontSet
from lantu.reports.gongwen import GongwenDocument, cn_date

DEPARTMENT_COLUMNS = (("序号", 10), ("牵头单位", 36), ("任务数", 14), ("本月完成", 14),
                      ("逾期任务", 14), ("逾期节点", 14), ("退回", 13), ("得分", 14),
                      ("预警", 13), ("位次", 14))
LATE_COLUMNS = (("序号", 10), ("任务", 58), ("牵头单位", 36), ("完成时限", 20), ("逾期天数", 18),
                ("预警", 14))
LATE_MILESTONE_COLUMNS = (("序号", 10), ("任务", 38), ("节点", 40), ("牵头单位", 26),
                          ("时限", 18), ("逾期天数", 12), ("预警", 12))


def bulletin_title(data: dict[str, Any]) -> str:
    return f"关于{data['month_label']}重点任务\n推进情况的通报"


def score_text(score: float | None, demo: bool) -> str:
    """A department's score as the bulletin prints it; 演示 beside it when the assignments it
    rests on are a demonstration (:func:`lantu.evaluation.demo.is_demo`)."""
    text = fmt_number(score)
    return f"{text}（{DEMO_WORD_ZH}）" if demo and score is not None else text


def _rank(rank: int | None) -> object:
    """A department's place as the bulletin prints it: "未排名" when none is ranked (no
    department reported: :mod:`lantu.supervise.score`)."""
    from lantu.locale import translate

    return translate("zh", "score.unranked") if rank is None else rank


def department_rows(data: dict[str, Any]) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    rows, fills = [], {}
    for i, d in enumerate(data["departments"]):
        label, fill = WARNING[d["colour"]]
        rows.append([i + 1, d["name"], d["tasks"], d["finished"], d["late"], d["late_milestones"],
                     d["returned"], score_text(d["score"], data.get("demo", False)), label,
                     _rank(d["rank"])])
        fills[(i, 8)] = fill
    return rows, fills


def score_part_rows(data: dict[str, Any]) -> tuple[list[str], list[list[object]]]:
    """The header and rows of the score-parts table: each department's part values (0–100 %)
    under their weights, and its score — the parts and weights read from the one score rule
    (:mod:`lantu.supervise.score`, through ``data["score_parts"]``), never restated here."""
    parts = data.get("score_parts") or []
    header = ["位次", "牵头单位", *[f"{p['label']}（×{p['weight']:.2f}）" for p in parts], "得分"]
    rows: list[list[object]] = []
    for d in data["departments"]:
        name = d["name"] + ("（未报送）" if d.get("silent") else "")
        rows.append([_rank(d["rank"]), name, *[f"{100 * d['parts'][p['key']]:.0f}%" for p in parts],
                     score_text(d["score"], data.get("demo", False))])
    return header, rows


def _late_rows(items: list[dict[str, Any]], milestone: bool
               ) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    rows, fills = [], {}
    for i, r in enumerate(items):
        label, fill = WARNING[r["colour"]]
        due = r["due"].isoformat() if r["due"] else "—"
        task = f"{r['code']} {r['task']}"
        cells = ([i + 1, task, r["item"], r["lead"], due, r["days_late"], label] if milestone
                 else [i + 1, task, r["lead"], due, r["days_late"], label])
        rows.append(cells)
        fills[(i, len(cells) - 1)] = fill
    return rows, fills


def summary_sentence(data: dict[str, Any]) -> str:
    t = data["totals"]
    return (f"纳入督办的具体任务{t['tasks']}项。截至{cn_date(data['end'])}，本月完成任务"
            f"{t['finished']}项，逾期未完成任务{t['late']}项，本月退回进展报告{t['returned']}份；"
            f"任务节点中本月完成{t['finished_milestones']}个，逾期未完成{t['late_milestones']}个"
            f"（逾期超过30天的{t['red_milestones']}个）。")


def build_bulletin_docx(data: dict[str, Any], fonts: FontSet) -> GongwenDocument:
    """The bulletin as a :class:`GongwenDocument`: summary, departments with their warning
    colour (shaded cell) and score, the parts of each score, late tasks, late milestones, finished items, returned
    reports, requirements."""
    doc = GongwenDocument(fonts)
    title = bulletin_title(data)
    doc.head(title, subject=data["plan"]["title"], addressee=data["to"],
             note=DEMO_LINE_ZH if data.get("demo") else "")
    doc.paragraph(f"按照《{data['plan']['title']}》任务分解安排，现将{data['month_label']}重点任务"
                  "推进情况通报如下。")
    n = 1
    doc.heading1(n, "总体情况")
    doc.paragraph(summary_sentence(data))
    if data.get("provisional_on"):  # the month is under way (lantu.supervise.bulletin.under_way_on)
        doc.paragraph(translate("zh", "bl.provisional", month=data["month_label"],
                                day=cn_date(data["provisional_on"])))
    n += 1
    doc.heading1(n, "各单位推进情况")
    rows, fills = department_rows(data)
    if rows:
        doc.table([c for c, _ in DEPARTMENT_COLUMNS], rows, caption="各牵头单位任务推进情况",
                  widths_mm=[w for _, w in DEPARTMENT_COLUMNS], fills=fills,
                  align=["c", "l", "c", "c", "c", "c", "c", "c", "c", "c"])
    else:
        doc.paragraph("本月无纳入督办的任务。")
    if rows and data.get("score_parts"):
        header, part_rows = score_part_rows(data)
        n_parts = len(header) - 3
        part_w = (156 - 12 - 34 - 18) / max(n_parts, 1)
        doc.table(header, part_rows, caption="各牵头单位得分构成",
                  widths_mm=[12, 34, *[part_w] * n_parts, 18],
                  align=["c", "l", *["c"] * n_parts, "c"])
    doc.small_note(f"说明：{data['rule']}")
    n += 1
    doc.heading1(n, "逾期未完成事项")
    if data["late"]:
        rows, fills = _late_rows(data["late"], milestone=False)
        doc.table([c for c, _ in LATE_COLUMNS], rows, caption="逾期未完成任务清单",
                  widths_mm=[w for _, w in LATE_COLUMNS], fills=fills,
                  align=["c", "l", "l", "c", "c", "c"])
    else:
        doc.paragraph("本月无逾期未完成的任务。")
    if data["late_milestones"]:
        rows, fills = _late_rows(data["late_milestones"], milestone=True)
        doc.table([c for c, _ in LATE_MILESTONE_COLUMNS], rows, caption="逾期未完成节点清单",
                  widths_mm=[w for _, w in LATE_MILESTONE_COLUMNS], fills=fills,
                  align=["c", "l", "l", "l", "c", "c", "c"])
    n += 1
    doc.heading1(n, "本月完成事项")
    done = ([[f"{r['code']} {r['task']}", "全部任务", r["lead"],
              r["on"].isoformat() if r["on"] else "—"] for r in data["finished"]]
            + [[f"{r['code']} {r['task']}", r["item"], r["lead"], r["done_on"].isoformat()]
               for r in data["finished_milestones"]])
    if done:
        doc.table(["序号", "任务", "事项", "牵头单位", "完成日期"],
                  [[i + 1, *r] for i, r in enumerate(done)], caption="本月完成事项清单",
                  widths_mm=[11, 45, 50, 28, 22], align=["c", "l", "l", "l", "c"])
    else:
        doc.paragraph("本月无完成的任务和节点。")
    n += 1
    doc.heading1(n, "退回事项")
    if data["returned"]:
        doc.table(["序号", "任务", "报送单位", "退回日期", "退回意见"],
                  [[i + 1, f"{r['code']} {r['task']}", r["lead"],
                    r["on"].isoformat() if r["on"] else "—", r["comment"] or "—"]
                   for i, r in enumerate(data["returned"])],
                  caption="本月退回的进展报告", widths_mm=[11, 45, 30, 22, 48],
                  align=["c", "l", "l", "c", "l"])
    else:
        doc.paragraph("本月无退回的进展报告。")
    n += 1
    doc.heading1(n, "工作要求")
    doc.paragraph("对逾期未完成的任务和节点，请牵头单位于下月10日前书面说明原因、提出整改措施和完成"
                  "时限；红色预警事项由督查部门跟踪督办。黄色预警事项请抓紧推进，被退回的进展报告请"
                  "按审核意见修改后重新报送。各配合单位要主动对接、形成合力。")
    doc.signature(data["issuer"], data["date"])
    # the faces used are about the file, not the bulletin: in its properties, not its body
    doc.set_properties(title.replace("\n", ""), subject=data["plan"]["title"],
                       comments=" ".join([f"本通报使用字体：{fonts.describe()}。", *fonts.notes]))
    return doc
