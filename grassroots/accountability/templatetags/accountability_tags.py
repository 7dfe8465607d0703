"""Whether the navigation shows the link to the accountability pages."""

from django import template

from grassroots.accountability import access

register = template.Library()


@register.filter
def sees_accountability(user) -> bool:
    return access.can_view(user)
