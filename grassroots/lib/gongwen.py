"""Word documents laid out as official documents (党政机关公文格式, GB/T 9704-2012), for
everything the platform sends upward: research reports now, the monthly 通报 next.

A4 with the standard type area (版心 156 × 225 mm: 37 mm from the top, 28 mm from the left),
body in 3号 仿宋 at 22 lines a page, title in 2号 小标宋, headings 黑体 / 楷体 / 仿宋, black
text (no theme colours), and page numbers "— 1 —" in 4号 under the type area, odd pages right
and even pages left. The fonts are named as government PCs have them (方正小标宋简体,
仿宋_GB2312, 黑体, 楷体_GB2312); a machine without them substitutes its own CJK fonts.
"""

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT}
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小四: tables and captions, where 3号 would not fit
LINE = Pt(225 / 22 * 72 / 25.4)  # 22 lines in the 225 mm of the type area
BLACK = RGBColor(0, 0, 0)
TEXT_WIDTH = Mm(156)


def chinese_date(day: date) -> str:
    """2026年3月2日: dates in official documents, in full, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _fonts(target, east_asian: str, latin: str = LATIN_FONT):
    """Name the fonts of a style or run for Latin and East Asian text (no theme fonts)."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _style(style, east_asian, size, *, bold=False, align=None, indent=False):
    _fonts(style, east_asian)
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = BLACK
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    if align is not None:
        fmt.alignment = align


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(297 - 37 - 225), Mm(210 - 28 - 156)
    section.footer_distance = Mm(28 - 7)  # the page number sits about 7 mm under the type area
    styles = doc.styles
    _style(styles["Normal"], BODY_FONT, BODY_SIZE, indent=True)
    _style(styles["Title"], TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    styles["Title"].paragraph_format.line_spacing = Pt(TITLE_SIZE.pt * 1.5)
    for level, font in HEADING_FONTS.items():
        _style(styles[f"Heading {level}"], font, BODY_SIZE)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        # the default template draws a rule under the title and keeps headings in theme colours
        ppr = styles[name].element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    _style(styles["List Bullet"], BODY_FONT, BODY_SIZE)
    _page_numbers(doc)
    return doc


def _page_number_paragraph(paragraph, align):
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    side = Pt(PAGE_NUMBER_SIZE.pt)  # one character in from the edge of the type area
    fmt.left_indent, fmt.right_indent = (side, Pt(0)) if align == WD_ALIGN_PARAGRAPH.LEFT else (Pt(0), side)
    for text in ("— ", None, " —"):
        run = paragraph.add_run(text or "")
        run.font.size = PAGE_NUMBER_SIZE
        _fonts(run, BODY_FONT)
        if text is None:
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            number = OxmlElement("w:r")
            number_text = OxmlElement("w:t")
            number_text.text = "1"
            number.append(number_text)
            field.append(number)
            run._r.addnext(field)


def _page_numbers(doc):
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number_paragraph(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def title(doc, text: str):
    return doc.add_paragraph(text, style="Title")


def centred_line(doc, text: str):
    """A line under the title (the issuing unit and date), centred, in the body font."""
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    return p


def heading(doc, text: str, level: int = 1):
    return doc.add_paragraph(text, style=f"Heading {level}")


def picture(doc, png: bytes, width=TEXT_WIDTH):
    """A picture on a line of its own: single spacing, or the exact body spacing would cut it."""
    doc.add_picture(io.BytesIO(png), width=width)
    p = doc.paragraphs[-1]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return p


def table(doc, header, rows, widths=None):
    """A bordered table in 小四 with a bold header row, repeated on every page it spans."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True)
    trpr = t.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for row in rows:
        for cell, text in zip(t.add_row().cells, row, strict=True):
            _cell_text(cell, str(text))
    if widths:
        for row in t.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
    return t


def _cell_text(cell, text: str, bold=False):
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = p.add_run(text)
    run.bold = bold
    run.font.size = TABLE_SIZE


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
