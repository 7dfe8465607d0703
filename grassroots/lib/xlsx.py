"""The one layout of the tables the platform exports to Excel: fit to be printed and sent upward.

A sheet is a title row (what and whose), a line saying who exported it and when, then the table:
a bold header row, thin borders on every cell, fixed column widths, frozen header and a filter.
Printed, it is A4 landscape, as wide as the page, with the header row repeated on every page and
"第 N 页 共 M 页" at the foot. Readers (`header_row`) find the header below the title lines.
"""

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROWS = 2  # the title and the exported-by line above the header
LINE_HEIGHT = 15  # points per line of 11 pt text


def _lines(value, column_width: float) -> int:
    """Lines a wrapped cell needs. Row heights are set here because not every office suite fits
    them to wrapped text when it opens a file (LibreOffice prints the first line only)."""
    text = "" if value is None else str(value)
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if ord(c) > 0x2E80 else 1 for c in part)  # a Chinese character is two wide
        lines += max(1, -(-units // max(int(column_width) - 1, 1)))
    return lines


def write_table(ws, *, title: str, subtitle: str, columns, rows, wrap=(), dates=(), freeze_column="A"):
    """Write `rows` under `columns` ((header, width) pairs) with the title lines above them.

    `wrap` and `dates` are 1-based column numbers whose cells wrap their text or show as dates.
    `freeze_column` is the first column that scrolls ("B" keeps the first column in view).
    """
    width = len(columns)
    last = get_column_letter(width)
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([subtitle])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].alignment = Alignment(horizontal="right")

    header = TITLE_ROWS + 1
    ws.append([h for h, _w in columns])
    for i, (_h, col_width) in enumerate(columns, start=1):
        cell = ws.cell(row=header, column=i)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = col_width

    wrapped = Alignment(wrap_text=True, vertical="top")
    plain = Alignment(vertical="top")
    for row in rows:
        row = list(row)
        ws.append(row)
        for i in range(1, width + 1):
            cell = ws.cell(row=ws.max_row, column=i)
            cell.border = BORDER
            cell.alignment = wrapped if i in wrap else plain
            if i in dates:
                cell.number_format = "yyyy-mm-dd"
        lines = max([_lines(row[i - 1], columns[i - 1][1]) for i in wrap] or [1])
        ws.row_dimensions[ws.max_row].height = LINE_HEIGHT * lines

    ws.freeze_panes = f"{freeze_column}{header + 1}"
    ws.auto_filter.ref = f"A{header}:{last}{max(ws.max_row, header)}"
    _print_setup(ws, header)
    return header


def _print_setup(ws, header: int):
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.print_title_rows = f"{header}:{header}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def header_row(rows, required, look=TITLE_ROWS + 1):
    """The (row number, header cells) of the first of the first `look` rows that holds every name
    in `required`, reading from the `rows` iterator (values), or None."""
    for number, values in enumerate(rows, start=1):
        cells = ["" if v is None else str(v).strip() for v in values]
        if all(name in cells for name in required):
            return number, cells
        if number >= look:
            return None
    return None
