"""The commitments card on a source's page: what was promised on it, and the way to promise."""

from django import template

from grassroots.commitments import access
from grassroots.commitments.sources import ProblemSource, TaskSource

register = template.Library()


def _card(context, source, create_label) -> dict:
    user = context["request"].user
    obj = source.obj
    return {
        "obj": obj,
        "field": source.field,
        "noun": source.noun,
        "create_label": create_label,
        "commitments": access.visible_commitments(user)
        .filter(**{source.field: obj})
        .order_by("created_at", "pk"),
        "can_create": access.can_create_for(user, obj.responsible_unit),
    }


@register.inclusion_tag("commitments/_source_card.html", takes_context=True)
def problem_commitments(context, problem):
    """On a ledger problem's page: `{% load commitment_tags %}{% problem_commitments problem %}`."""
    return _card(context, ProblemSource(problem), "作出公开承诺")


@register.inclusion_tag("commitments/_source_card.html", takes_context=True)
def task_commitments(context, task):
    """On an on-site task's page: `{% load commitment_tags %}{% task_commitments task %}`."""
    return _card(context, TaskSource(task), "设为公开承诺")
