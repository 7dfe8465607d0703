"""The ledger as units keep it in Excel: one row per problem, the columns below.

`export_xlsx` writes the visible problems, each with its number (问题编号), in the layout of
`lib.xlsx`; `read_xlsx` reads a workbook in the same layout (a sheet without the title lines
too) and checks every row, returning the good rows and a Chinese reason for each bad one.
What a good row does to the ledger (add, change, nothing) is `importing.plan`'s to decide.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from grassroots.lib import xlsx
from grassroots.lib.gongwen import chinese_date

from .models import DESCRIPTION_MAX_CHARS, OVERDUE_LABEL, Domain, Source, Status

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# header, column width
COLUMNS = [
    ("序号", 6),
    ("问题编号", 9),
    ("问题来源", 14),
    ("领域", 8),
    ("属地", 14),
    ("问题描述", 40),
    ("整改措施", 40),
    ("责任单位", 16),
    ("责任领导", 10),
    ("整改时限", 12),
    ("进展(%)", 9),
    ("状态", 13),
    ("验收情况", 24),
    ("销号时间", 12),
]
REQUIRED_HEADERS = ["问题描述", "责任单位", "整改时限"]


class ImportRejected(ValueError):
    """The file as a whole cannot be read; the message is shown as it is."""


# --- export ---------------------------------------------------------------------------------


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def export_xlsx(problems, *, unit_names: str, exported_by: str) -> bytes:
    problems = list(problems)
    rows = (
        [
            n,
            p.pk,
            p.get_source_display(),
            p.get_domain_display(),
            p.place.name if p.place else "",
            p.description,
            p.measures,
            p.responsible_unit.name,
            str(p.responsible_leader) if p.responsible_leader else "",
            p.deadline,
            p.progress,
            p.status_label,
            p.acceptance_summary,
            _local_date(p.closed_at),
        ]
        for n, p in enumerate(problems, start=1)
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    today = timezone.localdate()
    xlsx.write_table(
        ws,
        title=f"{unit_names}问题清单（整改台账）",
        subtitle=f"导出：{exported_by}　　导出日期：{chinese_date(today)}　　共 {len(problems)} 项",
        columns=COLUMNS,
        rows=rows,
        wrap=(6, 7, 13),
        dates=(10, 14),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    good: list = field(default_factory=list)  # (row number, fields for actions.import_rows)
    bad: list = field(default_factory=list)  # (row number, [reasons])


class Lookup:
    """Names in the sheet → objects, within what the importing user may use; numbers → the
    problems the user may see (`problems`: a function of a set of numbers → {number: problem})."""

    def __init__(self, units, places, users, problems):
        self.problems = problems
        self.units = self._by_name(units)
        self.places = self._by_name(places)
        self.users = {}
        for u in users:
            for name in {str(u), u.username}:
                self.users.setdefault(name, []).append(u)

    @staticmethod
    def _by_name(units):
        by_name = {}
        for u in units:
            by_name.setdefault(u.name, []).append(u)
        return by_name

    @staticmethod
    def one(table, name, what, reasons, current=None):
        """The one object of that name. `current` is what an existing problem has now when the
        row names it: it stands even where the importer could not choose it for a new problem."""
        if current is not None:
            return current
        found = table.get(name, [])
        if not found:
            reasons.append(f"{what}「{name}」不存在或不在您的管辖范围内")
            return None
        if len(found) > 1:
            reasons.append(f"{what}「{name}」有重名，无法确定是哪一个")
            return None
        return found[0]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = DATE_RE.fullmatch(_text(value))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _progress(value):
    """An integer 0–100, or None when the cell holds something else."""
    if value is None or _text(value) == "":
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(_text(value).rstrip("%").strip())
        except ValueError:
            return None
    if not number.is_integer() or not 0 <= number <= 100:
        return None
    return int(number)


SOURCES = {str(label): value for value, label in Source.choices}
SOURCES.update(
    {"信访": Source.APPEAL, "诉求": Source.APPEAL, "热点": Source.APPEAL, "查摆": Source.SELF_CHECK}
)
DOMAINS = {str(label): value for value, label in Domain.choices}
# the 状态 column as the export writes it; blank is "as it is" (a new row: 整改中)
STATUSES = {str(label): value for value, label in Status.choices}
STATUSES[str(OVERDUE_LABEL)] = Status.IN_PROGRESS


def _number(value):
    """The problem number of an exported row: a positive integer, None for a new row, or False."""
    text = _text(value)
    if not text:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else False


def _kept(problem, name: str, shown: str):
    """The problem's own unit, place or leader when the row shows it as the export wrote it."""
    current = getattr(problem, name) if problem else None
    if current is None:
        return None
    return current if shown == (current.name if name != "responsible_leader" else str(current)) else None


def _check_row(cells: dict, lookup: Lookup, problems: dict):
    reasons = []
    number = _number(cells.get("问题编号"))
    problem = problems.get(number) if number else None
    if number is False:
        reasons.append(
            f"问题编号「{_text(cells.get('问题编号'))}」应为导出台账中的编号（正整数）；新问题请留空"
        )
    elif number and problem is None:
        reasons.append(f"问题编号 {number} 不存在或不在您的管辖范围内")
    source = SOURCES.get(_text(cells.get("问题来源")))
    if source is None:
        label = _text(cells.get("问题来源"))
        reasons.append(
            f"问题来源「{label}」无法识别（应为：{'、'.join(str(s.label) for s in Source)}）"
            if label
            else "缺少问题来源"
        )
    domain_label = _text(cells.get("领域"))
    domain = DOMAINS.get(domain_label or "其他")
    if domain is None:
        reasons.append(f"领域「{domain_label}」无法识别（应为：{'、'.join(DOMAINS)}）")
    place_name = _text(cells.get("属地"))
    kept = _kept(problem, "place", place_name)
    place = Lookup.one(lookup.places, place_name, "属地", reasons, kept) if place_name else None
    description = _text(cells.get("问题描述"))
    if not description:
        reasons.append("缺少问题描述")
    elif len(description) > DESCRIPTION_MAX_CHARS:
        reasons.append(f"问题描述超过 {DESCRIPTION_MAX_CHARS} 字")
    measures = _text(cells.get("整改措施"))
    if len(measures) > DESCRIPTION_MAX_CHARS:
        reasons.append(f"整改措施超过 {DESCRIPTION_MAX_CHARS} 字")
    unit_name = _text(cells.get("责任单位"))
    kept = _kept(problem, "responsible_unit", unit_name)
    unit = Lookup.one(lookup.units, unit_name, "责任单位", reasons, kept) if unit_name else None
    if not unit_name:
        reasons.append("缺少责任单位")
    leader_name = _text(cells.get("责任领导"))
    kept = _kept(problem, "responsible_leader", leader_name)
    leader = Lookup.one(lookup.users, leader_name, "责任领导", reasons, kept) if leader_name else None
    raw_deadline = cells.get("整改时限")
    deadline = _date(raw_deadline)
    if deadline is None:
        shown = _text(raw_deadline)
        reasons.append(f"整改时限「{shown}」不是有效日期（例如 2026-03-31）" if shown else "缺少整改时限")
    progress = _progress(cells.get("进展(%)"))
    if progress is None:
        reasons.append(f"进展(%)「{_text(cells.get('进展(%)'))}」应为 0 至 100 之间的整数")
    status_label = _text(cells.get("状态"))
    status = STATUSES.get(status_label)
    if status_label and status is None:
        reasons.append(f"状态「{status_label}」无法识别（应为：{'、'.join(STATUSES)}，或留空）")
    if reasons:
        return None, reasons
    return {
        "problem": problem,
        "source": source,
        "domain": domain,
        "place": place,
        "address": "",
        "description": description,
        "measures": measures,
        "responsible_unit": unit,
        "responsible_leader": leader,
        "deadline": deadline,
        "progress": progress,
        "status": status,
    }, []


def check_file(f):
    name = (getattr(f, "name", "") or "").lower()
    if not name.endswith(".xlsx"):
        raise ImportRejected("只能导入 Excel 文件（.xlsx）。如是 .xls 或 .csv，请先用 Excel 另存为 .xlsx。")
    if f.size > MAX_BYTES:
        raise ImportRejected("文件超过 5 MB，请拆分后分批导入。")
    head = f.read(4)
    f.seek(0)
    if head != b"PK\x03\x04":
        raise ImportRejected("文件内容不是 Excel（.xlsx）格式，请用 Excel 另存为 .xlsx 后再导入。")


def read_xlsx(f, lookup: Lookup) -> ImportResult:
    check_file(f)
    try:
        wb = load_workbook(io.BytesIO(f.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected("无法读取这个 Excel 文件，文件可能已损坏。") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    found = xlsx.header_row(rows, REQUIRED_HEADERS)
    if found is None:
        raise ImportRejected(
            f"前 {xlsx.TITLE_ROWS + 1} 行中应有表头（{'、'.join(h for h, _w in COLUMNS)}），"
            f"至少包括：{'、'.join(REQUIRED_HEADERS)}。请使用导出的台账作为模板。"
        )
    header_at, header = found
    index = {h: i for i, h in enumerate(header) if h}
    sheet = []
    for number, values in enumerate(rows, start=header_at + 1):
        if number - header_at > MAX_ROWS:
            raise ImportRejected(f"一次最多导入 {MAX_ROWS} 行，请拆分后分批导入。")
        if all(_text(v) == "" for v in values):
            continue
        sheet.append((number, {h: values[i] if i < len(values) else None for h, i in index.items()}))
    wb.close()
    numbers = {n for _row, cells in sheet if (n := _number(cells.get("问题编号")))}
    problems = lookup.problems(numbers) if numbers else {}
    result = ImportResult()
    for number, cells in sheet:
        fields, reasons = _check_row(cells, lookup, problems)
        if reasons:
            result.bad.append((number, reasons))
        else:
            result.good.append((number, fields))
    return result
