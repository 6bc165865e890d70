"""The fourteenth files round (probe25, ``benchmarks/probe25_cases.md``): what fell through in
the readers, each held here (the database and web doors in ``test_probe25_doors.py``):

- a zip part flagged encrypted was a traceback (``RuntimeError``) in ``lantu import``; Deflate64
  was "corrupt: NotImplementedError" (``packages.unreadable_part_problem``);
- a date cell of no number format (``t="d"``, General) was the year 2023: General's ``e``;
- a rich-text superscript run after a figure (a footnote mark) made 5571.17 the figure 5571.171;
- a header cell holding an escape was imported without a word and noted raw to the terminal;
- a UTF-16 file's lone surrogate named a byte, not its line;
- a content control's placeholder was read as content, an embedded OLE object dropped without a
  word, struck-out HTML (``<del>``, ``<s>``, ``line-through``) glued to the figure beside it;
- YAML or JSON nested past libyaml's 1,000 levels was "a bracket … out of place" (exit 1);
- an input name longer than the file system allows was a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hostile import cat, patch_sheet_xml, refused, write  # noqa: F401 - cat is a fixture
from lantu.domain.textcodec import Undecodable, decode_text
from lantu.errors import EXIT_USAGE
from lantu.ingest.tables import ImportRefused
from lantu.ingest.tables_read import read_raw
from lantu.ingest.textio import TextReadError, read_text
from lantu.ingest.yamlio import YamlRefused, read_yaml

L = "region_code,period,indicator,value,unit"
SENTENCE = "2023年全市地区生产总值5571.17亿元。"


def _zip_flags(data: bytes, *, flag: int = 0, method: int | None = None) -> bytes:
    """Every local and central header of a zip with ``flag`` set and its method ``method``."""
    import struct

    b = bytearray(data)
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        i = b.find(sig)
        while i >= 0:
            struct.pack_into("<H", b, i + flag_at, struct.unpack_from("<H", b, i + flag_at)[0] | flag)
            if method is not None:
                struct.pack_into("<H", b, i + method_at, method)
            i = b.find(sig, i + 4)
    return bytes(b)


def _workbook(tmp_path: Path, value=5571.17, name: str = "w.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(L.split(","))
    ws.append(["140100", "2022", "gdp", value, "亿元"])
    p = tmp_path / name
    wb.save(p)
    return p


def _cells(raw) -> list[list[str]]:
    return [list(cells) for _, cells in raw.rows]


@pytest.mark.parametrize("flag, method, said", [
    (1, None, "encrypted .* save it again without a password"),
    (0, 9, "compression method that is not read \\(zip method 9\\)"),
])
def test_a_workbook_whose_parts_cannot_be_unpacked_is_refused_by_name(tmp_path, flag, method, said):
    p = _workbook(tmp_path)
    p.write_bytes(_zip_flags(p.read_bytes(), flag=flag, method=method))
    with pytest.raises(ImportRefused) as info:
        read_raw(p)
    assert re.search(said, str(info.value)), str(info.value)


def test_an_encrypted_docx_is_named_so(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph(SENTENCE)
    buf = io.BytesIO()
    d.save(buf)
    p = tmp_path / "e.docx"
    p.write_bytes(_zip_flags(buf.getvalue(), flag=1))
    with pytest.raises(TextReadError, match="encrypted .* without a password"):
        read_text(p)


def test_a_date_cell_of_no_format_is_not_the_year(tmp_path):
    p = _workbook(tmp_path)
    patch_sheet_xml(p, lambda s: re.sub(r'<c r="B2"[^>]*?(?:/>|>.*?</c>)',
                                        '<c r="B2" t="d"><v>2023-12-31T00:00:00</v></c>', s, count=1))
    period = _cells(read_raw(p))[0][1]
    assert period != "2023" and "2023-12-31" in period, period


def test_a_superscript_run_after_a_figure_is_a_marker_not_a_digit(tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(L.split(","))
    ws.append(["140100", "2022", "gdp", None, "亿元"])
    ws["D2"] = CellRichText(["5571.17", TextBlock(InlineFont(vertAlign="superscript"), "1")])
    p = tmp_path / "r.xlsx"
    wb.save(p)
    assert _cells(read_raw(p))[0][3] == "5571.17¹"


def test_a_plain_rich_text_run_is_read_as_written(tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(L.split(","))
    ws.append(["140100", "2022", "gdp", None, "亿元"])
    ws["D2"] = CellRichText(["55", TextBlock(InlineFont(b=True), "71.17")])
    p = tmp_path / "b.xlsx"
    wb.save(p)
    assert _cells(read_raw(p))[0][3] == "5571.17"


def test_a_header_cell_holding_an_escape_is_refused_by_its_column(tmp_path, cat):  # noqa: F811
    p = write(tmp_path, "h.csv", "region_code,period,indicator,value,unit,excerpt\x1b[8m\n"
                                 "140100,2022,gdp,5571.17,亿元,见表\n")
    (problem,) = refused(p, cat)
    assert problem.column == "excerpt\x1b[8m" and "control character" in problem.reason


def test_a_lone_surrogate_in_utf16_names_its_line():
    data = b"\xff\xfe" + (L + "\n140100,2022,gdp,1,亿元\n140100,2023,gdp,").encode("utf-16-le") \
        + b"\x00\xd8" + "2\n".encode("utf-16-le")
    with pytest.raises(Undecodable) as info:
        decode_text(data)
    assert info.value.line == 3 and "at line 3" in info.value.reason


def _docx(tmp_path: Path, name: str, body: str, extra: dict[str, bytes] | None = None) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("PLACEHOLDER")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                s = data.decode()
                i = s.index("<w:p>") if "<w:p>" in s else s.index("<w:p ")
                data = s.replace(s[i:s.index("</w:p>") + 6], body, 1).encode()
            z.writestr(info.filename, data)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    p = tmp_path / name
    p.write_bytes(out.getvalue())
    return p


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_a_content_control_showing_its_placeholder_is_not_read(tmp_path):
    hint = "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>" + _p("地区生产总值9999亿元") \
        + "</w:sdtContent></w:sdt>"
    inline = ('<w:p><w:r><w:t>总值</w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
              '<w:r><w:t>8888</w:t></w:r></w:sdtContent></w:sdt></w:p>')
    filled = "<w:sdt><w:sdtPr/><w:sdtContent>" + _p(SENTENCE) + "</w:sdtContent></w:sdt>"
    text = read_text(_docx(tmp_path, "c.docx", hint + inline + filled)).text
    assert "9999" not in text and "8888" not in text and "5571.17" in text


def test_an_embedded_ole_object_is_named_in_a_note(tmp_path):
    ole = ('<w:p><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office">'
           '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ObjectID="_1"/></w:object></w:r></w:p>')
    doc = read_text(_docx(tmp_path, "o.docx", _p(SENTENCE) + ole))
    assert any("embeds 1 object (OLE" in n for n in doc.notes), doc.notes
    assert not read_text(_docx(tmp_path, "plain.docx", _p(SENTENCE))).notes


@pytest.mark.parametrize("struck", [
    "<del>9999</del>", "<s>9999</s>", "<strike>9999</strike>",
    '<span style="text-decoration: line-through">9999</span>',
    '<span style="color:red;text-decoration-line:line-through">9999</span>',
    '<ins><del datetime="2024-01-01">9999</del></ins>',
])
def test_struck_out_html_is_not_read(tmp_path, struck):
    p = tmp_path / "s.html"
    p.write_text(f"<html><body><p>2023年全市地区生产总值{struck}5571.17亿元。</p></body></html>",
                 encoding="utf-8")
    text = read_text(p).text
    assert "9999" not in text and "5571.17" in text


def test_underlined_html_is_read(tmp_path):
    p = tmp_path / "u.html"
    p.write_text('<html><body><p>2023年全市地区生产总值<span style="text-decoration: underline">'
                 '5571.17</span>亿元。</p></body></html>', encoding="utf-8")
    assert "5571.17" in read_text(p).text


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "a: " + "{x: " * 2000 + "1" + "}" * 2000])
def test_yaml_nested_past_the_parsers_limit_is_a_usage_error_saying_so(text):
    with pytest.raises(YamlRefused) as info:
        read_yaml(text.encode(), "deep.yaml")
    assert "nests deeper" in str(info.value) and info.value.exit_code == EXIT_USAGE


def test_an_input_name_longer_than_the_file_system_allows_is_named(tmp_path):
    from lantu.cli.common import UnreadableFile, input_file

    with pytest.raises(UnreadableFile, match="longer than the file system allows"):
        input_file(str(tmp_path / ("x" * 300 + ".csv")))
