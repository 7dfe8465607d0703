"""Every state change of an appeal, one function each.

Each action is atomic: it claims the appeal by its version (so two handlers acting
at once cannot both succeed), checks the state, writes the change and an Event on
the timeline, and queues notifications to be sent after commit.
Callers check permissions first (`access.require`); actions check the law.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from grassroots.lib import crypto
from grassroots.lib.actions import ActionError, Conflict, claim, require_status, require_text
from grassroots.notify.events import notify_after_commit

from . import deadlines
from .models import (
    CONTENT_MAX_CHARS,
    MAX_REPRESENTATIVES,
    OPEN_STATUSES,
    Appeal,
    Attachment,
    DispatchRule,
    Event,
    EventKind,
    IdentityReveal,
    Pause,
    Rating,
    Representative,
    Status,
    Supervision,
)

TEXT_MAX = 2000  # reasons, notes and opinions short of a written reply


def _today() -> date:
    return timezone.localdate()


def _event(appeal, kind, actor=None, unit=None, note="", public=True, internal_note=""):
    return Event.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor,
        unit=unit,
        note=note,
        public=public,
        internal_note=internal_note.strip(),
    )


def _changed_by_someone(fresh: Appeal) -> Conflict:
    last = fresh.events.order_by("-at", "-id").first()
    what = f"{last.actor_label}刚刚进行了「{last.get_kind_display()}」操作，" if last else ""
    return Conflict(
        f"这条诉求已被他人更新：{what}当前状态为「{fresh.get_status_display()}」。"
        "您的操作未执行，请查看最新情况后再决定。"
    )


def _claim(appeal: Appeal, expected_version: int | None) -> Appeal:
    """Take the appeal for this action, or raise Conflict if it changed meanwhile."""
    return claim(appeal, expected_version, refused=_changed_by_someone)


# --- intake -----------------------------------------------------------------


@transaction.atomic
def register(
    *,
    registered_unit,
    actor,
    channel,
    title,
    content,
    petitioner_name,
    phone="",
    id_number="",
    category=None,
    place_unit=None,
    address="",
    is_group=False,
    headcount=1,
    representatives=(),
    is_report=False,
    accused_unit=None,
    attachments=(),
    submission_token=None,
) -> Appeal:
    """登记. With a `submission_token` a repeated submit returns the first appeal."""
    if submission_token:
        existing = Appeal.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    title = require_text(title, "标题", 100)
    content = require_text(content, "诉求内容", CONTENT_MAX_CHARS)
    petitioner_name = require_text(petitioner_name, "信访人姓名", 50)
    if is_group:
        if not 1 <= len(representatives) <= MAX_REPRESENTATIVES:
            raise ActionError(f"集体访应推选 1 至 {MAX_REPRESENTATIVES} 名代表（信访工作条例第十八条）。")
    elif representatives:
        raise ActionError("只有集体访需要填写代表。")
    if is_report and accused_unit is None:
        raise ActionError("检举件请选择被检举单位，以便回避。")

    appeal = Appeal(
        submission_token=submission_token or None,
        channel=channel,
        title=title,
        content=content,
        category=category,
        place_unit=place_unit,
        address=address.strip(),
        petitioner_name=petitioner_name,
        phone_encrypted=crypto.encrypt(phone.strip()),
        id_number_encrypted=crypto.encrypt(id_number.strip().upper()),
        is_group=is_group,
        headcount=max(headcount, len(representatives), 1),
        is_report=is_report,
        accused_unit=accused_unit if is_report else None,
        registered_unit=registered_unit,
        registered_by=actor if actor and actor.is_authenticated else None,
        suggested_unit=DispatchRule.suggest(category, place_unit),
    )
    deadlines.start_clock(appeal, deadlines.DISPATCH, _today())
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        if submission_token:
            existing = Appeal.objects.filter(submission_token=submission_token).first()
            if existing:  # the other click won the race
                return existing
        raise
    for name, rep_phone in representatives:
        Representative.objects.create(
            appeal=appeal,
            name=name.strip(),
            phone_encrypted=crypto.encrypt(rep_phone.strip()),
        )
    for f, content_type in attachments:
        Attachment.objects.create(
            appeal=appeal,
            file=f,
            original_name=f.name[:200],
            content_type=content_type,
            size=f.size,
        )
    actor = actor if actor and actor.is_authenticated else None
    _event(
        appeal, EventKind.REGISTER, actor, registered_unit, f"通过「{appeal.get_channel_display()}」渠道登记"
    )
    notify_after_commit("registered", appeal)
    return appeal


@transaction.atomic
def not_accept(appeal, actor, *, reason, version=None):
    """不予受理 (§21), with the reason told to the petitioner."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REGISTERED, Status.OBJECTED)
    appeal.reason = require_text(reason, "不予受理的理由", TEXT_MAX)
    appeal.status = Status.NOT_ACCEPTED
    appeal.closed_at = timezone.now()
    deadlines.stop_clock(appeal)
    appeal.save()
    _event(appeal, EventKind.NOT_ACCEPT, actor, appeal.registered_unit, appeal.reason)
    notify_after_commit("not_accepted", appeal)
    return appeal


@transaction.atomic
def categorize(appeal, actor, *, category, version=None):
    """确定分类: staff set or correct the category (a suggestion is only ever applied this way).
    Before dispatch the catalogue's suggested unit follows the new category."""
    appeal = _claim(appeal, version)
    if category is None or not category.is_active:
        raise ActionError("请选择一个启用中的分类。")
    before = appeal.category
    if before is not None and before.pk == category.pk:
        raise ActionError("分类没有变化。")
    appeal.category = category
    if appeal.status in (Status.REGISTERED, Status.OBJECTED):
        appeal.suggested_unit = DispatchRule.suggest(category, appeal.place_unit)
    appeal.save()
    note = (
        f"分类由「{before.full_name}」改为「{category.full_name}」"
        if before
        else f"分类：{category.full_name}"
    )
    _event(appeal, EventKind.CATEGORIZE, actor, appeal.registered_unit, note, public=False)
    return appeal


@transaction.atomic
def mark_duplicate(appeal, actor, *, original, version=None):
    """重复件 (§19): linked to the original, not re-opened."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REGISTERED, Status.OBJECTED)
    original = _first_of_chain(original)
    if original.pk == appeal.pk:
        raise ActionError("不能把诉求标为自身的重复件。")
    appeal.original = original
    appeal.status = Status.DUPLICATE
    appeal.closed_at = timezone.now()
    deadlines.stop_clock(appeal)
    appeal.save()
    # The public note leaves out the original's tracking code: it may be another person's.
    note = "与此前登记的同一事项合并办理（重复件）"
    if original.final:
        note += "；原件已复核终结，同一诉求不再受理（第三十六条）"
    _event(appeal, EventKind.DUPLICATE, actor, appeal.registered_unit, note)
    _event(
        original,
        EventKind.DUPLICATE,
        actor,
        appeal.registered_unit,
        f"收到重复件 {appeal.tracking_code}",
        public=False,
    )
    return appeal


def _first_of_chain(appeal: Appeal) -> Appeal:
    """The first appeal of a chain of repeats (an original may itself have become a repeat)."""
    seen = set()
    node = Appeal.objects.get(pk=appeal.pk)
    while node.original_id and node.original_id not in seen:
        seen.add(node.pk)
        node = Appeal.objects.get(pk=node.original_id)
    return node


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
    deadlines.start_clock(appeal, deadlines.INFORM, _today())
    appeal.save()
    _event(appeal, EventKind.DISPATCH, actor, unit, f"交办至{unit.name}", internal_note=note)
    notify_after_commit("dispatched", appeal)
    return appeal


@transaction.atomic
def object_to_dispatch(appeal, actor, *, reason, version=None):
    """The receiving unit objects to a wrong dispatch within 5 working days (§23)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.DISPATCHED)
    limit = deadlines.deadline_for(deadlines.OBJECTION, timezone.localdate(appeal.dispatched_at))
    if _today() > limit.due:
        raise ActionError(f"异议期限已于 {limit.due:%Y年%m月%d日} 届满（收到交办后 5 个工作日内）。")
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
        deadlines.start_clock(appeal, deadlines.DISPATCH, timezone.localdate(appeal.registered_at))
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
    deadlines.start_clock(appeal, deadlines.CONCLUDE, _today())
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
    """申请延期 (§34): once, at most 30 days, approved by the unit head."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    if appeal.extended:
        raise ActionError("办理期限只能延长一次（信访工作条例第三十四条）。")
    if appeal.extension_pending_days:
        raise ActionError("已有待审批的延期申请。")
    max_days = _extension_max_days()
    if not 1 <= days <= max_days:
        raise ActionError(f"延长期限应为 1 至 {max_days} 日。")
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


def _extension_max_days() -> int:
    from grassroots.workcal.models import DeadlineRule

    return DeadlineRule.objects.get(key=deadlines.EXTENSION_MAX).days


@transaction.atomic
def decide_extension(appeal, actor, *, approve: bool, note="", version=None):
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    if not appeal.extension_pending_days:
        raise ActionError("没有待审批的延期申请。")
    days = appeal.extension_pending_days
    appeal.extension_pending_days = 0
    if approve:
        appeal.extended = True
        appeal.clock_extra_days = days
        deadlines.recompute(appeal)
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


@transaction.atomic
def record_pause(appeal, actor, *, first_day: date, last_day: date, reason, version=None):
    """Days the law does not count (听证、鉴定 …) stop the clock (§36)."""
    appeal = _claim(appeal, version)
    if not appeal.is_open:
        raise ActionError("已办结的诉求不再计算期限。")
    if last_day < first_day:
        raise ActionError("中止期间的结束日期不能早于开始日期。")
    reason = require_text(reason, "中止原因", 200)
    Pause.objects.create(
        appeal=appeal,
        clock_rule=appeal.clock_rule,
        clock_start=appeal.clock_start,
        first_day=first_day,
        last_day=last_day,
        reason=reason,
    )
    deadlines.recompute(appeal)
    appeal.save()
    _event(
        appeal,
        EventKind.PAUSE,
        actor,
        appeal.registered_unit,
        f"{first_day:%m月%d日}至{last_day:%m月%d日}不计入期限（{reason}），"
        f"期限调整为 {appeal.due_date:%Y年%m月%d日}",
    )
    return appeal


@transaction.atomic
def reply(appeal, actor, *, text, version=None):
    """书面答复意见: concludes handling; the petitioner may rate it and ask for 复查."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    appeal.reply_text = require_text(text, "答复意见", CONTENT_MAX_CHARS)
    appeal.status = Status.REPLIED
    appeal.replied_at = timezone.now()
    deadlines.start_clock(appeal, deadlines.REVIEW_REQUEST, _today())
    appeal.save()
    _event(appeal, EventKind.REPLY, actor, appeal.handling_unit, appeal.reply_text)
    notify_after_commit("replied", appeal)
    return appeal


@transaction.atomic
def close(appeal, actor, *, note="", version=None):
    """办结. The petitioner keeps the right to ask for 复查 until the window ends."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REPLIED, Status.REVIEWED)
    appeal.status = Status.CLOSED
    appeal.closed_at = timezone.now()
    appeal.save()
    _event(appeal, EventKind.CLOSE, actor, appeal.registered_unit, "办结", internal_note=note)
    return appeal


# --- the petitioner's side -------------------------------------------------------


@transaction.atomic
def rate(appeal, *, score, comment=""):
    """The petitioner rates the latest written answer (reply, 复查 or 复核 opinion)."""
    appeal = _claim(appeal, None)
    stage = rated_stage(appeal)
    if stage is None:
        raise ActionError("尚未收到书面答复，暂不能评价。")
    if appeal.ratings.filter(stage=stage).exists():
        raise ActionError("您已评价过本次答复。")
    if score not in Rating.Score.values:
        raise ActionError("请选择满意、基本满意或不满意。")
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ActionError(f"评价意见不能超过 500 字（现有 {len(comment)} 字）。")
    rating = Rating.objects.create(appeal=appeal, stage=stage, score=score, comment=comment)
    appeal.unsatisfied = score == Rating.Score.UNSATISFIED
    appeal.save()
    _event(
        appeal,
        EventKind.RATE,
        None,
        None,
        f"评价：{rating.get_score_display()}" + (f"。{comment}" if comment else ""),
    )
    if appeal.unsatisfied:
        notify_after_commit("unsatisfied", appeal)
    return appeal


def rated_stage(appeal):
    if appeal.final:
        return "recheck"
    if appeal.review_text:
        return "review"
    if appeal.reply_text:
        return "reply"
    return None


def review_stage_open(appeal, today=None) -> str | None:
    """Which request the petitioner may make now: "review" (复查), "recheck" (复核) or None."""
    today = today or _today()
    if appeal.final or appeal.due_date is None or today > appeal.due_date:
        return None
    if appeal.clock_rule == deadlines.REVIEW_REQUEST and appeal.status in (Status.REPLIED, Status.CLOSED):
        return "review"
    if appeal.clock_rule == deadlines.RECHECK_REQUEST and appeal.status in (Status.REVIEWED, Status.CLOSED):
        return "recheck"
    return None


@transaction.atomic
def request_review(appeal, actor=None, *, reason, version=None):
    """复查 (§35) within 30 days of the reply, then 复核 (§36) within 30 days of the 复查 opinion;
    decided by the unit above the one that answered."""
    appeal = _claim(appeal, version)
    stage = review_stage_open(appeal)
    if stage is None:
        if appeal.final:
            raise ActionError("该事项已经复核终结，同一诉求不再受理（信访工作条例第三十六条）。")
        raise ActionError("已超过申请期限（收到书面意见之日起 30 日内），或当前不能申请复查、复核。")
    reason = require_text(reason, "申请理由", TEXT_MAX)
    answered_by = appeal.handling_unit if stage == "review" else appeal.review_unit
    appeal.review_unit = answered_by.parent or answered_by
    appeal.status = Status.REVIEWING if stage == "review" else Status.RECHECKING
    deadlines.start_clock(
        appeal,
        deadlines.REVIEW_DECIDE if stage == "review" else deadlines.RECHECK_DECIDE,
        _today(),
    )
    appeal.save()
    kind = EventKind.REVIEW_REQUEST if stage == "review" else EventKind.RECHECK_REQUEST
    actor = actor if actor and actor.is_authenticated else None
    _event(appeal, kind, actor, appeal.review_unit, reason)
    notify_after_commit("review_requested", appeal)
    return appeal


@transaction.atomic
def decide_review(appeal, actor, *, text, version=None):
    """The 复查/复核 opinion. After 复核 the matter is final."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REVIEWING, Status.RECHECKING)
    text = require_text(text, "复查/复核意见", CONTENT_MAX_CHARS)
    if appeal.status == Status.REVIEWING:
        appeal.review_text = text
        appeal.status = Status.REVIEWED
        appeal.unsatisfied = False
        deadlines.start_clock(appeal, deadlines.RECHECK_REQUEST, _today())
        kind = EventKind.REVIEW_DECISION
    else:
        appeal.recheck_text = text
        appeal.status = Status.CLOSED
        appeal.final = True
        appeal.unsatisfied = False
        appeal.closed_at = timezone.now()
        deadlines.stop_clock(appeal)
        kind = EventKind.RECHECK_DECISION
    appeal.save()
    _event(appeal, kind, actor, appeal.review_unit, text)
    notify_after_commit("review_decided", appeal)
    return appeal


# --- supervision and personal data ----------------------------------------------------


@transaction.atomic
def supervise(appeal, actor, *, note):
    """督办: a notice to the handling unit, on its inbox and the timeline."""
    if not appeal.is_open or appeal.handling_unit is None:
        raise ActionError("只能对已交办且未办结的诉求督办。")
    note = require_text(note, "督办意见", 1000)
    supervision = Supervision.objects.create(
        appeal=appeal,
        unit=appeal.handling_unit,
        sent_by=actor,
        note=note,
    )
    Appeal.objects.filter(pk=appeal.pk).update(version=F("version") + 1)
    _event(appeal, EventKind.SUPERVISE, actor, appeal.handling_unit, note, public=False)
    notify_after_commit("supervised", appeal, note=note)
    return supervision


def acknowledge_supervision(supervision):
    Supervision.objects.filter(pk=supervision.pk, acknowledged_at=None).update(acknowledged_at=timezone.now())


def reveal_identity(appeal, actor, *, ip=None) -> dict:
    """The petitioner's full contact details; every call is logged."""
    IdentityReveal.objects.create(appeal=appeal, user=actor, ip=ip)
    return {
        "phone": appeal.phone,
        "id_number": appeal.id_number,
        "representatives": [
            (r.name, crypto.decrypt(r.phone_encrypted)) for r in appeal.representatives.all()
        ],
    }


def recompute_open_deadlines() -> int:
    """After a calendar edit: recompute every clock still running — open appeals, and the
    petitioner's request windows not yet over; returns how many changed."""
    changed = 0
    running = (
        Appeal.objects.exclude(clock_rule="")
        .exclude(clock_start=None)
        .filter(Q(status__in=OPEN_STATUSES) | Q(due_date__gte=_today()))
        .prefetch_related("pauses")
    )
    for appeal in running:
        before = appeal.due_date
        if deadlines.recompute(appeal):
            Appeal.objects.filter(pk=appeal.pk).update(
                due_date=appeal.due_date,
                due_provisional=appeal.due_provisional,
            )
            _event(
                appeal,
                EventKind.DEADLINE_RECOMPUTED,
                None,
                None,
                f"节假日安排更新，期限由 {before} 调整为 {appeal.due_date}",
                public=False,
            )
            changed += 1
    return changed
