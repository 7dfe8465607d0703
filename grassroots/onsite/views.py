"""Staff pages for on-site office: the sessions list, a new session, a session's page (agenda,
people present, decisions and their tasks), a task's page, and 我的现场办公任务.

Sessions and tasks are read through `access` and changed through `actions`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.appeals.access import visible_appeals
from grassroots.ledger.access import visible_problems
from grassroots.lib.actions import ActionError, Conflict
from grassroots.lib.downloads import serve_upload
from grassroots.lib.panel import ActionPanel

from . import access, actions, forms
from .models import WITH_UNIT, Task, TaskStatus

PAGE_SIZE = 50

# task action -> (form, the action it runs); also the order of the actions panel
TASK_ACTIONS = {
    "progress": (forms.ProgressForm, actions.update_progress),
    "submit": (forms.SubmitForm, actions.submit),
    "accept": (forms.AcceptForm, actions.accept),
    "return": (forms.ReturnForm, actions.return_task),
}
TASK_PANEL = ActionPanel(TASK_ACTIONS, access=access, act_url="onsite:task_act", page_url="onsite:task")


# --- sessions --------------------------------------------------------------------------------


@login_required
def session_list(request):
    today = timezone.localdate()
    sessions = (
        access.visible_sessions(request.user)
        .select_related("activity__unit", "activity__place", "owner")
        .annotate(
            task_count=Count("tasks"),
            open_count=Count("tasks", filter=~Q(tasks__status=TaskStatus.ACCEPTED)),
            overdue_count=Count("tasks", filter=Q(tasks__status__in=WITH_UNIT, tasks__deadline__lt=today)),
        )
        .order_by("-activity__date", "-id")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "onsite/list.html",
        {"page_obj": page, "can_create": access.can_create(request.user)},
    )


@login_required
def new(request):
    user = request.user
    if not access.can_create(user):
        raise PermissionDenied(_("只有领导干部或单位负责人可以安排现场办公。"))
    if request.method != "POST":
        return render(request, "onsite/new.html", {"form": forms.SessionForm(user=user)})
    token = request.POST.get("submission_token", "")
    existing = (
        access.visible_sessions(user).filter(activity__submission_token=token).first() if token else None
    )
    if existing:  # a second click or a resent form: the first submit already created it
        messages.info(request, _("该现场办公已创建，未重复创建。"))
        return redirect("onsite:session", pk=existing.pk)
    form = forms.SessionForm(request.POST, user=user)
    if form.is_valid():
        try:
            session = actions.create_session(actor=user, **form.action_kwargs())
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("现场办公已创建。"))
            return redirect("onsite:session", pk=session.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "onsite/new.html", {"form": form}, status=400)


def _agenda_links(user, items):
    """Which linked appeals and ledger problems the viewer may open."""
    appeal_ids = {i.appeal_id for i in items if i.appeal_id}
    problem_ids = {i.ledger_problem_id for i in items if i.ledger_problem_id}
    appeals = set(visible_appeals(user).filter(pk__in=appeal_ids).values_list("pk", flat=True))
    problems = set(visible_problems(user).filter(pk__in=problem_ids).values_list("pk", flat=True))
    return appeals, problems


def _render_session(request, session, *, bound=None, status=200):
    """The session page; `bound` is a form that failed, shown again with its errors."""
    user = request.user
    manage = access.can_manage(user, session)
    items = list(session.agenda_items.select_related("appeal", "ledger_problem"))
    visible_appeal_ids, visible_problem_ids = _agenda_links(user, items)
    tasks = Task.objects.select_related("responsible_unit").order_by("id")
    decisions = session.decisions.select_related("agenda_item").prefetch_related(Prefetch("tasks", tasks))
    panels = {}
    if manage:
        panels = {
            "attendee": forms.AttendeeForm(),
            "agenda": forms.AgendaForm(user=user),
            "decision": forms.DecisionForm(session=session) if access.can_decide(session) else None,
            "hold": forms.HoldForm(session=session) if access.can_hold(session) else None,
        }
        if bound is not None:
            panels[bound.action] = bound
        for name, form in panels.items():
            if form is not None:
                form.action = name
                form.action_url = reverse(f"onsite:{name}", args=[session.pk])
    return render(
        request,
        "onsite/session.html",
        {
            "session": session,
            "activity": session.activity,
            "officials": session.activity.officials.order_by("display_name", "username"),
            "attendees": session.attendees.all(),
            "agenda_items": items,
            "visible_appeal_ids": visible_appeal_ids,
            "visible_problem_ids": visible_problem_ids,
            "decisions": decisions,
            "can_manage": manage,
            "panels": panels,
        },
        status=status,
    )


@never_cache
@login_required
def session_detail(request, pk):
    return _render_session(request, access.access_session_by_id(request.user, pk))


def _session_action(request, pk, panel, make_form, run, done):
    """Shared shape of the session's POST actions: access, form, action, message."""
    session = access.access_session_by_id(request.user, pk)
    access.require_manage(request.user, session)
    form = make_form(session)
    form.action = panel
    if not form.is_valid():
        messages.error(request, _("未保存：请按提示修改后再提交。"))
        return _render_session(request, session, bound=form, status=400)
    try:
        run(session, form)
    except Conflict as e:
        messages.error(request, str(e))
        return redirect("onsite:session", pk=session.pk)
    except ActionError as e:
        messages.error(request, str(e))
        return _render_session(request, session, bound=form, status=400)
    messages.success(request, done)
    return redirect("onsite:session", pk=session.pk)


@login_required
@require_POST
def add_attendee(request, pk):
    return _session_action(
        request,
        pk,
        "attendee",
        lambda s: forms.AttendeeForm(request.POST),
        lambda s, f: actions.add_attendee(s, request.user, **f.action_kwargs()),
        _("已添加参加人员。"),
    )


@login_required
@require_POST
def add_agenda_item(request, pk):
    return _session_action(
        request,
        pk,
        "agenda",
        lambda s: forms.AgendaForm(request.POST, user=request.user),
        lambda s, f: actions.add_agenda_item(s, request.user, **f.action_kwargs()),
        _("已添加议题。"),
    )


@login_required
@require_POST
def record_decision(request, pk):
    return _session_action(
        request,
        pk,
        "decision",
        lambda s: forms.DecisionForm(request.POST, session=s),
        lambda s, f: actions.record_decision(s, request.user, **f.action_kwargs()),
        _("已记录决定事项，并交办责任单位。"),
    )


@login_required
@require_POST
def hold(request, pk):
    return _session_action(
        request,
        pk,
        "hold",
        lambda s: forms.HoldForm(request.POST, session=s),
        lambda s, f: actions.hold(s, request.user, **f.cleaned_data),
        _("已标记为已召开。"),
    )


# --- tasks -----------------------------------------------------------------------------------


@never_cache
@login_required
def my_tasks(request):
    tasks = access.my_tasks(request.user).select_related("session__activity", "responsible_unit")
    awaiting = access.awaiting_acceptance(request.user).select_related(
        "session__activity", "responsible_unit"
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "onsite/my_tasks.html", {"page_obj": page, "awaiting": awaiting})


def _render_task(request, task, *, bound=None, status=200):
    return render(
        request,
        "onsite/task.html",
        {
            "task": task,
            "session": task.session,
            "activity": task.session.activity,
            "session_visible": access.session_visible(request.user, task.session),
            "panel": TASK_PANEL.forms(request.user, task, bound),
            "updates": task.updates.select_related("actor").prefetch_related("evidence"),
            "evidence": task.evidence.order_by("uploaded_at", "id"),
        },
        status=status,
    )


@never_cache
@login_required
def task_detail(request, pk):
    return _render_task(request, access.access_task_by_id(request.user, pk))


@login_required
@require_POST
def task_act(request, pk, action):
    task = access.access_task_by_id(request.user, pk)
    return TASK_PANEL.run(request, task, action, _render_task)


@never_cache
@login_required
def evidence(request, pk, evidence_id):
    task = access.access_task_by_id(request.user, pk)
    return serve_upload(get_object_or_404(task.evidence, pk=evidence_id))
