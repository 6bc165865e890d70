"""The pure supervision rules: colours, workflow, bulletin and scores, on small exact examples."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantu.supervise import (
    Action,
    Actor,
    ReportState,
    WorkflowError,
    allowed_actions,
    check,
    colour_of,
    elapsed_share,
    month_end,
    next_status,
    validate_month,
)
from lantu.supervise.bulletin import ReviewEvent, TaskSnapshot, build_bulletin, score_departments
from lantu.supervise.score import PARTS, DepartmentRecord, ScoreRule, ScoreRuleError

START, DUE = date(2024, 1, 1), date(2024, 12, 31)


@pytest.mark.parametrize("today,percent,done,expected", [
    (date(2024, 6, 1), 60, False, "green"),    # 41 % of the time elapsed, 60 % done
    (date(2024, 6, 1), 30, False, "yellow"),   # behind schedule
    (date(2024, 12, 24), 99, False, "yellow"),  # 7 days before the due date
    (date(2024, 12, 23), 99, False, "green"),   # 8 days before
    (date(2024, 12, 31), 99, False, "yellow"),  # due today: not yet late
    (date(2025, 1, 1), 99, False, "red"),       # overdue
    (date(2025, 1, 1), 100, True, "green"),     # done
])
def test_colour_rules(today, percent, done, expected):
    assert colour_of(start=START, due=DUE, percent=percent, done=done, today=today) == expected


def test_colour_warn_days_is_configurable_and_validated():
    kw = dict(start=START, due=DUE, percent=99, done=False, today=date(2024, 12, 20))
    assert colour_of(**kw, warn_days=7) == "green"
    assert colour_of(**kw, warn_days=11) == "yellow"
    with pytest.raises(ValueError, match="warn_days"):
        colour_of(**kw, warn_days=-1)


def test_no_due_date_is_green():
    assert colour_of(start=None, due=None, percent=0, done=False, today=date(2030, 1, 1)) == "green"


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
       st.integers(0, 100), st.integers(1, 2000))
def test_elapsed_share_is_a_share_and_red_only_after_due(today, percent, days):
    start = date(2024, 1, 1)
    due = date.fromordinal(start.toordinal() + days)
    share = elapsed_share(start, due, today)
    assert 0.0 <= share <= 1.0
    c = colour_of(start=start, due=due, percent=percent, done=False, today=today)
    assert (c == "red") == (today > due)


def test_month_helpers():
    assert month_end("2023-02") == date(2023, 2, 28)
    assert validate_month("2024-05", start=date(2024, 5, 20), today=date(2024, 5, 21)) == "2024-05"
    for bad in ("2024-5", "2024-13", "24-05", "2024-05-01"):
        with pytest.raises(WorkflowError, match="YYYY-MM"):
            validate_month(bad, start=None, today=date(2024, 6, 1))
    with pytest.raises(WorkflowError, match="future"):
        validate_month("2024-07", start=None, today=date(2024, 6, 1))
    with pytest.raises(WorkflowError, match="before the task starts"):
        validate_month("2023-12", start=date(2024, 1, 1), today=date(2024, 6, 1))


REPORTER = Actor(1, "reporter", "fgw")
OTHER = Actor(2, "reporter", "kjj")
SUPERVISOR = Actor(3, "supervisor")
TASK = frozenset({"fgw", "gxj"})


def test_reporter_writes_only_for_own_department_on_own_tasks():
    new = ReportState(None, "fgw", TASK)
    check(REPORTER, Action.create, new)
    with pytest.raises(WorkflowError):
        check(OTHER, Action.create, new)  # another department's report
    with pytest.raises(WorkflowError):
        check(OTHER, Action.create, ReportState(None, "kjj", TASK))  # not a task of kjj
    with pytest.raises(WorkflowError):
        check(SUPERVISOR, Action.create, new)


def test_review_rules():
    submitted = ReportState("submitted", "fgw", TASK, submitted_by=1)
    assert allowed_actions(SUPERVISOR, submitted) == [Action.approve, Action.return_]
    assert allowed_actions(REPORTER, submitted) == []
    with pytest.raises(WorkflowError, match="comment"):
        check(SUPERVISOR, Action.return_, submitted, comment="  ")
    # a supervisor who submitted the report cannot review it
    with pytest.raises(WorkflowError, match="submitted"):
        check(Actor(1, "admin"), Action.approve, submitted)
    for status in ("draft", "returned", "approved"):
        with pytest.raises(WorkflowError) as exc:
            check(SUPERVISOR, Action.approve, ReportState(status, "fgw", TASK))
        assert exc.value.status == 409


def test_transitions():
    assert next_status(Action.create, None) == "draft"
    assert next_status(Action.submit, "returned") == "submitted"
    assert next_status(Action.edit, "returned") == "returned"
    assert next_status(Action.return_, "submitted") == "returned"
    assert allowed_actions(REPORTER, ReportState("returned", "fgw", TASK)) == [Action.edit,
                                                                                 Action.submit]
    assert allowed_actions(REPORTER, ReportState("approved", "fgw", TASK)) == []


def _t(node_id, dept, colour, done=False, reported=False, due=date(2024, 12, 31), finished=None):
    return TaskSnapshot(node_id, f"T{node_id}", f"task {node_id}", dept, due, colour, done,
                        finished, reported)


def test_scores_by_hand():
    tasks = [_t(1, "a", "green", reported=True), _t(2, "a", "red", due=date(2024, 5, 22)),
             _t(3, "b", "green", done=True, finished=date(2024, 5, 3)),
             _t(4, "b", "yellow", reported=True)]
    reviews = [ReviewEvent(3, "T3", "", "b", "approved", date(2024, 5, 3), 100),
               ReviewEvent(4, "T4", "", "b", "returned", date(2024, 5, 9), 50, "more"),
               ReviewEvent(1, "T1", "", "a", "approved", date(2024, 5, 9), 40)]
    a, b = sorted(score_departments("2024-05", tasks, reviews), key=lambda d: d.department)
    # a: reporting 1/2, approval 1/1, on time 1/2, 9 days overdue over 2 tasks, no reminder
    # -> 100 * (0.3*0.5 + 0.2*1 + 0.3*0.5 + 0.1*(1 - 9/180) + 0.1*1) = 69.5
    assert (a.reporting, a.approval, a.on_time, a.overdue, a.score) == (0.5, 1.0, 0.5, 0.95, 69.5)
    # b: reporting 1/1 (task 4 open and reported), approval 1/2, on time 2/2 -> 100*(.3+.1+.3+.2)
    assert (b.reporting, b.approval, b.on_time, b.score) == (1.0, 0.5, 1.0, 90.0)
    assert (b.rank, a.rank) == (1, 2)


def test_no_part_is_left_out_and_silence_scores_nothing():
    """The issue-9 bug: a department that never reported outscored one that did, because its
    missing approval rate was left out and the other weights scaled up."""
    reported = _t(1, "a", "red", reported=True, due=date(2024, 3, 1))
    silent = _t(2, "b", "green", due=date(2030, 1, 1))
    reviews = [ReviewEvent(1, "T1", "", "a", "returned", date(2024, 5, 9), 10, "more")]
    a, b = score_departments("2024-05", [reported, silent], reviews)
    assert (a.department, a.silent, b.department, b.silent) == ("a", False, "b", True)
    assert b.score == 0.0 and b.rank == 2
    assert a.approval == 0.0  # returned only: nothing approved, not "left out"


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 4),
                          st.integers(0, 4), st.integers(0, 400), st.integers(0, 9)),
                min_size=2, max_size=6),
       st.dictionaries(st.sampled_from(PARTS), st.floats(0, 5), min_size=1))
def test_a_department_that_does_not_report_never_ranks_above_one_that_does(rows, weights):
    if sum(weights.values()) <= 0:
        return
    rule = ScoreRule(weights)
    records = []
    for i, (tasks, reported, approved, returned, overdue, reminders) in enumerate(rows):
        tasks = tasks + 1
        records.append(DepartmentRecord(f"d{i}", tasks=tasks, owed=tasks,
                                        reported=min(reported, tasks), approved=approved,
                                        returned=returned, late=min(1, overdue),
                                        overdue_days=overdue, reminders=reminders))
    ranked = rule.rank(records)
    assert all(0 <= d.score <= 100 for d in ranked)
    for x in ranked:
        for y in ranked:
            if x.silent and not y.silent:
                assert x.score <= y.score and x.rank > y.rank


def test_score_rule_refuses_nonsense_weights():
    for weights in ({"speed": 1}, {"reporting": -1}, {"reporting": 0}):
        with pytest.raises(ScoreRuleError):
            ScoreRule(weights)


def test_late_finish_is_not_on_time():
    (d,) = score_departments("2025-01", [_t(1, "a", "green", done=True, due=date(2024, 12, 31),
                                           finished=date(2025, 1, 5))], [])
    assert d.on_time == 0.0


def test_bulletin_lists():
    tasks = [_t(1, "a", "red"), _t(2, "b", "green", done=True, finished=date(2024, 5, 3))]
    reviews = [ReviewEvent(2, "T2", "task 2", "b", "approved", date(2024, 5, 3), 100),
               ReviewEvent(1, "T1", "task 1", "a", "returned", date(2024, 5, 4), 20, "why")]
    b = build_bulletin("2024-05", tasks, reviews)
    assert [i.code for i in b.finished] == ["T2"]
    assert [i.code for i in b.late] == ["T1"]
    assert [(i.code, i.comment) for i in b.returned] == [("T1", "why")]
    assert b.as_dict()["month"] == "2024-05"


ROLES = ("admin", "supervisor", "analyst", "reporter", "viewer")
DEPTS = ("fgw", "kjj", "gxj")


@given(st.sampled_from(ROLES), st.sampled_from((None, *DEPTS)), st.integers(1, 3),
       st.sampled_from((None, "draft", "submitted", "returned", "approved")),
       st.sampled_from(DEPTS), st.frozensets(st.sampled_from(DEPTS), min_size=1),
       st.sampled_from((None, 1, 2, 3)))
def test_workflow_invariants(role, dept, uid, status, report_dept, task_depts, submitter):
    actor = Actor(uid, role, dept)
    state = ReportState(status, report_dept, task_depts, submitter)
    allowed = set(allowed_actions(actor, state))
    writes = {Action.create, Action.edit, Action.submit}
    reviews = {Action.approve, Action.return_}
    if allowed & writes:  # only a reporter of the report's department, on a task of it
        assert role == "reporter" and dept == report_dept and report_dept in task_depts
    if allowed & reviews:  # only reviewers, never their own report, only submitted ones
        assert role in ("supervisor", "admin") and submitter != uid and status == "submitted"
    assert not (allowed & writes and allowed & reviews)
    if status in ("submitted", "approved"):
        assert not allowed & {Action.edit, Action.submit, Action.create}
