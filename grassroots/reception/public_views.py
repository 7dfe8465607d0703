"""The residents' side: published reception days, booking a slot, cancelling with code + last 4 digits."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from grassroots.lib.actions import ActionError
from grassroots.portal import ratelimit

from . import actions
from .forms import BookForm, CancelForm
from .models import ReceptionDay


def _limited(request, what):
    return render(request, "portal/limited.html", {"what": what}, status=429)


def _public_day(day_id) -> ReceptionDay:
    day = (
        ReceptionDay.objects.published()
        .upcoming(timezone.localdate())
        .select_related("leader", "unit", "place_unit")
        .filter(pk=day_id)
        .first()
    )
    if day is None:
        raise Http404("该接访安排不存在或已结束。")
    return day


def day_list(request):
    days = ReceptionDay.objects.published().upcoming(timezone.localdate()).select_related("leader", "unit")
    return render(request, "reception/public_list.html", {"days": days})


@require_http_methods(["GET", "POST"])
def day_detail(request, day_id):
    day = _public_day(day_id)
    if request.method != "POST":
        return render(request, "reception/public_detail.html", {"day": day, "form": BookForm()})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("reception-book", ip, settings.PORTAL_SUBMIT_RATE):
        return _limited(request, "预约")
    form = BookForm(request.POST)
    if form.is_valid():
        ratelimit.hit("reception-book", ip)
        data = form.cleaned_data
        try:
            booking = actions.book(
                day.pk,
                name=data["name"],
                phone=data["phone"],
                description=data["description"],
                submission_token=data["submission_token"],
            )
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            return render(request, "reception/booked.html", {"day": day, "booking": booking})
    if "submission_token" in form.errors:
        form.fresh_token()
    return render(request, "reception/public_detail.html", {"day": day, "form": form}, status=400)


@require_http_methods(["GET", "POST"])
def cancel(request):
    if request.method != "POST":
        return render(request, "reception/cancel.html", {"form": CancelForm()})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("reception-cancel", ip, settings.PORTAL_LOOKUP_RATE):
        return _limited(request, "取消预约")
    ratelimit.hit("reception-cancel", ip)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            booking = actions.cancel(form.cleaned_data["code"], form.cleaned_data["last4"])
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            return render(request, "reception/cancelled.html", {"booking": booking})
    return render(request, "reception/cancel.html", {"form": form}, status=400)
