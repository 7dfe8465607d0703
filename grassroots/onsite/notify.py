"""E-mail to the responsible unit when an on-site decision is dispatched to it.

Sent after commit (nothing goes out if the decision rolls back) and logged as a Notification;
a failing gateway never undoes the decision.
"""

import logging

from django.db import transaction

from grassroots.accounts.models import Membership, Role
from grassroots.notify.models import Notification
from grassroots.notify.senders import get_sender

log = logging.getLogger(__name__)

TEMPLATE_KEY = "onsite_task_assigned"
SUBJECT = "现场办公交办任务"
BODY = (
    "{unit}：{date}{owner}现场办公「{title}」决定交办贵单位：{description}。"
    "办理时限 {deadline}{provisional}，请登录平台「我的现场办公任务」按时报送进展和办结情况。"
)


def _recipients(unit) -> list[str]:
    """The unit's heads; a unit without a head (a small department) hears through its handlers."""
    for roles in ({Role.UNIT_HEAD}, {Role.HANDLER}):
        members = Membership.objects.filter(unit=unit, role__in=roles).select_related("user")
        emails = sorted({m.user.email for m in members if m.user.email})
        if emails:
            return emails
    return []


def send_task_assigned(task_id: int) -> int:
    from .models import Task

    task = Task.objects.select_related("responsible_unit", "session__activity", "session__owner").get(
        pk=task_id
    )
    activity = task.session.activity
    body = BODY.format(
        unit=task.responsible_unit.name,
        date=f"{activity.date:%Y年%m月%d日}",
        owner=task.session.owner,
        title=activity.title,
        description=task.description,
        deadline=f"{task.deadline:%Y年%m月%d日}",
        provisional="（暂定）" if task.deadline_provisional else "",
    )
    sent = 0
    for email in _recipients(task.responsible_unit):
        note = Notification(
            channel=Notification.Channel.EMAIL,
            recipient=email,
            template=TEMPLATE_KEY,
            body=body,
            dedupe_key=f"{TEMPLATE_KEY}:{task.pk}",
        )
        try:
            get_sender().send(Notification.Channel.EMAIL, email, SUBJECT, body)
            sent += 1
        except Exception as exc:  # a broken mail server must not undo the decision
            log.exception("on-site task notice for task %s failed", task.pk)
            note.ok, note.error = False, str(exc)[:300]
        note.save()
    return sent


def task_assigned_after_commit(task) -> None:
    task_id = task.pk
    transaction.on_commit(lambda: send_task_assigned(task_id), robust=True)
