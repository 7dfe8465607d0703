"""The residents' portal: submit an appeal, track it, rate the answer, ask for 复查/复核.

No account: a browser reaches an appeal through its session (see lookup.py).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.appeals import actions
from grassroots.appeals.models import Channel, new_tracking_code
from grassroots.lib.actions import ActionError, Conflict

from . import progress, ratelimit
from .forms import RateForm, ReviewForm, SubmitForm, TrackForm
from .lookup import (
    SUBMITTED,
    UNLOCKED,
    find_by_code_and_phone,
    intake_unit,
    remember,
    submitted_code,
    unlocked_appeal,
)

log = logging.getLogger(__name__)

NO_MATCH = "查询码或手机号后四位不正确，请核对后重试。"
CHANGED = "办理情况刚刚有更新，您的操作未执行，请查看最新情况后再提交。"
PORTAL_FINAL = (
    "您反映的同一事项（查询码 {code}）已经复核终结。依照《信访工作条例》第三十六条，以同一事实和理由"
    "提出的投诉请求不再受理。如有新的事实和理由，请到信访接待场所当面反映，由工作人员登记。"
)


def home(request):
    return render(request, "portal/home.html")


@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method != "POST":
        return render(request, "portal/submit.html", {"form": SubmitForm()})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("submit", ip, ratelimit.address_limit(ip, settings.PORTAL_SUBMIT_RATE)):
        return ratelimit.limited(request, "提交")
    form = SubmitForm(request.POST, request.FILES)
    if form.is_bot:
        ratelimit.hit("submit", ip)
        log.info("portal: honeypot filled from %s, nothing registered", ip)
        return render(request, "portal/submitted.html", {"code": new_tracking_code()})
    if form.is_valid():
        person = ratelimit.identity_key(form.cleaned_data["phone"])
        if ratelimit.exceeded("submit-person", person, settings.PORTAL_SUBMIT_RATE_PER_PHONE):
            return ratelimit.limited(request, "提交", who="这个手机号码")
        ratelimit.hit("submit", ip)
        ratelimit.hit("submit-person", person)
        data = form.cleaned_data
        unit = intake_unit(data["place_unit"])
        try:
            if unit is None:
                raise ActionError("系统尚未设置受理单位，暂不能网上提交，请拨打信访电话。")
            if final := actions.final_matter(
                data["phone"], data["id_number"], data["title"], data["content"]
            ):
                raise ActionError(PORTAL_FINAL.format(code=final.tracking_code))
            appeal = actions.register(
                registered_unit=unit,
                actor=None,
                channel=Channel.ONLINE,
                title=data["title"],
                content=data["content"],
                category=data["category"],
                place_unit=data["place_unit"],
                address=data["address"],
                petitioner_name=data["petitioner_name"],
                phone=data["phone"],
                id_number=data["id_number"],
                is_report=data["is_report"],
                accused_unit=data["accused_unit"],
                attachments=data["attachments"],
                submission_token=data["submission_token"],
            )
        except actions.FinalMatter as e:  # a resident cannot state new facts here: staff record them
            form.add_error(None, PORTAL_FINAL.format(code=e.final.tracking_code))
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            remember(request, SUBMITTED, appeal.tracking_code)
            return redirect("portal:submitted", code=appeal.tracking_code)
    if "submission_token" in form.errors:
        form.fresh_token()
    return render(request, "portal/submit.html", {"form": form})


def submitted(request, code):
    return render(request, "portal/submitted.html", {"code": submitted_code(request, code)})


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method != "POST":
        form = TrackForm(initial={"code": request.GET.get("code", "")[:20]})
        return render(request, "portal/track.html", {"form": form})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("lookup", ip, ratelimit.address_limit(ip, settings.PORTAL_LOOKUP_RATE)):
        return ratelimit.limited(request, "查询")
    ratelimit.hit("lookup", ip)
    form = TrackForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"]
        tries = ratelimit.hit("lookup-code", ratelimit.identity_key(code))
        if tries > settings.PORTAL_LOOKUP_RATE_PER_CODE:  # someone guessing the last four digits
            return ratelimit.limited(request, "查询", who="这个查询码")
        appeal = find_by_code_and_phone(form.cleaned_data["code"], form.cleaned_data["last4"])
        if appeal is not None:
            remember(request, UNLOCKED, appeal.tracking_code)
            return redirect("portal:track_detail", code=appeal.tracking_code)
        form.add_error(None, NO_MATCH)
    return render(request, "portal/track.html", {"form": form})


def track_detail(request, code):
    appeal = unlocked_appeal(request, code)
    if actions.record_portal_view(appeal):  # the written answer reached the petitioner today (§35)
        appeal = unlocked_appeal(request, code)
    summary = progress.summary(appeal)
    context = {
        "appeal": appeal,
        **summary,
        "rate_form": RateForm(stage=summary["rating_stage"]),
        "review_form": ReviewForm(initial={"version": appeal.version}),
    }
    return render(request, "portal/track_detail.html", context)


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
def rate(request, code):
    appeal = unlocked_appeal(request, code)
    form = RateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:track_detail", code=code)
    try:
        actions.rate(appeal, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
    except Conflict:  # its message names the staff member who acted
        messages.error(request, CHANGED)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "感谢您的评价。")
    return redirect("portal:track_detail", code=code)


@require_POST
def review(request, code):
    appeal = unlocked_appeal(request, code)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:track_detail", code=code)
    try:
        appeal = actions.request_review(
            appeal,
            None,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except Conflict:
        messages.error(request, CHANGED)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已提交申请，{appeal.review_unit.name}将在法定期限内出具意见。")
    return redirect("portal:track_detail", code=code)
