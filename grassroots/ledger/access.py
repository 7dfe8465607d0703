"""The one access layer for the ledger: what a user may see, and what they may do.

A user sees the problems whose responsible unit lies in their subtree. The responsible
unit's heads, leaders and supervisors keep the problem; the work is reported by them and
by its handlers; acceptance and close-out (销号) belong to a role over the parent of the
responsible unit, so a unit never signs off its own rectification. The root of the tree has
no parent: see `signing_unit_roles`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from grassroots.accounts.access import has_role_over, scope_q, units_in_scope
from grassroots.accounts.models import Role

from .models import Problem, Status

KEEPING = {Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}
REPORTING = KEEPING | {Role.HANDLER}
SIGNING = KEEPING
# Who signs off the root unit's own problems (it has no unit above it); see `signing_unit_roles`.
ROOT_SIGNING = {Role.LEADER, Role.ADMIN}

# action -> (roles, whose unit: "unit" = the responsible unit, "parent" = the unit above it)
ACTION_RULES = {
    "edit": (KEEPING, "unit"),
    "progress": (REPORTING, "unit"),
    "done": (REPORTING, "unit"),
    "accept": (SIGNING, "parent"),
    "return": (SIGNING, "parent"),
    "close": (SIGNING, "parent"),
}
# which actions apply in which state
ACTION_STATES = {
    "edit": {Status.IN_PROGRESS, Status.DONE},
    "progress": {Status.IN_PROGRESS},
    "done": {Status.IN_PROGRESS},
    "accept": {Status.DONE},
    "return": {Status.DONE},
    "close": {Status.ACCEPTED},
}


def visible_problems(user):
    return Problem.objects.filter(scope_q(user, "responsible_unit"))


def access_problem_by_id(user, problem_id) -> Problem:
    try:
        return (
            visible_problems(user)
            .select_related("responsible_unit__parent", "place", "responsible_leader", "appeal")
            .get(pk=problem_id)
        )
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这个问题，或您无权查看。") from None


def keeping_units(user):
    """Units where the user may put problems on the ledger."""
    return units_in_scope(user, KEEPING)


def can_create(user) -> bool:
    return keeping_units(user).exists()


def signing_unit_roles(unit):
    """The unit whose roles sign off (accept, return, close) a problem of `unit`, and those roles.

    Normally the unit above, so a unit never signs off its own rectification. The root of the
    tree (the city) has nobody above it inside the platform, and without a rule its problems
    could never be accepted or closed out. There the top of the chain signs: the root's own
    领导干部, or a 系统管理员 of the root acting for the platform. Its 单位负责人 and 信访督办员,
    who keep the problem, still may not sign it off.
    """
    if unit.parent_id is None:
        return unit, ROOT_SIGNING
    return unit.parent, SIGNING


def can(user, action: str, problem: Problem) -> bool:
    roles, whose = ACTION_RULES[action]
    unit = problem.responsible_unit
    if whose == "parent":
        unit, roles = signing_unit_roles(unit)
    return has_role_over(user, unit, roles)


def require(user, action: str, problem: Problem):
    if not can(user, action, problem):
        raise PermissionDenied("您没有权限执行此操作。")


def allowed_actions(user, problem: Problem) -> set[str]:
    """Actions the user may take on the problem in its current state."""
    return {a for a in ACTION_RULES if problem.status in ACTION_STATES[a] and can(user, a, problem)}
