"""The portal's access layer: how a resident without an account reaches an appeal.

A browser may see an appeal only when its session holds the tracking code, put there
either by submitting the appeal (the "submitted" page) or by a correct code + last four
phone digits (the tracking page). Views never query Appeal themselves.
"""

import hmac

from django.http import Http404

from grassroots.accounts.models import OrgUnit, UnitKind
from grassroots.appeals.models import Appeal

SUBMITTED = "portal_submitted"
UNLOCKED = "portal_unlocked"
SESSION_CODES_KEPT = 20


def intake_unit(place=None):
    """The petition office that registers an online appeal: the 信访局 of the nearest area
    at or above the place the resident chose (so it reaches the county desk directly),
    else the top-most 信访局, else the root area unit."""
    offices = OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, name__endswith="信访局")
    if place is not None:
        chain = [place, *reversed(place.ancestors())]
        by_area = {o.parent_id: o for o in offices.filter(parent__in=chain)}
        for area in chain:
            if area.pk in by_area:
                return by_area[area.pk]
    office = offices.order_by("level", "path").first()
    if office is not None:
        return office
    return OrgUnit.objects.filter(kind=UnitKind.AREA, parent=None).order_by("level", "path").first()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def remember(request, key: str, code: str) -> None:
    codes = [c for c in request.session.get(key, []) if c != code]
    request.session[key] = [*codes, code][-SESSION_CODES_KEPT:]


def has_code(request, key: str, code: str) -> bool:
    return code in request.session.get(key, [])


def find_by_code_and_phone(code: str, last4: str) -> Appeal | None:
    """The appeal whose code and phone's last four digits both match, else None
    (the caller shows one message for every kind of mismatch)."""
    appeal = Appeal.objects.filter(tracking_code=normalise_code(code)).first()
    phone = appeal.phone if appeal else ""
    if len(phone) < 4 or not hmac.compare_digest(phone[-4:].encode(), (last4 or "").encode()):
        return None
    return appeal


def unlocked_appeal(request, code: str) -> Appeal:
    """The appeal for the tracking page, or 404 unless this browser unlocked it."""
    if not has_code(request, UNLOCKED, code):
        raise Http404("请先凭查询码和手机号后四位查询。")
    appeal = (
        Appeal.objects.select_related("clock", "handling_unit", "review_unit", "registered_unit")
        .filter(tracking_code=code)
        .first()
    )
    if appeal is None:
        raise Http404("没有这条诉求。")
    return appeal


def submitted_code(request, code: str) -> str:
    if not has_code(request, SUBMITTED, code):
        raise Http404("没有这条诉求。")
    return code
