"""A tiny fixed-window counter in Django's cache: N hits per key per hour.

Keys are what identifies who is asking: the client's address, and also the person (a keyed
digest of the phone number, the tracking code asked about), so that a 便民服务中心 submitting
for many villagers from one address is limited per villager, not all together. Its address
may be listed by administrators (portal.AssistedAddress) for a higher per-address limit.

Fixed windows let a client make up to 2N requests around the turn of the hour; that is
plenty to stop scripted submissions and code guessing, and costs one cache key per client.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from grassroots.lib.crypto import digest

from .models import AssistedAddress

WINDOW_SECONDS = 3600


def client_ip(request) -> str:
    """The client's address. Behind N trusted reverse proxies (settings.PORTAL_TRUSTED_PROXIES = N)
    the client is the Nth address from the right of X-Forwarded-For; otherwise REMOTE_ADDR,
    because a client can write anything into X-Forwarded-For."""
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ip: str) -> str:
    return f"portal-rate:{scope}:{ip}:{int(time.time()) // WINDOW_SECONDS}"


def count(scope: str, ip: str) -> int:
    return cache.get(_key(scope, ip), 0)


def exceeded(scope: str, ip: str, limit: int) -> bool:
    return count(scope, ip) >= limit


def hit(scope: str, ip: str) -> int:
    """Count one request; returns the count in the current window."""
    key = _key(scope, ip)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def address_limit(ip: str, limit: int) -> int:
    """The per-address limit: `limit`, or the assisted-service limit at a listed address."""
    if AssistedAddress.objects.covering(ip).exists():
        return max(limit, settings.PORTAL_ASSISTED_SUBMIT_RATE)
    return limit


def identity_key(value: str) -> str:
    """The key of a person (by phone number) or a tracking code: never the value itself."""
    return digest("portal-rate", value)


def limited(request, what: str, who: str = "您这里"):
    """The page for a limit reached: what was limited, for whom, and the petition office's phone."""
    context = {"what": what, "who": who, "service_phone": settings.PETITION_PHONE}
    return render(request, "portal/limited.html", context, status=429)
