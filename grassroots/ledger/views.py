"""Staff pages for the problem ledger: the list with its Excel export and import, a problem's
page with its actions, and the create/edit form.

Every problem is read through `access` and changed through `actions`.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.accounts.access import memberships, units_in_scope
from grassroots.appeals.access import visible_appeals
from grassroots.lib.actions import ActionError, Conflict
from grassroots.lib.downloads import serve_upload
from grassroots.lib.fields import unit_labels
from grassroots.lib.panel import ActionPanel

from . import access, actions, excel, forms, importing, prefill
from .models import OVERDUE, STATUS_FILTERS, Domain

PAGE_SIZE = 50

# action name -> (form, the action it runs); also the order of the actions panel
ACTIONS = {
    "progress": (forms.ProgressForm, actions.update_progress),
    "done": (forms.DoneForm, actions.mark_done),
    "accept": (forms.AcceptForm, actions.accept),
    "return": (forms.ReturnForm, actions.return_for_rework),
    "close": (forms.CloseForm, actions.close_out),
}
PANEL = ActionPanel(ACTIONS, access=access, act_url="ledger:act", page_url="ledger:detail")


# --- the list, export and import -------------------------------------------------------------


def _filtered(request):
    """The visible problems narrowed by the list's filters, and the filter values."""
    problems = access.visible_problems(request.user)
    f = {
        "domain": request.GET.get("domain", ""),
        "status": request.GET.get("status", ""),
        "unit": request.GET.get("unit", ""),
        "overdue": request.GET.get("overdue", "") == "1",
    }
    if f["domain"] in Domain.values:
        problems = problems.filter(domain=f["domain"])
    problems = problems.with_status(f["status"])
    if f["overdue"]:
        problems = problems.overdue()
    if f["unit"]:
        unit = units_in_scope(request.user).filter(pk=f["unit"] if f["unit"].isdigit() else None).first()
        if unit is not None:
            problems = problems.filter(responsible_unit__path__startswith=unit.path)
    problems = problems.select_related("responsible_unit", "place", "responsible_leader", "accepted_by")
    return problems.order_by("deadline", "id"), f


@login_required
def problem_list(request):
    problems, f = _filtered(request)
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(units_in_scope(request.user).order_by("path"))
    labels = unit_labels(units)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/list.html",
        {
            "page_obj": page,
            "filters": f,
            "domains": Domain.choices,
            "statuses": STATUS_FILTERS,
            "units": [(u.pk, labels[u.pk]) for u in units],
            "query": query.urlencode(),
            "can_create": access.can_create(request.user),
            "overdue_value": OVERDUE,
        },
    )


@never_cache
@login_required
def export(request):
    problems, f = _filtered(request)
    data = excel.export_xlsx(
        problems, unit_names=_whose(request.user, f["unit"]), exported_by=str(request.user)
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"问题清单-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _whose(user, unit_filter: str) -> str:
    """The unit(s) a ledger export is of: the unit filtered on, else the user's own units."""
    if unit_filter.isdigit():
        unit = units_in_scope(user).filter(pk=unit_filter).first()
        if unit is not None:
            return unit.name
    return "、".join(dict.fromkeys(m.unit.name for m in memberships(user)))


def _lookup(user):
    def problems(numbers):
        found = access.visible_problems(user).filter(pk__in=numbers)
        return {p.pk: p for p in found.select_related("responsible_unit", "place", "responsible_leader")}

    return excel.Lookup(
        units=access.keeping_units(user),
        places=units_in_scope(user),
        users=forms.leader_choices(user),
        problems=problems,
    )


def _already_imported(user, token) -> bool:
    return access.visible_problems(user).filter(submission_token=token).exists()


def _imported_before(request):
    messages.info(request, _("这份台账已经导入，未重复导入。"))
    return redirect("ledger:list")


@login_required
def import_view(request):
    if not access.can_create(request.user):
        raise PermissionDenied(_("只有单位负责人、领导干部或信访督办员可以导入问题清单。"))
    context = {"form": forms.ImportForm(), "bad": None}
    if request.method != "POST":
        return render(request, "ledger/import.html", context)
    form = forms.ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        if "submission_token" in form.errors:
            messages.error(request, form.errors["submission_token"][0])
            context["form"] = forms.ImportForm()
        else:
            messages.error(request, _("请选择要导入的 Excel 文件（.xlsx）。"))
        return render(request, "ledger/import.html", context, status=400)
    token = form.cleaned_data["submission_token"]
    if _already_imported(request.user, token):
        return _imported_before(request)
    try:
        result = excel.read_xlsx(form.cleaned_data["file"], _lookup(request.user))
    except excel.ImportRejected as e:
        messages.error(request, str(e))
        return render(request, "ledger/import.html", context, status=400)
    plan = importing.plan(request.user, result.good)
    refused = sorted(result.bad + plan.refused)
    context.update(plan=plan, bad=refused)
    if form.cleaned_data["dry_run"]:
        context["dry_run"] = True
        return render(request, "ledger/import.html", context)
    if refused and not form.cleaned_data["only_good"]:
        messages.error(
            request,
            _("有 %(n)d 行有误，未导入任何问题。请改正后重新导入，或勾选「只导入无误的行」。")
            % {"n": len(refused)},
        )
        return render(request, "ledger/import.html", context, status=400)
    if not plan.writes:
        messages.info(
            request, _("没有需要新增或更新的问题：%(n)d 行与清单一致。") % {"n": len(plan.unchanged)}
        )
        return render(request, "ledger/import.html", context, status=200 if plan.unchanged else 400)
    try:
        done = actions.import_plan(actor=request.user, plan=plan, submission_token=token)
    except ActionError as e:
        messages.error(request, _("导入未完成，未导入任何问题：%(e)s") % {"e": e})
        return render(request, "ledger/import.html", context, status=400)
    if not done:  # the other click of a double-click imported the file meanwhile
        return _imported_before(request)
    summary = _("已新增 %(added)d 个问题，更新 %(changed)d 个，%(same)d 个与清单一致。") % {
        "added": len(plan.added),
        "changed": len(plan.changed),
        "same": len(plan.unchanged),
    }
    if refused:
        messages.warning(request, summary + _("跳过有误的 %(n)d 行，见下方清单。") % {"n": len(refused)})
        return render(request, "ledger/import.html", {**context, "form": forms.ImportForm()})
    messages.success(request, summary)
    return redirect("ledger:list")


# --- create and edit -------------------------------------------------------------------------


@login_required
def new(request):
    user = request.user
    if not access.can_create(user):
        raise PermissionDenied(_("只有单位负责人、领导干部或信访督办员可以将问题列入清单。"))
    if request.method != "POST":
        return _new_form(request)
    token = request.POST.get("submission_token", "")
    existing = access.visible_problems(user).filter(submission_token=token).first() if token else None
    if existing:  # a second click or a resent form: the first submit already created it
        messages.info(request, _("该问题已列入清单，未重复创建。"))
        return redirect("ledger:detail", pk=existing.pk)
    form = forms.ProblemForm(request.POST, request.FILES, user=user)
    if form.is_valid():
        try:
            problem = actions.create(actor=user, **form.action_kwargs())
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("问题已列入清单。"))
            return redirect("ledger:detail", pk=problem.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "ledger/form.html", {"form": form}, status=400)


def _new_form(request):
    """The blank form, or prefilled from the appeal, hotspot or task the query string names."""
    try:
        source = prefill.from_query(request.user, request.GET)
    except prefill.Refused as e:
        messages.error(request, str(e))
        source = None
    form = forms.ProblemForm(user=request.user, initial=source.initial if source else None)
    return render(request, "ledger/form.html", {"form": form, "prefill": source})


@login_required
def edit(request, pk):
    user = request.user
    problem = access.access_problem_by_id(user, pk)
    access.require(user, "edit", problem)
    if request.method != "POST":
        form = forms.ProblemForm(user=user, problem=problem)
        return render(request, "ledger/form.html", {"form": form, "problem": problem})
    form = forms.ProblemForm(request.POST, user=user, problem=problem)
    if form.is_valid():
        try:  # the form offers only units the user keeps (and the current one)
            actions.edit(problem, user, **form.action_kwargs())
        except Conflict as e:
            messages.error(request, str(e))
            return redirect("ledger:detail", pk=problem.pk)
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("ledger:detail", pk=problem.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "ledger/form.html", {"form": form, "problem": problem}, status=400)


# --- the problem page ------------------------------------------------------------------------


def _render_detail(request, problem, *, bound=None, status=200):
    allowed = access.allowed_actions(request.user, problem)
    return render(
        request,
        "ledger/detail.html",
        {
            "problem": problem,
            "panel": PANEL.forms(request.user, problem, bound),
            "can_edit": "edit" in allowed,
            "events": problem.events.select_related("actor").prefetch_related("evidence"),
            "evidence": problem.evidence.order_by("uploaded_at", "id"),
            "appeal_visible": _appeal_visible(request.user, problem),
        },
        status=status,
    )


def _appeal_visible(user, problem):
    return problem.appeal_id is not None and visible_appeals(user).filter(pk=problem.appeal_id).exists()


@never_cache
@login_required
def detail(request, pk):
    return _render_detail(request, access.access_problem_by_id(request.user, pk))


@login_required
@require_POST
def act(request, pk, action):
    problem = access.access_problem_by_id(request.user, pk)
    return PANEL.run(request, problem, action, _render_detail)


@never_cache
@login_required
def evidence(request, pk, evidence_id):
    problem = access.access_problem_by_id(request.user, pk)
    return serve_upload(get_object_or_404(problem.evidence, pk=evidence_id))
