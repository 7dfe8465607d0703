"""The one place deciding who sees whose grassroots record.

A leader, a unit head or a supervisor (信访督办员) sees the units of their subtree and the
officials (LEADER or UNIT_HEAD memberships) holding a post there; nobody sees an official
beside or above them. An official who also holds a post elsewhere is seen whole by anyone
above one of their posts. The appeals owned (包案) and the on-site tasks are counted for every
viewer, but an appeal's or a task's own details stay behind its app's access layer.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from grassroots.accounts.access import has_role, memberships, units_in_scope
from grassroots.accounts.models import OrgUnit, Role, User
from grassroots.appeals.access import visible_appeals
from grassroots.onsite import access as onsite_access

from . import figures

VIEWING = {Role.LEADER, Role.UNIT_HEAD, Role.SUPERVISOR}


def can_view(user) -> bool:
    return has_role(user, VIEWING)


def require_viewer(user):
    if not can_view(user):
        raise PermissionDenied("只有领导干部、单位负责人和信访督办员可以查看下基层情况。")


def visible_units(user):
    return units_in_scope(user, VIEWING)


def top_units(user) -> list[OrgUnit]:
    """The units the user's viewing posts are at, without those inside another of them."""
    units = sorted({m.unit for m in memberships(user) if m.role in VIEWING}, key=lambda u: u.path)
    tops = []
    for u in units:
        if not any(t.contains(u) for t in tops):
            tops.append(u)
    return tops


def access_unit_by_id(user, unit_id) -> OrgUnit:
    try:
        return visible_units(user).get(pk=unit_id)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这个单位，或您无权查看。") from None


def visible_officials(user):
    """The officials holding a post in the user's subtree."""
    tops = top_units(user)
    return figures.officials_in(tops) if tops else User.objects.none()


def access_official_by_id(user, user_id) -> User:
    try:
        return visible_officials(user).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这位干部，或您无权查看。") from None


def visible_appeal_ids(user, appeal_ids) -> set[int]:
    """Which of these appeals the user may open (for links from the 包案 list)."""
    return set(visible_appeals(user).filter(pk__in=appeal_ids).values_list("pk", flat=True))


def visible_task_ids(user, task_ids) -> set[int]:
    """Which of these on-site tasks the user may open (for links from an official's page)."""
    return set(onsite_access.visible_tasks(user).filter(pk__in=task_ids).values_list("pk", flat=True))
