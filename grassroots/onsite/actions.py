"""Every change to an on-site session and its tasks, one function each.

Each action is atomic. Actions on a task claim it by its version, so two people acting at
once cannot both succeed; every task action writes a TaskUpdate (the task's timeline). A
form's one-time submission token makes a double-clicked submit count once. Callers check
permissions first (`access.require...`); actions check the state and the data, including the
rule that a session orders only units within its owner's remit. A task's progress, completion,
acceptance and return also reach any public commitment resting on it (commitments.hooks), in
the same transaction.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.activities.models import DURATION_MAX_MINUTES, Activity, Kind
from grassroots.commitments import hooks as commitment_hooks
from grassroots.lib.actions import ActionError, AlreadyDone, Conflict, claim, require_status, require_text
from grassroots.lib.workdays import due_date
from grassroots.workcal.models import load_calendar

from . import access, notify
from .models import (
    NOTE_MAX_CHARS,
    TEXT_MAX_CHARS,
    WITH_UNIT,
    AgendaItem,
    Attendee,
    Decision,
    OnsiteSession,
    SessionStatus,
    Task,
    TaskEvidence,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)

DONE_ONCE = "该操作已提交，未重复执行。"
MAX_WORKING_DAYS = 250  # about a year of working days
OTHER_PARTICIPANTS_MAX = Activity._meta.get_field("other_participants").max_length


def _lock(session: OnsiteSession) -> OnsiteSession:
    """Hold the session while adding to it, so concurrent additions get distinct numbers."""
    return OnsiteSession.objects.select_for_update().select_related("activity", "owner").get(pk=session.pk)


# --- sessions --------------------------------------------------------------------------------


def _participants_text(attendees) -> str:
    """The people present as one line for the activity record, cut to the field's length."""
    text = "、".join(f"{unit} {name}".strip() for unit, name in attendees)
    return text if len(text) <= OTHER_PARTICIPANTS_MAX else text[: OTHER_PARTICIPANTS_MAX - 1] + "…"


@transaction.atomic
def create_session(
    *,
    actor,
    owner,
    title,
    unit,
    place,
    date: date,
    duration_minutes,
    address="",
    officials=(),
    summary="",
    attendees=(),
    agenda=(),
    submission_token=None,
) -> OnsiteSession:
    """开现场办公: the activity, the session, the people present and the first agenda items.

    With a `submission_token` a repeated submit returns the first session."""
    if submission_token:
        existing = OnsiteSession.objects.filter(activity__submission_token=submission_token).first()
        if existing:
            return existing
    title = require_text(title, "现场办公名称", 200)
    if unit is None or place is None or date is None:
        raise ActionError("请填写组织单位、地点和日期。")
    if not access.may_own(actor, unit):
        raise ActionError(f"您不是「{unit.name}」的领导干部或单位负责人，不能为其安排现场办公。")
    if owner is None or not access.may_own(owner, unit):
        raise ActionError(f"负责人应为「{unit.name}」的领导干部或单位负责人。")
    if duration_minutes is None or not 1 <= int(duration_minutes) <= DURATION_MAX_MINUTES:
        raise ActionError(f"时长应在 1 至 {DURATION_MAX_MINUTES} 分钟之间。")
    attendees = [(u.strip()[:100], n.strip()[:50]) for u, n in attendees if n.strip()]
    activity = Activity(
        submission_token=submission_token or None,
        kind=Kind.ONSITE,
        title=title,
        unit=unit,
        place=place,
        address=(address or "").strip(),
        date=date,
        duration_minutes=int(duration_minutes),
        summary=(summary or "").strip(),
        other_participants=_participants_text(attendees),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        if submission_token:
            existing = OnsiteSession.objects.filter(activity__submission_token=submission_token).first()
            if existing:  # the other click won the race
                return existing
        raise
    activity.officials.set({owner, *officials})
    session = OnsiteSession.objects.create(activity=activity, owner=owner)
    Attendee.objects.bulk_create(Attendee(session=session, unit_name=u, name=n) for u, n in attendees)
    for order, problem in enumerate((p.strip() for p in agenda if p.strip()), start=1):
        AgendaItem.objects.create(
            session=session,
            order=order,
            problem=require_text(problem, "议题", TEXT_MAX_CHARS),
            created_by=actor,
        )
    return session


@transaction.atomic
def add_attendee(session, actor, *, name, unit_name="", submission_token=None) -> Attendee:
    """添加参加人员; the activity's line of other participants follows."""
    session = _lock(session)
    if submission_token:
        existing = Attendee.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    attendee = Attendee.objects.create(
        submission_token=submission_token or None,
        session=session,
        unit_name=(unit_name or "").strip(),
        name=require_text(name, "姓名", 50),
    )
    activity = session.activity
    activity.other_participants = _participants_text((a.unit_name, a.name) for a in session.attendees.all())
    activity.save(update_fields=["other_participants", "updated_at"])
    return attendee


@transaction.atomic
def add_agenda_item(
    session, actor, *, problem, appeal=None, ledger_problem=None, submission_token=None
) -> AgendaItem:
    session = _lock(session)
    if submission_token:
        existing = AgendaItem.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    problem = require_text(problem, "议题", TEXT_MAX_CHARS)
    last = session.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    return AgendaItem.objects.create(
        submission_token=submission_token or None,
        session=session,
        order=last + 1,
        problem=problem,
        appeal=appeal,
        ledger_problem=ledger_problem,
        created_by=actor,
    )


@transaction.atomic
def hold(session, actor, *, summary="", version=None) -> OnsiteSession:
    """标记为已召开, with the minutes (会议纪要) if given."""
    session = _claim_session(session, version)
    if session.status != SessionStatus.PREPARING:
        raise ActionError("这次现场办公已标记为已召开。")
    if not access.can_decide(session):
        raise ActionError("现场办公日期未到，不能标记为已召开。")
    session.status = SessionStatus.HELD
    session.save(update_fields=["status", "version"])
    summary = (summary or "").strip()
    if summary:
        session.activity.summary = summary
        session.activity.save(update_fields=["summary", "updated_at"])
    return session


def _claim_session(session, expected_version) -> OnsiteSession:
    fetch = OnsiteSession.objects.select_related("activity", "owner")
    return claim(session, expected_version, noun="这次现场办公", fetch=fetch)


# --- decisions and their tasks ----------------------------------------------------------------


@dataclass(frozen=True)
class TaskDeadline:
    date: date
    provisional: bool
    working_days: int | None = None  # the calendar moves a deadline given in working days


def task_deadline(session_date: date, *, deadline=None, working_days=None) -> TaskDeadline:
    """A fixed date, or N working days after the session on the working calendar."""
    if (deadline is None) == (working_days is None):
        raise ActionError("请填写办理时限：指定日期或工作日天数，二选一。")
    if working_days is not None:
        if not 1 <= int(working_days) <= MAX_WORKING_DAYS:
            raise ActionError(f"工作日天数应在 1 至 {MAX_WORKING_DAYS} 之间。")
        due = due_date(session_date, int(working_days), working=True, calendar=load_calendar())
        return TaskDeadline(due.due, due.provisional, int(working_days))
    if deadline < session_date:
        raise ActionError("办理时限不能早于现场办公日期。")
    return TaskDeadline(deadline, False)


@transaction.atomic
def record_decision(
    session,
    actor,
    *,
    text,
    units,
    agenda_item=None,
    deadline=None,
    working_days=None,
    submission_token=None,
) -> Decision:
    """记录决定事项: one task per responsible unit, each notified after commit."""
    session = _lock(session)
    if submission_token:
        existing = Decision.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    if not access.can_decide(session):
        raise ActionError("现场办公日期未到，不能记录决定事项。")
    text = require_text(text, "决定事项", TEXT_MAX_CHARS)
    units = list(dict.fromkeys(units or ()))
    if not units:
        raise ActionError("请至少选择一个责任单位。")
    for unit in units:
        if not access.in_remit(session.owner, unit):
            raise ActionError(
                f"「{unit.name}」不在现场办公负责人{session.owner}的管辖范围内，不能向其交办任务。"
            )
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ActionError("所选议题不属于这次现场办公。")
    due = task_deadline(session.activity.date, deadline=deadline, working_days=working_days)
    decision = Decision.objects.create(
        submission_token=submission_token or None,
        session=session,
        agenda_item=agenda_item,
        text=text,
        created_by=actor,
    )
    for unit in units:
        task = Task.objects.create(
            session=session,
            decision=decision,
            description=text,
            responsible_unit=unit,
            deadline=due.date,
            deadline_provisional=due.provisional,
            deadline_working_days=due.working_days,
        )
        note = f"交办{unit.name}，办理时限 {due.date:%Y年%m月%d日}" + ("（暂定）" if due.provisional else "")
        TaskUpdate.objects.create(task=task, kind=UpdateKind.ASSIGN, actor=actor, note=note, progress=0)
        notify.after_commit("onsite_task_assigned", task)
    if session.status == SessionStatus.PREPARING:  # a decision is only made at a session held
        session.status = SessionStatus.HELD
        session.version += 1
        session.save(update_fields=["status", "version"])
    return decision


# --- task actions ------------------------------------------------------------------------------


def _already_done(submission_token) -> bool:
    return bool(submission_token) and TaskUpdate.objects.filter(submission_token=submission_token).exists()


def _task_taken(submission_token, fresh: Task) -> ActionError:
    if _already_done(submission_token):
        return AlreadyDone(DONE_ONCE)
    return Conflict(
        f"这项任务已被他人更新，当前状态为「{fresh.status_label}」。您的操作未执行，请查看最新情况后再决定。"
    )


def _claim(task: Task, expected_version, submission_token) -> Task:
    """Take the task for this action, or say why not: done already, or changed meanwhile."""
    if _already_done(submission_token):
        raise AlreadyDone(DONE_ONCE)
    fetch = Task.objects.select_related("session__owner", "responsible_unit")
    return claim(
        task,
        expected_version,
        fetch=fetch,
        refused=lambda fresh: _task_taken(submission_token, fresh),
    )


def _check_progress(progress) -> int:
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        raise ActionError("进展应为 0 至 100 之间的整数。")
    return progress


def _record(task, kind, actor, *, note="", progress=None, evidence=(), submission_token=None) -> TaskUpdate:
    update = TaskUpdate.objects.create(
        task=task,
        kind=kind,
        actor=actor,
        note=(note or "").strip(),
        progress=progress,
        submission_token=submission_token or None,
    )
    TaskEvidence.store(evidence, actor, task=task, update=update)
    return update


@transaction.atomic
def update_progress(task, actor, *, progress, note, evidence=(), version=None, submission_token=None) -> Task:
    task = _claim(task, version, submission_token)
    require_status(task, *WITH_UNIT, what="任务")
    note = require_text(note, "进展情况", NOTE_MAX_CHARS)
    task.progress = _check_progress(progress)
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["progress", "status", "version", "updated_at"])
    update = _record(
        task,
        UpdateKind.PROGRESS,
        actor,
        note=note,
        progress=task.progress,
        evidence=evidence,
        submission_token=submission_token,
    )
    commitment_hooks.task_changed(task, update)
    return task


@transaction.atomic
def submit(task, actor, *, note, evidence=(), version=None, submission_token=None) -> Task:
    """办结，提请验收: the moment that decides whether the task was done on time."""
    task = _claim(task, version, submission_token)
    require_status(task, *WITH_UNIT, what="任务")
    note = require_text(note, "办结情况", NOTE_MAX_CHARS)
    if not evidence and not task.evidence.exists():
        raise ActionError("报送办结前请上传佐证材料（图片或 PDF）。")
    task.status = TaskStatus.SUBMITTED
    task.progress = 100
    task.submitted_at = timezone.now()
    task.save(update_fields=["status", "progress", "submitted_at", "version", "updated_at"])
    update = _record(
        task,
        UpdateKind.SUBMIT,
        actor,
        note=note,
        progress=100,
        evidence=evidence,
        submission_token=submission_token,
    )
    notify.after_commit("onsite_task_submitted", task, update)
    commitment_hooks.task_changed(task, update)
    return task


@transaction.atomic
def accept(task, actor, *, comment="", version=None, submission_token=None) -> Task:
    task = _claim(task, version, submission_token)
    require_status(task, TaskStatus.SUBMITTED, what="任务")
    if actor.pk != task.session.owner_id:
        raise ActionError("只有现场办公负责人可以验收。")
    task.status = TaskStatus.ACCEPTED
    task.accepted_at = timezone.now()
    task.accepted_by = actor
    task.save(update_fields=["status", "accepted_at", "accepted_by", "version", "updated_at"])
    update = _record(task, UpdateKind.ACCEPT, actor, note=comment, submission_token=submission_token)
    notify.after_commit("onsite_task_accepted", task, update)
    commitment_hooks.task_changed(task, update)
    return task


@transaction.atomic
def return_task(task, actor, *, reason, version=None, submission_token=None) -> Task:
    """退回重办: back to the unit; the earlier report of completion no longer counts."""
    task = _claim(task, version, submission_token)
    require_status(task, TaskStatus.SUBMITTED, what="任务")
    if actor.pk != task.session.owner_id:
        raise ActionError("只有现场办公负责人可以退回。")
    reason = require_text(reason, "退回理由", NOTE_MAX_CHARS)
    task.status = TaskStatus.IN_PROGRESS
    task.submitted_at = None
    task.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    update = _record(task, UpdateKind.RETURN, actor, note=reason, submission_token=submission_token)
    notify.after_commit("onsite_task_returned", task, update)
    commitment_hooks.task_changed(task, update)
    return task


@transaction.atomic
def recompute_task_deadlines() -> int:
    """After a calendar edit: every open task whose deadline is N working days after its session
    follows the calendar; each change on the task's timeline, and the commitments resting on the
    task follow. Returns how many tasks moved."""
    calendar = load_calendar()
    moved = 0
    tasks = (
        Task.objects.open()
        .filter(deadline_working_days__isnull=False)
        .select_related("session__activity")
        .select_for_update(of=("self",))
    )
    for task in tasks:
        due = due_date(
            task.session.activity.date, task.deadline_working_days, working=True, calendar=calendar
        )
        if (due.due, due.provisional) == (task.deadline, task.deadline_provisional):
            continue
        before = task.deadline
        task.deadline, task.deadline_provisional = due.due, due.provisional
        task.version += 1
        task.save(update_fields=["deadline", "deadline_provisional", "version", "updated_at"])
        note = f"工作日历更新，办理时限由 {before:%Y年%m月%d日} 调整为 {due.due:%Y年%m月%d日}" + (
            "（暂定）" if due.provisional else ""
        )
        update = TaskUpdate.objects.create(task=task, kind=UpdateKind.DEADLINE, note=note)
        commitment_hooks.task_deadline_moved(task, before, update)
        moved += 1
    return moved
