"""The one access layer for reception: which days a user sees, who manages them, whose leader page
a user may open, and who takes 包案.

Days. A user sees the days at which they receive residents themself, and the days of the units
in their subtree (any role there). A day is managed (arranged, edited, published, its appeals
registered, its attendance marked) by its own leader, or by a 信访督办员/接待登记员 over its
unit; it is arranged only for a person who is a 领导干部 over that unit.

Leader pages. A leader's page shows their reception days against the rule and the cases they own
(包案). It is open to the leader themself, and to a 领导干部, 单位负责人, 信访督办员 or 系统管理员
whose subtree holds one of the leader's LEADER posts: the people at and above that post in the
chain answer for how it is filled (so fellow leaders of one county see each other's pages, as on
the accountability pages). A person's other posts do not open their page (a leader who is also a
承办人 in a department is not that department's to watch); nobody sees the page of a leader whose
posts all lie beside or above their own, and a 承办人 or 接待登记员 sees no one's but their own.
Anyone else gets "没有这位领导，或您无权查看。", also for a person who leads nothing.

On an open page the reception figures are counts of published days and are shown whole; the days
are listed only as far as the viewer sees them, and a case owned is listed only if the viewer may
open the appeal (grassroots.appeals.access); the others are only counted.

包案 is taken by a 领导干部 on an appeal they can see, and released only by its owner.
"""

from django.db.models import Q
from django.http import Http404

from grassroots.accounts.access import has_role, has_role_over, scope_q
from grassroots.accounts.models import Membership, Role, User
from grassroots.appeals.access import visible_appeals

from .models import CaseOwnership, ReceptionDay

MANAGERS = {Role.SUPERVISOR, Role.CLERK}
RECEIVING = {Role.LEADER}
OWNING = {Role.LEADER}
LEADER_PAGE_VIEWERS = {Role.LEADER, Role.UNIT_HEAD, Role.SUPERVISOR, Role.ADMIN}

# action on a day -> the roles over the day's unit that may take it; the day's own leader always may
ACTION_RULES = {
    "edit": MANAGERS,
    "publish": MANAGERS,
    "register_appeal": MANAGERS,
    "attendance": MANAGERS,
}


# --- days ----------------------------------------------------------------------------------------


def visible_days(user):
    if not user.is_authenticated:
        return ReceptionDay.objects.none()
    return ReceptionDay.objects.filter(Q(leader=user) | scope_q(user, "unit"))


def access_day_by_id(user, day_id) -> ReceptionDay:
    try:
        return visible_days(user).select_related("leader", "unit", "place_unit").get(pk=day_id)
    except (ReceptionDay.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这次接访安排，或您无权查看。") from None


def is_leader_of(user, unit) -> bool:
    """Whether `user` may receive residents for `unit`: a 领导干部 over it."""
    return has_role_over(user, unit, RECEIVING)


def can_create(user) -> bool:
    """Whether the user arranges days anywhere: a leader for themself, or a desk for its leaders."""
    return has_role(user, RECEIVING | MANAGERS)


def can(user, action: str, day: ReceptionDay) -> bool:
    """Also asked of a day not saved yet (its leader and unit as chosen on the form)."""
    roles = ACTION_RULES[action]
    return user.is_authenticated and (day.leader_id == user.pk or has_role_over(user, day.unit, roles))


def allowed_actions(user, day: ReceptionDay) -> set[str]:
    return {a for a in ACTION_RULES if can(user, a, day)}


# --- leader pages --------------------------------------------------------------------------------


def visible_leaders(user):
    """The people whose leader page the user may open (see the module docstring)."""
    if not user.is_authenticated:
        return User.objects.none()
    posts = Membership.objects.filter(scope_q(user, "unit", LEADER_PAGE_VIEWERS), role__in=RECEIVING)
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=posts.values("user_id")))


def access_leader_by_id(user, user_id) -> User:
    try:
        return visible_leaders(user).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这位领导，或您无权查看。") from None


def visible_leader_ids(user, leader_ids) -> set[int]:
    """Which of these leaders' pages the user may open (for links from a list of days)."""
    return set(visible_leaders(user).filter(pk__in=set(leader_ids)).values_list("pk", flat=True))


# --- 包案 ----------------------------------------------------------------------------------------


def current_ownerships(leader):
    return CaseOwnership.objects.filter(leader=leader, ended_at__isnull=True)


def visible_ownerships(user, leader):
    """The leader's current 包案 whose appeal the user may open."""
    return current_ownerships(leader).filter(appeal__in=visible_appeals(user))


def can_own_cases(user) -> bool:
    return has_role(user, OWNING)


def can_release(user, ownership: CaseOwnership | None) -> bool:
    return ownership is not None and ownership.leader_id == user.pk
