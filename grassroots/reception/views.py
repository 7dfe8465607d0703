"""Staff pages for reception days, session appeals and 包案. Days, leader pages and 包案 are read
through reception.access, appeals through grassroots.appeals.access; every change goes through
reception.actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.appeals.access import access_appeal_by_id, visible_appeals
from grassroots.lib.actions import ActionError

from . import access, accountability, actions
from .forms import DayForm, OwnershipForm, SessionAppealForm
from .models import Booking, ReceptionAppeal, ReceptionDay


@login_required
def day_list(request):
    today = timezone.localdate()
    days = access.visible_days(request.user).select_related("leader", "unit")
    upcoming = list(days.filter(date__gte=today))
    past = list(days.filter(date__lt=today).order_by("-date")[:50])
    return render(
        request,
        "reception/day_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "leader_links": access.visible_leader_ids(request.user, {d.leader_id for d in upcoming + past}),
            "can_create": access.can_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_edit(request, day_id=None):
    day = access.access_day_by_id(request.user, day_id) if day_id else ReceptionDay(leader=request.user)
    if day.pk and not access.can(request.user, "edit", day):
        raise Http404("没有这次接访安排，或您无权修改。")
    if not day.pk and not access.can_create(request.user):
        raise PermissionDenied("只有领导干部、信访督办员或接待登记员可以安排接访日。")
    form = DayForm(request.POST or None, instance=day, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            day = actions.save_day(form.save(commit=False), request.user)
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "接访安排已保存。")
            return redirect("reception:day", day_id=day.pk)
    return render(request, "reception/day_form.html", {"form": form, "day": day})


@login_required
@require_POST
def day_publish(request, day_id):
    day = access.access_day_by_id(request.user, day_id)
    publish = request.POST.get("published", "1") == "1"
    try:
        actions.publish(day, request.user, publish)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "已发布到群众门户。" if publish else "已撤回发布。")
    return redirect("reception:day", day_id=day.pk)


def _day_page(request, day, appeal_form=None, status=200):
    bookings = list(day.bookings.all())
    links = ReceptionAppeal.objects.filter(day=day, appeal__in=visible_appeals(request.user)).select_related(
        "appeal", "booking"
    )
    if appeal_form is None:
        from_booking = next((b for b in bookings if str(b.pk) == request.GET.get("booking")), None)
        appeal_form = SessionAppealForm(booking=from_booking)
    return render(
        request,
        "reception/day_detail.html",
        {
            "day": day,
            "booked": [b for b in bookings if b.status in Booking.HOLDING],
            "waiting": [b for b in bookings if b.status == Booking.Status.WAITING],
            "cancelled": [b for b in bookings if b.status == Booking.Status.CANCELLED],
            "links": links,
            "allowed": access.allowed_actions(request.user, day),
            "session_started": day.date <= timezone.localdate(),
            "appeal_form": appeal_form,
        },
        status=status,
    )


@login_required
def day_detail(request, day_id):
    return _day_page(request, access.access_day_by_id(request.user, day_id))


@login_required
@require_POST
def mark_attendance(request, day_id, booking_id):
    day = access.access_day_by_id(request.user, day_id)
    booking = get_object_or_404(Booking, pk=booking_id, day=day)
    try:
        actions.mark_attendance(booking, request.user, request.POST.get("attended") == "1")
    except ActionError as e:
        messages.error(request, str(e))
    return redirect("reception:day", day_id=day.pk)


@login_required
@require_POST
def register_appeal(request, day_id):
    day = access.access_day_by_id(request.user, day_id)
    form = SessionAppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请按提示修改后再提交。")
        return _day_page(request, day, form, status=400)
    data = form.cleaned_data
    booking = day.bookings.filter(pk=data["booking"]).first() if data["booking"] else None
    if data["booking"] and booking is None:
        messages.error(request, "该预约不属于本次接访。")
        return _day_page(request, day, form, status=400)
    try:
        link = actions.register_appeal_at_day(
            day,
            request.user,
            booking=booking,
            channel=data["channel"],
            title=data["title"],
            content=data["content"],
            petitioner_name=data["petitioner_name"],
            phone=data["phone"],
            place_unit=data["place_unit"],
            submission_token=data["submission_token"],
        )
    except ActionError as e:
        messages.error(request, str(e))
        return _day_page(request, day, form, status=400)
    messages.success(request, f"诉求 {link.appeal.tracking_code} 已登记并关联本次接访。")
    return redirect("reception:day", day_id=day.pk)


@login_required
def leader_page(request, user_id=None):
    user = request.user
    leader = access.access_leader_by_id(user, user_id) if user_id else user
    today = timezone.localdate()
    owned = list(
        access.visible_ownerships(user, leader).select_related("appeal").order_by("appeal__due_date")
    )
    days = (
        access.visible_days(user)
        .filter(leader=leader, date__year=today.year)
        .select_related("leader", "unit")
    )
    return render(
        request,
        "reception/leader.html",
        {
            "leader": leader,
            "owned": owned,
            "owned_hidden": access.current_ownerships(leader).count() - len(owned),
            "figure": accountability.figure(leader, today),
            "days": days.order_by("-date")[:24],
            "leader_links": {leader.pk},
        },
    )


@login_required
@require_POST
def take_ownership(request, appeal_id):
    appeal = access_appeal_by_id(request.user, appeal_id)
    form = OwnershipForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.take_ownership(appeal, request.user, note)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "已包案，该诉求将显示在您的领导页面。")
    return redirect(request.POST.get("next") if _safe_next(request) else "reception:leader_me")


@login_required
@require_POST
def release_ownership(request, appeal_id):
    appeal = access_appeal_by_id(request.user, appeal_id)
    try:
        actions.release_ownership(appeal, request.user)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "已解除包案。")
    return redirect(request.POST.get("next") if _safe_next(request) else "reception:leader_me")


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    return bool(nxt) and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})


def ownership_context(user, appeal) -> dict:
    """For the appeal page: `{% include "reception/_ownership.html" %}` with this dict in the context:
    the reception session the appeal was registered at (if any) and its 包案 leader."""
    owner = actions.current_owner(appeal)
    link = ReceptionAppeal.objects.select_related("day__leader", "booking").filter(appeal=appeal).first()
    return {
        "reception_link": link,
        "reception_day_visible": link is not None
        and access.visible_days(user).filter(pk=link.day_id).exists(),
        "ownership": owner,
        "ownership_appeal": appeal,
        "can_take_ownership": owner is None and appeal.is_open and access.can_own_cases(user),
        "can_release_ownership": access.can_release(user, owner),
    }
