"""Error pages in Chinese, in the site's look, that keep what the user typed."""

from django.conf import settings
from django.shortcuts import render

from .kept import kept_text


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale security token: most often cookies are blocked,
    or the page stayed open past the session. The typed text is shown so it can be copied."""
    context = {
        "kept": kept_text(request.POST),
        "portal": request.path.startswith("/p/"),
        "service_phone": settings.PETITION_PHONE,
    }
    return render(request, "errors/csrf.html", context, status=403)
