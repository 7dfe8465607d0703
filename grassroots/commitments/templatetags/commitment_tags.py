from django import template

from grassroots.commitments import access

register = template.Library()


@register.inclusion_tag("commitments/_problem_card.html", takes_context=True)
def problem_commitments(context, problem):
    """The commitments card on a ledger problem's page:
    `{% load commitment_tags %}{% problem_commitments problem %}`."""
    user = context["request"].user
    return {
        "problem": problem,
        "commitments": access.visible_commitments(user).filter(problem=problem).order_by("created_at", "pk"),
        "can_create": access.can_create_for(user, problem.responsible_unit),
    }
