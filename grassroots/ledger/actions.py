"""Every state change of a ledger problem, one function each.

Each action is atomic: it claims the problem by its version (so two people acting at
once cannot both succeed), checks the state, writes the change and a ProblemEvent.
Callers check permissions first (`access.require`); actions check the state and the data.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.commitments import hooks as commitment_hooks
from grassroots.lib.actions import ActionError, Conflict, claim, require_status, require_text

from .models import DESCRIPTION_MAX_CHARS, EventKind, Evidence, Problem, ProblemEvent, Status

EDITABLE = [
    "source",
    "appeal",
    "domain",
    "place",
    "address",
    "description",
    "measures",
    "responsible_unit",
    "responsible_leader",
    "deadline",
]


def _event(problem, kind, actor, note="", progress=None):
    return ProblemEvent.objects.create(
        problem=problem, kind=kind, actor=actor, note=(note or "").strip(), progress=progress
    )


def _changed_by_someone(fresh: Problem) -> Conflict:
    return Conflict(
        f"这个问题已被他人更新，当前状态为「{fresh.status_label}」。您的操作未执行，请查看最新情况后再决定。"
    )


def _claim(problem: Problem, expected_version) -> Problem:
    """Take the problem for this action, or raise Conflict if it changed meanwhile."""
    fetch = Problem.objects.select_related("responsible_unit")
    return claim(problem, expected_version, fetch=fetch, refused=_changed_by_someone)


def _check_progress(progress) -> int:
    if progress is None or not 0 <= int(progress) <= 100:
        raise ActionError("整改进展应为 0 至 100 之间的整数。")
    return int(progress)


def _clean_fields(fields: dict) -> dict:
    fields = dict(fields)
    fields["description"] = require_text(fields.get("description"), "问题描述", DESCRIPTION_MAX_CHARS)
    fields["measures"] = require_text(
        fields.get("measures"), "整改措施", DESCRIPTION_MAX_CHARS, required=False
    )
    fields["address"] = (fields.get("address") or "").strip()
    if fields.get("responsible_unit") is None:
        raise ActionError("请选择责任单位。")
    if fields.get("deadline") is None:
        raise ActionError("请填写整改时限。")
    return fields


def _attach(problem, event, actor, evidence):
    Evidence.store(evidence, actor, problem=problem, event=event)


@transaction.atomic
def create(*, actor, progress=0, submission_token=None, evidence=(), **fields) -> Problem:
    """列入清单. With a `submission_token` a repeated submit returns the first problem."""
    if submission_token:
        existing = Problem.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    fields = _clean_fields(fields)
    problem = Problem(
        submission_token=submission_token or None,
        created_by=actor,
        progress=_check_progress(progress),
        **{k: fields.get(k) for k in EDITABLE},
    )
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        if submission_token:
            existing = Problem.objects.filter(submission_token=submission_token).first()
            if existing:  # the other click won the race
                return existing
        raise
    event = _event(problem, EventKind.CREATE, actor, problem.measures, problem.progress)
    _attach(problem, event, actor, evidence)
    return problem


def import_plan(*, actor, plan, submission_token=None) -> list[Problem]:
    """导入: carry out an `importing.Plan`, all of it or nothing (a failure here rolls all back).
    Returns the problems added and changed.

    Once per form: the form's token is stamped on the first added problem in the same
    transaction. A second click that started before the first finished fails on the token's
    unique constraint (or on the version of a problem the first one changed) and rolls its whole
    import back; it returns [] then.
    """
    try:
        with transaction.atomic():
            added = _add_imported(actor, [fields for _row, fields in plan.added])
            changed = [_change_imported(actor, change) for change in plan.changed]
            if submission_token and added:
                Problem.objects.filter(pk=added[0].pk).update(submission_token=submission_token)
    except IntegrityError:
        if submission_token and Problem.objects.filter(submission_token=submission_token).exists():
            return []
        raise
    return added + changed


def _add_imported(actor, rows) -> list[Problem]:
    problems = []
    for fields in rows:
        fields = dict(fields)
        status = fields.pop("status", Status.IN_PROGRESS)
        progress = 100 if status == Status.DONE else _check_progress(fields.pop("progress", 0))
        fields = _clean_fields(fields)
        problem = Problem.objects.create(
            created_by=actor,
            progress=progress,
            status=status,
            done_at=timezone.now() if status == Status.DONE else None,
            **{k: fields.get(k) for k in EDITABLE},
        )
        _event(problem, EventKind.IMPORT, actor, "从 Excel 台账导入", progress)
        problems.append(problem)
    return problems


def _change_imported(actor, change) -> Problem:
    """One row's changes to an existing problem, each on its timeline."""
    problem = _claim(change.problem, change.problem.version)
    if change.fields:
        for name, value in change.fields.items():
            setattr(problem, name, value)
        _clean_fields({k: getattr(problem, k) for k in EDITABLE})
        problem.save()
        shown = "；".join(
            f"{label}：{old} → {new}" for label, old, new in change.labels if label != "进展(%)"
        )
        _event(problem, EventKind.EDIT, actor, f"从 Excel 台账导入修改了：{shown}")
    if change.progress is not None:
        problem.progress = _check_progress(change.progress)
        problem.save(update_fields=["progress", "updated_at"])
        event = _event(problem, EventKind.PROGRESS, actor, "从 Excel 台账导入更新进展", problem.progress)
        commitment_hooks.problem_changed(problem, event)
    return problem


@transaction.atomic
def edit(problem, actor, *, version=None, **fields) -> Problem:
    problem = _claim(problem, version)
    require_status(problem, Status.IN_PROGRESS, Status.DONE)
    fields = _clean_fields(fields)
    changed = []
    for name in EDITABLE:
        if getattr(problem, name) != fields.get(name):
            setattr(problem, name, fields.get(name))
            changed.append(str(Problem._meta.get_field(name).verbose_name))
    if not changed:
        raise ActionError("没有修改任何内容。")
    problem.save()
    _event(problem, EventKind.EDIT, actor, "修改了：" + "、".join(changed))
    return problem


@transaction.atomic
def update_progress(problem, actor, *, progress, note, evidence=(), version=None) -> Problem:
    problem = _claim(problem, version)
    require_status(problem, Status.IN_PROGRESS)
    problem.progress = _check_progress(progress)
    note = require_text(note, "进展情况", DESCRIPTION_MAX_CHARS)
    problem.save(update_fields=["progress", "version", "updated_at"])
    event = _event(problem, EventKind.PROGRESS, actor, note, problem.progress)
    _attach(problem, event, actor, evidence)
    commitment_hooks.problem_changed(problem, event)
    return problem


@transaction.atomic
def mark_done(problem, actor, *, note, evidence=(), version=None) -> Problem:
    problem = _claim(problem, version)
    require_status(problem, Status.IN_PROGRESS)
    if not evidence and not problem.evidence.exists():
        raise ActionError("提请验收前请上传整改佐证材料（图片或 PDF）。")
    problem.status = Status.DONE
    problem.progress = 100
    problem.done_at = timezone.now()
    problem.save()
    event = _event(problem, EventKind.DONE, actor, require_text(note, "完成情况", DESCRIPTION_MAX_CHARS), 100)
    _attach(problem, event, actor, evidence)
    commitment_hooks.problem_changed(problem, event)
    return problem


@transaction.atomic
def accept(problem, actor, *, comment="", version=None) -> Problem:
    problem = _claim(problem, version)
    require_status(problem, Status.DONE)
    problem.status = Status.ACCEPTED
    problem.accepted_by = actor
    problem.accepted_at = timezone.now()
    problem.acceptance_comment = (comment or "").strip()
    problem.save()
    event = _event(problem, EventKind.ACCEPT, actor, problem.acceptance_comment)
    commitment_hooks.problem_changed(problem, event)
    return problem


@transaction.atomic
def return_for_rework(problem, actor, *, comment, version=None) -> Problem:
    problem = _claim(problem, version)
    require_status(problem, Status.DONE)
    comment = require_text(comment, "退回理由", DESCRIPTION_MAX_CHARS)
    problem.status = Status.IN_PROGRESS
    problem.done_at = None
    problem.save()
    event = _event(problem, EventKind.RETURN, actor, comment)
    commitment_hooks.problem_changed(problem, event)
    return problem


@transaction.atomic
def close_out(problem, actor, *, comment="", version=None) -> Problem:
    problem = _claim(problem, version)
    require_status(problem, Status.ACCEPTED)
    problem.status = Status.CLOSED
    problem.closed_by = actor
    problem.closed_at = timezone.now()
    problem.close_comment = (comment or "").strip()
    problem.save()
    event = _event(problem, EventKind.CLOSE, actor, problem.close_comment)
    commitment_hooks.problem_changed(problem, event)
    return problem
