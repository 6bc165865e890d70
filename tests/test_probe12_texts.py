"""The eighth round (files and CLI, probe12): texts for review and ``lantu extract``. A footnote
marker set above the line ran into the figure beside it (``5571.17<sup>1</sup>亿元`` was GDP
5571.171, ``总值<sup>1</sup>5571.17`` 15571.17; a superscript run of a .docx alike), the cells of
an HTML table ran together (``5121.615573.74``), text Word hides (``w:vanish``) and elements a
browser hides were read, and an encrypted PDF was called "truncated or corrupt". Each test
failed on the code before."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from typer.testing import CliRunner

from hostile import text_pdf
from lantu.cli import app
from lantu.ingest.extract import extract_text
from lantu.ingest.textio import TextReadError, read_text

runner = CliRunner()
SENTENCE = "2023年全市地区生产总值{}亿元，比上年增长5.2%。"


def _figures(path) -> dict[str, float]:
    doc = read_text(path)
    return {r.indicator: r.value for r in extract_text(doc.text, "140100", 2023, doc_type="bulletin")}


def _docx(tmp_path, body_xml: str):
    d = docx.Document()
    d.add_paragraph("placeholder")
    path = tmp_path / "t.docx"
    d.save(path)
    src, buf = zipfile.ZipFile(path), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(r"<w:p>.*?placeholder.*?</w:p>", body_xml, data.decode(),
                              flags=re.S).encode()
            out.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


def _run(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


SUP = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'


@pytest.mark.parametrize("runs", [
    [_run("2023年全市地区生产总值5571.17"), _run("1", SUP), _run("亿元，比上年增长5.2%。")],
    [_run("2023年全市地区生产总值"), _run("1", SUP), _run("5571.17亿元，比上年增长5.2%。")],
])
def test_a_superscript_run_beside_a_figure_is_a_marker_not_a_digit(tmp_path, runs):
    path = _docx(tmp_path, "<w:p>" + "".join(runs) + "</w:p>")
    assert "¹" in read_text(path).text
    assert _figures(path)["gdp"] == 5571.17  # was 5571.171 and 15571.17


def test_text_word_hides_is_not_read(tmp_path):
    hidden = _run("2023年全市地区生产总值9999亿元。", "<w:rPr><w:vanish/></w:rPr>")
    shown = _run("常住人口545万人。", '<w:rPr><w:vanish w:val="0"/></w:rPr>')
    path = _docx(tmp_path, "<w:p>" + _run(SENTENCE.format("5571.17")) + "</w:p><w:p>" + hidden
                 + shown + "</w:p>")
    text = read_text(path).text
    assert "9999" not in text and "545" in text  # w:val="0" is not hidden


def test_a_tracked_change_reads_as_accepted(tmp_path):
    body = ("<w:p>" + _run("2023年全市地区生产总值")
            + '<w:del w:id="1" w:author="a"><w:r><w:delText>5000</w:delText></w:r></w:del>'
            + '<w:ins w:id="2" w:author="a">' + _run("5571.17") + "</w:ins>"
            + _run("亿元，比上年增长5.2%。") + "</w:p>")
    assert _figures(_docx(tmp_path, body))["gdp"] == 5571.17  # held before: the neighbour kept


def _html(tmp_path, body: str):
    path = tmp_path / "t.html"
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("body", [
    "<p>2023年全市地区生产总值5571.17<sup>1</sup>亿元，比上年增长5.2%。</p>",
    "<p>2023年全市地区生产总值<sup>1</sup>5571.17亿元，比上年增长5.2%。</p>",
    "<p>2023年全市地区生产总值<sup>[1]</sup>5571.17亿元，比上年增长5.2%。</p>",
    "<p>2023年全市地区生产总值5571.17<sup>注1</sup>亿元，比上年增长5.2%。</p>",
    # what Word and WPS write for a superscript when they save a page
    "<p>2023年全市地区生产总值5571.17<span style='font-size:9pt;vertical-align: super'>1</span>"
    "亿元，比上年增长5.2%。</p>",
])
def test_a_superscript_on_a_page_is_a_marker_not_a_digit(tmp_path, body):
    assert _figures(_html(tmp_path, body))["gdp"] == 5571.17


def test_a_units_power_and_a_subscript_read_as_shown(tmp_path):
    text = read_text(_html(tmp_path, "<p>PM<sub>2.5</sub>浓度35微克/m<sup>3</sup>，SO<sub>2</sub></p>")).text
    assert "m³" in text and "SO2" in text and "PM2.5浓度" in text  # a subscript stays plain


def test_the_cells_of_an_html_table_stay_apart(tmp_path):
    page = ("<table><tr><th>指标</th><th>2022年</th><th>2023年</th></tr>"
            "<tr><td>地区生产总值（亿元）</td><td>5121.61</td><td>5573.74</td></tr></table>")
    text = read_text(_html(tmp_path, page)).text
    assert "5121.615573.74" not in text
    assert "地区生产总值（亿元）\t5121.61\t5573.74" in text


def test_what_a_browser_hides_is_not_read(tmp_path):
    page = ("<p>" + SENTENCE.format("5571.17") + "</p>"
            "<div style='display: none'>地区生产总值9999亿元</div><p hidden>8888</p>"
            "<span style='color:red;visibility:hidden'>7777</span><template>6666</template>")
    text = read_text(_html(tmp_path, page)).text
    assert not any(n in text for n in ("9999", "8888", "7777", "6666")) and "5571.17" in text


def test_a_footnote_marker_in_plain_text_is_not_part_of_the_figure(tmp_path):
    for mark in ("¹", "①"):
        path = tmp_path / "t.txt"
        path.write_text(SENTENCE.format("5571.17" + mark), encoding="utf-8")
        assert _figures(path)["gdp"] == 5571.17  # was not found at all


def _pdf(path, *, user: str | None) -> None:
    text_pdf(path, user=user)


def test_an_encrypted_pdf_is_named_as_such(tmp_path):
    path = tmp_path / "locked.pdf"
    _pdf(path, user="secret")
    with pytest.raises(TextReadError, match="the PDF is encrypted"):
        read_text(path)
    result = runner.invoke(app, ["extract", str(path), "--region", "140100", "--year", "2023"])
    assert result.exit_code != 0 and "encrypted" in result.output
    assert "Traceback" not in result.output


def test_a_pdf_protected_only_against_editing_is_read(tmp_path):
    path = tmp_path / "owner.pdf"
    _pdf(path, user="")
    assert "5571.17" in read_text(path).text  # held before: the neighbour kept


def test_a_run_hidden_or_raised_by_its_character_style_reads_as_shown(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    hidden = d.styles.add_style("藏", WD_STYLE_TYPE.CHARACTER)
    hidden.font.hidden = True
    marker = d.styles.add_style("脚注号", WD_STYLE_TYPE.CHARACTER)
    marker.font.superscript = True
    based = d.styles.add_style("脚注号2", WD_STYLE_TYPE.CHARACTER)
    based.base_style = marker
    p = d.add_paragraph("2023年全市地区生产总值5571.17")
    p.add_run("1", style="脚注号2")
    p.add_run("亿元，比上年增长5.2%。")
    d.add_paragraph().add_run("地区生产总值9999亿元", style="藏")
    path = tmp_path / "styled.docx"
    d.save(path)
    assert "9999" not in read_text(path).text
    assert _figures(path)["gdp"] == 5571.17  # was 5571.171
