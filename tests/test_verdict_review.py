"""Only reviewed milestones count as evidence of a goal without a measurable target (issue 10:
extracted facts count after a person's review); machine-read ones are listed, flagged
``reviewed: false``, named in the reason and badged on the goal page."""

from __future__ import annotations

import pytest

from lantu.evaluation import evaluate
from lantu.evaluation.verdict import qualitative_state
from webutil import fresh_db, make_client

TAIYUAN = "140100"


@pytest.mark.parametrize("reviewed, unreviewed, ups, downs, state", [
    (0, 0, 0, 0, "no_evidence"),
    (0, 8, 0, 0, "awaiting_review"),     # machine-read only: never "evidence"
    (0, 8, 0, 1, "awaiting_review"),
    (1, 8, 0, 0, "evidence"),
    (1, 0, 0, 1, "mixed"),
    (0, 8, 1, 0, "evidence"),            # an improving indicator is evidence of its own
    (0, 0, 1, 1, "mixed"),
    (0, 0, 0, 2, "no_evidence"),
])
def test_qualitative_state_counts_only_reviewed_milestones(reviewed, unreviewed, ups, downs,
                                                          state):
    assert qualitative_state(reviewed, unreviewed, ups, downs) == state


def _json_node(v, code):
    return next(n for n in v.to_json()["nodes"] if n["code"] == code)


def test_the_verdict_says_which_milestones_are_reviewed(web_template_db, tmp_path):
    from lantu.domain.milestones import MilestoneFact
    from lantu.store.evidence import apply_milestones

    db = fresh_db(web_template_db, tmp_path)
    try:
        with db.session() as s:
            v = evaluate(s, region=TAIYUAN, year=2023)
        every = [m for n in v.to_json()["nodes"] for m in n["milestones"]]
        assert every and all(isinstance(m["reviewed"], bool) for m in every)
        assert {m["reviewed"] for m in every} == {True, False}  # the default has both
        # a qualitative node whose in-plan milestones are all machine-read and no indicator
        # improves: it awaits review, and the reason counts both kinds
        waiting = [n for n in v.nodes if n.status == "qualitative"
                   and n.state == "awaiting_review"]
        assert waiting, "the default has goals resting on machine-read milestones only"
        node = waiting[0]
        inplan = [m for m in node.milestones if not m["before_plan"]]
        assert inplan and not any(m["reviewed"] for m in inplan)
        assert f"经人工审核0项；机器识读未审核{len(inplan)}项" in node.reason_zh
        assert "待人工审核" in node.reason_zh and "awaiting review" in node.reason_en
        assert node.colour == "grey"
        # a person confirms one milestone of that node: now it is evidence
        with db.session() as s:
            apply_milestones(s, [MilestoneFact(
                TAIYUAN, 2023, "designation", "某项国家级试点获批（人工审核）",
                nodes=(node.code,), source_url="https://example.org/reviewed", reviewed=True)])
        with db.session() as s:
            after = evaluate(s, region=TAIYUAN, year=2023).node(node.code)
        assert after.state in ("evidence", "mixed") and after.status == "qualitative"
        assert f"经人工审核1项；机器识读未审核{len(inplan)}项" in after.reason_zh
        mine = [m for m in after.milestones if m["source_url"] == "https://example.org/reviewed"]
        assert [m["reviewed"] for m in mine] == [True]
    finally:
        db.dispose()


def test_cli_json_and_api_carry_reviewed(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    try:
        with make_client(db, tmp_path / "home") as c:
            from webutil import login
            login(c, "admin")
            api = c.get("/api/v1/evaluation", params={"region": TAIYUAN, "year": 2023}).json()
            hub = next(n for n in api["nodes"] if n["code"] == "P0.1")
            assert hub["milestones"] and all("reviewed" in m for m in hub["milestones"])
            assert any(m["reviewed"] for m in hub["milestones"])
            html = c.get("/plan/P0.1").text
            assert 'class="badge ms-reviewed"' in html and 'class="badge ms-machine"' in html
            en = c.get("/plan/P0.1?lang=en").text
            assert "machine-read · awaiting review" in en
    finally:
        db.dispose()
