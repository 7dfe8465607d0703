"""SMS to residents about their reception booking, sent after commit and logged as Notification rows."""

from django.db import transaction

from grassroots.notify.delivery import already_sent, deliver
from grassroots.notify.models import Notification

TEMPLATES = {
    "reception_booked": (
        "接访预约成功",
        "【四下基层】您已预约{date} {time}{leader}接访（{place}），预约码 {code}。"
        "如不能到场，请凭预约码取消。",
    ),
    "reception_waiting": (
        "已进入候补名单",
        "【四下基层】{date}{leader}接访名额已满，您已进入候补名单（预约码 {code}），"
        "有名额空出时将短信通知您。",
    ),
    "reception_promoted": (
        "候补转为正式预约",
        "【四下基层】有名额空出，您已由候补转为正式预约："
        "{date} {time}{leader}接访（{place}），预约码 {code}。",
    ),
}


def _context(booking) -> dict:
    day = booking.day
    return {
        "date": f"{day.date:%Y年%m月%d日}",
        "time": f"{day.start_time:%H:%M}",
        "leader": str(day.leader),
        "place": day.address,
        "code": booking.code,
    }


def send_booking_sms(key: str, booking) -> bool:
    subject, template = TEMPLATES[key]
    phone = booking.phone
    body = template.format(**_context(booking))
    return deliver(
        Notification.Channel.SMS,
        phone,
        subject=subject,
        body=body,
        template=key,
        dedupe_key=f"{key}:{booking.pk}",
    )


def notify_after_commit(key: str, booking) -> None:
    transaction.on_commit(lambda: send_booking_sms(key, booking), robust=True)


def tell_of_holiday(day, holiday: str) -> int:
    """E-mail the leader and the unit's desk that a published reception day now falls on a
    holiday (the calendar was changed), once per day and date."""
    from grassroots.accounts.models import Membership, Role

    desk = Membership.objects.filter(unit=day.unit, role__in=[Role.CLERK, Role.SUPERVISOR]).select_related(
        "user"
    )
    emails = sorted({m.user.email for m in desk if m.user.email} | ({day.leader.email} - {""}))
    body = (
        f"{day.leader}：已发布的领导接访日 {day.date:%Y年%m月%d日}（{day.address}）按更新后的工作日历为"
        f"{holiday}。请确认照常接访，或改期后重新发布并告知已预约的群众。"
    )
    key = f"reception-holiday:{day.pk}:{day.date}"
    return sum(
        deliver(
            Notification.Channel.EMAIL,
            email,
            subject="接访日落在节假日",
            body=body,
            template="reception_holiday",
            dedupe_key=key,
        )
        for email in emails
        if not already_sent(key, recipient=email)
    )
