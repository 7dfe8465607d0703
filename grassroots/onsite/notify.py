"""E-mails about on-site tasks: to the responsible unit when a task is dispatched to it, returned
or accepted, and to the session's owner when the unit reports it done.

Sent after commit (nothing goes out if the action rolls back) through notify.delivery.
"""

from django.db import transaction

from grassroots.accounts.models import Membership, Role
from grassroots.notify.delivery import deliver
from grassroots.notify.models import Notification

# key -> (subject, body, who hears it: "unit" or "owner")
TEMPLATES = {
    "onsite_task_assigned": (
        "现场办公交办任务",
        "{unit}：{date}{owner}现场办公「{title}」决定交办贵单位：{description}。"
        "办理时限 {deadline}{provisional}，请登录平台「我的现场办公任务」按时报送进展和办结情况。",
        "unit",
    ),
    "onsite_task_submitted": (
        "现场办公任务待验收",
        "{owner}：{unit}报告现场办公「{title}」交办的任务已办结，请登录平台验收：{description}。",
        "owner",
    ),
    "onsite_task_returned": (
        "现场办公任务验收未通过",
        "{unit}：现场办公「{title}」交办的任务验收未通过，请继续办理：{description}。"
        "办理时限 {deadline}{provisional}。",
        "unit",
    ),
    "onsite_task_accepted": (
        "现场办公任务已验收",
        "{unit}：现场办公「{title}」交办的任务已通过{owner}验收：{description}。",
        "unit",
    ),
}


def _unit_recipients(unit) -> list[str]:
    """The unit's heads; a unit without a head (a small department) hears through its handlers."""
    for roles in ({Role.UNIT_HEAD}, {Role.HANDLER}):
        members = Membership.objects.filter(unit=unit, role__in=roles).select_related("user")
        emails = sorted({m.user.email for m in members if m.user.email})
        if emails:
            return emails
    return []


def send_task_notice(key: str, task_id: int, event_id: int | None = None) -> int:
    from .models import Task

    task = Task.objects.select_related("responsible_unit", "session__activity", "session__owner").get(
        pk=task_id
    )
    subject, template, audience = TEMPLATES[key]
    activity, owner = task.session.activity, task.session.owner
    body = template.format(
        unit=task.responsible_unit.name,
        date=f"{activity.date:%Y年%m月%d日}",
        owner=owner,
        title=activity.title,
        description=task.description,
        deadline=f"{task.deadline:%Y年%m月%d日}",
        provisional="（暂定）" if task.deadline_provisional else "",
    )
    recipients = _unit_recipients(task.responsible_unit) if audience == "unit" else [owner.email]
    dedupe_key = f"{key}:{task.pk}:{event_id or ''}"
    return sum(
        deliver(
            Notification.Channel.EMAIL, email, subject=subject, body=body, template=key, dedupe_key=dedupe_key
        )
        for email in recipients
        if email
    )


def after_commit(key: str, task, event=None) -> None:
    task_id, event_id = task.pk, getattr(event, "pk", None)
    transaction.on_commit(lambda: send_task_notice(key, task_id, event_id), robust=True)
