"""The one access layer for research: what a user may see, and what they may do.

A user sees the topics whose unit lies in their subtree, and the topics they own wherever
those are. The owner (课题负责人) and the unit's heads, leaders and supervisors run the topic.
Putting a finding on the problem ledger is the ledger's business: only people who may put
problems on the ledger (`ledger.access.keeping_units`) may do it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from grassroots.accounts.access import has_role_over, scope_q, units_in_scope
from grassroots.accounts.models import Role
from grassroots.ledger import access as ledger_access

from .models import Finding, ResearchTopic, Status

RUNNING = {Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}

# which topic actions apply in which state; all of them belong to the owner and RUNNING
ACTION_STATES = {
    "edit": {Status.ACTIVE},
    "visit": {Status.ACTIVE},
    "questionnaire": {Status.ACTIVE},
    "finding": {Status.ACTIVE},
    "conclude": {Status.ACTIVE},
    "reopen": {Status.CONCLUDED},
}


def visible_topics(user):
    if not user.is_authenticated:
        return ResearchTopic.objects.none()
    return ResearchTopic.objects.filter(scope_q(user, "unit") | Q(owner=user))


def access_topic_by_id(user, topic_id) -> ResearchTopic:
    try:
        return visible_topics(user).select_related("unit", "owner").get(pk=topic_id)
    except (ResearchTopic.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这个调研课题，或您无权查看。") from None


def access_finding_by_id(topic, finding_id) -> Finding:
    """A finding of `topic`, which the caller has already read through `access_topic_by_id`."""
    try:
        return topic.findings.select_related("problem__responsible_unit").get(pk=finding_id)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("没有这条调研发现。") from None


def creating_units(user):
    """Units for which the user may open a research topic."""
    return units_in_scope(user, RUNNING)


def can_create(user) -> bool:
    return creating_units(user).exists()


def runs(user, topic) -> bool:
    """The owner, or a head, leader or supervisor over the topic's unit."""
    if topic.owner_id == user.pk:
        return True
    return has_role_over(user, topic.unit, RUNNING)


def can(user, action: str, topic) -> bool:
    return topic.status in ACTION_STATES[action] and runs(user, topic)


def require(user, topic):
    if not runs(user, topic):
        raise PermissionDenied(
            "您没有权限执行此操作：只有课题负责人或牵头单位的负责人、领导干部、督办员可以。"
        )


def allowed_actions(user, topic) -> set[str]:
    return {a for a in ACTION_STATES if can(user, a, topic)}


def can_put_on_ledger(user) -> bool:
    return ledger_access.can_create(user)


def require_ledger(user):
    if not can_put_on_ledger(user):
        raise PermissionDenied("只有单位负责人、领导干部或信访督办员可以将调研发现列入问题清单。")
