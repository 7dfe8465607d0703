"""Written answers and the petitioner's side: the reply, its delivery, 办结, ratings, and
复查 and 复核 (§35–36)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.models import Membership, Role, User
from grassroots.lib.actions import ActionError, Conflict, require_status, require_text
from grassroots.notify.events import notify_after_commit

from .. import deadlines
from ..models import (
    CONTENT_MAX_CHARS,
    Appeal,
    Delivery,
    Document,
    DoubtfulRequest,
    EventKind,
    Rating,
    ReviewDecision,
    Status,
)
from .common import TEXT_MAX, _claim, _event, _today

REVIEW_ROLES = {Role.CLERK, Role.SUPERVISOR, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER}

# --- written answers and their delivery -----------------------------------------------------------


@transaction.atomic
def reply(appeal, actor, *, text, version=None):
    """书面答复意见: concludes handling. The petitioner's 30 days to ask for 复查 start when the
    answer reaches them (record_delivery), not today (§35)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.HANDLING)
    appeal.reply_text = require_text(text, "答复意见", CONTENT_MAX_CHARS)
    appeal.rated = False  # a new answer, not rated yet
    appeal.status = Status.REPLIED
    appeal.replied_at = timezone.now()
    deadlines.start(appeal, deadlines.REVIEW_REQUEST, None, today=_today())
    appeal.save()
    _event(appeal, EventKind.REPLY, actor, appeal.handling_unit, appeal.reply_text)
    notify_after_commit("replied", appeal)
    return appeal


# the petitioner's window each written answer opens (a 复核 opinion opens none: it is final)
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
    appeal.rated = True
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
    """The written answer a rating now speaks of: the reply, the 复查 or 复核 opinion, or the
    reply given again after an opinion ordered the matter handled anew ("redo")."""
    if appeal.final:
        return "recheck"
    redone = ReviewDecision.REDO in (appeal.review_decision, appeal.recheck_decision)
    if redone and appeal.status in (Status.REPLIED, Status.CLOSED):
        return "redo"
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
    """Keep the request on record; a petitioner who tries again is kept once, by the first try
    (the earliest is the one a later calendar may show was in time)."""
    stage = deadlines.PETITIONER_WINDOWS.get(window.rule, "") if window else ""
    pending = DoubtfulRequest.objects.filter(appeal=appeal, stage=stage, outcome=outcome, resolution="")
    if outcome != DoubtfulRequest.Outcome.PROVISIONAL and pending.exists():
        return
    DoubtfulRequest.objects.create(
        appeal=appeal,
        window=window,
        stage=stage,
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


def review_handlers(appeal):
    """Who the reviewing organ's desk may give a 复查/复核 to: the organ's own staff, never anyone
    of the unit whose answer is under review (§35: the organ above reviews, not the unit itself)."""
    answered_by = appeal.handling_unit if appeal.status == Status.REVIEWING else _reviewed_unit(appeal)
    posts = Membership.objects.filter(
        unit__path__startswith=appeal.review_unit.path, role__in=REVIEW_ROLES, user__is_active=True
    )
    barred = [
        u.path for u in (answered_by, appeal.accused_unit if appeal.is_report else None) if u is not None
    ]
    people = User.objects.filter(pk__in=posts.values("user_id"))
    for path in barred:  # anyone with a post there, whatever else they hold (§30 for a 检举)
        people = people.exclude(memberships__unit__path__startswith=path)
    return people.distinct().order_by("display_name", "pk")


def _reviewed_unit(appeal):
    """The organ whose 复查 opinion a 复核 reviews: the one that decided the 复查."""
    event = appeal.events.filter(kind=EventKind.REVIEW_DECISION).select_related("unit").last()
    return event.unit if event else None


@transaction.atomic
def assign_review(appeal, actor, *, handler, note="", version=None):
    """分办: the reviewing organ's desk gives the 复查/复核 to one of the organ's staff."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REVIEWING, Status.RECHECKING)
    if handler is None or not review_handlers(appeal).filter(pk=handler.pk).exists():
        raise ActionError("请选择复查（复核）机关的工作人员承办；作出原答复的单位不能复查自己的答复。")
    appeal.review_handler = handler
    appeal.save()
    internal = f"分办给 {handler} 承办" + (f"：{note.strip()}" if note and note.strip() else "")
    _event(appeal, EventKind.REVIEW_ASSIGN, actor, appeal.review_unit, "已分办承办", internal_note=internal)
    notify_after_commit("review_assigned", appeal)
    return appeal


@transaction.atomic
def decide_review(appeal, actor, *, decision, text, version=None):
    """The 复查/复核 opinion: its decision on the answer under review, and the reasons.

    After 复核 the matter is final (§36 ¶3), unless the opinion orders it handled again
    (责令重新办理): then the handling unit handles it anew, on a fresh 60-day limit (§34)."""
    appeal = _claim(appeal, version)
    require_status(appeal, Status.REVIEWING, Status.RECHECKING)
    if decision not in ReviewDecision.values:
        raise ActionError("请选择复查（复核）结论：维持、撤销、变更或责令重新办理。")
    reasons = require_text(text, "复查/复核意见（理由）", CONTENT_MAX_CHARS)
    label = ReviewDecision(decision).label
    body = f"{label}。{reasons}"
    reviewing = appeal.status == Status.REVIEWING
    if reviewing:
        appeal.review_text, appeal.review_decision = body, decision
        kind = EventKind.REVIEW_DECISION
    else:
        appeal.recheck_text, appeal.recheck_decision = body, decision
        kind = EventKind.RECHECK_DECISION
    appeal.unsatisfied = appeal.rated = False  # a new answer, not rated yet
    appeal.review_handler = None
    if decision == ReviewDecision.REDO:
        appeal.status = Status.HANDLING
        deadlines.start(appeal, deadlines.CONCLUDE, _today(), today=_today())
    elif reviewing:
        appeal.status = Status.REVIEWED
        deadlines.start(appeal, deadlines.RECHECK_REQUEST, None, today=_today())  # from delivery, §36
    else:
        appeal.status = Status.CLOSED
        appeal.final = True
        appeal.closed_at = timezone.now()
        deadlines.stop(appeal, today=_today())
    appeal.save()
    _event(appeal, kind, actor, appeal.review_unit, body)
    notify_after_commit("review_decided", appeal)
    return appeal
