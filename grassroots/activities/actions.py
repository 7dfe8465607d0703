"""Every change to a grassroots activity, one function each.

Each action is atomic and writes an ActivityEvent on the activity's timeline. Forms carry a
one-time token so a double-clicked submit records once; an edit claims the activity by its
version so that of two people editing at once one wins and the other is told. Turning a
resident's concern into an appeal or a ledger problem claims the concern by a conditional
update, so a double click never makes two. Callers check permissions first (`access.require`);
actions check the state and the data.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.models import UnitKind
from grassroots.appeals import actions as appeal_actions
from grassroots.appeals.access import desk_units
from grassroots.appeals.models import Channel
from grassroots.ledger import actions as ledger_actions
from grassroots.ledger.access import keeping_units
from grassroots.ledger.models import Source
from grassroots.lib import crypto
from grassroots.lib.actions import ActionError, AlreadyDone, Conflict, claim, require_text
from grassroots.reception.models import Booking, ReceptionAppeal, ReceptionDay

from .access import reception_day_has_taken_place
from .models import (
    CONCERN_MAX_CHARS,
    DURATION_MAX_MINUTES,
    QUESTION_MAX_CHARS,
    SUMMARY_MAX_CHARS,
    Activity,
    ActivityConcern,
    ActivityEvent,
    ActivityFile,
    EventKind,
    Kind,
    OutreachQuestion,
)

EDITABLE = [
    "kind",
    "title",
    "unit",
    "other_participants",
    "place",
    "address",
    "latitude",
    "longitude",
    "date",
    "duration_minutes",
    "summary",
    "outcome",
    "outreach_topic",
    "policies",
    "speaker",
    "audience_count",
]
OUTREACH_ONLY = ["outreach_topic", "policies", "speaker", "audience_count"]
# which ledger source a problem found at an activity of each kind has
LEDGER_SOURCE = {Kind.RESEARCH: Source.RESEARCH, Kind.ONSITE: Source.ONSITE}


# --- checks ---------------------------------------------------------------------------------------


def _coordinate(value, what, limit) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ActionError(f"{what}应为数字。") from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise ActionError(f"{what}应在 -{limit} 至 {limit} 之间（现为 {value}）。")
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _duration(value) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise ActionError("请填写活动时长（分钟）。") from None
    if not 1 <= minutes <= DURATION_MAX_MINUTES:
        raise ActionError(f"活动时长应在 1 至 {DURATION_MAX_MINUTES} 分钟之间（现为 {minutes} 分钟）。")
    return minutes


def _clean(fields: dict) -> dict:
    """The activity's fields checked and normalised; what only 宣讲 has is emptied for other kinds."""
    f = dict(fields)
    if f.get("kind") not in Kind.values:
        raise ActionError("请选择活动类型。")
    f["title"] = require_text(f.get("title"), "活动名称", 200)
    if f.get("unit") is None:
        raise ActionError("请选择组织单位。")
    if f.get("place") is None or f["place"].kind != UnitKind.AREA:
        raise ActionError("请选择活动地点（区域）。")
    if not f.get("officials"):
        raise ActionError("请至少选择一名参加活动的领导干部。")
    f["other_participants"] = require_text(f.get("other_participants"), "其他参加人员", 300, required=False)
    f["address"] = require_text(f.get("address"), "详细地址", 200, required=False)
    f["latitude"] = _coordinate(f.get("latitude"), "纬度", 90)
    f["longitude"] = _coordinate(f.get("longitude"), "经度", 180)
    if (f["latitude"] is None) != (f["longitude"] is None):
        raise ActionError("地图坐标请同时填写纬度和经度，或都不填。")
    if not isinstance(f.get("date"), date):
        raise ActionError("请填写活动日期。")
    if f["date"] > timezone.localdate():
        raise ActionError("活动日期不能晚于今天：这里记录已经开展的活动。")
    f["duration_minutes"] = _duration(f.get("duration_minutes"))
    f["summary"] = require_text(f.get("summary"), "活动纪要", SUMMARY_MAX_CHARS, required=False)
    f["outcome"] = require_text(f.get("outcome"), "成效与后续", SUMMARY_MAX_CHARS, required=False)
    if f["kind"] == Kind.OUTREACH:
        f["outreach_topic"] = require_text(f.get("outreach_topic"), "宣讲主题", 200)
        f["policies"] = require_text(f.get("policies"), "宣讲的政策", SUMMARY_MAX_CHARS, required=False)
        f["speaker"] = require_text(f.get("speaker"), "宣讲人", 100, required=False)
        count = f.get("audience_count")
        if count is not None and (not isinstance(count, int) or count < 0 or count > 1_000_000):
            raise ActionError("听众人数应为 0 至 1000000 之间的整数。")
    else:
        f.update(outreach_topic="", policies="", speaker="", audience_count=None)
    return f


def _event(activity, kind, actor, note="", submission_token=None) -> ActivityEvent:
    return ActivityEvent.objects.create(
        activity=activity,
        kind=kind,
        actor=actor,
        note=(note or "").strip(),
        submission_token=submission_token or None,
    )


def _store_files(activity, event, actor, files):
    ActivityFile.store(files, actor, activity=activity, event=event)


def _insert_once(obj, model, submission_token):
    """Save `obj`; if another submit with the same token won the race, return that one instead."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        existing = (
            model.objects.filter(submission_token=submission_token).first() if submission_token else None
        )
        if existing is None:
            raise
        return existing
    return obj


# --- the activity ---------------------------------------------------------------------------------


@transaction.atomic
def create(*, actor, submission_token=None, files=(), reception_day=None, **fields) -> Activity:
    """记录活动. With a `submission_token` a repeated submit returns the first activity."""
    if submission_token:
        existing = Activity.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    fields = _clean(fields)
    activity = Activity(
        submission_token=submission_token or None,
        created_by=actor,
        reception_day=reception_day,
        **{k: fields[k] for k in EDITABLE},
    )
    saved = _insert_once(activity, Activity, submission_token)
    if saved is not activity:  # the other click won the race
        return saved
    activity.officials.set(fields["officials"])
    if reception_day is not None:
        event = _event(
            activity, EventKind.RECEPTION, actor, f"由 {reception_day.date:%Y-%m-%d} 领导接访日记录"
        )
    else:
        event = _event(activity, EventKind.CREATE, actor)
    _store_files(activity, event, actor, files)
    return activity


def _edited_by_someone(fresh: Activity) -> Conflict:
    last = fresh.events.filter(kind=EventKind.EDIT).select_related("actor").last()
    by = f"（{last.actor or '他人'}，{timezone.localtime(last.at):%m-%d %H:%M}）" if last else ""
    return Conflict(f"这次活动已被他人修改{by}，您的修改未保存。请查看最新内容后再修改。")


def _claim(activity: Activity, expected_version) -> Activity:
    """Take the activity for this edit, or raise Conflict if someone changed it meanwhile."""
    fetch = Activity.objects.select_related("unit", "place")
    return claim(activity, expected_version, fetch=fetch, refused=_edited_by_someone)


@transaction.atomic
def edit(activity, actor, *, version=None, **fields) -> Activity:
    activity = _claim(activity, version)
    fields = _clean(fields)
    if activity.reception_day_id and fields["kind"] != Kind.RECEPTION:
        raise ActionError("这次活动由领导接访日记录，活动类型应为「接访/下访」。")
    changed = []
    for name in EDITABLE:
        if getattr(activity, name) != fields[name]:
            setattr(activity, name, fields[name])
            changed.append(str(Activity._meta.get_field(name).verbose_name))
    officials = {u.pk for u in fields["officials"]}
    if officials != set(activity.officials.values_list("pk", flat=True)):
        activity.officials.set(fields["officials"])
        changed.append(str(Activity._meta.get_field("officials").verbose_name))
    if not changed:
        raise ActionError("没有修改任何内容。")
    activity.save()
    _event(activity, EventKind.EDIT, actor, "修改了：" + "、".join(changed))
    return activity


@transaction.atomic
def attach(activity, actor, *, files, submission_token=None) -> ActivityEvent:
    """上传照片或材料 (already checked by lib.uploads). A repeated token stores nothing more."""
    if submission_token:
        existing = ActivityEvent.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    if not files:
        raise ActionError("请选择要上传的照片或材料。")
    event = ActivityEvent(
        activity=activity,
        kind=EventKind.ATTACH,
        actor=actor,
        note="、".join(f.name[:200] for f, _type in files),
        submission_token=submission_token or None,
    )
    saved = _insert_once(event, ActivityEvent, submission_token)
    if saved is event:
        _store_files(activity, event, actor, files)
    return saved


@transaction.atomic
def add_question(activity, actor, *, question, answer="", asker="", submission_token=None):
    """记录群众提问 and the answer given on the spot."""
    if submission_token:
        existing = OutreachQuestion.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    item = OutreachQuestion(
        activity=activity,
        question=require_text(question, "群众提问", QUESTION_MAX_CHARS),
        answer=require_text(answer, "现场解答", QUESTION_MAX_CHARS, required=False),
        asker=require_text(asker, "提问人", 100, required=False),
        created_by=actor,
        submission_token=submission_token or None,
    )
    saved = _insert_once(item, OutreachQuestion, submission_token)
    if saved is item:
        _event(activity, EventKind.QUESTION, actor, item.question[:100])
    return saved


@transaction.atomic
def add_concern(activity, actor, *, content, resident_name="", phone="", submission_token=None):
    """记录群众诉求: the phone (already normalised by the form) is stored encrypted."""
    if submission_token:
        existing = ActivityConcern.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    item = ActivityConcern(
        activity=activity,
        content=require_text(content, "群众反映的问题", CONCERN_MAX_CHARS),
        resident_name=require_text(resident_name, "群众姓名", 50, required=False),
        phone_encrypted=crypto.encrypt((phone or "").strip()),
        created_by=actor,
        submission_token=submission_token or None,
    )
    saved = _insert_once(item, ActivityConcern, submission_token)
    if saved is item:
        _event(activity, EventKind.CONCERN, actor, item.content[:100])
    return saved


# --- a concern becomes an appeal or a ledger problem ----------------------------------------------


def _already_converted(concern: ActivityConcern) -> AlreadyDone:
    if concern.appeal_id:
        return AlreadyDone(
            f"该诉求已转为信访诉求（查询码 {concern.appeal.tracking_code}），未重复登记。", concern.appeal
        )
    return AlreadyDone(f"该诉求已列入问题清单（问题 {concern.problem_id}），未重复列入。", concern.problem)


def _claim_concern(concern: ActivityConcern, actor) -> ActivityConcern:
    """Take a not yet converted concern for converting; of two clicks, the second finds it taken."""
    claimed = ActivityConcern.objects.filter(pk=concern.pk, appeal=None, problem=None).update(
        converted_by=actor, converted_at=timezone.now()
    )
    fresh = ActivityConcern.objects.select_related("activity", "appeal", "problem").get(pk=concern.pk)
    if claimed != 1:
        raise _already_converted(fresh)
    return fresh


def _origin_line(activity: Activity) -> str:
    d = activity.date
    return (
        f"（{d.year}年{d.month}月{d.day}日{activity.get_kind_display()}活动「{activity.title}」中群众反映）"
    )


@transaction.atomic
def convert_to_appeal(concern, actor, *, registered_unit, title, petitioner_name):
    """转为诉求: registered as a 下访接待 appeal at one of the actor's desks, linked to the concern."""
    concern = _claim_concern(concern, actor)
    if registered_unit is None or registered_unit.pk not in {u.pk for u in desk_units(actor)}:
        raise ActionError("所选登记单位不是您可以登记诉求的单位。")
    activity = concern.activity
    appeal = appeal_actions.register(
        registered_unit=registered_unit,
        actor=actor,
        channel=Channel.OUTREACH,
        title=title,
        content=f"{concern.content}\n{_origin_line(activity)}",
        petitioner_name=petitioner_name,
        phone=concern.phone,
        place_unit=activity.place,
        address=activity.address,
        submission_token=f"activity-concern-{concern.pk}",
    )
    concern.appeal = appeal
    concern.save(update_fields=["appeal"])
    _event(activity, EventKind.TO_APPEAL, actor, f"{concern.content[:60]} → 诉求 {appeal.tracking_code}")
    return appeal


@transaction.atomic
def convert_to_problem(
    concern, actor, *, domain, description, measures="", responsible_unit, responsible_leader=None, deadline
):
    """列入问题清单: a ledger problem from the concern, sourced by the activity's kind."""
    concern = _claim_concern(concern, actor)
    if responsible_unit is None or not keeping_units(actor).filter(pk=responsible_unit.pk).exists():
        raise ActionError("所选责任单位不在您可以列入问题清单的范围内。")
    if deadline is None or deadline < timezone.localdate():
        raise ActionError("整改时限不能早于今天。")
    activity = concern.activity
    problem = ledger_actions.create(
        actor=actor,
        submission_token=f"activity-concern-{concern.pk}",
        source=LEDGER_SOURCE.get(activity.kind, Source.APPEAL),
        appeal=None,
        domain=domain,
        place=activity.place,
        address=activity.address,
        description=f"{(description or '').strip()}\n{_origin_line(activity)}",
        measures=measures,
        responsible_unit=responsible_unit,
        responsible_leader=responsible_leader,
        deadline=deadline,
    )
    concern.problem = problem
    concern.save(update_fields=["problem"])
    _event(activity, EventKind.TO_PROBLEM, actor, f"{concern.content[:60]} → 问题 {problem.pk}")
    return problem


# --- a reception day becomes an activity ----------------------------------------------------------


def _area_of(unit):
    while unit is not None and unit.kind != UnitKind.AREA:
        unit = unit.parent
    return unit


def reception_summary(day: ReceptionDay) -> str:
    bookings = day.bookings.filter(status__in=Booking.HOLDING).count()
    attended = day.bookings.filter(status=Booking.Status.ATTENDED).count()
    appeals = ReceptionAppeal.objects.filter(day=day).count()
    parts = [f"{day.leader}在{day.address or '接访点'}接待来访群众。"]
    if day.topic:
        parts.append(f"接访主题：{day.topic}。")
    parts.append(f"预约 {bookings} 人，到场 {attended} 人，现场登记诉求 {appeals} 件。")
    return "".join(parts)


@transaction.atomic
def record_reception_day(day: ReceptionDay, actor) -> Activity:
    """记录为下基层活动: one activity of kind 接访 per published day that has taken place."""
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)  # two clicks record the day once
    existing = Activity.objects.filter(reception_day=day).first()
    if existing:
        raise AlreadyDone("这次接访已记录为下基层活动，未重复记录。", existing)
    if not day.published:
        raise ActionError("只有已发布的接访日可以记录为下基层活动。")
    if not reception_day_has_taken_place(day):
        raise ActionError("接访尚未结束，结束后才能记录为下基层活动。")
    start = datetime.combine(day.date, day.start_time)
    minutes = int((datetime.combine(day.date, day.end_time) - start).total_seconds() // 60)
    title = f"{day.leader}领导接访日" + (f"：{day.topic}" if day.topic else "")
    return create(
        actor=actor,
        reception_day=day,
        kind=Kind.RECEPTION,
        title=title[:200],
        unit=day.unit,
        officials=[day.leader],
        place=day.place_unit or _area_of(day.unit),
        address=day.address,
        date=day.date,
        duration_minutes=max(1, min(minutes, DURATION_MAX_MINUTES)),
        summary=reception_summary(day),
    )
