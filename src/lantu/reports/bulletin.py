"""The supervision bulletin (督办通报) of a month: Word after GB/T 9704, warning colours as shading.

:func:`build_bulletin_docx` takes the dictionary of :func:`lantu.reports.data.bulletin_data`.
"""

from __future__ import annotations

from typing import Any

from lantu.reports.data import WARNING
from lantu.reports.fonts import FontSet
from lantu.reports.gongwen import GongwenDocument, cn_date

DEPARTMENT_COLUMNS = (("序号", 12), ("牵头单位", 46), ("任务数", 16), ("本月到期", 18),
                      ("本月完成", 18), ("逾期未完成", 20), ("退回", 12), ("预警", 14))
LATE_COLUMNS = (("序号", 10), ("任务", 38), ("事项", 40), ("牵头单位", 26), ("时限", 18),
                ("逾期天数", 12), ("预警", 12))


def bulletin_title(data: dict[str, Any]) -> str:
    return f"关于{data['month_label']}重点任务\n推进情况的通报"


def department_rows(data: dict[str, Any]) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    rows, fills = [], {}
    for i, d in enumerate(data["departments"]):
        label, fill = WARNING[d["colour"]]
        rows.append([i + 1, d["name"], d["tasks"], d["due"], d["finished"], d["late"],
                     d["returned"], label])
        fills[(i, 7)] = fill
    return rows, fills


def late_rows(data: dict[str, Any]) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    rows, fills = [], {}
    for i, r in enumerate(data["late"]):
        label, fill = WARNING[r["colour"]]
        rows.append([i + 1, f"{r['code']} {r['task']}", r["item"], r["lead"],
                     r["due"].isoformat(), r["days_late"], label])
        fills[(i, 6)] = fill
    return rows, fills


def summary_sentence(data: dict[str, Any]) -> str:
    t = data["totals"]
    return (f"纳入督办的具体任务{t.get('tasks', 0)}项、节点事项{t.get('items', 0)}个。截至"
            f"{cn_date(data['end'])}，累计应完成事项{t.get('due_total', 0)}个，按期完成"
            f"{t.get('done_total', 0)}个；本月到期{t.get('due', 0)}个，本月完成{t.get('finished', 0)}个；"
            f"逾期未完成{t.get('late', 0)}个，其中红色预警{t.get('red', 0)}个、黄色预警"
            f"{t.get('yellow', 0)}个；本月退回进展报告{len(data['returned'])}份。")


def build_bulletin_docx(data: dict[str, Any], fonts: FontSet) -> GongwenDocument:
    """The bulletin as a :class:`GongwenDocument`: summary, departments with their warning
    colour (shaded cell), late items, items finished this month, returned reports, requirements."""
    doc = GongwenDocument(fonts)
    title = bulletin_title(data)
    doc.set_properties(title.replace("\n", ""), subject=data["plan"]["title"])
    doc.title(title)
    doc.blank()
    doc.addressee(data["to"])
    doc.paragraph(f"按照《{data['plan']['title']}》任务分解安排，现将{data['month_label']}重点任务"
                  "推进情况通报如下。")
    doc.heading1(1, "总体情况")
    doc.paragraph(summary_sentence(data))
    doc.heading1(2, "各单位推进情况")
    rows, fills = department_rows(data)
    if rows:
        doc.table([c for c, _ in DEPARTMENT_COLUMNS], rows, caption="各牵头单位任务推进情况",
                  widths_mm=[w for _, w in DEPARTMENT_COLUMNS], fills=fills,
                  align=["c", "l", "c", "c", "c", "c", "c", "c"])
    doc.small_note(f"预警规则：{data['rule']}")
    n = 3
    doc.heading1(n, "逾期未完成事项")
    if data["late"]:
        rows, fills = late_rows(data)
        doc.table([c for c, _ in LATE_COLUMNS], rows, caption="逾期未完成事项清单",
                  widths_mm=[w for _, w in LATE_COLUMNS], fills=fills,
                  align=["c", "l", "l", "l", "c", "c", "c"])
    else:
        doc.paragraph("本月无逾期未完成事项。")
    n += 1
    doc.heading1(n, "本月完成事项")
    if data["finished"]:
        doc.table(["序号", "任务", "事项", "牵头单位", "完成日期"],
                  [[i + 1, f"{r['code']} {r['task']}", r["item"], r["lead"],
                    r["done_on"].isoformat()] for i, r in enumerate(data["finished"])],
                  caption="本月完成事项清单", widths_mm=[11, 45, 50, 28, 22],
                  align=["c", "l", "l", "l", "c"])
    else:
        doc.paragraph("本月无完成的节点事项。")
    n += 1
    doc.heading1(n, "退回事项")
    if data["returned"]:
        doc.table(["序号", "任务", "报送单位", "退回意见"],
                  [[i + 1, f"{r['code']} {r['task']}", r["department"], r.get("comment") or "—"]
                   for i, r in enumerate(data["returned"])],
                  caption="本月退回的进展报告", widths_mm=[11, 55, 35, 55],
                  align=["c", "l", "l", "l"])
    else:
        doc.paragraph("本月无退回的进展报告。")
    n += 1
    doc.heading1(n, "工作要求")
    doc.paragraph("对逾期未完成的事项，请牵头单位于下月10日前书面说明原因、提出整改措施和完成时限；"
                  "红色预警事项由督查部门跟踪督办。黄色预警事项请抓紧推进，确保按期完成。"
                  "各配合单位要主动对接、形成合力。")
    doc.signature(data["issuer"], data["date"])
    if not fonts.has_cjk:
        for note in fonts.notes:
            doc.small_note(note)
    doc.small_note(f"本通报使用字体：{fonts.describe()}。")
    return doc
