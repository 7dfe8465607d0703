"""The overview as a workbook: one sheet of units (each over its subtree), one of officials.

Laid out like the ledger's export (grassroots/ledger/excel.py): a bold header row, fixed
column widths, frozen header and a filter.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .figures import KINDS

STATUS_LABELS = {"ok": "达标", "pending": "本期进行中", "short": "未达标"}


def _sheet(ws, columns):
    ws.append([h for h, _w in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, (_h, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width


def _finish(ws):
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions


def _units(ws, rows):
    columns = [
        ("单位", 24),
        *((f"{k.label}（次）", 9) for k in KINDS),
        ("活动合计", 9),
        ("干部人数", 9),
        ("逾期未下基层（人）", 11),
        ("接访日达标（人）", 10),
        ("接访日进行中（人）", 10),
        ("接访日未达标（人）", 10),
        ("包案数", 8),
        ("包案已办结", 10),
        ("包案已答复", 10),
        ("包案满意", 9),
        ("包案不满意", 10),
        ("到期任务", 9),
        ("按期完成", 9),
        ("逾期完成", 9),
        ("逾期未完成", 10),
        ("待验收", 8),
    ]
    _sheet(ws, columns)
    for r in rows:
        ws.append(
            [
                f"{r.unit.name}（合计）" if r.is_total else r.unit.name,
                *r.kinds,
                r.total,
                r.officials,
                r.past_limit,
                r.reception["ok"],
                r.reception["pending"],
                r.reception["short"],
                r.cases.owned,
                r.cases.closed,
                r.cases.replied,
                r.cases.satisfied,
                r.cases.unsatisfied,
                r.tasks.due,
                r.tasks.on_time,
                r.tasks.late,
                r.tasks.overdue,
                r.tasks.awaiting,
            ]
        )
    _finish(ws)


def _officials(ws, rows, limit):
    columns = [
        ("姓名", 12),
        ("任职", 30),
        *((f"{k.label}（次）", 9) for k in KINDS),
        ("活动合计", 9),
        ("最近一次下基层", 14),
        ("距今天数", 9),
        (f"超过 {limit} 天未下基层", 12),
        ("接访日规定", 16),
        ("接访日情况", 12),
        ("包案数", 8),
        ("包案已办结", 10),
        ("到期任务", 9),
        ("按期完成", 9),
        ("逾期（含未完成）", 12),
    ]
    _sheet(ws, columns)
    for n, r in enumerate(rows, start=2):
        ws.append(
            [
                str(r.user),
                "；".join(f"{m.unit.name}{m.post or m.get_role_display()}" for m in r.posts),
                *r.kinds,
                r.total,
                r.last,
                r.days if r.days is not None else "从未",
                "是" if r.past_limit else "否",
                r.reception["rule"] if r.reception else "无要求",
                STATUS_LABELS[r.reception["status"]] if r.reception else "",
                r.cases.owned,
                r.cases.closed,
                r.tasks.due,
                r.tasks.on_time,
                r.tasks.behind,
            ]
        )
        ws.cell(row=n, column=3 + len(KINDS) + 1).number_format = "yyyy-mm-dd"
    _finish(ws)


def export_xlsx(period, end, unit_rows, official_rows, limit) -> bytes:
    wb = Workbook()
    units = wb.active
    units.title = "单位汇总"
    _units(units, unit_rows)
    _officials(wb.create_sheet("干部明细"), official_rows, limit)
    info = wb.create_sheet("说明")
    info.append(["统计期间", f"{period.label}（{period.start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"])
    info.append(["说明", "单位的数字含其全部下级单位；逾期未下基层、最近一次下基层按导出当天计算。"])
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
