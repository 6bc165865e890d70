"""docs/analysis.md's audit of the verdict (Taiyuan 2021–2024) is the evaluation of the default:
the same rows (indicator, figure, target, status, rule, nodes) and node statuses, so the doc
cannot go stale silently. Regenerate with ``scripts/verdict_audit_table.py`` and check the changed
rows by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantu.evaluation import audit, evaluate

DOC = Path(__file__).parents[1] / "docs" / "analysis.md"
YEARS = range(2021, 2025)


@pytest.fixture(scope="module")
def verdicts(default_db_module):
    with default_db_module.session() as s:
        return {y: evaluate(s, region="140100", year=y) for y in YEARS}


def _doc(name):
    return audit.parse_markdown(audit.section(DOC.read_text(encoding="utf-8"), name))


def _diff(doc, made):
    return {"in the docs, not produced": sorted(set(doc) - set(made)),
            "produced, not in the docs": sorted(set(made) - set(doc))}


def test_every_indicator_status_of_the_docs_is_the_one_evaluate_gives(verdicts):
    doc = _doc("verdict-audit-indicators")
    made = [r for y in YEARS for r in audit.indicator_rows(verdicts[y])]
    assert len(doc) == len(set(doc)) and doc, "the docs table is empty or repeats a row"
    assert sorted(doc) == sorted(made), _diff(doc, made)
    # every status a verdict of these years shows is in the table
    shown = {(str(y), f"`{i.indicator}`", f"`{t.status}`") for y in YEARS
             for n in verdicts[y].nodes for i in n.indicators if i.status
             for t in [i.target, *i.others]}
    assert shown == {(r[0], r[1], r[4]) for r in doc}


def test_every_node_status_of_the_docs_is_the_one_evaluate_gives(verdicts):
    doc = _doc("verdict-audit-nodes")
    made = [r for y in YEARS for r in audit.node_rows(verdicts[y])]
    assert sorted(doc) == sorted(made), _diff(doc, made)
    for y in YEARS:  # the nodes left out are exactly the qualitative ones
        listed = {r[1] for r in doc if r[0] == str(y)}
        assert {n.code for n in verdicts[y].nodes if n.status != "qualitative"} == listed


def test_the_table_parser_reads_what_markdown_writes():
    rows = [("2023", "`gdp_growth`", "3.8 (2023, official_report)", "6.5 % 左右 (2023, x)",
             "`missed`", "yearly: figure of 2023, 左右 ± tolerance", "T1, T1.8")]
    text = audit.markdown(audit.INDICATOR_HEADER, rows)
    assert audit.parse_markdown(text) == rows
    wrapped = f"x\n<!-- t:start -->\n{text}\n<!-- t:end -->\ny"
    assert audit.parse_markdown(audit.section(wrapped, "t")) == rows
    assert audit.section(audit.replace_section(wrapped, "t", "new"), "t").strip() == "new"
