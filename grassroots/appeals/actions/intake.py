"""Intake: registration (with §36 ¶3's finality), 不予受理, categories and 重复件."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.lib import crypto
from grassroots.lib.actions import ActionError, require_status, require_text
from grassroots.notify.events import notify_after_commit
from textcore.dedupe import DuplicateIndex

from .. import deadlines
from ..models import (
    CONTENT_MAX_CHARS,
    MAX_REPRESENTATIVES,
    ROUTES_NAMING_AN_ORGAN,
    Appeal,
    Attachment,
    DispatchRule,
    EventKind,
    RedirectRoute,
    Representative,
    Status,
)
from .common import TEXT_MAX, _claim, _event, _today

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
