"""The eleventh round (probe18), texts: a .docx's embedded document (``w:altChunk``: HTML, RTF
or .docx pasted in, shown by Word inline) was dropped without a word; it is now named in a note
(``textio.embedded_documents_note``), as a PDF's page without text is. Failed before."""

from __future__ import annotations

import io
import zipfile

import docx

from lantu.ingest.textio import read_text

REL = ('<Relationship Id="rIdAC" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships/aFChunk" Target="chunk.html"/>')


def _docx(tmp_path, chunk: bool):
    d = docx.Document()
    d.add_paragraph("2023年全市地区生产总值5571.17亿元。")
    b = io.BytesIO()
    d.save(b)
    src = zipfile.ZipFile(io.BytesIO(b.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if not info.filename.endswith((".xml", ".rels")):
                z.writestr(info.filename, body)
                continue
            body = body.decode()
            if chunk and info.filename == "word/document.xml":
                body = body.replace("<w:sectPr", '<w:altChunk xmlns:r="http://schemas.openxmlformats.org/'
                                    'officeDocument/2006/relationships" r:id="rIdAC"/><w:sectPr', 1)
            if chunk and info.filename == "[Content_Types].xml":
                body = body.replace("</Types>", '<Default Extension="html" ContentType="text/html"/></Types>')
            if chunk and info.filename == "word/_rels/document.xml.rels":
                body = body.replace("</Relationships>", REL + "</Relationships>")
            z.writestr(info.filename, body)
        if chunk:
            z.writestr("word/chunk.html", "<html><body><p>一般公共预算收入9999亿元。</p></body></html>")
    p = tmp_path / "x.docx"
    p.write_bytes(out.getvalue())
    return p


def test_an_embedded_document_is_named_in_a_note(tmp_path):
    doc = read_text(_docx(tmp_path, chunk=True))
    assert "5571.17" in doc.text and "9999" not in doc.text
    assert any("embeds 1 other document (w:altChunk" in n for n in doc.notes), doc.notes


def test_a_docx_without_one_has_no_note_held(tmp_path):
    assert read_text(_docx(tmp_path, chunk=False)).notes == ()
