"""Two ends of a form that lost its session, mended.

A POST that meets the login page (the login expired while the user typed) keeps its text in
the session and sends the user back, after logging in, to the page the form was on rather than
to the POST-only address behind it; the text is shown there once (`errors_tags.kept_text`).
A bare 405 (an address that takes only a form, opened by GET) gets a page in Chinese.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from .kept import SESSION_KEY, kept_text


def _page_of_the_form(request) -> str:
    """The page the form was posted from (same site only), else the address posted to."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


class KeepFormsThroughLogin:
    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request):
        came_anonymous = not request.user.is_authenticated  # not one who just logged out
        response = self.get_response(request)
        if self.login_path is None:
            self.login_path = resolve_url(settings.LOGIN_URL)
        if (
            request.method == "POST"
            and came_anonymous
            and response.status_code == 302
            and urlsplit(response.get("Location", "")).path == self.login_path
        ):
            kept = kept_text(request.POST)
            if kept:
                request.session[SESSION_KEY] = kept
            return redirect_to_login(_page_of_the_form(request))
        if response.status_code == 405 and not response.content:
            back = _page_of_the_form(request)
            back = back if back != request.path and back != self.login_path else "/work/"
            page = render(request, "errors/405.html", {"back": back}, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
