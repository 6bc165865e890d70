"""The reasons and notes the eleventh round's fixes write (probe18) are shown in Chinese on the
pages (``lantu.reasons``, templates in ``locale/{en,zh}/probe18.yaml``): the bad inputs are fed
to the readers and every reason they give matches its template, with no English sentence left in
its Chinese. A reason reworded without its template fails here (drift)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from lantu.reasons import match, reason_text

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"


def _workbook(tmp_path, name, fn=None, hidden=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    if hidden:
        ws = wb.create_sheet("数据")
        ws.sheet_state = "hidden"
    ws.append(["region_code", "period", "indicator", "value", "unit"])
    ws.append(["140100", "2022", "gdp", 1234.5, "亿元"])
    b = io.BytesIO()
    wb.save(b)
    data = b.getvalue()
    if fn:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for i in src.infolist():
                body = src.read(i.filename)
                z.writestr(i.filename, fn(i.filename, body.decode()).encode() if i.filename.endswith(".xml") else body)
        data = out.getvalue()
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _reasons(path) -> list[str]:
    from lantu import defaults
    from lantu.ingest.tables import Catalogue, ImportRefused, parse_file
    from test_import import TODAY

    regions, _r = defaults.load_regions()
    cat = Catalogue({r.code: r for r in regions}, {i.code: i for i in defaults.load_indicators()},
                    TODAY, defaults.load_indicator_aliases())
    with pytest.raises(ImportRefused) as info:
        parse_file(path, cat)
    return [p.reason for p in info.value.problems]


def _parsed(tmp_path, body: str) -> list[str]:
    p = tmp_path / "a.csv"
    p.write_text(body, encoding="utf-8")
    return _reasons(p)


def _bomb(t):
    from test_probe18_files import _sst_bomb

    p = t / "bomb.xlsx"
    p.write_bytes(_sst_bomb(600_000))
    return p


@pytest.fixture(scope="module")
def produced(tmp_path_factory) -> dict[str, str]:
    from lantu.domain.textcodec import Undecodable, decode_text
    from lantu.ingest.textio import embedded_documents_note
    from lantu.store import machine_refused
    from test_probe18_cli import _full_error

    t = tmp_path_factory.mktemp("p18")
    with pytest.raises(Undecodable) as nul:
        decode_text((L + "140100,2022,gdp,1,亿元,,,\n").encode() + b"\0" * 64)
    strict = _workbook(t, "s.xlsx", lambda n, s: s.replace(
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"))
    nan = _workbook(t, "n.xlsx", lambda n, s: s.replace("<v>1234.5</v>", "<v>NaN</v>"))
    twice = _workbook(t, "t.xlsx", lambda n, s: re.sub(r'(<c r="D2"[^>]*><v>1234.5</v></c>)', r"\1\1", s))
    return {
        "rsn.nul_run": nul.value.reason,
        "rsn.cell_unnamed_column": _parsed(t, L.rstrip("\n") + ",\n140100,2022,gdp,1,亿元,,,,9\n")[0],
        "rsn.xlsx_cell_twice": _reasons(twice)[0],
        "rsn.xlsx_not_number": _reasons(nan)[0],
        "rsn.xlsx_strict": _reasons(strict)[0],
        "rsn.xlsx_only_hidden": _reasons(_workbook(t, "h.xlsx", hidden=True))[0],
        "rsn.docx_altchunk": embedded_documents_note(2),
        "rsn.database_unwritable": str(machine_refused(_full_error())),
        "rsn.xlsx_sst_entries": _reasons(_bomb(t))[0],
    }


KEYS = ["rsn.nul_run", "rsn.cell_unnamed_column", "rsn.xlsx_cell_twice", "rsn.xlsx_not_number",
        "rsn.xlsx_strict", "rsn.xlsx_only_hidden", "rsn.docx_altchunk", "rsn.database_unwritable",
        "rsn.xlsx_sst_entries"]


@pytest.mark.parametrize("key", KEYS)
def test_each_new_reason_matches_its_template_and_reads_in_chinese(produced, key):
    reason = produced[key]
    found = match(reason)
    assert found is not None and found[0] == key, (reason, found)
    zh = reason_text("zh", reason)
    rest = zh
    for value in found[1].values():  # a field (a driver's own reason, a sheet's name) as read
        rest = rest.replace(value, "")
    assert CJK.search(zh) and not ENGLISH.search(rest), zh
