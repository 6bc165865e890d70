"""A UTF-8 table cut inside a character is an encoding problem, not GBK (issue 12, class 7).

audit9: the test docs/security.md names for it (``test_hardening_files.py::
test_utf8_cut_inside_a_character_is_an_encoding_problem``) passed with the rule removed: its
file, once cut, is no GBK either, so the reader's last message ("cannot decode … as UTF-8 or
GBK") said "UTF-8" too. The issue's case is a cut file whose bytes *do* read as GBK — every run
of Chinese an even number of bytes — which without the rule was imported as mojibake and
reported as a unit mismatch. (A byte lost in the middle with no Chinese before it, ``…,\xe4人``,
is GBK's ``滗汉`` as much as damaged UTF-8: the bytes cannot tell, and the reader reads GBK.)"""

from __future__ import annotations

import pytest

from lantu import services
from lantu.ingest.tables import ImportRefused

# ASCII but for the unit: 万人 is six bytes in UTF-8, and GBK reads any even run of them
TABLE = "region_code,period,indicator,value,unit\n140100,2022,population,543.5,万人".encode()


@pytest.mark.parametrize("cut", [TABLE[:-2], TABLE[:-2] + b"\n"],
                         ids=["at-the-end", "before-the-line-end"])
def test_utf8_that_gbk_could_read_once_cut_is_refused_as_cut_utf8(db, tmp_path, cut):
    cut.decode("gb18030")  # the premise: the cut bytes are GBK
    services.init_reference(db)
    path = tmp_path / "cut.csv"
    path.write_bytes(cut)
    with pytest.raises(ImportRefused) as info:
        services.import_file(db, path, dry_run=True)
    msg = str(info.value)
    assert "the file is UTF-8 text but" in msg and "unit" not in msg, msg
