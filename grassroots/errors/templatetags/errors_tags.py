from django import template

from ..kept import SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_text(context):
    """The text kept from a form whose login expired, once: shown on the next full staff page."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return []
    return request.session.pop(SESSION_KEY, [])
