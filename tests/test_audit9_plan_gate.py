"""The plan gate's text rule held where no test held it (audit9: with it removed the named tests
passed — the web's forms meet the edge's NUL check first): ``lantu plan load`` and
``services.load_plan`` refuse a plan whose texts hold a NUL byte or a lone surrogate, naming
the field, and store nothing — on SQLite (which would store the NUL) and PostgreSQL (whose
driver would fail on it)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lantu import services
from lantu.domain import Plan, PlanNode
from lantu.domain.gate import GateRefused
from lantu.store.models import PlanRow


@pytest.mark.parametrize("title, node_text", [("计划\x00甲", "任务"), ("计划", "任务\ud800")],
                         ids=["nul-in-the-title", "surrogate-in-a-node"])
def test_a_plan_whose_texts_cannot_be_stored_is_refused_by_the_gate(db, title, node_text):
    services.init_reference(db)
    plan = Plan("audit9", title, children=[PlanNode("t1", node_text)])
    with pytest.raises(GateRefused) as info:
        services.load_plan(db, plan)
    fields = {f for _, f, _ in info.value.problems}
    assert fields == ({"title"} if "\x00" in title else {"t1.title"}), info.value.problems
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PlanRow)) == 0
