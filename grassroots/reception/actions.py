"""Every change to reception days, bookings, session appeals and 包案 goes through here.

Each function is atomic and raises lib.actions.ActionError with a Chinese message. Who may
act is decided in reception.access; each staff action asks it again, with its own refusal.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.appeals import actions as appeal_actions
from grassroots.lib import crypto
from grassroots.lib.actions import ActionError
from grassroots.lib.holidays_by_law import statutory_holidays
from grassroots.workcal.models import CalendarDay, load_calendar

from . import access, notify
from .models import Booking, CaseOwnership, ReceptionAppeal, ReceptionDay

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def phone_digest(phone: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ("reception:" + phone).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "JF" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def save_day(day: ReceptionDay, actor) -> ReceptionDay:
    if not access.is_leader_of(day.leader, day.unit):
        raise ActionError("所选人员不是该单位的领导干部，不能安排接访。")
    if not access.can(actor, "edit", day):
        raise ActionError("只有接访领导本人或该单位的信访督办员、接待登记员可以安排接访。")
    if day.end_time <= day.start_time:
        raise ActionError("结束时间应晚于开始时间。")
    if day.pk and day.capacity < day.booked_count():
        raise ActionError(f"已有 {day.booked_count()} 人预约，名额不能少于已预约人数。")
    if day.created_by_id is None:
        day.created_by = actor
    day.save()
    return day


def publish(day: ReceptionDay, actor, published=True) -> None:
    if not access.can(actor, "publish", day):
        raise ActionError("您没有权限发布此接访安排。")
    if published and day.date < timezone.localdate():
        raise ActionError("接访日期已过，不能发布。")
    day.published = published
    day.save(update_fields=["published"])


def _booked_with(submission_token):
    return Booking.objects.filter(submission_token=submission_token).first() if submission_token else None


def book(day_id, *, name, phone, description, submission_token=None) -> Booking:
    """Book a slot, or join the waiting list when the day is full. A repeated token returns the first
    booking, also when the two submits of a double-click arrive together."""
    existing = _booked_with(submission_token)
    if existing:
        return existing
    digest = phone_digest(phone)
    with transaction.atomic():
        # Lock the day so two residents never take the last slot at once.
        day = ReceptionDay.objects.select_for_update().filter(pk=day_id, published=True).first()
        if day is None or day.date < timezone.localdate():
            raise ActionError("该接访安排不存在或已结束。")
        existing = _booked_with(submission_token)  # the other click got the lock first
        if existing:
            return existing
        if day.bookings.filter(phone_digest=digest).exclude(status=Booking.Status.CANCELLED).exists():
            raise ActionError("该手机号已预约本次接访，同一手机号每场只能预约一次。")
        full = day.booked_count() >= day.capacity
        booking = Booking(
            day=day,
            name=name.strip(),
            phone_encrypted=crypto.encrypt(phone),
            phone_digest=digest,
            phone_last4=phone[-4:],
            description=description.strip(),
            code=_new_code(),
            status=Booking.Status.WAITING if full else Booking.Status.BOOKED,
            submission_token=submission_token or None,
        )
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError:
            existing = _booked_with(submission_token)
            if existing:
                return existing
            raise ActionError("该手机号已预约本次接访，同一手机号每场只能预约一次。") from None
        notify.notify_after_commit("reception_waiting" if full else "reception_booked", booking)
    return booking


def find_booking(code: str, last4: str):
    booking = Booking.objects.select_related("day", "day__leader").filter(code=code.strip().upper()).first()
    if booking is None or not hmac.compare_digest(booking.phone_last4, last4.strip()):
        return None
    return booking


def cancel(code: str, last4: str) -> Booking:
    """Cancel by code + last four digits of the phone; the first on the waiting list moves up."""
    found = find_booking(code, last4)
    if found is None:
        raise ActionError("预约码或手机号后四位不正确，请核对后重试。")
    with transaction.atomic():
        day = ReceptionDay.objects.select_for_update().get(pk=found.day_id)
        booking = Booking.objects.get(pk=found.pk)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.WAITING):
            raise ActionError("该预约已取消或接访已结束，无需取消。")
        if day.date < timezone.localdate():
            raise ActionError("接访日期已过，无法取消。")
        freed = booking.status == Booking.Status.BOOKED
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status", "changed_at"])
        if freed:
            _promote(day)
    return booking


def _promote(day) -> None:
    while day.booked_count() < day.capacity:
        first = day.bookings.filter(status=Booking.Status.WAITING).order_by("created_at", "id").first()
        if first is None:
            return
        first.status = Booking.Status.BOOKED
        first.save(update_fields=["status", "changed_at"])
        notify.notify_after_commit("reception_promoted", first)


def mark_attendance(booking: Booking, actor, attended: bool) -> None:
    if not access.can(actor, "attendance", booking.day):
        raise ActionError("您没有权限登记到场情况。")
    if booking.status not in Booking.HOLDING:
        raise ActionError("只有正式预约的群众可以登记到场情况。")
    if booking.day.date > timezone.localdate():
        raise ActionError("接访尚未开始，不能登记到场情况。")
    booking.status = Booking.Status.ATTENDED if attended else Booking.Status.NO_SHOW
    booking.save(update_fields=["status", "changed_at"])


def register_appeal_at_day(day: ReceptionDay, actor, *, booking=None, **fields) -> ReceptionAppeal:
    """登记诉求并关联本次接访: the appeal and its link are created together or not at all.

    From a booking, the resident has come: the booking is marked 已到场, and a blank phone
    is taken from the booking (staff never see the booked phone unmasked)."""
    if not access.can(actor, "register_appeal", day):
        raise ActionError("只有接访领导本人或该单位的信访督办员、接待登记员可以登记本次接访的诉求。")
    if fields.get("channel") not in ("outreach", "visit"):
        raise ActionError("接访登记的渠道应为「来访」或「下访接待」。")
    if booking is not None:
        if booking.day_id != day.pk or booking.status == Booking.Status.CANCELLED:
            raise ActionError("该预约不属于本次接访或已取消。")
        if day.date > timezone.localdate():
            raise ActionError("接访尚未开始，不能按预约登记诉求。")
        fields["phone"] = fields.get("phone") or booking.phone
    with transaction.atomic():
        appeal = appeal_actions.register(registered_unit=day.unit, actor=actor, **fields)
        link, _ = ReceptionAppeal.objects.get_or_create(
            appeal=appeal, defaults={"day": day, "booking": booking, "created_by": actor}
        )
        if booking is not None:
            Booking.objects.filter(pk=booking.pk).exclude(status=Booking.Status.CANCELLED).update(
                status=Booking.Status.ATTENDED, changed_at=timezone.now()
            )
    return link


def current_owner(appeal):
    return CaseOwnership.objects.select_related("leader").filter(appeal=appeal, ended_at__isnull=True).first()


def take_ownership(appeal, actor, note="") -> CaseOwnership:
    """包案. `appeal` must already have been read through the access layer for `actor`."""
    if not access.can_own_cases(actor):
        raise ActionError("只有领导干部可以包案。")
    if not appeal.is_open:
        raise ActionError("该诉求已办结，无需包案。")
    owner = current_owner(appeal)
    if owner is not None:
        raise ActionError(f"该诉求已由{owner.leader}包案，一件诉求只能有一位包案领导。")
    try:
        with transaction.atomic():
            return CaseOwnership.objects.create(
                appeal=appeal, leader=actor, since=timezone.localdate(), note=note.strip()[:200]
            )
    except IntegrityError:
        raise ActionError("该诉求刚刚已由其他领导包案。") from None


def release_ownership(appeal, actor) -> None:
    owner = current_owner(appeal)
    if not access.can_release(actor, owner):
        raise ActionError("只有包案领导本人可以解除包案。")
    owner.ended_at = timezone.now()
    owner.save(update_fields=["ended_at"])


def tell_of_days_on_holidays(today=None) -> int:
    """After a calendar edit: published reception days from today on that the calendar now makes
    a holiday are told to their leader and desk. Returns how many such days there are."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    found = 0
    for day in ReceptionDay.objects.published().upcoming(today).select_related("leader", "unit"):
        holiday = holiday_name(day.date, calendar)
        if holiday:
            found += 1
            transaction.on_commit(
                lambda day=day, holiday=holiday: notify.tell_of_holiday(day, holiday), robust=True
            )
    return found


def holiday_name(day, calendar) -> str:
    """The holiday `day` falls on by the calendar ("国庆节"), or "" for a working day or a plain weekend."""
    if calendar.is_known(day):
        entry = CalendarDay.objects.filter(date=day, is_workday=False).first()
        return (entry.name or "节假日") if entry else ""
    return "法定节假日" if day in statutory_holidays(day.year) else ""
