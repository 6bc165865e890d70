"""A PDF page set in two columns and written line by line across the page is read column by
column (left10files, issue #12's "noticed and left alone"): pypdf follows the content stream,
so ``地区生产总值 一般公共预算收入`` / ``5571.17亿元 500.2亿元`` came out interleaved and the
extractor attached figures to the wrong indicator or found none. The rule is
``lantu.ingest.pdf_columns.column_text`` (a gutter down the page, one run of text a side), fed
by the PDF reader with the pieces pypdf reports and their positions. A page of one column, a
table and a page written column by column read as before.

The PDFs are built here: a Type0 font (Identity-H, each character's code point its CID, a
ToUnicode map), what pypdf reads back as text — no PDF library beyond the one Lantu uses.

Expected answers were written by hand first (/work/notes/left10files-expect.md); each test
failed on main unless its name ends in ``_held``."""

from __future__ import annotations

import zlib

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.textio import read_text

LEFT = "2023年全市地区生产总值5571.17亿元，比上年增长5.2%。全市常住人口543.5万人。"
RIGHT = "全年一般公共预算收入500.2亿元，比上年增长8.1%。社会消费品零售总额2100.3亿元。"
WANT = {"gdp": 5571.17, "gdp_growth": 5.2, "population": 543.5, "budget_revenue": 500.2,
        "budget_revenue_growth": 8.1, "retail_sales": 2100.3}


def _cmap() -> bytes:
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")


def _pdf(lines, size: float = 10.5, width: int = 595, height: int = 842) -> bytes:
    """A one-page PDF writing ``lines`` — (x, y, text) — in this order."""
    ops = [f"BT /F1 {size} Tf {x} {y} Td <{''.join(f'{ord(c):04X}' for c in text)}> Tj ET"
           for x, y, text in lines]
    content, tu = zlib.compress("\n".join(ops).encode()), zlib.compress(_cmap())
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents 4 0 R "
            f"/Resources << /Font << /F1 5 0 R >> >> >>".encode(),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
            b"/FontDescriptor 8 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(tu), tu),
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
            b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"]
    out, offsets = b"%PDF-1.4\n", []
    for k, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)


def _wrap(text: str, n: int = 11) -> list[str]:
    return [text[i:i + n] for i in range(0, len(text), n)]


def _two_columns(*, across: bool = True, heading: str | None = None) -> list:
    left, right, top = _wrap(LEFT), _wrap(RIGHT), 780
    lines = [] if heading is None else [(150, 800, heading)]
    if across:  # line by line across the page, as many converters write it
        for i in range(max(len(left), len(right))):
            lines += [(x, top - 15 * i, col[i]) for x, col in ((56, left), (310, right))
                      if i < len(col)]
    else:
        lines += [(56, top - 15 * i, t) for i, t in enumerate(left)]
        lines += [(310, top - 15 * i, t) for i, t in enumerate(right)]
    return lines


def _read(tmp_path, lines):
    path = tmp_path / "p.pdf"
    path.write_bytes(_pdf(lines))
    text = read_text(path).text
    return text, {r.indicator: r.value for r in extract_text(text, "140100", 2023,
                                                             doc_type="bulletin")}


def test_two_columns_written_across_the_page_are_read_column_by_column(tmp_path):
    text, figures = _read(tmp_path, _two_columns())
    assert text.index("全市常住人口") < text.index("一般公共预算收入")  # the left column first
    assert "总值5571.17亿元" in text and "收入500.2亿元" in text  # wrapped lines joined
    assert figures == WANT


def test_a_heading_across_both_columns_is_read_in_its_place(tmp_path):
    heading = "2023年太原市国民经济和社会发展统计公报"
    text, figures = _read(tmp_path, _two_columns(heading=heading))
    assert text.startswith(heading) and figures == WANT


def test_two_columns_written_column_by_column_have_their_wrapped_lines_joined(tmp_path):
    # pypdf read this order already, but a line wrapped at the column's edge cut the sentence:
    # "收入5" / "00.2亿元" was no figure, nor was anything after a break
    assert _read(tmp_path, _two_columns(across=False))[1] == WANT


def test_one_column_reads_as_before_held(tmp_path):
    lines = [(56, 780 - 15 * i, t) for i, t in enumerate(_wrap(LEFT, 30) + _wrap(RIGHT, 30))]
    text, _ = _read(tmp_path, lines)
    assert text.splitlines() == _wrap(LEFT, 30) + _wrap(RIGHT, 30)


@pytest.mark.parametrize("cells", [4, 3])
def test_a_table_is_not_read_as_columns_held(tmp_path, cells):
    rows = [["指标", "2022年", "2023年", "增长"], ["地区生产总值", "5121.61", "5571.17", "5.2%"],
            ["常住人口", "543.5", "545.4", "0.3%"], ["财政收入", "480.1", "500.2", "8.1%"]]
    lines = [(56 + 130 * j, 780 - 15 * i, row[j]) for i, row in enumerate(rows)
             for j in range(cells)]
    text, _ = _read(tmp_path, lines)
    assert text.splitlines()[1].split() == rows[1][:cells]  # a row stays one line, in order


def test_names_beside_their_figures_are_not_read_as_two_columns_held(tmp_path):
    # a table of two columns — a name, its figure — must keep each pair on its line
    rows = [("全市地区生产总值", "5571.17亿元"), ("全市常住人口", "543.5万人"),
            ("一般公共预算收入", "500.2亿元"), ("社会消费品零售总额", "2100.3亿元"),
            ("规模以上工业增加值", "增长4.1%")]
    lines = [(x, 780 - 15 * i, t) for i, row in enumerate(rows) for x, t in zip((56, 310), row)]
    text, _ = _read(tmp_path, lines)
    assert text.splitlines()[0].split() == ["全市地区生产总值", "5571.17亿元"]


def test_a_heading_inside_a_column_stays_a_line_of_its_own(tmp_path):
    left = ["一、综合", *_wrap(LEFT)]
    right = _wrap(RIGHT)
    lines = [(x, 780 - 15 * i, col[i]) for i in range(max(len(left), len(right)))
             for x, col in ((56, left), (310, right)) if i < len(col)]
    text, figures = _read(tmp_path, lines)
    assert text.splitlines()[0] == "一、综合" and figures == WANT
