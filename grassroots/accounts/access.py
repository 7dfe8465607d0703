"""Who may act where: a membership gives a role over its unit and everything below it.

This is the one place that turns memberships into scopes; the appeals access layer
(`grassroots.appeals.access`) builds on it.
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Membership, OrgUnit, Role


def memberships(user):
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit__parent"))
        user._memberships_cache = cached
    return cached


def roles_over(user, unit) -> set[str]:
    """The roles `user` holds over `unit` (through a membership at it or above it)."""
    return {m.role for m in memberships(user) if unit is not None and m.unit.contains(unit)}


def has_role_over(user, unit, roles) -> bool:
    return bool(roles_over(user, unit) & set(roles))


def has_role(user, roles) -> bool:
    return any(m.role in roles for m in memberships(user))


def scope_q(user, field: str, roles=None) -> Q:
    """A filter matching rows whose `field` (a FK to OrgUnit) lies in the user's subtree."""
    paths = {m.unit.path for m in memberships(user) if roles is None or m.role in roles}
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__path__startswith": p}) for p in sorted(paths)))


def units_in_scope(user, roles=None):
    paths = {m.unit.path for m in memberships(user) if roles is None or m.role in roles}
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(reduce(or_, (Q(path__startswith=p) for p in sorted(paths))))


def is_admin(user) -> bool:
    return has_role(user, {Role.ADMIN})
