"""Hourly: record the limits that have run out (so the overrun stays on record whatever happens
next), remind of appeals about to fall due, and of a holiday schedule waiting to be entered.

Safe to run from cron every hour: every message carries a dedupe key, and a key that
already has a successful Notification row is never sent again.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.accounts.models import Role, User
from grassroots.administration.context_processors import calendar_problem
from grassroots.appeals import deadlines
from grassroots.appeals.models import Appeal, Status
from grassroots.notify.delivery import already_sent, deliver
from grassroots.notify.events import send_appeal_notice
from grassroots.notify.models import Notification

DUE_SOON_DAYS = 3
# Who owes the next step in each open state, by the template that reaches them.
DUE_SOON_TEMPLATE = {
    Status.REGISTERED: "due_soon_desk",
    Status.OBJECTED: "due_soon_desk",
    Status.DISPATCHED: "due_soon",
    Status.HANDLING: "due_soon",
    Status.REVIEWING: "due_soon_review",
    Status.RECHECKING: "due_soon_review",
}


def send_due_soon(today) -> tuple[int, int]:
    """(appeals reminded, messages sent) for appeals due within three days."""
    appeals, sent = 0, 0
    due = (
        Appeal.objects.due_within(DUE_SOON_DAYS, today=today)
        .only("pk", "due_date", "status")
        .order_by("due_date", "pk")
    )
    for appeal in due:
        key = f"due_soon:{appeal.pk}:{appeal.status}:{appeal.due_date}"
        if already_sent(key):
            continue
        n = send_appeal_notice(DUE_SOON_TEMPLATE[appeal.status], appeal.pk, dedupe_key=key)
        if n:
            appeals += 1
            sent += n
    return appeals, sent


def send_calendar_missing(today) -> int:
    """E-mail every administrator, once a day, while the holiday schedule needs entering."""
    text, year = calendar_problem(today)
    if not text:
        return 0
    key = f"calendar_missing:{today}"
    subject = f"请录入 {year} 年节假日安排"
    body = f"{text}。请登录四下基层工作平台，在「系统管理 → 工作日历与时限」中录入。"
    emails = sorted(
        set(
            User.objects.filter(is_active=True, memberships__role=Role.ADMIN)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    sent = 0
    for email in emails:
        if already_sent(key, recipient=email):
            continue
        channel = Notification.Channel.EMAIL
        sent += deliver(
            channel, email, subject=subject, body=body, template="calendar_missing", dedupe_key=key
        )
    return sent


class Command(BaseCommand):
    help = "记录超期、发送临期提醒和节假日安排待录入提醒。可由 cron 每小时运行，重复运行不会重复记录或发送。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        overdue = deadlines.record_overdue(today)
        appeals, messages = send_due_soon(today)
        calendar = send_calendar_missing(today)
        self.stdout.write(
            f"{today}：新记录超期 {overdue} 件；临期提醒 {appeals} 件诉求、{messages} 条消息；"
            f"节假日安排提醒 {calendar} 封邮件。"
        )
