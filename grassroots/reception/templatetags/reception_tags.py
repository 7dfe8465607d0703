from django import template

from grassroots.reception.views import ownership_context

register = template.Library()


@register.inclusion_tag("reception/_ownership.html", takes_context=True)
def appeal_ownership(context, appeal):
    """The 包案 card on the appeal page: `{% load reception_tags %}{% appeal_ownership appeal %}`."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        **ownership_context(request.user, appeal),
    }
