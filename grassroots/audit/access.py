"""Who reads the audit log: administrators all of it; 信访督办员 the entries about their units and
below, and the system-wide ones (the calendar, the rules, the categories). Nobody edits it."""

from functools import reduce
from operator import or_

from django.db.models import Q

from grassroots.accounts.access import has_role, memberships
from grassroots.accounts.models import Role

from .models import AuditEntry


def can_read(user) -> bool:
    return user.is_authenticated and has_role(user, {Role.ADMIN, Role.SUPERVISOR})


def readable_entries(user):
    if not can_read(user):
        return AuditEntry.objects.none()
    if has_role(user, {Role.ADMIN}):
        return AuditEntry.objects.all()
    paths = sorted({m.unit.path for m in memberships(user) if m.role == Role.SUPERVISOR})
    return AuditEntry.objects.filter(
        reduce(or_, (Q(unit_path__startswith=p) for p in paths), Q(unit_path=""))
    )
