"""The ninth round (files and CLI, probe14): a YAML a user brings (a plan for ``lantu plan
load``, a spec, the peer-index framework) is read by one reader, ``lantu.ingest.yamlio.read_yaml``.
What PyYAML takes without a word is refused there, naming line and column:

- aliases that expand beyond ``MAX_NODES`` values (nine levels of nine: ``lantu plan load``
  ran past two minutes and was stopped);
- a key given twice in one mapping (the second ``title`` of a task was loaded, the first lost);
- a day that is none (``due: 2023-13-01`` ended in a traceback);
- a tag Lantu does not read (``!!python/object/apply``: refused, but as "a bracket … out of place").

A plan keeps ``on``/``no``/``yes`` as written (a task titled ``on`` was loaded as ``True``).
The answers were written first (benchmarks/probe14_cases.md, G1–G7); each test failed on the
code before unless its name ends in ``_held``. SQLite and PostgreSQL where a plan is written."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from hostile import snapshot
from lantu.cli import app

runner = CliRunner()
PLAN = ("code: p14\ntitle: 测试规划\nchildren:\n  - code: T1\n    kind: task\n"
        "    title: {title}\n    lead: fgw\n    due: {due}\n")


def _flat(text: str) -> str:
    """Without blanks and line ends (the console wraps long paths anywhere)."""
    return "".join(text.split())


def _load(db, tmp_path, text: str):
    url = db.engine.url.render_as_string(hide_password=False)
    runner.invoke(app, ["init", "--db", url])
    p = tmp_path / "plan.yaml"
    p.write_text(text, encoding="utf-8")
    before = snapshot(db)
    res = runner.invoke(app, ["plan", "load", str(p), "--db", url])
    return res, "".join(res.output.split()), before, "".join(str(p).split())


def test_aliases_that_expand_beyond_the_limit_are_refused_at_once(db, tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join(f"*a{i - 1}" for _ in range(9)) + "]" for i in range(1, 9)]
    t = time.monotonic()
    res, said, before, name = _load(db, tmp_path, "\n".join(lines) + "\n"
                                    + PLAN.format(title="*a8", due="2026-12-31"))
    assert time.monotonic() - t < 30  # was: still running after 120 s
    # a file that cannot be used as a whole (no line named) exits 2 (probe16; it was 1)
    assert res.exit_code == 2 and "Traceback" not in said
    assert _flat(f"{name}: its aliases (&name, *name) expand it to more than 200,000 values") in said
    assert snapshot(db) == before


def test_a_recursive_alias_is_refused():
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    with pytest.raises(YamlRefused, match="expand it to more than"):
        read_yaml(b"a: &a [1, *a]\n", "r.yaml")


def test_a_few_aliases_and_merge_keys_are_read_held():
    from lantu.ingest.yamlio import read_yaml

    assert read_yaml(b"a: &x [1, 2]\nb: *x\nc: {<<: {d: 1}, e: 2}\n") == {
        "a": [1, 2], "b": [1, 2], "c": {"d": 1, "e": 2}}


def test_a_key_given_twice_is_refused_naming_both_lines(db, tmp_path):
    res, said, before, name = _load(db, tmp_path, PLAN.format(title="一\n    title: 二",
                                                              due="2026-12-31"))
    assert res.exit_code == 1, res.output
    assert _flat(f"{name}: line 7, column 5: the key 'title' is given twice in one mapping "
                 "(line 6 and here)") in said
    assert snapshot(db) == before


def test_a_spec_with_a_key_given_twice_is_refused():
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    with pytest.raises(YamlRefused) as info:
        read_yaml(b"weights:\n  a: 0.5\n  a: 0.7\n", "spec.yaml")
    assert str(info.value).startswith("spec.yaml: line 3, column 3: the key 'a' is given twice")


def test_a_day_that_is_none_is_refused_naming_the_file_and_field(db, tmp_path):
    res, said, before, name = _load(db, tmp_path, PLAN.format(title="一", due="2023-13-01"))
    assert res.exit_code == 1 and "Traceback" not in said, res.output  # was: a traceback
    assert _flat(f"{name}: T1.due: '2023-13-01' is not a date") in said
    assert snapshot(db) == before


def test_a_day_that_is_none_in_a_spec_is_refused_naming_line_and_column():
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    with pytest.raises(YamlRefused) as info:
        read_yaml(b"name: x\nwhen: 2023-02-30\n", "s.yaml")
    assert str(info.value) == "s.yaml: line 2, column 7: '2023-02-30' is no day of the calendar"


def test_a_python_tag_is_named_as_a_tag_and_nothing_runs(db, tmp_path):
    mark = tmp_path / "ran"
    res, said, before, name = _load(db, tmp_path, PLAN.format(
        title=f'!!python/object/apply:os.system ["touch {mark}"]', due="2026-12-31"))
    assert res.exit_code == 1 and not mark.exists()
    assert _flat(f"{name}: line 6, column 12: the tag !!python/object/apply:os.system is not read") in said
    assert snapshot(db) == before


@pytest.mark.parametrize("word", ["on", "no", "yes", "off", "true"])
def test_a_plan_keeps_yaml_booleans_as_the_words_written(db, tmp_path, word):
    res, said, _, _ = _load(db, tmp_path, PLAN.format(title=word, due="2026-12-31"))
    assert res.exit_code == 0, res.output
    from lantu.store import repo

    with db.session() as s:
        plan = repo.load_plan(s, "p14")
    assert [(n.code, n.title) for _, n in plan.walk()] == [("T1", word)]  # was: 'True'/'False'
