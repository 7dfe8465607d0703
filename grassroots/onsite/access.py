"""The one access layer for on-site office: what a user may see, and what they may do.

A session is seen by everyone whose subtree holds its activity's unit (and by its owner).
A task is seen with its session, and also by the staff of the responsible unit's subtree:
the unit ordered to act sees what it was ordered even when the session sat above it.

The session's owner, and a leader over the session's unit, run the session (agenda, people
present, decisions). The responsible unit's staff report progress and completion; only the
owner accepts or returns the work, since they are the one who ordered it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.access import has_role_over, scope_q, units_in_scope
from grassroots.accounts.models import Role, User

from .models import WITH_UNIT, OnsiteSession, SessionStatus, Task, TaskStatus

# who may hold a session (and own it): leaders and the heads of units
ORGANISING = {Role.LEADER, Role.UNIT_HEAD}
REPORTING = {Role.HANDLER, Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}

# task action -> (roles, whose: "unit" = over the responsible unit, "owner" = the session's owner)
ACTION_RULES = {
    "progress": (REPORTING, "unit"),
    "submit": (REPORTING, "unit"),
    "accept": (None, "owner"),
    "return": (None, "owner"),
}
ACTION_STATES = {
    "progress": set(WITH_UNIT),
    "submit": set(WITH_UNIT),
    "accept": {TaskStatus.SUBMITTED},
    "return": {TaskStatus.SUBMITTED},
}


# --- sessions ----------------------------------------------------------------------------------


def visible_sessions(user):
    if not user.is_authenticated:
        return OnsiteSession.objects.none()
    return OnsiteSession.objects.filter(scope_q(user, "activity__unit") | Q(owner=user))


def access_session_by_id(user, session_id) -> OnsiteSession:
    try:
        return (
            visible_sessions(user)
            .select_related("activity__unit", "activity__place", "owner")
            .get(pk=session_id)
        )
    except (OnsiteSession.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这次现场办公，或您无权查看。") from None


def organising_units(user):
    """Units for which the user may hold an on-site session."""
    return units_in_scope(user, ORGANISING)


def can_create(user) -> bool:
    return organising_units(user).exists()


def owner_choices(user):
    """People who may own a session the user sets up: leaders and heads within the user's scope."""
    return list(
        User.objects.filter(memberships__unit__in=organising_units(user), memberships__role__in=ORGANISING)
        .distinct()
        .order_by("display_name", "username")
    )


def may_own(person, unit) -> bool:
    return has_role_over(person, unit, ORGANISING)


def can_manage(user, session: OnsiteSession) -> bool:
    """Agenda, people present, decisions and holding the session."""
    return session.owner_id == user.pk or has_role_over(user, session.activity.unit, {Role.LEADER})


def require_manage(user, session: OnsiteSession):
    if not can_manage(user, session):
        raise PermissionDenied("只有现场办公负责人或该单位的领导干部可以操作。")


def can_decide(session: OnsiteSession) -> bool:
    """Decisions are made at the session: not before its date."""
    return session.activity.date <= timezone.localdate()


def can_hold(session: OnsiteSession) -> bool:
    return session.status == SessionStatus.PREPARING and can_decide(session)


# --- the remit of a session's owner ---------------------------------------------------------


def remit_units(owner):
    """Units a session owned by `owner` may order: the subtree the owner leads."""
    return units_in_scope(owner, ORGANISING)


def in_remit(owner, unit) -> bool:
    return has_role_over(owner, unit, ORGANISING)


# --- tasks -----------------------------------------------------------------------------------


def visible_tasks(user):
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(
        scope_q(user, "session__activity__unit") | Q(session__owner=user) | scope_q(user, "responsible_unit")
    )


def access_task_by_id(user, task_id) -> Task:
    try:
        return (
            visible_tasks(user)
            .select_related(
                "session__activity__unit",
                "session__activity__place",
                "session__owner",
                "decision__agenda_item",
                "responsible_unit",
                "accepted_by",
            )
            .get(pk=task_id)
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这项任务，或您无权查看。") from None


def my_tasks(user, today=None):
    """我的现场办公任务: open tasks of the units the user works for, overdue first."""
    today = today or timezone.localdate()
    overdue = Q(status__in=WITH_UNIT, deadline__lt=today)
    return (
        Task.objects.filter(scope_q(user, "responsible_unit", REPORTING))
        .open()
        .annotate(late=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("late", "deadline", "id")
    )


def awaiting_acceptance(user):
    """Tasks reported done in sessions the user owns."""
    return Task.objects.filter(session__owner=user, status=TaskStatus.SUBMITTED).order_by("submitted_at")


def can(user, action: str, task: Task) -> bool:
    roles, whose = ACTION_RULES[action]
    if whose == "owner":
        return task.session.owner_id == user.pk
    return has_role_over(user, task.responsible_unit, roles)


def require(user, action: str, task: Task):
    if not can(user, action, task):
        raise PermissionDenied("您没有权限执行此操作。")


def allowed_actions(user, task: Task) -> set[str]:
    """Actions the user may take on the task in its current state."""
    return {a for a in ACTION_RULES if task.status in ACTION_STATES[a] and can(user, a, task)}


def session_visible(user, session: OnsiteSession) -> bool:
    """Whether the task page may link to its session (the unit below may not see it)."""
    return visible_sessions(user).filter(pk=session.pk).exists()
