"""The residents' side: published reception days, booking a slot, cancelling with code + last 4 digits."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from grassroots.accounts.models import Membership, Role
from grassroots.lib.actions import ActionError
from grassroots.portal import ratelimit

from . import actions
from .forms import BookForm, CancelForm
from .models import ReceptionDay


def with_leader_posts(days):
    """Each day with `leader_post`: the leader's post as residents know it ("东城县县长"), from the
    LEADER membership over the day's unit (or any, failing that); one query for all the days."""
    days = list(days)
    posts: dict[int, list] = {}
    leaders = {d.leader_id for d in days}
    held = Membership.objects.filter(user_id__in=leaders, role=Role.LEADER).exclude(post="")
    for m in held.select_related("unit").order_by("unit__path"):
        posts.setdefault(m.user_id, []).append(m)
    for day in days:
        mine = posts.get(day.leader_id, [])
        over = [m for m in mine if day.unit.path.startswith(m.unit.path)]
        chosen = (over or mine or [None])[0]
        day.leader_post = f"{chosen.unit.name}{chosen.post}" if chosen else ""
    return days


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
    return with_leader_posts([day])[0]


def day_list(request):
    days = ReceptionDay.objects.published().upcoming(timezone.localdate()).select_related("leader", "unit")
    return render(request, "reception/public_list.html", {"days": with_leader_posts(days)})


@require_http_methods(["GET", "POST"])
def day_detail(request, day_id):
    day = _public_day(day_id)
    if request.method != "POST":
        return render(request, "reception/public_detail.html", {"day": day, "form": BookForm()})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("reception-book", ip, settings.PORTAL_SUBMIT_RATE):
        return ratelimit.limited(request, "预约")
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
        return ratelimit.limited(request, "取消预约")
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
