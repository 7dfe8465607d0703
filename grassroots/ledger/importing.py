"""What an imported sheet does to the ledger, row by row: add a problem, change one, leave one as
it is, or refuse the row with a reason.

A row that carries a problem number (as the export writes it) speaks of that problem: what it
says differently is a change, within the importer's rights and the problem's state. A row
without a number is a new problem, unless the ledger already has the same problem (the same
description for the same responsible unit), which is never added twice. `plan` writes nothing:
the dry run shows it as it is; `actions.import_plan` carries it out.
"""

from dataclasses import dataclass, field

from . import access
from .models import Problem, Status

# the columns an import may change on an existing problem, besides progress
FIELDS = [
    "source",
    "domain",
    "place",
    "description",
    "measures",
    "responsible_unit",
    "responsible_leader",
    "deadline",
]
EDITABLE_STATES = {Status.IN_PROGRESS, Status.DONE}
NEW_STATES = {Status.IN_PROGRESS, Status.DONE}  # acceptance and close-out happen in the system


@dataclass
class Change:
    row: int
    problem: Problem
    fields: dict  # the columns that change: name -> new value
    progress: int | None  # the new progress, when it changes
    labels: list  # (column label, old shown, new shown)


@dataclass
class Plan:
    added: list = field(default_factory=list)  # (row, fields for a new problem)
    changed: list = field(default_factory=list)  # Change
    unchanged: list = field(default_factory=list)  # (row, problem)
    refused: list = field(default_factory=list)  # (row, [reasons])

    @property
    def writes(self) -> bool:
        return bool(self.added or self.changed)


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


def _label(name: str) -> str:
    return str(Problem._meta.get_field(name).verbose_name)


def _change(user, row: int, problem: Problem, fields: dict):
    """A Change, None when the row says what the ledger says, or a list of reasons."""
    status = fields.get("status")
    if status is not None and status != problem.status:
        return [
            f"状态「{Status(status).label}」与系统中的「{problem.get_status_display()}」不同："
            "提请验收、验收和销号须在系统中办理"
        ]
    changed = {name: fields[name] for name in FIELDS if getattr(problem, name) != fields[name]}
    progress = fields["progress"] if fields["progress"] != problem.progress else None
    if not changed and progress is None:
        return None
    reasons = []
    if changed:
        if problem.status not in EDITABLE_STATES:
            reasons.append(f"问题 {problem.pk} {problem.get_status_display()}，不能再修改")
        elif not access.can(user, "edit", problem):
            reasons.append(f"您没有权限修改问题 {problem.pk}")
    if progress is not None:
        if problem.status != Status.IN_PROGRESS:
            reasons.append(f"问题 {problem.pk} {problem.get_status_display()}，进展不能再更新")
        elif not access.can(user, "progress", problem):
            reasons.append(f"您没有权限更新问题 {problem.pk} 的进展")
    if reasons:
        return reasons
    labels = [
        (_label(name), _shown(getattr(problem, name)), _shown(value)) for name, value in changed.items()
    ]
    if progress is not None:
        labels.append(("进展(%)", f"{problem.progress}%", f"{progress}%"))
    return Change(row=row, problem=problem, fields=changed, progress=progress, labels=labels)


def plan(user, good_rows) -> Plan:
    """The plan for the checked rows `good_rows` ((row number, fields) from `excel.read_xlsx`)."""
    result = Plan()
    new_rows = [(row, f) for row, f in good_rows if f["problem"] is None]
    on_ledger = {}
    if new_rows:
        found = access.visible_problems(user).filter(
            description__in={f["description"] for _row, f in new_rows}
        )
        for pk, description, unit_id in found.values_list("pk", "description", "responsible_unit_id"):
            on_ledger.setdefault((description, unit_id), pk)
    first_row_of = {}
    for row, fields in good_rows:
        problem = fields["problem"]
        if problem is not None:
            earlier = first_row_of.setdefault(("number", problem.pk), row)
            if earlier != row:
                result.refused.append((row, [f"与第 {earlier} 行是同一个问题（问题编号 {problem.pk}）"]))
                continue
            outcome = _change(user, row, problem, fields)
            if outcome is None:
                result.unchanged.append((row, problem))
            elif isinstance(outcome, list):
                result.refused.append((row, outcome))
            else:
                result.changed.append(outcome)
            continue
        key = (fields["description"], fields["responsible_unit"].pk)
        if key in on_ledger:
            number = on_ledger[key]
            result.refused.append(
                (
                    row,
                    [
                        f"清单中已有这个问题（问题编号 {number}，问题描述和责任单位相同），未重复列入；"
                        f"如需更新，请在「问题编号」列填写 {number}"
                    ],
                )
            )
            continue
        earlier = first_row_of.setdefault(("new", key), row)
        if earlier != row:
            result.refused.append((row, [f"与第 {earlier} 行重复（问题描述和责任单位相同）"]))
            continue
        status = fields.get("status") or Status.IN_PROGRESS
        if status not in NEW_STATES:
            result.refused.append(
                (row, [f"状态「{Status(status).label}」不能导入：验收和销号须在系统中办理"])
            )
            continue
        result.added.append((row, {**fields, "status": status}))
    return result
