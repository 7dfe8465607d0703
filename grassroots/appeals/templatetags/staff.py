"""Small template helpers for the staff pages: who sees which link, and how a status or due date looks."""

from datetime import timedelta

from django import template
from django.utils import timezone

from grassroots.accounts import access as account_access
from grassroots.appeals.access import CASEWORK, DESK
from grassroots.appeals.models import Status
from grassroots.lib import crypto

register = template.Library()

STATUS_CLASS = {
    Status.REGISTERED: "badge-warn",
    Status.OBJECTED: "badge-bad",
    Status.DISPATCHED: "",
    Status.HANDLING: "",
    Status.REVIEWING: "badge-warn",
    Status.RECHECKING: "badge-warn",
    Status.REPLIED: "badge-ok",
    Status.REVIEWED: "badge-ok",
    Status.CLOSED: "badge-ok",
    Status.NOT_ACCEPTED: "",
    Status.DUPLICATE: "",
}


@register.filter
def is_admin(user) -> bool:
    return account_access.is_admin(user)


@register.filter
def reads_audit(user) -> bool:
    from grassroots.audit.access import can_read

    return can_read(user)


@register.filter
def does_casework(user) -> bool:
    """Holds a role that works on appeals and the four practices (a 系统管理员 alone does not)."""
    return account_access.has_role(user, CASEWORK)


@register.filter
def can_register(user) -> bool:
    return account_access.has_role(user, DESK)


@register.filter
def status_class(status) -> str:
    return STATUS_CLASS.get(status, "")


@register.filter
def due_state(appeal) -> str:
    """ "overdue", "soon" (within 3 days) or "" for an appeal's running deadline."""
    if not appeal.is_open or appeal.due_date is None:
        return ""
    today = timezone.localdate()
    if appeal.due_date < today:
        return "overdue"
    if appeal.due_date <= today + timedelta(days=3):
        return "soon"
    return ""


@register.filter
def mask_name(name) -> str:
    return crypto.mask_name(name or "")
