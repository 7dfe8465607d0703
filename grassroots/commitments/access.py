"""The one access layer for commitments: what staff may see and do, and what residents see.

Staff see the commitments whose responsible unit lies in their subtree. Handlers, heads,
leaders and supervisors over the unit draft a commitment and post its public progress; only
a head, leader or supervisor over the unit makes it public, because publishing is the unit's
promise to residents. Residents see published commitments only.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from grassroots.accounts.access import has_role_over, memberships, scope_q, units_in_scope
from grassroots.accounts.models import OrgUnit, Role, UnitKind

from .models import Commitment

KEEPING = {Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}
DRAFTING = KEEPING | {Role.HANDLER}

ACTION_RULES = {
    "edit": DRAFTING,
    "publish": KEEPING,
    "update": DRAFTING,
}
# which actions apply to a draft (False) or a published commitment (True)
ACTION_PUBLISHED = {"edit": False, "publish": False, "update": True}


def visible_commitments(user):
    return Commitment.objects.filter(scope_q(user, "responsible_unit"))


def access_commitment_by_id(user, commitment_id) -> Commitment:
    try:
        return (
            visible_commitments(user)
            .select_related("responsible_unit", "place", "problem", "task", "created_by", "published_by")
            .get(pk=commitment_id)
        )
    except (Commitment.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这项承诺，或您无权查看。") from None


def drafting_units(user):
    """Units for which the user may draft commitments."""
    return units_in_scope(user, DRAFTING)


def can_create(user) -> bool:
    return drafting_units(user).exists()


def can_create_for(user, unit) -> bool:
    return has_role_over(user, unit, DRAFTING)


def served_area(unit: OrgUnit) -> OrgUnit:
    """The area a unit serves: itself, or for a department the area it hangs under."""
    while unit.kind != UnitKind.AREA and unit.parent_id is not None:
        unit = unit.parent
    return unit


def place_choices(user):
    """Places the user may name: the areas served by the units they draft for, and below."""
    paths = {served_area(m.unit).path for m in memberships(user) if m.role in DRAFTING}
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.areas().filter(reduce(or_, (Q(path__startswith=p) for p in sorted(paths))))


def can(user, action: str, commitment: Commitment) -> bool:
    return has_role_over(user, commitment.responsible_unit, ACTION_RULES[action])


def require(user, action: str, commitment: Commitment):
    if not can(user, action, commitment):
        raise PermissionDenied("您没有权限执行此操作。")


def allowed_actions(user, commitment: Commitment) -> set[str]:
    return {
        a for a in ACTION_RULES if ACTION_PUBLISHED[a] == commitment.published and can(user, a, commitment)
    }


# --- residents ----------------------------------------------------------------------------------


def public_commitments():
    return Commitment.objects.published().select_related("responsible_unit", "place")


def public_commitment_by_id(commitment_id) -> Commitment:
    commitment = public_commitments().filter(pk=commitment_id).first()
    if commitment is None:
        raise Http404("这项承诺不存在或尚未公开。")
    return commitment
