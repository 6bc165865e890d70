"""probe24's rules on small exact examples (no database; the last test an app on SQLite): a JSON
object names each key once, the characters that show nothing are Unicode's
Default_Ignorable_Code_Point and the Braille blank, a parameter is single-valued unless its
route declares a list, and a body refused by its size is logged."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Annotated

import pytest

import lantu
from lantu.domain.errors import ValidationError
from lantu.domain.gate import invisible_problem, label_problem
from lantu.domain.indicators import Indicator
from lantu.domain.plans import Department, PlanNode
from lantu.domain.regions import RegionGroup
from lantu.store.users import check_email, username_problem
from lantu.web.api_schemas import DuplicateKey, json_float, json_object
from lantu.web.one_value import takes_many
from webutil import make_client


def _read(text: str):
    return json.loads(text, parse_float=json_float, object_pairs_hook=json_object)


def test_a_key_given_twice_is_named_also_when_written_otherwise():
    assert _read('{"a": 1, "b": [{"c": 1}, {"c": 2}]}') == {"a": 1, "b": [{"c": 1}, {"c": 2}]}
    for text, key in (('{"a": 1, "a": 1}', "a"), ('{"x": {"k": 1, "\\u006b": 2}}', "k"),
                      ('[{"é": 1, "\\u00e9": 2}]', "é")):
        with pytest.raises(DuplicateKey) as e:
            _read(text)
        assert e.value.key == key


#: DerivedCoreProperties.txt, Default_Ignorable_Code_Point, the code points that are not of
#: category Cf (those are refused by category), one of each range, and the Braille blank
NOT_CF = ["\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180c", "\u180d",
          "\u180f", "\u3164", "\ufe00", "\ufe0f", "\uffa0", "\ufff0", "\U000e0100", "\u2800"]


@pytest.mark.parametrize("ch", NOT_CF)
def test_every_character_that_shows_nothing_is_one_list(ch):
    assert invisible_problem(f"名{ch}字") is not None
    assert label_problem(f"组{ch}名") is not None
    assert username_problem(f"admin{ch}") is not None


def test_names_that_show_what_they_hold_are_taken_held():
    assert invisible_problem("太原都市圈") is None and label_problem("wang xiaoming") is None
    assert username_problem("wang_fgw") is None and username_problem("王小明") is None


def test_an_email_address_is_read_as_written():
    for email in ("a\u200b@fgw.gov.cn", "a\u00ad@fgw.gov.cn", "a\u3164@fgw.gov.cn",
                  "a@fgw\u2066.gov.cn"):
        with pytest.raises(ValidationError):
            check_email(email)
    assert check_email(" 王@例子.中国 ") == "王@例子.中国"


def test_what_takes_many_values():
    assert not takes_many(int) and not takes_many(str | None)
    assert takes_many(list[str]) and takes_many(list[str] | None)
    assert takes_many(Annotated[list[int] | None, "q"])


def test_a_body_refused_as_too_large_is_logged(web_db, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="lantu")
    with make_client(web_db, tmp_path / "home", upload_max_bytes=1000) as client:
        r = client.post("/api/v1/observations", content=b"{" + b" " * 200_000 + b"}",
                        headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    refused = [x for x in caplog.records if getattr(x, "event", None) == "refused"]
    assert refused and refused[-1].reason == "too_large"
    assert refused[-1].path == "/api/v1/observations"


@pytest.mark.parametrize("make", [
    lambda c: Department(code=c, name_zh="部门"),
    lambda c: PlanNode(code=c, title="任务"),
    lambda c: RegionGroup(code=c, name_zh="组", members=("140100", "130100")),
    lambda c: Indicator(code=c, name_zh="指标"),
])
def test_a_code_with_a_final_line_break_is_refused(make):
    """``re.match(r"^…$", "abc\\n")`` matches (``$`` also stands before a final line break):
    probe24 saved a plan as ``p24plan\\n``; every code pattern is asked with ``fullmatch``."""
    make("abc")  # held
    with pytest.raises(ValidationError):
        make("abc\n")


def test_no_anchored_pattern_of_lantu_is_asked_with_match():
    """The class, not the case: a pattern anchored with ``$`` that is asked with ``.match`` on
    a value lets ``value\\n`` through; the codes and tokens are asked with ``fullmatch``."""
    names = ("_CODE", "_GROUP_CODE", "CODE", "STAGED", "PREVIEW", "_TOKEN")
    src = Path(lantu.__file__).parent
    found = [f"{p.relative_to(src)}:{i}" for p in src.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(rf"\b({'|'.join(names)})\.match\(", line)]
    assert not found, found
