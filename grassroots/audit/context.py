"""Where the current change comes from: the request's address and browser, or the command line.

Set once per request by `OriginMiddleware` (and per management command by `from_command`), read
by `audit.record`, so that actions need no request to say where they were done.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from grassroots.portal.ratelimit import client_ip


@dataclass(frozen=True)
class Origin:
    ip: str = ""
    user_agent: str = ""


SYSTEM = Origin(user_agent="系统")
_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current() -> Origin:
    return _origin.get() or SYSTEM


@contextmanager
def origin(value: Origin):
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)


class OriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        agent = request.META.get("HTTP_USER_AGENT", "")[:200]
        with origin(Origin(ip=client_ip(request), user_agent=agent)):
            return self.get_response(request)


def from_command(name: str):
    """The origin of a management command's changes."""
    return origin(Origin(user_agent=f"命令行 manage.py {name}"))
