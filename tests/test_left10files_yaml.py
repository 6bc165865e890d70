"""A plan's names and titles written as YAML 1.1's words (left10files, issue #12's "noticed and
left alone"): ``code: yes`` was the code "True", ``code: no`` on the plan fell back to "plan",
``title: null`` and ``title: ~`` were the title "None". The one YAML reader
(``lantu.ingest.yamlio``) keeps how each such scalar was written, and the plan reader takes a
name or title as written — as it takes ``code: 1.10`` (task 1.10, not 1.1).

Expected answers were written by hand first (/work/notes/left10files-expect.md); each test
failed on main unless its name ends in ``_held``."""

from __future__ import annotations

import pytest

from lantu.defaults import plan_from_dict
from lantu.domain import ValidationError
from lantu.ingest.yamlio import read_yaml


def _plan(children: str, head: str = "code: p10\ntitle: 计划\n"):
    doc = read_yaml((head + "children:\n" + children).encode(), "plan.yaml", keep_text=True)
    return plan_from_dict(doc, name="plan.yaml")


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "OFF", "true", "null", "~", "Null", "NULL"])
def test_a_yaml_word_as_a_code_or_title_is_read_as_written(word):
    node = _plan(f"  - code: T1\n    title: {word}\n").children[0]
    assert node.title == word
    if word == "~":  # no code by the plan's code rule: refused naming what was written
        with pytest.raises(ValidationError, match="'~' is not a node code"):
            _plan("  - code: ~\n    title: 任务\n")
    else:
        assert _plan(f"  - code: {word}\n    title: 任务\n").children[0].code == word


def test_the_plans_own_code_and_title_are_read_as_written():
    plan = _plan("  - code: T1\n    title: 任务\n", head="code: no\ntitle: off\n")
    assert (plan.code, plan.title) == ("no", "off")


def test_an_empty_title_is_refused_not_read_as_none():
    with pytest.raises(ValidationError) as info:
        _plan("  - code: T1\n    title:\n")
    assert "None" not in str(info.value)


def test_optional_text_null_means_nothing_and_yes_is_the_word():
    plan = _plan("  - code: T1\n    title: 任务\n    text: null\n"
                 "  - code: T2\n    title: 任务二\n    text: yes\n    title_en: on\n")
    assert plan.children[0].text == ""
    assert (plan.children[1].text, plan.children[1].title_en) == ("yes", "on")


def test_other_yaml_files_keep_their_booleans_and_nulls_held():
    assert read_yaml(b"a: yes\nb: ~\nc: 1.10\n") == {"a": True, "b": None, "c": 1.1}
    doc = read_yaml(b"a: yes\nb: ~\n", keep_text=True)
    assert doc["a"] is True and doc["b"] is None  # what is not a name stays YAML's
