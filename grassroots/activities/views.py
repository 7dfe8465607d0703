"""Staff pages for grassroots activities: the list, the record form, an activity's page with its
photos, questions and concerns, and the actions on it.

Every activity is read through `access` and changed through `actions`.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.accounts.access import units_in_scope
from grassroots.accounts.models import User
from grassroots.appeals.access import visible_appeals
from grassroots.ledger.access import visible_problems
from grassroots.lib.actions import ActionError, AlreadyDone, Conflict
from grassroots.lib.downloads import serve_upload
from grassroots.lib.fields import unit_labels

from . import access, actions, forms
from .models import Kind

PAGE_SIZE = 30


# --- the list --------------------------------------------------------------------------------------


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(request):
    """The visible activities narrowed by the list's filters, and the filter values."""
    user = request.user
    activities = access.visible_activities(user)
    f = {k: request.GET.get(k, "").strip() for k in ("kind", "unit", "official", "q", "start", "end")}
    if f["kind"] in Kind.values:
        activities = activities.filter(kind=f["kind"])
    if f["unit"].isdigit():
        unit = units_in_scope(user).filter(pk=f["unit"]).first()
        if unit is not None:
            activities = activities.filter(unit__path__startswith=unit.path)
    if f["official"].isdigit():
        activities = activities.filter(officials__pk=f["official"])
    if _day(f["start"]):
        activities = activities.filter(date__gte=_day(f["start"]))
    if _day(f["end"]):
        activities = activities.filter(date__lte=_day(f["end"]))
    if f["q"]:
        q = f["q"][:100]
        activities = activities.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(outreach_topic__icontains=q)
            | Q(address__icontains=q)
            | Q(place__name__icontains=q)
        )
    activities = activities.select_related("unit", "place").prefetch_related("officials")
    return activities.order_by("-date", "-id"), f


@login_required
def activity_list(request):
    user = request.user
    activities, f = _filtered(request)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(units_in_scope(user).order_by("path"))
    labels = unit_labels(units)
    taking_part = access.visible_activities(user).values("officials")
    officials = User.objects.filter(pk__in=taking_part).order_by("display_name", "username")
    return render(
        request,
        "activities/list.html",
        {
            "page_obj": page,
            "filters": f,
            "kinds": Kind.choices,
            "units": [(str(u.pk), labels[u.pk]) for u in units],
            "officials": [(str(o.pk), str(o)) for o in officials],
            "can_create": access.can_create(user),
        },
    )


# --- record and edit -------------------------------------------------------------------------------


@login_required
def new(request):
    user = request.user
    if not access.can_create(user):
        raise PermissionDenied(_("只有本单位的工作人员可以记录下基层活动。"))
    if request.method != "POST":
        return render(request, "activities/form.html", {"form": forms.ActivityForm(user=user)})
    token = request.POST.get("submission_token", "")
    existing = access.visible_activities(user).filter(submission_token=token).first() if token else None
    if existing:  # a second click or a resent form: the first submit already recorded it
        messages.info(request, _("这次活动已记录，未重复记录。"))
        return redirect("activities:detail", pk=existing.pk)
    form = forms.ActivityForm(request.POST, request.FILES, user=user)
    if form.is_valid():
        if not access.can_create(user, form.cleaned_data["unit"]):
            raise PermissionDenied(_("您不能以该单位的名义记录活动。"))
        try:
            activity = actions.create(actor=user, **form.action_kwargs())
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("下基层活动已记录。"))
            return redirect("activities:detail", pk=activity.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "activities/form.html", {"form": form}, status=400)


@login_required
def edit(request, pk):
    user = request.user
    activity = access.access_activity_by_id(user, pk)
    access.require(user, "edit", activity)
    if request.method != "POST":
        form = forms.ActivityForm(user=user, activity=activity)
        return render(request, "activities/form.html", {"form": form, "activity": activity})
    form = forms.ActivityForm(request.POST, user=user, activity=activity)
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        if unit != activity.unit and not access.can_create(user, unit):
            raise PermissionDenied(_("您不能以该单位的名义记录活动。"))
        try:
            actions.edit(activity, user, **form.action_kwargs())
        except Conflict as e:
            messages.error(request, str(e))
            return redirect("activities:detail", pk=activity.pk)
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("activities:detail", pk=activity.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "activities/form.html", {"form": form, "activity": activity}, status=400)


# --- the activity page -----------------------------------------------------------------------------


def _concern_rows(user, activity, allowed, bound):
    """Each concern with where it went (linked if the user may see it) and its conversion forms."""
    appeals = set(
        visible_appeals(user).filter(activity_concern__activity=activity).values_list("pk", flat=True)
    )
    problems = set(
        visible_problems(user).filter(activity_concern__activity=activity).values_list("pk", flat=True)
    )
    rows = []
    for concern in activity.concerns.select_related("appeal", "problem", "converted_by"):
        row = {
            "concern": concern,
            "appeal_visible": concern.appeal_id in appeals,
            "problem_visible": concern.problem_id in problems,
        }
        if not concern.is_converted:
            for name, form_class in (("to_appeal", forms.ToAppealForm), ("to_problem", forms.ToProblemForm)):
                if name in allowed:
                    own = isinstance(bound, form_class) and bound.concern.pk == concern.pk
                    row[name] = bound if own else form_class(user=user, concern=concern)
        rows.append(row)
    return rows


def _render_detail(request, activity, *, bound=None, status=200):
    user = request.user
    allowed = access.allowed_actions(user, activity)
    panel = {}
    for name, form_class in (
        ("attach", forms.FilesForm),
        ("question", forms.QuestionForm),
        ("concern", forms.ConcernForm),
    ):
        if name in allowed:
            form = bound if isinstance(bound, form_class) else form_class()
            form.action, form.action_url = name, reverse(f"activities:{name}", args=[activity.pk])
            panel[name] = form
    day = activity.reception_day
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "officials": activity.officials.order_by("display_name", "username"),
            "files": activity.files.select_related("uploaded_by"),
            "questions": activity.questions.all(),
            "concerns": _concern_rows(user, activity, allowed, bound),
            "events": activity.events.select_related("actor"),
            "panel": panel,
            "can_edit": "edit" in allowed,
            "day_visible": day is not None and access.visible_reception_days(user).filter(pk=day.pk).exists(),
        },
        status=status,
    )


@never_cache
@login_required
def detail(request, pk):
    return _render_detail(request, access.access_activity_by_id(request.user, pk))


@never_cache
@login_required
def download(request, pk, file_id):
    activity = access.access_activity_by_id(request.user, pk)
    return serve_upload(get_object_or_404(activity.files, pk=file_id))


def _run(request, activity, form, run, done):
    """Validate `form`, run the action; re-render the page with the form and its errors if refused."""
    if not form.is_valid():
        messages.error(request, _("「%(what)s」未完成：请按提示修改后再提交。") % {"what": form.title})
        return _render_detail(request, activity, bound=form, status=400)
    try:
        run(**form.cleaned_data)
    except ActionError as e:
        messages.error(request, str(e))
        return _render_detail(request, activity, bound=form, status=400)
    messages.success(request, done)
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
def attach(request, pk):
    activity = access.access_activity_by_id(request.user, pk)
    access.require(request.user, "attach", activity)
    form = forms.FilesForm(request.POST, request.FILES)
    return _run(
        request, activity, form, lambda **d: actions.attach(activity, request.user, **d), _("已上传。")
    )


@login_required
@require_POST
def add_question(request, pk):
    activity = access.access_activity_by_id(request.user, pk)
    access.require(request.user, "question", activity)
    form = forms.QuestionForm(request.POST)
    return _run(
        request,
        activity,
        form,
        lambda **d: actions.add_question(activity, request.user, **d),
        _("已记录群众提问。"),
    )


@login_required
@require_POST
def add_concern(request, pk):
    activity = access.access_activity_by_id(request.user, pk)
    access.require(request.user, "concern", activity)
    form = forms.ConcernForm(request.POST)
    return _run(
        request,
        activity,
        form,
        lambda **d: actions.add_concern(activity, request.user, **d),
        _("已记录群众诉求。"),
    )


CONVERSIONS = {
    "appeal": ("to_appeal", forms.ToAppealForm, actions.convert_to_appeal),
    "problem": ("to_problem", forms.ToProblemForm, actions.convert_to_problem),
}


@login_required
@require_POST
def convert(request, pk, concern_id, target):
    user = request.user
    action, form_class, run = CONVERSIONS[target]
    activity = access.access_activity_by_id(user, pk)
    access.require(user, action, activity)
    concern = get_object_or_404(activity.concerns, pk=concern_id)
    form = form_class(request.POST, user=user, concern=concern)
    if not form.is_valid():
        messages.error(request, _("未转办：请按提示修改后再提交。"))
        return _render_detail(request, activity, bound=form, status=400)
    try:
        result = run(concern, user, **form.cleaned_data)
    except AlreadyDone as e:
        messages.info(request, str(e))
        return redirect("activities:detail", pk=activity.pk)
    except ActionError as e:
        messages.error(request, str(e))
        return _render_detail(request, activity, bound=form, status=400)
    if target == "appeal":
        messages.success(request, _("已转为信访诉求，查询码 %(code)s。") % {"code": result.tracking_code})
    else:
        messages.success(request, _("已列入问题清单（问题 %(pk)d）。") % {"pk": result.pk})
    return redirect("activities:detail", pk=activity.pk)


# --- a reception day -------------------------------------------------------------------------------


@login_required
@require_POST
def record_reception_day(request, day_id):
    user = request.user
    day = access.access_reception_day_by_id(user, day_id)
    if not access.can_record_reception_day(user, day):
        raise PermissionDenied(_("只有接访领导本人或该单位的信访督办员、接待登记员可以记录这次接访。"))
    try:
        activity = actions.record_reception_day(day, user)
    except AlreadyDone as e:
        messages.info(request, str(e))
        return redirect("activities:detail", pk=e.result.pk)
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("reception:day", day_id=day.pk)
    messages.success(request, _("已记录为下基层活动，可补充纪要、照片和群众诉求。"))
    return redirect("activities:detail", pk=activity.pk)
