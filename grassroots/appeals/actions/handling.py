"""Dispatch and handling: 交办, objections, 受理告知, the handling notes, extensions (§34) and
pauses (§36 ¶2)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.lib.actions import ActionError, require_status, require_text
from grassroots.notify.events import notify_after_commit
from grassroots.workcal.models import PauseGround

from .. import deadlines
from ..models import (
    EventKind,
    Pause,
    Status,
)
from .common import TEXT_MAX, _claim, _event, _today

# --- dispatch ------------------------------------------------------------------


@transaction.atomic
def dispatch(appeal, actor, *, unit, note="", version=None):
    """转送/交办 to the handling unit (§22)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REGISTERED, Status.OBJECTED)
    if unit is None:
        raise ActionError("请选择承办单位。")
    if appeal.is_report and appeal.accused_unit and appeal.accused_unit.contains(unit):
        raise ActionError("检举件不得交由被检举单位或其下属单位办理（信访工作条例第三十条）。")
    appeal.handling_unit = unit
    appeal.status = Status.DISPATCHED
    appeal.dispatched_at = timezone.now()
    appeal.reason = ""
    deadlines.start(appeal, deadlines.INFORM, _today(), today=_today())
    deadlines.start_beside(appeal, deadlines.OBJECTION, _today())
    appeal.save()
    _event(appeal, EventKind.DISPATCH, actor, unit, f"交办至{unit.name}", internal_note=note)
    notify_after_commit("dispatched", appeal)
    return appeal


@transaction.atomic
def object_to_dispatch(appeal, actor, *, reason, version=None):
    """The receiving unit objects to a wrong dispatch within 5 working days (§23)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.DISPATCHED)
    window = deadlines.window(appeal, deadlines.OBJECTION)
    if window is not None and window.due is not None and _today() > window.due:
        limit = f"收到交办后 {window.days} 个工作日内，第二十三条"
        raise ActionError(f"异议期限已于 {window.due:%Y年%m月%d日} 届满（{limit}）。")
    appeal.reason = require_text(reason, "异议理由", TEXT_MAX)
    appeal.status = Status.OBJECTED
    appeal.save()
    _event(appeal, EventKind.OBJECT, actor, appeal.handling_unit, appeal.reason, public=False)
    notify_after_commit("objected", appeal)
    return appeal


@transaction.atomic
def resolve_objection(appeal, actor, *, upheld: bool, note="", version=None):
    """The dispatcher decides an objection: upheld → back to the desk; else the dispatch stands."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.OBJECTED)
    if upheld:
        unit = appeal.handling_unit
        appeal.handling_unit = None
        appeal.status = Status.REGISTERED
        registered_on = timezone.localdate(appeal.registered_at)  # §22's 15 days run from receipt
        deadlines.start(appeal, deadlines.DISPATCH, registered_on, today=_today())
        kind, text = EventKind.OBJECTION_UPHELD, f"{unit.name}的异议成立，退回重新交办。{note}"
    else:
        appeal.status = Status.DISPATCHED
        kind, text = EventKind.OBJECTION_REJECTED, f"异议不成立，维持交办。{note}"
        notify_after_commit("dispatched", appeal)
    appeal.save()
    _event(appeal, kind, actor, appeal.registered_unit, text.strip(), public=False)
    return appeal


# --- handling ------------------------------------------------------------------


@transaction.atomic
def inform(appeal, actor, *, note, version=None):
    """受理告知 (§23): the unit tells the petitioner how it will handle the matter."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.DISPATCHED)
    note = require_text(note, "告知内容", TEXT_MAX)
    appeal.status = Status.HANDLING
    appeal.accepted_at = timezone.now()
    deadlines.start(appeal, deadlines.CONCLUDE, _today(), today=_today())
    appeal.save()
    _event(appeal, EventKind.INFORM, actor, appeal.handling_unit, note)
    notify_after_commit("informed", appeal, note=note)
    return appeal


@transaction.atomic
def handle(appeal, actor, *, note, version=None):
    """办理记录: a step of the handling, kept on the timeline (not shown to the petitioner)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    appeal.save()
    _event(
        appeal,
        EventKind.HANDLE,
        actor,
        appeal.handling_unit,
        require_text(note, "办理情况", TEXT_MAX),
        public=False,
    )
    return appeal


@transaction.atomic
def request_extension(appeal, actor, *, days: int, reason, version=None):
    """申请延期 (§34): once, at most the rule's 30 days, approved by the unit head, and asked for
    before the 60 days run out: a limit that has run out cannot be extended."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    if appeal.extended:
        raise ActionError("办理期限已延长过，延长期限合计不得超过 30 日（信访工作条例第三十四条）。")
    if appeal.extension_pending_days:
        raise ActionError("已有待审批的延期申请。")
    if appeal.due_date is not None and _today() > appeal.due_date:
        raise ActionError(
            f"办理期限已于 {appeal.due_date:%Y年%m月%d日} 届满，不能再申请延期：延期应在期限届满前"
            "申请并经单位负责人批准（信访工作条例第三十四条）。超期情况已记录在案。"
        )
    max_days = deadlines.rule(deadlines.EXTENSION_MAX).days
    if not 1 <= days <= max_days:
        raise ActionError(f"延长期限应为 1 至 {max_days} 日（第三十四条）。")
    appeal.extension_pending_days = days
    appeal.extension_reason = require_text(reason, "延期理由", 500)
    appeal.save()
    _event(
        appeal,
        EventKind.EXTENSION_REQUEST,
        actor,
        appeal.handling_unit,
        f"申请延期 {days} 日：{appeal.extension_reason}",
        public=False,
    )
    notify_after_commit("extension_requested", appeal)
    return appeal


@transaction.atomic
def decide_extension(appeal, actor, *, approve: bool, note="", version=None):
    """The unit head decides (§34). An approval that comes after the limit ran out extends it, but
    the days it was overrun stay on record (deadlines.settle)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    if not appeal.extension_pending_days:
        raise ActionError("没有待审批的延期申请。")
    days = appeal.extension_pending_days
    appeal.extension_pending_days = 0
    if approve:
        appeal.extended = True
        deadlines.extend(appeal, days, today=_today())
        appeal.save()
        _event(
            appeal,
            EventKind.EXTENSION_APPROVED,
            actor,
            appeal.handling_unit,
            f"延期 {days} 日，新的办理期限为 {appeal.due_date:%Y年%m月%d日}。理由：{appeal.extension_reason}",
        )
        notify_after_commit("extended", appeal)
    else:
        appeal.save()
        _event(
            appeal,
            EventKind.EXTENSION_REJECTED,
            actor,
            appeal.handling_unit,
            note or "不批准延期",
            public=False,
        )
    return appeal


# --- pauses: only on a ground the law gives, only from the day they are recorded ----------------


def pause_grounds(appeal) -> list[PauseGround]:
    """The grounds that may stop the appeal's running clock."""
    rule_key = appeal.clock.rule if appeal.clock_id else ""
    return [g for g in PauseGround.objects.filter(is_active=True) if g.applies_to(rule_key)]


@transaction.atomic
def record_pause(appeal, actor, *, ground, first_day: date, last_day: date, reason, version=None):
    """期限中止: the days of a hearing (听证, §36 ¶2) and the like do not count towards the running
    limit. Only on a ground of the closed list (workcal.PauseGround) that applies to the running
    clock, and only from the day it is recorded: a start up to settings.PAUSE_BACKDATE_GRACE_DAYS
    earlier waits for a supervisor's approval (decide_pause); earlier still is refused."""
    appeal = _claim(appeal, version)
    if not appeal.is_open:
        raise ActionError("已办结的诉求不再计算期限。")
    clock = deadlines.current(appeal)
    if clock is None or clock.rule not in deadlines.UNIT_LIMITS:
        raise ActionError("当前没有正在计算的办理期限，不能中止。")
    if ground is None or not ground.applies_to(clock.rule):
        raise ActionError(
            f"信访工作条例{clock.basis}规定的这一期限没有可以中止的法定事由。"
            "条例只规定复核听证所需时间不计算在复核期限内（第三十六条第二款）。"
        )
    if last_day < first_day:
        raise ActionError("中止期间的结束日期不能早于开始日期。")
    if first_day <= clock.start:
        raise ActionError(f"中止开始日应晚于期限起算日（{clock.start:%Y年%m月%d日}）。")
    if clock.due is not None and first_day > clock.due:
        raise ActionError(f"期限已于 {clock.due:%Y年%m月%d日} 届满，不能再中止。")
    grace = settings.PAUSE_BACKDATE_GRACE_DAYS
    today = _today()
    if first_day < today - timedelta(days=grace):
        raise ActionError(
            f"期限中止只能自登记之日起计算；补记最多可提前 {grace} 日，并须经信访督办员同意。"
            f"{first_day:%Y年%m月%d日} 已超出可补记的范围。"
        )
    reason = require_text(reason, "中止说明", 200)
    backdated = first_day < today
    pause = Pause.objects.create(
        appeal=appeal,
        clock=clock,
        ground=ground,
        first_day=first_day,
        last_day=last_day,
        reason=reason,
        state=Pause.State.PENDING if backdated else Pause.State.APPROVED,
        requested_by=actor,
    )
    span = f"{first_day:%Y年%m月%d日}至{last_day:%Y年%m月%d日}"
    if backdated:
        appeal.save()
        _event(
            appeal,
            EventKind.PAUSE_REQUEST,
            actor,
            appeal.registered_unit,
            f"申请补记期限中止：{span}（{ground}，{reason}），须经信访督办员同意后生效。",
            public=False,
        )
        return appeal
    _apply_pause(appeal, clock, pause, actor, today)
    return appeal


def _apply_pause(appeal, clock, pause, actor, today):
    deadlines.settle(appeal, clock, today=today)
    appeal.save()
    _event(
        appeal,
        EventKind.PAUSE,
        actor,
        appeal.registered_unit,
        f"{pause.first_day:%Y年%m月%d日}至{pause.last_day:%Y年%m月%d日}不计入期限"
        f"（{pause.ground}：{pause.reason}），期限调整为 {appeal.due_date:%Y年%m月%d日}",
    )


@transaction.atomic
def decide_pause(appeal, actor, *, pause, approve: bool, note="", version=None):
    """A supervisor decides a backdated pause; never the person who asked for it."""
    appeal = _claim(appeal, version)
    pause = Pause.objects.select_related("ground", "clock").filter(pk=getattr(pause, "pk", None)).first()
    if pause is None or pause.appeal_id != appeal.pk or pause.state != Pause.State.PENDING:
        raise ActionError("没有待同意的期限中止。")
    if pause.requested_by_id == actor.pk:
        raise ActionError("补记的期限中止须由申请人以外的信访督办员同意。")
    pause.decided_by, pause.decided_at = actor, timezone.now()
    if not approve:
        pause.state = Pause.State.REJECTED
        pause.save(update_fields=["state", "decided_by", "decided_at"])
        appeal.save()
        _event(
            appeal,
            EventKind.PAUSE_REJECTED,
            actor,
            appeal.registered_unit,
            note or "不同意补记",
            public=False,
        )
        return appeal
    if pause.clock.stopped_at is not None:
        raise ActionError("该期限已经结束，补记的中止不再适用。")
    pause.state = Pause.State.APPROVED
    pause.save(update_fields=["state", "decided_by", "decided_at"])
    _apply_pause(appeal, pause.clock, pause, actor, _today())
    return appeal
