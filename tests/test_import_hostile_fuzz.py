"""What a tired analyst or a hostile user feeds the importer — whatever the bytes: the reader reads or refuses with reasons, and hostile files change nothing.
Each file either imports correctly or is refused with its file, row, column and reason, and
nothing is half-written (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import (
    HEADER,
    LONG,
    TODAY,
    _rows,
    patch_sheet_xml,
    refused,
    snapshot,
    values,
    workbook,
    write,
)
from lantu import services
from lantu.ingest import tables_read
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.tabular import write_rows

# -- fuzz: whatever the bytes, the reader refuses cleanly or reads -------------------------------

_CSV_PIECES = st.sampled_from([HEADER, "region_code,period,indicator,value\n", "地区,年份,地区生产总值(亿元)\n",
                               "140100", "太原市", "2022", "2022Q5", "gdp", "5,571.17", "约5", "5.5万",
                               "%", ",", ";", "\t", '"', "\n", "\r", "\ufeff", "\x00", "—", "=1+1",
                               "1e999", "#N/A", "单位：万元\n", "注：x\n", " ", "２０２２"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_CSV_PIECES, max_size=60), raw=st.binary(max_size=64),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_any_csv_is_read_or_refused_with_reasons(tmp_path_factory, cat, pieces, raw, encoding):
    p = tmp_path_factory.mktemp("fuzz") / "f.csv"
    p.write_bytes("".join(pieces).encode(encoding, "replace") + raw)
    try:
        parsed = parse_file(p, cat)
    except ImportRefused as exc:
        assert exc.problems and all(q.file == str(p) and q.reason for q in exc.problems)
    else:
        assert all(o.region_code in cat.regions for o in parsed.observations)


@pytest.fixture(scope="module")
def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    write_rows(wb.active, [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"],
                           ["太原市", "2021", "地区生产总值", "5,121.61", "亿元"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_damaged_xlsx_is_read_or_refused_with_reasons(tmp_path_factory, cat, xlsx_bytes, data):
    b = bytearray(xlsx_bytes)
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        i = data.draw(st.integers(0, len(b) - 1), label="at")
        b[i] = data.draw(st.integers(0, 255), label="byte")
    cut = data.draw(st.integers(len(b) // 2, len(b)), label="cut")
    p = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    p.write_bytes(bytes(b[:cut]))
    try:
        parse_file(p, cat)
    except ImportRefused as exc:
        assert exc.problems and all(q.reason for q in exc.problems)


def test_merged_ranges_huge_or_too_many(tmp_path, cat, monkeypatch):
    p = workbook(tmp_path, "m.xlsx", {"s": [["地区", "年份", "地区生产总值(亿元)"],
                                            ["太原市", 2021, 5121.61], [None, 2022, 5571.17]]})
    patch_sheet_xml(p, lambda x: x.replace(
        "</sheetData>", '</sheetData><mergeCells count="2"><mergeCell ref="A2:A3"/>'
                        '<mergeCell ref="B1:XFD1048576"/></mergeCells>'))
    assert values(parse_file(p, cat)) == {("140100", "2021", "gdp"): 5121.61,
                                          ("140100", "2022", "gdp"): 5571.17}
    monkeypatch.setattr(tables_read, "MAX_MERGED_CELLS", 1)
    assert "merges more than 1 cells" in refused(p, cat)[0].reason


_XML_EDITS = st.sampled_from([
    ("<row r=\"2\"", "<row r=\"2\" hidden=\"1\""), ("<row r=\"3\"", "<row r=\"0\""),
    ("</sheetData>", "</sheetData><mergeCells><mergeCell ref=\"A1:E9\"/></mergeCells>"),
    ("</sheetData>", "<row r=\"9\"><c r=\"D9\"><f>1+</f></c></row></sheetData>"),
    ("</sheetData>", "<row r=\"9\"><c r=\"D9\" t=\"e\"><v>#REF!</v></c></row></sheetData>"),
    ("</sheetData>", "<row r=\"8\"><c r=\"A1048577\"><v>1</v></c></row></sheetData>"),
    ("<c r=\"D2\"", "<c r=\"D2\" t=\"s\""), ("<is><t>", "<is><t>\u200b"), ("<sheetData>", ""),
    ("</worksheet>", ""), ("<c r=\"A2\"", "<c r=\"AAAA2\""), ("t=\"inlineStr\"", "t=\"d\""),
])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_XML_EDITS, min_size=1, max_size=4))
def test_any_odd_sheet_xml_is_read_or_refused_with_reasons(tmp_path_factory, cat, xlsx_bytes,
                                                           edits):
    p = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    p.write_bytes(xlsx_bytes)

    def edit(xml: str) -> str:
        for old, new in edits:
            xml = xml.replace(old, new, 1)
        return xml

    patch_sheet_xml(p, edit)
    try:
        parse_file(p, cat)
    except ImportRefused as exc:
        assert exc.problems and all(q.reason for q in exc.problems)


def test_hostile_files_change_nothing_in_the_database(ref_db, tmp_path):
    """The refusals above happen before any write; through the service, on each backend, the
    database stays exactly as it was."""
    services.import_file(ref_db, write(tmp_path, "good.csv", HEADER + _rows([2021], 5121.61)),
                         today=TODAY)
    before = snapshot(ref_db)
    two = workbook(tmp_path, "two.xlsx", {"a": [LONG, ["140100", 2022, "gdp", 1, "亿元"]],
                                          "b": [LONG, ["140100", 2022, "gdp", 2, "亿元"]]})
    uncached = workbook(tmp_path, "f.xlsx", {"s": [LONG, ["140100", 2022, "gdp", "=1+1", "亿元"]]})
    ole = tmp_path / "enc.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    files = [two, uncached, ole,
             write(tmp_path, "approx.csv", HEADER + _rows([2022], 1) + "140100,2020,gdp,约5500,亿元,,,\n"),
             write(tmp_path, "pct.csv", HEADER + "140100,2022,gdp,3.3%,,,,\n"),
             write(tmp_path, "quote.csv", HEADER + '140100,2022,gdp,1,亿元,,,"open\n'),
             write(tmp_path, "ragged.csv", HEADER + _rows([2022], 1) + "140100,2020,gdp,1,亿元,,,,x\n"),
             write(tmp_path, "joined.csv", HEADER + _rows([2022], 1) + HEADER + _rows([2020], 1))]
    for f in files:
        with pytest.raises(ImportRefused):
            services.import_file(ref_db, f, today=TODAY)
    assert snapshot(ref_db) == before


def test_task_table_and_review_sheet_keep_hostile_text_as_text(tmp_path):
    from lantu.ingest.extract import ExtractedRow
    from lantu.ingest.extract_io import write_review_xlsx
    from lantu.reports.tasks import build_task_workbook

    row = {"no": 1, "title": "=HYPERLINK(\"http://x\")", "text": "+cmd", "lead": "@SUM(1)",
           "supporting": "-1+2", "due": None, "progress": "=1+1", "status": "推进中", "depth": 0,
           "warning": "red", "warning_text": "=1+2"}  # the warning column (left15)
    ws = build_task_workbook({"plan": {"title": "=plan"}, "rows": [row]}).active
    cells = [ws.cell(3, j) for j in range(2, 8)] + [ws.cell(3, 9), ws["A1"]]
    assert ws.cell(3, 9).value == "=1+2"
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]
    path = write_review_xlsx([ExtractedRow("140100", 2022, "gdp", "observed", 1.0, None, "",
                                           "亿元", "=cmd|' /C calc'!A0", 0, 5)],
                             tmp_path / "r.xlsx", source_url="=evil", source_path="x.txt",
                             region_code="140100", year=2022)
    assert b"<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(2, 9).value == "=cmd|' /C calc'!A0" and ws.cell(2, 9).data_type == "s"


def test_percent_formatted_cells_are_read_as_shown(tmp_path, cat):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(LONG)
    ws.append(["140900", 2022, "good_air_days_ratio", 0.814, ""])
    ws.append(["140100", 2022, "gdp_growth", 0.033, "%"])
    ws.append(["140100", 2021, "gdp", 0.5, "亿元"])
    for r in (2, 3, 4):
        ws.cell(r, 4).number_format = "0.0%"
    p = tmp_path / "pct.xlsx"
    wb.save(p)
    (problem,) = refused(p, cat)
    assert problem.row == 4 and problem.value == "50.0%"
    assert problem.reason == "the value says '%' but the unit given is '亿元'"
    ws.delete_rows(4)
    wb.save(p)
    assert values(parse_file(p, cat)) == {("140900", "2022", "good_air_days_ratio"): 81.4,
                                          ("140100", "2022", "gdp_growth"): 3.3}


def test_a_device_named_csv_is_not_read(tmp_path, cat):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    (problem,) = refused(link, cat)
    assert "not a regular file" in problem.reason
