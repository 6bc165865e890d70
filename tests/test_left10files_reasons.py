"""The reasons left10files added, fed to the drift machinery of lantu.reasons (as
tests/test_files9_reasons.py does): each is matched by a template of a locale file and shown
in Chinese with no English sentence left but the values read off it — a reason reworded in the
code without its template fails here. Each test failed on main (the reasons did not exist)."""

from __future__ import annotations

import pytest

from hostile import write
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.reasons import match, reason_text
from test_reasons8_catalogue import CJK, ENGLISH


@pytest.fixture(scope="module")
def produced(cat, tmp_path_factory) -> list[str]:
    tmp = tmp_path_factory.mktemp("left10files")
    said: list[str] = []
    for name, text in [("alone.csv", "region,period,indicator,value\n太原市,2023.1,gdp,1\n"),
                       ("sep.csv", "region,period,indicator,value\n太原市,2023.9,gdp,9\n"
                                   "太原市,2023.1,gdp,10\n")]:
        with pytest.raises(ImportRefused) as info:
            parse_file(write(tmp, name, text), cat)
        said += [p.reason for p in info.value.problems]
    return sorted(set(said))


def test_the_inputs_give_every_new_kind_of_reason(produced):
    keys = {found[0] for r in produced if (found := match(r))}
    assert {"rsn.period_october_alone", "rsn.period_october_beside_september"} <= keys, keys


def test_every_reason_is_shown_in_chinese(produced):
    assert produced and all(match(r) is not None for r in produced), produced
    for r in produced:
        zh = reason_text("zh", r)
        assert CJK.search(zh), (r, zh)
        rest = zh
        for name, v in sorted(match(r)[1].items(), key=lambda nv: len(nv[1]), reverse=True):
            assert not ENGLISH.search(v), (r, name, v)
            rest = rest.replace(v, "")
        assert not ENGLISH.search(rest), (r, zh)
        assert reason_text("en", r) == r
