"""The one access layer for appeals: what a user may see, and what they may do.

Views never query Appeal directly; they call `visible_appeals` or
`access_appeal_by_id`, and `require(user, action, appeal)` before acting.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from grassroots.accounts.access import has_role_over, memberships, scope_q
from grassroots.accounts.models import OrgUnit, Role, UnitKind

from .models import Appeal

DESK = {Role.CLERK, Role.SUPERVISOR}
HANDLING = {Role.HANDLER, Role.UNIT_HEAD}
DECIDING = {Role.UNIT_HEAD, Role.LEADER}
CASEWORK = {Role.CLERK, Role.HANDLER, Role.UNIT_HEAD, Role.SUPERVISOR, Role.LEADER}

# Two holders that are not "a role over a unit of the appeal": the desk of the reviewing organ
# (东城县信访局 for 东城县, which reviews its townships' answers), and the person it assigned.
REVIEW_DESK = "review desk"
REVIEW_HANDLER = "review handler"

# action -> the (roles, unit of the appeal the role must cover) pairs, any of which allows it
ACTION_RULES = {
    "not_accept": [(DESK, "registered_unit")],
    "dispatch": [(DESK, "registered_unit")],
    "resolve_objection": [(DESK, "registered_unit")],
    "mark_duplicate": [(DESK, "registered_unit")],
    "categorize": [(DESK, "registered_unit")],
    "close": [(DESK, "registered_unit")],
    "record_pause": [(DESK, "registered_unit"), (DECIDING, "review_unit"), (None, REVIEW_HANDLER)],
    "decide_pause": [({Role.SUPERVISOR}, "registered_unit")],
    "request_review": [(DESK, "registered_unit")],
    "reassess_request": [(DESK, "registered_unit")],
    "record_delivery": [
        (DESK, "registered_unit"),
        (HANDLING, "handling_unit"),
        (DECIDING, "review_unit"),
        (DESK, REVIEW_DESK),
    ],
    "inform": [(HANDLING, "handling_unit")],
    "handle": [(HANDLING, "handling_unit")],
    "object": [(HANDLING, "handling_unit")],
    "request_extension": [(HANDLING, "handling_unit")],
    "reply": [(HANDLING, "handling_unit")],
    "decide_extension": [({Role.UNIT_HEAD}, "handling_unit")],
    "assign_review": [(DESK, REVIEW_DESK)],
    "decide_review": [(DECIDING, "review_unit"), (None, REVIEW_HANDLER)],
    "supervise": [({Role.SUPERVISOR}, "handling_unit")],
}


def desk_units(user):
    """The units where `user` may register appeals (clerk or supervisor memberships)."""
    seen = {}
    for m in memberships(user):
        if m.role in DESK:
            seen.setdefault(m.unit.pk, m.unit)
    return list(seen.values())


def served_area(unit: OrgUnit) -> OrgUnit:
    """The area a desk serves: its own unit when that is an area (or the root), else the area
    its department hangs under (东城县信访局 serves 东城县)."""
    return unit if unit.kind == UnitKind.AREA or unit.parent_id is None else unit.parent


def review_desk_units(organ: OrgUnit):
    """The desks of a reviewing organ: the organ and its departments (东城县 and 东城县信访局)."""
    return OrgUnit.objects.filter(Q(pk=organ.pk) | Q(parent=organ, kind=UnitKind.DEPARTMENT))


def jurisdiction_units(appeal: Appeal):
    """The units within the jurisdiction of the desk that registered `appeal`: those it
    dispatches to in one click. Others are reached by 转送, chosen by hand."""
    return OrgUnit.objects.filter(path__startswith=served_area(appeal.registered_unit).path)


def _accused_exclusion(user) -> Q:
    """Reports (检举) are hidden from the accused unit and everyone inside it (§30)."""
    prefixes = set()
    for m in memberships(user):
        parts = m.unit.path.strip("/").split("/")
        prefixes.update("/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    if not prefixes:
        return Q(pk__in=[])
    return Q(is_report=True, accused_unit__path__in=sorted(prefixes))


def visible_appeals(user):
    """Casework roles see the appeals of their subtrees; the desk of a reviewing organ sees what
    that organ reviews, and the person it assigned a 复查/复核 sees that one."""
    roles = CASEWORK
    q = (
        scope_q(user, "registered_unit", roles)
        | scope_q(user, "handling_unit", roles)
        | scope_q(user, "review_unit", roles)
    )
    # Each extra term only where the scope above does not already hold it: a full scan of the
    # appeals table evaluates every OR on every row.
    beyond = {served_area(unit).pk for unit in desk_units(user) if served_area(unit) != unit}
    if beyond:  # a desk in a department (东城县信访局) routes what its area (东城县) reviews
        q |= Q(review_unit_id__in=beyond)
    if _has_reviews_assigned(user):
        q |= Q(review_handler_id=user.pk)
    return Appeal.objects.filter(q).exclude(_accused_exclusion(user))


def access_appeal_by_id(user, appeal_id) -> Appeal:
    try:
        return (
            visible_appeals(user)
            .select_related(
                "clock",
                "category",
                "place_unit",
                "registered_unit",
                "handling_unit",
                "review_unit",
                "suggested_unit",
                "original",
                "accused_unit",
            )
            .get(pk=appeal_id)
        )
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这条诉求，或您无权查看。") from None


def _barred(user, appeal: Appeal) -> bool:
    """The same rule as `_accused_exclusion`, for one appeal in memory."""
    if not appeal.is_report or appeal.accused_unit_id is None:
        return False
    return any(appeal.accused_unit.contains(m.unit) for m in memberships(user))


def _has_reviews_assigned(user) -> bool:
    """Whether a 复查/复核 was ever given to `user`; asked once per request (a page lists several
    queues), kept on the user object as `memberships` is."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_has_reviews_assigned", None)
    if cached is None:
        cached = user._has_reviews_assigned = Appeal.objects.filter(review_handler_id=user.pk).exists()
    return cached


def desk_areas(user) -> set[int]:
    """The ids of the areas the user's desks serve: the organs whose 复查 they route."""
    return {served_area(unit).pk for unit in desk_units(user)}


def _holds(user, appeal: Appeal, roles, holder: str) -> bool:
    if holder == REVIEW_HANDLER:
        return appeal.review_handler_id is not None and appeal.review_handler_id == user.pk
    if holder == REVIEW_DESK:
        return appeal.review_unit_id is not None and appeal.review_unit_id in desk_areas(user)
    return has_role_over(user, getattr(appeal, holder), roles)


def can(user, action: str, appeal: Appeal) -> bool:
    if _barred(user, appeal):
        return False
    return any(_holds(user, appeal, roles, holder) for roles, holder in ACTION_RULES[action])


def require(user, action: str, appeal: Appeal):
    if not can(user, action, appeal):
        raise PermissionDenied("您没有权限执行此操作。")


def can_audit_identity_views(user, appeal: Appeal) -> bool:
    """Supervisors of the desk and the head of the handling unit see who viewed the petitioner's data."""
    if _barred(user, appeal):
        return False
    return has_role_over(user, appeal.registered_unit, {Role.SUPERVISOR}) or has_role_over(
        user, appeal.handling_unit, {Role.UNIT_HEAD}
    )


def allowed_actions(user, appeal: Appeal) -> set[str]:
    return {action for action in ACTION_RULES if can(user, action, appeal)}
