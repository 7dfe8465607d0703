"""Every state change of an appeal, one function each.

Each action is atomic: it claims the appeal by its version (so two handlers acting
at once cannot both succeed), checks the state, writes the change and an Event on
the timeline, and queues notifications to be sent after commit. The statutory clocks
move only through `deadlines`. Callers check permissions first (`access.require`);
actions check the law, citing the article of 信访工作条例 (2022) they apply.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from grassroots.lib import crypto
from grassroots.lib.actions import ActionError, Conflict, claim, require_status, require_text
from grassroots.notify.events import notify_after_commit
from grassroots.workcal.models import PauseGround
from textcore.dedupe import DuplicateIndex

from . import deadlines
from .models import (
    CONTENT_MAX_CHARS,
    MAX_REPRESENTATIVES,
    ROUTES_NAMING_AN_ORGAN,
    Appeal,
    Attachment,
    Delivery,
    DispatchRule,
    Document,
    DoubtfulRequest,
    Event,
    EventKind,
    IdentityReveal,
    Pause,
    Rating,
    RedirectRoute,
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
    new_matter_reason="",
) -> Appeal:
    """登记. With a `submission_token` a repeated submit returns the first appeal.

    The same petitioner's matter closed by 复核 is not accepted again (§36 ¶3): it is refused with
    FinalMatter unless staff record, as `new_matter_reason`, why it is a new matter."""
    if submission_token:
        existing = Appeal.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    title = require_text(title, "标题", 100)
    content = require_text(content, "诉求内容", CONTENT_MAX_CHARS)
    petitioner_name = require_text(petitioner_name, "信访人姓名", 50)
    if is_group:
        if not 1 <= len(representatives) <= MAX_REPRESENTATIVES:
            raise ActionError(f"集体访应推选 1 至 {MAX_REPRESENTATIVES} 名代表（信访工作条例第二十条）。")
    elif representatives:
        raise ActionError("只有集体访需要填写代表。")
    if is_report and accused_unit is None:
        raise ActionError("检举件请选择被检举单位，以便回避。")
    phone, id_number = phone.strip(), id_number.strip().upper()
    new_matter_reason = require_text(new_matter_reason, "新的事实和理由", TEXT_MAX, required=False)
    if not new_matter_reason:
        final = final_matter(phone, id_number, title, content)
        if final is not None:
            raise FinalMatter(final)

    appeal = Appeal(
        submission_token=submission_token or None,
        channel=channel,
        title=title,
        content=content,
        category=category,
        place_unit=place_unit,
        address=address.strip(),
        petitioner_name=petitioner_name,
        phone_encrypted=crypto.encrypt(phone),
        id_number_encrypted=crypto.encrypt(id_number),
        phone_digest=crypto.digest("phone", phone),
        id_digest=crypto.digest("id_number", id_number),
        new_matter_reason=new_matter_reason,
        is_group=is_group,
        headcount=max(headcount, len(representatives), 1),
        is_report=is_report,
        accused_unit=accused_unit if is_report else None,
        registered_unit=registered_unit,
        registered_by=actor if actor and actor.is_authenticated else None,
        suggested_unit=DispatchRule.suggest(category, place_unit),
    )
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        if submission_token:
            existing = Appeal.objects.filter(submission_token=submission_token).first()
            if existing:  # the other click won the race
                return existing
        raise
    deadlines.start(appeal, deadlines.DISPATCH, _today(), today=_today())
    appeal.save(update_fields=["clock", "due_date", "due_provisional"])
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
        appeal,
        EventKind.REGISTER,
        actor,
        registered_unit,
        f"通过「{appeal.get_channel_display()}」渠道登记",
        internal_note=f"复核终结事项的新的事实和理由：{new_matter_reason}" if new_matter_reason else "",
    )
    notify_after_commit("registered", appeal)
    return appeal


class FinalMatter(ActionError):
    """The petitioner's matter was closed by 复核: not accepted again (§36 ¶3)."""

    def __init__(self, final: Appeal):
        closed = timezone.localdate(final.closed_at) if final.closed_at else None
        when = f"已于 {closed:%Y年%m月%d日} " if closed else "已"
        super().__init__(
            f"该信访人反映的同一事项（查询码 {final.tracking_code}）{when}复核终结。依照《信访工作条例》"
            "第三十六条，以同一事实和理由提出的投诉请求不再受理。如确属新的事实和理由，请写明后登记。"
        )
        self.final = final


def final_matter(phone: str, id_number: str, title: str, content: str) -> Appeal | None:
    """An appeal of the same petitioner (same phone or ID number) closed by 复核 whose text the
    text core's duplicate finder takes for the same matter as this one."""
    same_person = Q(pk__in=[])
    if phone:
        same_person |= Q(phone_digest=crypto.digest("phone", phone))
    if id_number:
        same_person |= Q(id_digest=crypto.digest("id_number", id_number))
    finals = {a.pk: a for a in Appeal.objects.filter(same_person, final=True).order_by("-closed_at")[:50]}
    if not finals:
        return None
    index = DuplicateIndex()
    index.add_many(list(finals), [f"{a.title}\n{a.content}" for a in finals.values()])
    found = index.query(f"{title}\n{content}", k=1)
    return finals[found[0][0]] if found else None


@transaction.atomic
def not_accept(appeal, actor, *, reason, route, organ="", version=None):
    """不予受理, with the reason and where the petitioner should turn told to them (§23 ¶1: 告知
    信访人向有权处理的机关、单位提出; §31 the other legal routes; §36 ¶3 a matter closed by 复核)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REGISTERED, Status.OBJECTED)
    appeal.reason = require_text(reason, "不予受理的理由", TEXT_MAX)
    if route not in RedirectRoute.values:
        raise ActionError("请选择信访人应当通过的途径（第二十三条、第三十一条）。")
    organ = require_text(organ, "有权处理的机关、单位", 100, required=route in ROUTES_NAMING_AN_ORGAN)
    appeal.redirect_route = route
    appeal.redirect_organ = "" if route == RedirectRoute.FINAL else organ
    appeal.status = Status.NOT_ACCEPTED
    appeal.closed_at = timezone.now()
    deadlines.stop(appeal, today=_today())
    appeal.save()
    _event(
        appeal,
        EventKind.NOT_ACCEPT,
        actor,
        appeal.registered_unit,
        f"{appeal.reason}\n{appeal.redirect_text()}",
    )
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
    deadlines.stop(appeal, today=_today())
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


# --- written answers and their delivery -----------------------------------------------------------


@transaction.atomic
def reply(appeal, actor, *, text, version=None):
    """书面答复意见: concludes handling. The petitioner's 30 days to ask for 复查 start when the
    answer reaches them (record_delivery), not today (§35)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    appeal.reply_text = require_text(text, "答复意见", CONTENT_MAX_CHARS)
    appeal.status = Status.REPLIED
    appeal.replied_at = timezone.now()
    deadlines.start(appeal, deadlines.REVIEW_REQUEST, None, today=_today())
    appeal.save()
    _event(appeal, EventKind.REPLY, actor, appeal.handling_unit, appeal.reply_text)
    notify_after_commit("replied", appeal)
    return appeal


# the window each written answer opens, and the statuses in which it is the latest answer
DOCUMENT_WINDOW = {Document.REPLY: deadlines.REVIEW_REQUEST, Document.REVIEW: deadlines.RECHECK_REQUEST}


def latest_document(appeal) -> str | None:
    """The written answer the petitioner is to receive now: reply, 复查 or 复核 opinion."""
    if appeal.final:
        return Document.RECHECK
    if appeal.review_text and appeal.status in (Status.REVIEWED, Status.CLOSED):
        return Document.REVIEW
    if appeal.reply_text and appeal.status in (Status.REPLIED, Status.CLOSED):
        return Document.REPLY
    return None


@transaction.atomic
def record_delivery(appeal, actor, *, method, delivered_on: date, note="", version=None):
    """送达: the latest written answer reached the petitioner on `delivered_on`. The window it opens
    counts from the earliest delivery recorded (§35: 自收到书面答复之日起)."""
    appeal = _claim(appeal, version)
    document = latest_document(appeal)
    if document is None:
        raise ActionError("尚无需要送达的书面意见。")
    if method not in Delivery.Method.values or method == Delivery.Method.PORTAL:
        raise ActionError("请选择送达方式：短信、邮寄或当面送达（网上查阅由系统自动记录）。")
    answered_on = timezone.localdate(_answered_at(appeal, document))
    if delivered_on is None or not answered_on <= delivered_on <= _today():
        raise ActionError(f"送达日期应在书面意见出具之日（{answered_on:%Y年%m月%d日}）至今天之间。")
    _deliver(
        appeal, document, method, delivered_on, actor, require_text(note, "送达说明", 200, required=False)
    )
    appeal.save()
    return appeal


def record_portal_view(appeal) -> Delivery | None:
    """The petitioner opened the latest written answer on the portal today: delivered, once."""
    document = latest_document(appeal)
    if (
        document is None
        or appeal.deliveries.filter(document=document, method=Delivery.Method.PORTAL).exists()
    ):
        return None
    try:
        with transaction.atomic():
            fresh = _claim(appeal, None)
            delivery = _deliver(fresh, document, Delivery.Method.PORTAL, _today(), None, "")
            fresh.save()
    except (Conflict, IntegrityError):  # changed meanwhile, or opened twice at once: a later view records it
        return None
    return delivery


def _answered_at(appeal, document):
    if document == Document.REPLY:
        return appeal.replied_at
    kind = EventKind.REVIEW_DECISION if document == Document.REVIEW else EventKind.RECHECK_DECISION
    event = appeal.events.filter(kind=kind).order_by("-at").first()
    return event.at if event else appeal.replied_at


def _deliver(appeal, document, method, delivered_on, actor, note) -> Delivery:
    delivery = Delivery.objects.create(
        appeal=appeal,
        document=document,
        method=method,
        delivered_on=delivered_on,
        note=note,
        recorded_by=actor,
    )
    text = f"{Document(document).label}已于 {delivered_on:%Y年%m月%d日} {delivery.get_method_display()}"
    window = deadlines.window(appeal, DOCUMENT_WINDOW[document]) if document in DOCUMENT_WINDOW else None
    if window is not None and window.running:
        received = appeal.deliveries.filter(document=document).order_by("delivered_on").first().delivered_on
        if window.start != received:
            window.start = received
            window.save(update_fields=["start"])
            deadlines.settle(appeal, window, today=_today())
        text += f"；申请{'复查' if document == Document.REPLY else '复核'}的期限至 {window.due:%Y年%m月%d日}"
    _event(appeal, EventKind.DELIVERY, actor, None, text + "。")
    return delivery


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
    """Which request the petitioner may make now: "review" (复查), "recheck" (复核) or None.

    The window opens with the written answer and counts from its delivery: until it is delivered
    the 30 days have not begun. Past the entered holiday schedule its end is provisional, and the
    petitioner may rely on the latest day the law could let it end."""
    today = today or _today()
    clock = deadlines.current(appeal)
    if appeal.final or clock is None or clock.rule not in deadlines.PETITIONER_WINDOWS:
        return None
    stage = deadlines.PETITIONER_WINDOWS[clock.rule]
    answered = Status.REPLIED if stage == "review" else Status.REVIEWED
    if appeal.status not in (answered, Status.CLOSED):
        return None
    return stage if _within(clock, today) else None


def _within(clock, today) -> bool:
    if clock.start is None:  # not delivered yet: the window has not begun
        return True
    return today <= (clock.latest_due or clock.due)


def request_review(appeal, actor=None, *, reason, version=None):
    """复查 (§35) within 30 days of receiving the written answer, then 复核 (§36) within 30 days of
    receiving the 复查 opinion; decided by the organ above the one that answered.

    A request refused as out of time, or for want of a configured reviewing organ, is kept on
    record (DoubtfulRequest): a later calendar or configuration change may show it should have
    been taken."""
    reason = require_text(reason, "申请理由", TEXT_MAX)
    actor = actor if actor and actor.is_authenticated else None
    fresh = Appeal.objects.select_related("handling_unit", "review_unit").get(pk=appeal.pk)
    stage = review_stage_open(fresh)
    if stage is None:
        if fresh.final:
            raise ActionError("该事项已经复核终结，同一诉求不再受理（信访工作条例第三十六条）。")
        window = deadlines.current(fresh)
        if window is not None and window.rule in deadlines.PETITIONER_WINDOWS:
            _doubtful(fresh, window, DoubtfulRequest.Outcome.REFUSED_LATE, reason, actor)
            raise ActionError(
                f"申请期限已于 {window.due:%Y年%m月%d日} 届满（自收到书面意见之日起 {window.days} 日内，"
                f"{window.basis}），未予受理。申请已登记在案。"
            )
        raise ActionError("当前不能申请复查、复核：尚未出具书面答复意见或复查意见。")
    answered_by = fresh.handling_unit if stage == "review" else fresh.review_unit
    organ = answered_by.reviewing_organ()
    if organ is None or organ.pk == answered_by.pk:
        _doubtful(fresh, deadlines.current(fresh), DoubtfulRequest.Outcome.NO_ORGAN, reason, actor)
        raise ActionError(
            f"「{answered_by.name}」没有上级机关，系统尚未配置其复查（复核）机关，暂不能受理。"
            "申请已登记在案，已请系统管理员配置。"
        )
    return _take_review_request(appeal, actor, stage, organ, reason, version, received=_today())


def _doubtful(appeal, window, outcome, reason, actor):
    DoubtfulRequest.objects.create(
        appeal=appeal,
        window=window,
        stage=deadlines.PETITIONER_WINDOWS.get(window.rule, "") if window else "",
        outcome=outcome,
        window_due=window.due if window else None,
        reason=reason,
        actor=actor,
    )
    _event(
        appeal,
        EventKind.REQUEST_REFUSED,
        actor,
        None,
        f"{DoubtfulRequest.Outcome(outcome).label}：{reason}",
        public=False,
    )


@transaction.atomic
def _take_review_request(appeal, actor, stage, organ, reason, version, *, received: date):
    appeal = _claim(appeal, version)
    window = deadlines.current(appeal)
    if review_stage_open(appeal) != stage:
        raise ActionError("办理情况刚刚有更新，请查看最新情况后再提交。")
    if window.start is not None and window.provisional and _today() > window.due:
        _doubtful(appeal, window, DoubtfulRequest.Outcome.PROVISIONAL, reason, actor)
    appeal.review_unit = organ
    appeal.status = Status.REVIEWING if stage == "review" else Status.RECHECKING
    decide = deadlines.REVIEW_DECIDE if stage == "review" else deadlines.RECHECK_DECIDE
    deadlines.start(appeal, decide, received, today=_today())
    appeal.save()
    kind = EventKind.REVIEW_REQUEST if stage == "review" else EventKind.RECHECK_REQUEST
    _event(appeal, kind, actor, appeal.review_unit, reason)
    notify_after_commit("review_requested", appeal)
    return appeal


@transaction.atomic
def decide_review(appeal, actor, *, text, version=None):
    """The 复查/复核 opinion. After 复核 the matter is final (§36 ¶3)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REVIEWING, Status.RECHECKING)
    text = require_text(text, "复查/复核意见", CONTENT_MAX_CHARS)
    if appeal.status == Status.REVIEWING:
        appeal.review_text = text
        appeal.status = Status.REVIEWED
        appeal.unsatisfied = False
        deadlines.start(appeal, deadlines.RECHECK_REQUEST, None, today=_today())  # from delivery, §36
        kind = EventKind.REVIEW_DECISION
    else:
        appeal.recheck_text = text
        appeal.status = Status.CLOSED
        appeal.final = True
        appeal.unsatisfied = False
        appeal.closed_at = timezone.now()
        deadlines.stop(appeal, today=_today())
        kind = EventKind.RECHECK_DECISION
    appeal.save()
    _event(appeal, kind, actor, appeal.review_unit, text)
    notify_after_commit("review_decided", appeal)
    return appeal


# --- requests kept on record ---------------------------------------------------------------------


def reassess_doubtful_requests(today: date | None = None) -> int:
    """After the calendar or the configuration changed: mark the requests on record whose refusal
    (or provisional acceptance) the new facts contradict; returns how many were newly marked."""
    today = today or _today()
    marked = 0
    pending = DoubtfulRequest.objects.filter(resolution="", needs_attention=False).select_related(
        "window", "appeal__handling_unit", "appeal__review_unit"
    )
    for request in pending:
        note = _contradiction(request)
        if note:
            request.needs_attention, request.attention_note = True, note
            request.save(update_fields=["needs_attention", "attention_note"])
            marked += 1
        elif _confirmed_by_schedule(request):
            _resolve(
                request, None, DoubtfulRequest.Resolution.CONFIRMED, "节假日安排录入后确认申请时在期限内。"
            )
    return marked


def _confirmed_by_schedule(request) -> bool:
    """A request taken on a provisional end that the entered schedule shows was in time."""
    window = request.window
    return (
        request.outcome == DoubtfulRequest.Outcome.PROVISIONAL
        and window is not None
        and not window.provisional
        and request.requested_on <= window.due
    )


def _contradiction(request) -> str:
    window, asked = request.window, request.requested_on
    Outcome = DoubtfulRequest.Outcome
    if request.outcome == Outcome.REFUSED_LATE and window is not None and window.due is not None:
        if asked <= (window.latest_due or window.due):
            return f"按更新后的工作日历，申请期限至 {window.due:%Y年%m月%d日}，申请时尚在期限内，请重新受理。"
    if request.outcome == Outcome.PROVISIONAL and window is not None and not window.provisional:
        if asked > window.due:
            return f"按录入的节假日安排，申请期限已于 {window.due:%Y年%m月%d日} 届满，请审查此前的受理。"
    if request.outcome == Outcome.NO_ORGAN:
        appeal = request.appeal
        answered_by = appeal.handling_unit if request.stage == "review" else appeal.review_unit
        organ = answered_by.reviewing_organ() if answered_by else None
        if organ is not None and organ.pk != answered_by.pk:
            return f"已配置复查（复核）机关「{organ.name}」，请重新受理。"
    return ""


def doubtful_requests_for(user, limit: int = 20) -> list[DoubtfulRequest]:
    """The requests on record that need the desk's attention, within the user's appeals, oldest
    first. There are few of them: they are read first, then checked against the user's scope."""
    from .access import visible_appeals

    pending = list(
        DoubtfulRequest.objects.filter(needs_attention=True, resolution="")
        .select_related("appeal")
        .order_by("requested_at", "id")[:500]
    )
    visible = set(
        visible_appeals(user).filter(pk__in=[r.appeal_id for r in pending]).values_list("pk", flat=True)
    )
    return [r for r in pending if r.appeal_id in visible][:limit]


@transaction.atomic
def reopen_request(request, actor, *, note=""):
    """重新受理: take a request on record as made on the day it was made; the organ's 30 days run
    from that day (§35–36: 自收到复查（复核）请求之日起)."""
    request = DoubtfulRequest.objects.select_for_update().select_related("appeal").get(pk=request.pk)
    if request.resolution:
        raise ActionError("该申请已处理。")
    appeal = request.appeal
    if request.outcome == DoubtfulRequest.Outcome.PROVISIONAL:
        raise ActionError("该申请已经受理，只需确认或另行处理。")
    answered_by = appeal.handling_unit if request.stage == "review" else appeal.review_unit
    organ = answered_by.reviewing_organ() if answered_by else None
    if organ is None or organ.pk == answered_by.pk:
        raise ActionError("尚未配置复查（复核）机关，暂不能重新受理。")
    stage = request.stage
    expected = Status.REPLIED if stage == "review" else Status.REVIEWED
    if appeal.final or appeal.status not in (expected, Status.CLOSED):
        raise ActionError(f"诉求当前状态为「{appeal.get_status_display()}」，不能重新受理该申请。")
    appeal = _claim(appeal, None)
    appeal.review_unit = organ
    appeal.status = Status.REVIEWING if stage == "review" else Status.RECHECKING
    decide = deadlines.REVIEW_DECIDE if stage == "review" else deadlines.RECHECK_DECIDE
    deadlines.start(appeal, decide, request.requested_on, today=_today())
    appeal.save()
    kind = EventKind.REVIEW_REQUEST if stage == "review" else EventKind.RECHECK_REQUEST
    _event(
        appeal,
        EventKind.REQUEST_REOPENED,
        actor,
        appeal.registered_unit,
        note or request.attention_note,
        public=False,
    )
    _event(appeal, kind, actor, appeal.review_unit, request.reason)
    _resolve(request, actor, DoubtfulRequest.Resolution.REOPENED, note)
    notify_after_commit("review_requested", appeal)
    return appeal


@transaction.atomic
def confirm_request(request, actor, *, note):
    """维持原处理: the desk looked at a request on record and keeps what was done, saying why."""
    request = DoubtfulRequest.objects.select_for_update().get(pk=request.pk)
    if request.resolution:
        raise ActionError("该申请已处理。")
    note = require_text(note, "维持原处理的理由", 500)
    _resolve(request, actor, DoubtfulRequest.Resolution.CONFIRMED, note)
    _event(request.appeal, EventKind.REQUEST_REFUSED, actor, None, f"审查后维持原处理：{note}", public=False)
    return request


def _resolve(request, actor, resolution, note):
    request.resolution, request.resolved_by, request.resolved_at = resolution, actor, timezone.now()
    request.resolution_note = (note or "")[:500]
    request.save(update_fields=["resolution", "resolved_by", "resolved_at", "resolution_note"])


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
    """After a calendar edit: every clock it may move follows (deadlines.recompute_all), each
    change on the appeal's timeline; then the requests on record are looked at again. Returns how
    many appeals' deadlines changed."""
    changed = deadlines.recompute_all(_today())
    for clock, before in changed:
        _event(
            clock.appeal,
            EventKind.DEADLINE_RECOMPUTED,
            None,
            None,
            f"工作日历更新，{clock.basis}规定的期限由 {before} 调整为 {clock.due}"
            + ("（暂定）" if clock.provisional else ""),
            public=False,
        )
    reassess_doubtful_requests()
    return len({clock.appeal_id for clock, _before in changed})
