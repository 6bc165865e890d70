"""Readers of .md/.txt/.html/.docx/.pdf, encodings, and clear errors for bad input."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lantu.ingest.textio import TextReadError, decode_bytes, read_text

REPORT = "今年主要预期目标是：地区生产总值增长6.5%左右，城镇新增就业8万人。"


def test_markdown_front_matter_is_removed_and_kept(tmp_path: Path) -> None:
    p = tmp_path / "r.md"
    p.write_text(f"---\nsource: https://example.gov.cn/r.html\ntitle: 政府工作报告\n---\n\n{REPORT}\n", encoding="utf-8")
    doc = read_text(p)
    assert doc.source_url == "https://example.gov.cn/r.html"
    assert doc.title == "政府工作报告"
    assert doc.text.strip() == REPORT
    assert "---" not in doc.text
    assert doc.path == str(p)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "r.txt"
    p.write_bytes(b"\xef\xbb\xbf" + REPORT.replace("，", "，\r\n").encode("utf-8"))
    doc = read_text(p)
    assert not doc.text.startswith("\ufeff")
    assert "\r" not in doc.text
    assert doc.text.replace("\n", "") == REPORT


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_text(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "r.txt"
    p.write_bytes(REPORT.encode(encoding))
    assert read_text(p).text == REPORT


def test_html_drops_script_style_nav(tmp_path: Path) -> None:
    p = tmp_path / "r.html"
    p.write_text(
        "<html><head><title>政府工作报告</title><style>p{color:red}</style>"
        '<link rel="canonical" href="https://www.example.gov.cn/a.html"></head>'
        "<body><nav>首页 | 政务公开</nav><script>var x='增长99%';</script>"
        f"<p>{REPORT}</p><p>第二段</p></body></html>",
        encoding="utf-8",
    )
    doc = read_text(p)
    assert REPORT in doc.text and "第二段" in doc.text
    assert "99%" not in doc.text and "首页" not in doc.text and "color" not in doc.text
    assert doc.title == "政府工作报告"
    assert doc.source_url == "https://www.example.gov.cn/a.html"


def test_html_in_gbk(tmp_path: Path) -> None:
    p = tmp_path / "r.htm"
    p.write_bytes(f"<html><body><p>{REPORT}</p></body></html>".encode("gbk"))
    assert REPORT in read_text(p).text


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("政府工作报告")
    d.add_paragraph(REPORT)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "指标"
    t.cell(0, 1).text = "目标"
    t.cell(1, 0).text = "地区生产总值增速"
    t.cell(1, 1).text = "6.5%左右"
    d.core_properties.title = "2023年政府工作报告"
    p = tmp_path / "r.docx"
    d.save(p)
    doc = read_text(p)
    assert REPORT in doc.text
    assert "地区生产总值增速\t6.5%左右" in doc.text
    assert doc.text.index("政府工作报告") < doc.text.index(REPORT) < doc.text.index("指标")
    assert doc.title == "2023年政府工作报告"


def _text_pdf(path: Path, text: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"pdf.fonttype": 42}):
        fig = plt.figure(figsize=(4, 2))
        fig.text(0.05, 0.5, text)
        fig.savefig(path)
        plt.close(fig)


def _image_pdf(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig = plt.figure(figsize=(2, 2))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(np.arange(100).reshape(10, 10))
    ax.axis("off")
    fig.savefig(path)
    plt.close(fig)


def test_text_pdf(tmp_path: Path) -> None:
    p = tmp_path / "r.pdf"
    _text_pdf(p, "GDP grew 5.2% in 2023")
    assert "GDP grew 5.2% in 2023" in read_text(p).text


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    p = tmp_path / "scan.pdf"
    _image_pdf(p)
    with pytest.raises(TextReadError, match=r"scan\.pdf: the PDF has no text layer.*OCR"):
        read_text(p)


def test_truncated_pdf(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    _text_pdf(good, "GDP grew 5.2%")
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(good.read_bytes()[:300])
    with pytest.raises(TextReadError, match=r"cut\.pdf: "):
        read_text(bad)


def test_pdf_extension_but_not_pdf(tmp_path: Path) -> None:
    p = tmp_path / "fake.pdf"
    p.write_text("hello", encoding="utf-8")
    with pytest.raises(TextReadError, match=r"fake\.pdf: not a PDF"):
        read_text(p)


def test_truncated_docx(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(REPORT)
    good = tmp_path / "good.docx"
    d.save(good)
    bad = tmp_path / "cut.docx"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(TextReadError, match=r"cut\.docx: not a readable \.docx"):
        read_text(bad)


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.docx", "empty.pdf", "empty.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"")
    with pytest.raises(TextReadError, match=re.escape(name) + ": the file is empty"):
        read_text(p)


def test_whitespace_only_and_front_matter_only(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_text(" \n\t\n", encoding="utf-8")
    with pytest.raises(TextReadError, match="empty"):
        read_text(p)
    q = tmp_path / "fm.md"
    q.write_text("---\ntitle: x\n---\n\n", encoding="utf-8")
    with pytest.raises(TextReadError, match="no text after the front matter"):
        read_text(q)


def test_binary_junk(tmp_path: Path) -> None:
    p = tmp_path / "junk.txt"
    p.write_bytes(os.urandom(4096))
    with pytest.raises(TextReadError, match=r"junk\.txt: (binary|not UTF-8)"):
        read_text(p)


def test_control_character_junk_without_nul(tmp_path: Path) -> None:
    p = tmp_path / "ctl.txt"
    p.write_bytes(bytes(range(1, 32)) * 100)
    with pytest.raises(TextReadError, match=r"ctl\.txt: binary junk"):
        read_text(p)


def test_unsupported_extension_and_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "r.xls"
    p.write_bytes(b"x")
    with pytest.raises(TextReadError, match=r"r\.xls: unsupported extension '\.xls'"):
        read_text(p)
    with pytest.raises(TextReadError, match=r"nope\.md: no such file"):
        read_text(tmp_path / "nope.md")


def test_ten_megabyte_text(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    block = (REPORT + "\n") * 1000
    n = (10 * 1024 * 1024) // len(block.encode("utf-8")) + 1
    p.write_text(block * n, encoding="utf-8")
    assert p.stat().st_size >= 10 * 1024 * 1024
    doc = read_text(p)
    assert len(doc.text) == len(block) * n


def test_decode_bytes_names_the_source() -> None:
    with pytest.raises(TextReadError, match=r"^memo: the file is empty"):
        decode_bytes(b"", "memo")
