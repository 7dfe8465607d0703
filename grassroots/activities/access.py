"""The one access layer for grassroots activities: what a user may see, and what they may do.

A user sees the activities organised by a unit in their subtree, and every activity they
took part in (a township head named on a county's visit sees that visit). Anyone on the
staff of the organising unit may record an activity there; the record is then kept by its
creator, its officials and the unit's heads, leaders and supervisors. Turning a resident's
concern into an appeal needs a desk (接待登记员/信访督办员) to register it at; putting it on
the ledger needs a unit where the user keeps the ledger.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.access import has_role_over, memberships, scope_q, units_in_scope
from grassroots.accounts.models import Membership, OrgUnit, Role, UnitKind, User
from grassroots.appeals.access import desk_units
from grassroots.ledger.access import keeping_units
from grassroots.reception import access as reception_access
from grassroots.reception.models import ReceptionDay

from .models import Activity

STAFF = {Role.CLERK, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}
KEEPING = {Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}
# who may be named as an official taking part (领导干部 and unit heads)
OFFICIAL_ROLES = {Role.LEADER, Role.UNIT_HEAD}

# action -> who may take it
#   "staff": any staff role over the activity's (organising) unit
#   "keeper": the creator, an official of the activity, or a head/leader/supervisor over its unit
#   "to_appeal"/"to_problem": a keeper who can also register appeals / keep the ledger somewhere
ACTION_RULES = {
    "create": "staff",
    "edit": "keeper",
    "attach": "keeper",
    "question": "keeper",
    "concern": "keeper",
    "to_appeal": "keeper+desk",
    "to_problem": "keeper+ledger",
}


def visible_activities(user):
    if not user.is_authenticated:
        return Activity.objects.none()
    took_part = Activity.officials.through.objects.filter(user_id=user.pk).values("activity_id")
    return Activity.objects.filter(scope_q(user, "unit") | Q(pk__in=took_part))


def access_activity_by_id(user, activity_id) -> Activity:
    try:
        return (
            visible_activities(user)
            .select_related("unit", "place", "created_by", "reception_day")
            .get(pk=activity_id)
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这次下基层活动，或您无权查看。") from None


def creating_units(user):
    """Units where the user may record an activity (any staff role over them)."""
    return units_in_scope(user, STAFF)


def can_create(user, unit=None) -> bool:
    if unit is None:
        return creating_units(user).exists()
    return has_role_over(user, unit, STAFF)


def _is_official(user, activity: Activity) -> bool:
    cache = activity.__dict__.setdefault("_official_ids", {})
    if user.pk not in cache:  # a page asks once per action; ask the database once
        cache[user.pk] = activity.officials.filter(pk=user.pk).exists()
    return cache[user.pk]


def _is_keeper(user, activity: Activity) -> bool:
    if not user.is_authenticated:
        return False
    if activity.created_by_id == user.pk:
        return True
    if has_role_over(user, activity.unit, KEEPING):
        return True
    return _is_official(user, activity)


def can_register_appeals(user) -> bool:
    return bool(desk_units(user))


def can_keep_ledger(user) -> bool:
    return keeping_units(user).exists()


def can(user, action: str, activity: Activity) -> bool:
    rule = ACTION_RULES[action]
    if rule == "staff":
        return has_role_over(user, activity.unit, STAFF)
    if not _is_keeper(user, activity):
        return False
    if rule == "keeper+desk":
        return can_register_appeals(user)
    if rule == "keeper+ledger":
        return can_keep_ledger(user)
    return True


REFUSALS = {
    "to_appeal": "只有接待登记员或信访督办员可以将群众诉求登记为信访诉求，您没有可登记诉求的单位。",
    "to_problem": "只有单位负责人、领导干部或信访督办员可以将问题列入问题清单。",
}


def require(user, action: str, activity: Activity):
    if not can(user, action, activity):
        raise PermissionDenied(REFUSALS.get(action, "您没有权限执行此操作。"))


def allowed_actions(user, activity: Activity) -> set[str]:
    return {a for a in ACTION_RULES if a != "create" and can(user, a, activity)}


# --- the choices a form offers ---------------------------------------------------------------


def _ancestor_ids(user) -> set[int]:
    ids = set()
    for m in memberships(user):
        ids.update(int(x) for x in m.unit.path.strip("/").split("/")[:-1])
    return ids


def eligible_officials(user):
    """People the user may name as officials: heads and leaders in the user's subtree, those of the
    units above the user's own (a county leader visiting a village), and the user themself."""
    in_scope = scope_q(user, "unit")
    above = Q(unit_id__in=_ancestor_ids(user))
    ids = Membership.objects.filter(in_scope | above, role__in=OFFICIAL_ROLES).values("user_id")
    # grouped by unit: the leaders of an area first, then the units below it
    return (
        User.objects.filter(Q(pk__in=ids) | Q(pk=user.pk))
        .annotate(unit_path=Min("memberships__unit__path"))
        .order_by("unit_path", "display_name", "username")
    )


def official_labels(users) -> dict[int, str]:
    """Each user as 姓名（单位职务） from their memberships, for the officials select."""
    users = list(users)
    units = {}
    for m in (
        Membership.objects.filter(user__in=users)
        .select_related("unit")
        .order_by("unit__path")
        .only("user_id", "role", "unit__name", "unit__path")
    ):
        units.setdefault(m.user_id, []).append(f"{m.unit.name}{m.get_role_display()}")
    return {u.pk: f"{u}（{'、'.join(units.get(u.pk, [])) or '—'}）" for u in users}


def place_units(user):
    """Areas where the user's activities take place: the areas of their subtrees; for a department,
    the area it serves (the area it hangs under)."""
    roots = set()
    for m in memberships(user):
        if m.role not in STAFF:
            continue
        unit = m.unit
        if unit.kind != UnitKind.AREA and unit.parent is not None:
            unit = unit.parent
        roots.add(unit.path)
    if not roots:
        return OrgUnit.objects.none()
    return OrgUnit.objects.areas().filter(reduce(or_, (Q(path__startswith=p) for p in sorted(roots))))


# --- reception days ---------------------------------------------------------------------------


def visible_reception_days(user):
    """The days a user sees, exactly as on the reception pages: reception.access decides."""
    return reception_access.visible_days(user)


def access_reception_day_by_id(user, day_id) -> ReceptionDay:
    return reception_access.access_day_by_id(user, day_id)


def reception_day_has_taken_place(day: ReceptionDay) -> bool:
    now = timezone.localtime()
    return day.date < now.date() or (day.date == now.date() and day.end_time <= now.time())


def can_record_reception_day(user, day: ReceptionDay) -> bool:
    """Who may edit the day records it: its leader, or a 信访督办员/接待登记员 over its unit."""
    return reception_access.can(user, "edit", day)
