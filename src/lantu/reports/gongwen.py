"""A Word document laid out after GB/T 9704-2012 (党政机关公文格式), with python-docx.

What the standard asks and what :class:`GongwenDocument` does:

- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm).
- 22 lines a page: body lines at an exact pitch of 28.95 pt (225 mm / 22).
- Title in 2号 (22 pt) 小标宋, centred; the addressee (主送机关) flush left below one blank line.
- Body in 3号 (16 pt) 仿宋_GB2312, first line indented two characters; first-level headings
  ``一、`` in 黑体, second-level ``（一）`` in 楷体, third-level ``1.`` in 仿宋 bold.
- Page numbers in 4号 (14 pt) half-width 宋体 Arabic numerals with a dash on each side
  (``— 1 —``), 7 mm below the text block; right-aligned on odd pages, left on even ones, one
  character in from the edge.
- East-Asian faces are set through ``w:rFonts/@w:eastAsia`` on every run (python-docx's
  ``font.name`` only sets the Latin slots), Latin letters and digits in Times New Roman.

Examples
--------
>>> from lantu.reports.fonts import FontSet
>>> doc = GongwenDocument(FontSet.standard())
>>> _ = doc.title("关于某事的报告")
>>> _ = doc.paragraph("正文。")
>>> len(doc.to_bytes()) > 1000
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from lantu.reports.fonts import Face, FontSet
from lantu.tabular import xml_safe

#: Chinese font sizes (字号) in points.
SIZES = {"初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
         "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0}

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_PITCH = Pt(28.95)  # 225 mm text block / 22 lines
BODY_PT = SIZES["三号"]
TABLE_PT = SIZES["五号"]

_CN_DIGITS = "零一二三四五六七八九"


def set_outline_level(p: Paragraph, level: int) -> Paragraph:
    """Give a paragraph an outline level (0 = level 1): Word's navigation pane and a TOC field
    (``TOC \\o "1-3" \\u``) see it as a heading without a built-in heading style."""
    ppr = p._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.insert_element_before(el, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    return p


_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_RE = re.compile(rf"(?<={_CJK})\s*([,;:?!])\s*|\s*([,;:?!])\s*(?={_CJK})")
_PAIR_RE = re.compile(r"\s*\(([^()]*)\)")


def fullwidth(text: str) -> str:
    """ASCII punctuation next to Chinese characters as full-width (Chinese prose), and a pair
    of parentheses around or after Chinese text; numbers, URLs and Latin text keep theirs.

    Examples
    --------
    >>> fullwidth("补链强链延链,全力推进项目建设;率先形成(试点)")
    '补链强链延链，全力推进项目建设；率先形成（试点）'
    >>> fullwidth("GDP 5,571.17 亿元 (2022), see https://a.b/c,d (p. 3)")
    'GDP 5,571.17 亿元（2022），see https://a.b/c,d (p. 3)'
    """
    def pair(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        if re.search(_CJK, m.group(1)) or (before and re.match(_CJK, before)):
            return f"（{m.group(1)}）"
        return m.group(0)

    text = _PAIR_RE.sub(pair, text)
    return _HALF_RE.sub(lambda m: _HALF[m.group(1) or m.group(2)], text)


#: A year (column) cell: ``2022``, ``2022年``, ``2021–2023``, ``2023-06``; kept on one line.
_YEARISH = re.compile(r"^\d{4}(?:年|[-–—]\d{2,4}(?:年)?)?$")
#: A year with its 年 or a note's bracket: a word joiner keeps them together in Word.
_YEAR_NOTE = re.compile(r"(\d{4})(年)")


def _no_wrap(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if tcpr.find(qn("w:noWrap")) is None:
        el = OxmlElement("w:noWrap")
        tcpr.insert_element_before(el, "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                                   "w:cellDel", "w:cellMerge", "w:tcPrChange")


def cn_numeral(n: int) -> str:
    """Chinese numeral for 1–99 as used in headings: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一.

    Examples
    --------
    >>> [cn_numeral(i) for i in (1, 10, 12, 20, 35)]
    ['一', '十', '十二', '二十', '三十五']
    """
    if not 1 <= n <= 99:
        raise ValueError(f"cn_numeral: expected 1–99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def cn_date(d: date) -> str:
    """``2024年3月1日``: the date style of GB/T 9704 (Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def set_run_font(run, face: Face | str, size_pt: float, *, latin: str = "Times New Roman",
                 bold: bool = False, color: str | None = None) -> None:
    """Set a run's faces (East-Asian and Latin), size and weight.

    The East-Asian face goes into ``w:rFonts/@w:eastAsia`` with ``w:hint="eastAsia"`` so that
    full-width punctuation also uses it.
    """
    name = face.name if isinstance(face, Face) else face
    run.font.name = latin
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def shade_cell(cell, fill_hex: str) -> None:
    """Fill a table cell with a solid colour (``w:shd``), e.g. ``"FFC7CE"``."""
    tcpr = cell._element.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill_hex)
    tcpr.append(shd)


def cell_fill(cell) -> str | None:
    """The fill colour of a cell, or ``None`` (the inverse of :func:`shade_cell`, for tests)."""
    shd = cell._element.tcPr.find(qn("w:shd")) if cell._element.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed layout with the given column widths in the grid, the table and every cell (Word
    reads the cells, LibreOffice the grid)."""
    table.autofit = False
    tbl = table._tbl
    tblpr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(int(Mm(w).twips) for w in widths_mm)))
    for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str, style) -> None:
    """A complex field (``w:fldChar`` begin/separate/end) such as ``PAGE``."""
    def run_with(el):
        r = paragraph.add_run()
        style(r)
        r._element.append(el)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    r = paragraph.add_run(placeholder)
    style(r)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


#: The most characters python-docx writes into one core property (title, subject, comments …).
CORE_PROPERTY_MAX = 255


class GongwenDocument:
    """A document with the page, faces and paragraph kinds of GB/T 9704.

    Parameters
    ----------
    fonts
        The faces to use (see :func:`lantu.reports.fonts.find_fonts`).
    landscape
        Turn the page (for wide tables); the margins keep their sides.
    """

    def __init__(self, fonts: FontSet, *, landscape: bool = False) -> None:
        self.fonts = fonts
        self.doc = Document()
        self._setup_page(landscape)
        self._setup_styles()
        self._setup_page_numbers()
        self._table_count = 0
        self._figure_count = 0

    # -- set-up ---------------------------------------------------------------------------------

    def _setup_page(self, landscape: bool) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        if landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Mm(297), Mm(210)
        sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        sec.header_distance = Mm(15)
        # the number sits 7 mm below the text block: 35 mm − 7 mm − one 14 pt line ≈ 23 mm
        sec.footer_distance = Mm(23)

    def _setup_styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name = self.fonts.latin
        normal.font.size = Pt(BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), self.fonts.body.name)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE_PITCH
        pf.space_before = pf.space_after = Pt(0)
        pf.widow_control = False

    def _setup_page_numbers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        sec = self.doc.sections[0]
        for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.alignment = align
            pf = p.paragraph_format
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            one_char = Pt(SIZES["四号"])
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                pf.right_indent = one_char
            else:
                pf.left_indent = one_char
            face = self.fonts.page_number

            def style(r, face=face):
                set_run_font(r, face, SIZES["四号"], latin=face.name)

            r = p.add_run("— ")
            style(r)
            _add_field(p, "PAGE", "1", style)
            r = p.add_run(" —")
            style(r)

    # -- paragraph kinds -------------------------------------------------------------------------

    def _para(self, text: str, face: Face, size: float, *, bold: bool = False,
              align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars: float = 2.0,
              keep_with_next: bool = False) -> Paragraph:
        p = self.doc.add_paragraph()
        p.alignment = align
        if first_line_chars:
            p.paragraph_format.first_line_indent = Pt(size * first_line_chars)
        p.paragraph_format.keep_with_next = keep_with_next
        if text:
            set_run_font(p.add_run(xml_safe(text)), face, size, latin=self.fonts.latin,
                         bold=bold)
        return p

    def title(self, text: str) -> Paragraph:
        """The title: 2号 小标宋, centred, lines at 35 pt; ``\\n`` breaks lines. A substitute
        face is set bold: 小标宋 is a heavy Song, a regular Song or Noto Serif looks too light."""
        p = self._para("", self.fonts.title, SIZES["二号"], align=WD_ALIGN_PARAGRAPH.CENTER,
                       first_line_chars=0)
        p.paragraph_format.line_spacing = Pt(35)
        for i, line in enumerate(text.split("\n")):
            r = p.add_run(xml_safe(line))
            set_run_font(r, self.fonts.title, SIZES["二号"], latin=self.fonts.latin,
                         bold=self.fonts.title.is_fallback)
            if i < len(text.split("\n")) - 1:
                r.add_break()
        return p

    def blank(self) -> Paragraph:
        return self.doc.add_paragraph()

    def head(self, title: str, *, subject: str, addressee: str, note: str = "") -> None:
        """The head of a document: its title (also the file's title property, on one line, with
        ``subject``), the ``note`` under it where there is one (a demonstration's), a blank line
        and the 主送机关 (:meth:`addressee`). Every document of Lantu starts so."""
        self.set_properties(title.replace("\n", ""), subject=subject)
        self.title(title)
        if note:
            self.small_note(note)
        self.blank()
        self.addressee(addressee)

    def addressee(self, text: str) -> Paragraph:
        """主送机关: flush left, ending in a full-width colon."""
        text = text if text.endswith("：") else text + "："
        return self._para(text, self.fonts.body, BODY_PT, first_line_chars=0)

    def paragraph(self, text: str, *, bold: bool = False) -> Paragraph:
        """A body paragraph: 3号 仿宋, first line indented two characters; ASCII punctuation
        beside Chinese text made full-width (:func:`fullwidth`)."""
        return self._para(fullwidth(text), self.fonts.body, BODY_PT, bold=bold)

    def annex_heading(self, text: str, *, new_page: bool = False) -> Paragraph:
        """``附件``/``附：…`` flush left in 黑体 3号 (an annex after the signature); outline
        level 1. ``new_page``: the annex starts a page (the heading's own "page break before",
        not a break paragraph, which leaves an empty page when the text before fills one)."""
        p = self._para(text, self.fonts.heading1, BODY_PT, first_line_chars=0, keep_with_next=True)
        p.paragraph_format.page_break_before = new_page
        return set_outline_level(p, 0)

    def heading1(self, n: int, text: str) -> Paragraph:
        """``一、…`` in 黑体 3号; outline level 1 (Word's navigation pane, a TOC field)."""
        return set_outline_level(self._para(f"{cn_numeral(n)}、{fullwidth(text)}",
                                            self.fonts.heading1, BODY_PT, keep_with_next=True), 0)

    def heading2(self, n: int, text: str) -> Paragraph:
        """``（一）…`` in 楷体 3号; outline level 2."""
        return set_outline_level(self._para(f"（{cn_numeral(n)}）{fullwidth(text)}",
                                            self.fonts.heading2, BODY_PT, keep_with_next=True), 1)

    def heading3(self, n: int, text: str) -> Paragraph:
        """``1. …`` in 仿宋 3号 bold; outline level 3."""
        return set_outline_level(self._para(f"{n}. {fullwidth(text)}", self.fonts.body, BODY_PT,
                                            bold=True, keep_with_next=True), 2)

    def caption(self, text: str) -> Paragraph:
        """A table or figure title: 黑体 小四, centred, kept with what follows."""
        p = self._para(text, self.fonts.heading1, SIZES["小四"], align=WD_ALIGN_PARAGRAPH.CENTER,
                       first_line_chars=0, keep_with_next=True)
        p.paragraph_format.line_spacing = Pt(22)
        return p

    def small_note(self, text: str) -> Paragraph:
        """A note under a table: 仿宋 五号, single-spaced."""
        p = self._para(text, self.fonts.body, TABLE_PT, first_line_chars=0,
                       align=WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.line_spacing = Pt(16)
        return p

    # -- tables and figures ----------------------------------------------------------------------

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]], *,
              caption: str | None = None, widths_mm: Sequence[float] | None = None,
              fills: dict[tuple[int, int], str] | None = None,
              align: Sequence[str] | None = None) -> Table:
        """A bordered table: header row in 黑体 五号 (repeated on each page), cells in 仿宋 五号.

        Parameters
        ----------
        header, rows
            Column titles and cell values (``None`` becomes ``—``).
        caption
            Shown above as ``表N　caption`` (numbered in order).
        widths_mm
            Column widths; default: the text width shared equally.
        fills
            ``{(row, column): "RRGGBB"}`` cell shading of body rows (0-based, header excluded).
        align
            Per column ``"l"``, ``"c"`` or ``"r"`` (default: left for text, right for numbers).
        """
        if caption:
            self._table_count += 1
            self.caption(f"表{self._table_count}　{caption}")
        ncol = len(header)
        for i, r in enumerate(rows):
            if len(r) != ncol:
                raise ValueError(f"table {caption or ''}: row {i + 1} has {len(r)} cells, "
                                 f"expected {ncol}")
        t = self.doc.add_table(rows=1 + len(rows), cols=ncol)
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        text_width = 156.0
        widths = list(widths_mm) if widths_mm else [text_width / ncol] * ncol
        fills = fills or {}
        _fix_widths(t, widths)
        for cell, h in zip(t.rows[0].cells, header):
            self._cell(cell, str(h), self.fonts.heading1, "c")
        _repeat_header(t.rows[0])
        # one pass over each row's cells: table.cell(i, j) rescans the grid on every call
        for i, (row, r) in enumerate(zip(list(t.rows)[1:], rows)):
            _cant_split(row)
            for j, (cell, v) in enumerate(zip(row.cells, r)):
                a = align[j] if align else ("r" if isinstance(v, (int, float)) else "l")
                text = "—" if v is None or v == "" else str(v)
                self._cell(cell, text, self.fonts.body, a)
                if _YEARISH.match(text):
                    _no_wrap(cell)
                if (i, j) in fills:
                    shade_cell(cell, fills[(i, j)])
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(8)
        return t

    def _cell(self, cell, text: str, face: Face, align: str) -> None:
        text = _YEAR_NOTE.sub("\\1\u2060\\2", text)  # 2022年: no line break inside
        p = cell.paragraphs[0]
        p.alignment = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER,
                       "r": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = Pt(15)
        set_run_font(p.add_run(xml_safe(text)), face, TABLE_PT, latin=self.fonts.latin)

    def figure(self, png: bytes, caption: str, *, width_mm: float = 150) -> None:
        """A centred picture and ``图N　caption`` below it."""
        self._figure_count += 1
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
        c = self.caption(f"图{self._figure_count}　{caption}")
        c.paragraph_format.keep_with_next = False

    def signature(self, issuer: str, when: date) -> None:
        """发文机关署名 and 成文日期, right-aligned four characters in from the edge."""
        self.blank()
        for text in (issuer, cn_date(when)):
            if not text:
                continue
            p = self._para(text, self.fonts.body, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT,
                           first_line_chars=0)
            p.paragraph_format.right_indent = Pt(BODY_PT * 4)

    # -- output ----------------------------------------------------------------------------------

    def set_properties(self, title: str, subject: str = "", author: str = "Lantu",
                       comments: str = "") -> None:
        """Document properties; ``comments`` holds what is about the file, not the text (e.g.
        which faces were substituted), so it stays out of the body. The file format holds 255
        characters a property: a longer text is cut there, ending in "…"."""
        def fit(text: str) -> str:
            return text if len(text) <= CORE_PROPERTY_MAX else text[:CORE_PROPERTY_MAX - 1] + "…"

        cp = self.doc.core_properties
        cp.title, cp.subject, cp.author = fit(title), fit(subject), fit(author)
        if comments:
            cp.comments = fit(comments)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(p)
        return p
