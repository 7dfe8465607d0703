"""Staff pages for commitments: the list, the create/edit form (standalone, or from a ledger
problem or an on-site task), and a commitment's page with publishing and 发布进展.

Every commitment is read through `access` and changed through `actions`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.accounts.access import units_in_scope
from grassroots.ledger.access import access_problem_by_id
from grassroots.lib.actions import ActionError, Conflict
from grassroots.lib.fields import unit_labels
from grassroots.onsite.access import access_task_by_id

from . import access, actions, forms
from .models import DRAFT, DRAFT_LABEL, Status
from .sources import SOURCES, ProblemSource, TaskSource, source_of

PAGE_SIZE = 50
STATUS_FILTERS = [(DRAFT, DRAFT_LABEL), *Status.choices]
STANDALONE = "standalone"
# a new commitment's source, named by ?problem= or ?task=: (adapter, the source app's access lookup)
SOURCE_LOOKUPS = [(ProblemSource, access_problem_by_id), (TaskSource, access_task_by_id)]


def _filtered(request):
    commitments = access.visible_commitments(request.user)
    f = {
        "status": request.GET.get("status", ""),
        "unit": request.GET.get("unit", ""),
        "source": request.GET.get("source", ""),
    }
    commitments = commitments.with_status(f["status"])
    if f["status"] in Status.values:  # the derived statuses are those of published commitments
        commitments = commitments.published()
    if f["unit"]:
        unit = units_in_scope(request.user).filter(pk=f["unit"] if f["unit"].isdigit() else None).first()
        if unit is not None:
            commitments = commitments.filter(responsible_unit__path__startswith=unit.path)
    if f["source"] == STANDALONE:
        commitments = commitments.filter(**{f"{cls.field}__isnull": True for cls in SOURCES})
    elif f["source"] in {cls.field for cls in SOURCES}:
        commitments = commitments.filter(**{f"{f['source']}__isnull": False})
    return commitments.select_related("responsible_unit", "place").order_by("due_date", "id"), f


@login_required
def commitment_list(request):
    commitments, f = _filtered(request)
    page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(units_in_scope(request.user).order_by("path"))
    labels = unit_labels(units)
    return render(
        request,
        "commitments/list.html",
        {
            "page_obj": page,
            "filters": f,
            "statuses": STATUS_FILTERS,
            "sources": [(STANDALONE, _("独立承诺")), *((cls.field, cls.label) for cls in SOURCES)],
            "units": [(u.pk, labels[u.pk]) for u in units],
            "can_create": access.can_create(request.user),
        },
    )


def _source_for(request):
    """The source a new commitment rests on (from ?problem=/?task= or the form), or None.

    404 when the user may not see it; 403 when they may not promise for its responsible unit."""
    for cls, lookup in SOURCE_LOOKUPS:
        value = request.GET.get(cls.field) or request.POST.get(cls.field)
        if value:
            source = cls(lookup(request.user, value))
            if not access.can_create_for(request.user, source.obj.responsible_unit):
                raise PermissionDenied(_("您不能为%(what)s的责任单位作出承诺。") % {"what": source.noun})
            return source
    return None


@login_required
def new(request):
    user = request.user
    if not access.can_create(user):
        raise PermissionDenied(_("只有承办人、单位负责人、领导干部或信访督办员可以拟定公开承诺。"))
    source = _source_for(request)
    context = {"source": source, "source_url": source.staff_url(user) if source else None}
    defaults = source.draft_defaults() if source else None
    if request.method != "POST":
        context["form"] = forms.CommitmentForm(user=user, defaults=defaults)
        return render(request, "commitments/form.html", context)
    token = request.POST.get("submission_token", "")
    existing = access.visible_commitments(user).filter(submission_token=token).first() if token else None
    if existing:  # a second click or a resent form: the first submit already created it
        messages.info(request, _("该承诺已保存，未重复创建。"))
        return redirect("commitments:detail", pk=existing.pk)
    form = forms.CommitmentForm(request.POST, user=user, defaults=defaults)
    context["form"] = form
    if form.is_valid():
        kwargs = form.action_kwargs()
        if source is not None:
            kwargs[source.field] = source.obj
        if not access.can_create_for(user, kwargs["responsible_unit"]):
            messages.error(request, _("您不能为所选责任单位作出承诺。"))
        else:
            try:
                commitment = actions.create(actor=user, **kwargs)
            except ActionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("承诺草稿已保存。核对无误后，由单位负责人或领导公开。"))
                return redirect("commitments:detail", pk=commitment.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "commitments/form.html", context, status=400)


@login_required
def edit(request, pk):
    user = request.user
    commitment = access.access_commitment_by_id(user, pk)
    access.require(user, "edit", commitment)
    context = {"commitment": commitment}
    if request.method != "POST":
        context["form"] = forms.CommitmentForm(user=user, commitment=commitment)
        return render(request, "commitments/form.html", context)
    form = forms.CommitmentForm(request.POST, user=user, commitment=commitment)
    context["form"] = form
    if form.is_valid():
        kwargs = form.action_kwargs()
        unit = kwargs["responsible_unit"]
        if unit != commitment.responsible_unit and not access.can_create_for(user, unit):
            messages.error(request, _("您不能为所选责任单位作出承诺。"))
        else:
            try:
                actions.edit(commitment, user, **kwargs)
            except Conflict as e:
                messages.error(request, str(e))
                return redirect("commitments:detail", pk=commitment.pk)
            except ActionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("已保存修改。"))
                return redirect("commitments:detail", pk=commitment.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "commitments/form.html", context, status=400)


def _render_detail(request, commitment, *, update_form=None, status=200):
    user = request.user
    allowed = access.allowed_actions(user, commitment)
    source = source_of(commitment)
    if update_form is None and "update" in allowed:
        update_form = forms.UpdateForm(commitment=commitment, source=source)
    return render(
        request,
        "commitments/detail.html",
        {
            "c": commitment,
            "source": source,
            "source_url": source.staff_url(user),
            "can_edit": "edit" in allowed,
            "publish_form": forms.PublishForm(initial={"version": commitment.version})
            if "publish" in allowed
            else None,
            "update_form": update_form,
            "updates": commitment.updates.select_related("author").prefetch_related("images"),
            "follower_count": commitment.followers.count(),
        },
        status=status,
    )


@never_cache
@login_required
def detail(request, pk):
    return _render_detail(request, access.access_commitment_by_id(request.user, pk))


@login_required
@require_POST
def publish(request, pk):
    commitment = access.access_commitment_by_id(request.user, pk)
    access.require(request.user, "publish", commitment)
    form = forms.PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise Conflict(_("页面已过期，请刷新后再操作。"))
        actions.publish(commitment, request.user, version=form.cleaned_data["version"])
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("承诺已公开，群众可在公开承诺栏查看。"))
    return redirect("commitments:detail", pk=commitment.pk)


@login_required
@require_POST
def post_update(request, pk):
    commitment = access.access_commitment_by_id(request.user, pk)
    access.require(request.user, "update", commitment)
    form = forms.UpdateForm(request.POST, request.FILES, commitment=commitment, source=source_of(commitment))
    if not form.is_valid():
        messages.error(request, _("进展未发布：请按提示修改后再提交。"))
        return _render_detail(request, commitment, update_form=form, status=400)
    try:
        actions.post_update(commitment, request.user, **form.action_kwargs())
    except Conflict as e:
        messages.error(request, str(e))
        return redirect("commitments:detail", pk=commitment.pk)
    except ActionError as e:
        messages.error(request, str(e))
        return _render_detail(request, commitment, update_form=form, status=400)
    messages.success(request, _("进展已发布，关注的群众将收到短信。"))
    return redirect("commitments:detail", pk=commitment.pk)
