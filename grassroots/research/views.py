"""Staff pages for research (调研): the topic list, a topic's page with its visits,
questionnaires and findings, the forms that add to it, and the Word report.

Every topic is read through `access` and changed through `actions`.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.ledger.access import visible_problems
from grassroots.lib.actions import ActionError, Conflict
from grassroots.surveys.access import can_create as can_create_questionnaire
from grassroots.surveys.access import visible_questionnaires

from . import access, actions, forms, report
from .models import Status, officials_by_name

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the list and the topic form -----------------------------------------------------------


@login_required
def topic_list(request):
    status = request.GET.get("status", "")
    topics = access.visible_topics(request.user).select_related("unit", "owner")
    if status in Status.values:
        topics = topics.filter(status=status)
    topics = topics.annotate(
        visit_count=Count("visits", distinct=True), finding_count=Count("findings", distinct=True)
    ).order_by("-starts_on", "-id")
    page = Paginator(topics, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "research/list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Status.choices,
            "query": f"status={status}" if status else "",
            "can_create": access.can_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user
    if not access.can_create(user):
        raise PermissionDenied(_("只有单位负责人、领导干部或信访督办员可以设立调研课题。"))
    if request.method != "POST":
        return render(request, "research/topic_form.html", {"form": forms.TopicForm(user=user)})
    token = request.POST.get("submission_token", "")
    existing = access.visible_topics(user).filter(submission_token=token).first() if token else None
    if existing:  # a second click or a resent form: the first submit already created it
        messages.info(request, _("该课题已创建，未重复创建。"))
        return redirect("research:detail", pk=existing.pk)
    form = forms.TopicForm(request.POST, user=user)
    if form.is_valid():
        try:
            topic = actions.create_topic(actor=user, **form.action_kwargs())
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("调研课题已创建。"))
            return redirect("research:detail", pk=topic.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "research/topic_form.html", {"form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    access.require(user, topic)
    context = {"topic": topic}
    if request.method != "POST":
        context["form"] = forms.TopicForm(user=user, topic=topic)
        return render(request, "research/topic_form.html", context)
    form = context["form"] = forms.TopicForm(request.POST, user=user, topic=topic)
    if form.is_valid():
        try:
            actions.edit_topic(topic, user, **form.action_kwargs())
        except Conflict as e:
            messages.error(request, str(e))
            return redirect("research:detail", pk=topic.pk)
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("research:detail", pk=topic.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "research/topic_form.html", context, status=400)


# --- the topic page --------------------------------------------------------------------------


def _render_detail(request, topic, *, finding_form=None, attach_form=None, status=200):
    user = request.user
    allowed = access.allowed_actions(user, topic)
    visits = (
        topic.visits.select_related("activity__place")
        .prefetch_related(officials_by_name())
        .order_by("-activity__date", "-pk")
    )
    links = list(
        topic.questionnaires.select_related("questionnaire__owner_unit").annotate(
            responses=Count("questionnaire__responses")
        )
    )
    seen = set(
        visible_questionnaires(user)
        .filter(pk__in=[link.questionnaire_id for link in links])
        .values_list("pk", flat=True)
    )
    findings = list(topic.findings.select_related("problem__responsible_unit"))
    problems_seen = set(
        visible_problems(user)
        .filter(pk__in=[f.problem_id for f in findings if f.problem_id])
        .values_list("pk", flat=True)
    )
    if "questionnaire" in allowed and attach_form is None:
        attach_form = forms.AttachForm(user=user, topic=topic)
    return render(
        request,
        "research/detail.html",
        {
            "topic": topic,
            "allowed": allowed,
            "visits": visits,
            "questionnaires": [
                {
                    "link": link,
                    "q": link.questionnaire,
                    "visible": link.questionnaire_id in seen,
                    "responses": link.responses,
                }
                for link in links
            ],
            "findings": [{"f": f, "problem_visible": f.problem_id in problems_seen} for f in findings],
            "finding_form": finding_form or (forms.FindingForm() if "finding" in allowed else None),
            "attach_form": attach_form,
            "can_new_questionnaire": "questionnaire" in allowed and can_create_questionnaire(user),
            "can_put_on_ledger": access.can_put_on_ledger(user),
            "events": topic.events.select_related("actor"),
        },
        status=status,
    )


@never_cache
@login_required
def detail(request, pk):
    return _render_detail(request, access.access_topic_by_id(request.user, pk))


@login_required
@require_POST
def set_status(request, pk):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    access.require(user, topic)
    target = request.POST.get("status")
    run = {Status.CONCLUDED: actions.conclude, Status.ACTIVE: actions.reopen}.get(target)
    if run is None:
        messages.error(request, _("无效的操作。"))
        return redirect("research:detail", pk=topic.pk)
    try:
        run(topic, user, version=request.POST.get("version"))
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("课题已结题。") if target == Status.CONCLUDED else _("课题已恢复进行。"))
    return redirect("research:detail", pk=topic.pk)


# --- visits ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_visit(request, pk):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    access.require(user, topic)
    if request.method != "POST":
        form = forms.VisitForm(user=user, topic=topic)
        return render(request, "research/visit_form.html", {"topic": topic, "form": form})
    form = forms.VisitForm(request.POST, user=user, topic=topic)
    if form.is_valid():
        try:
            actions.add_visit(topic, user, **form.action_kwargs())
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("调研走访已记录。"))
            return redirect("research:detail", pk=topic.pk)
    else:
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
    return render(request, "research/visit_form.html", {"topic": topic, "form": form}, status=400)


# --- questionnaires --------------------------------------------------------------------------


@login_required
@require_POST
def attach_questionnaire(request, pk):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    access.require(user, topic)
    form = forms.AttachForm(request.POST, user=user, topic=topic)
    if not form.is_valid():
        messages.error(request, _("请选择要关联的问卷。"))
        return _render_detail(request, topic, attach_form=form, status=400)
    try:
        actions.attach_questionnaire(topic, user, form.cleaned_data["questionnaire"])
    except ActionError as e:
        messages.error(request, str(e))
        return _render_detail(request, topic, attach_form=form, status=400)
    messages.success(request, _("问卷已关联到本课题。"))
    return redirect("research:detail", pk=topic.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new_questionnaire(request, pk):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    access.require(user, topic)
    if not can_create_questionnaire(user):
        raise PermissionDenied(_("只有单位负责人、领导干部或信访督办员可以新建问卷。"))
    form = forms.NewQuestionnaireForm(request.POST or None, user=user, topic=topic)
    if request.method == "POST":
        if form.is_valid():
            try:
                link = actions.create_questionnaire(topic, user, **form.action_kwargs())
            except ActionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("问卷已创建并关联到本课题，请添加题目。"))
                return redirect("surveys:detail", link.questionnaire_id)
        else:
            messages.error(request, _("未保存：请按下方提示修改后再提交。"))
        return render(request, "research/questionnaire_form.html", {"topic": topic, "form": form}, status=400)
    return render(request, "research/questionnaire_form.html", {"topic": topic, "form": form})


# --- findings --------------------------------------------------------------------------------


@login_required
@require_POST
def add_finding(request, pk):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    access.require(user, topic)
    form = forms.FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未保存：请按下方提示修改后再提交。"))
        return _render_detail(request, topic, finding_form=form, status=400)
    try:
        actions.add_finding(topic, user, **form.action_kwargs())
    except ActionError as e:
        messages.error(request, str(e))
        return _render_detail(request, topic, finding_form=form, status=400)
    messages.success(request, _("调研发现已记录。"))
    return redirect("research:detail", pk=topic.pk)


@login_required
@require_http_methods(["GET", "POST"])
def put_on_ledger(request, pk, finding_id):
    user = request.user
    topic = access.access_topic_by_id(user, pk)
    finding = access.access_finding_by_id(topic, finding_id)
    access.require_ledger(user)
    if finding.problem_id:
        messages.info(
            request, _("这条发现已列入问题清单（问题 %(n)d），未重复列入。") % {"n": finding.problem_id}
        )
        return redirect("research:detail", pk=topic.pk)
    context = {"topic": topic, "finding": finding}
    if request.method != "POST":
        context["form"] = forms.LedgerForm(user=user, finding=finding)
        return render(request, "research/ledger_form.html", context)
    form = context["form"] = forms.LedgerForm(request.POST, user=user, finding=finding)
    if form.is_valid():
        try:
            problem = actions.put_on_ledger(finding, user, **form.action_kwargs())
        except Conflict as e:
            messages.error(request, str(e))
            return redirect("research:detail", pk=topic.pk)
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("已列入问题清单（问题 %(n)d）。") % {"n": problem.pk})
            return redirect("research:detail", pk=topic.pk)
    else:
        messages.error(request, _("未列入：请按下方提示修改后再提交。"))
    return render(request, "research/ledger_form.html", context, status=400)


# --- the report ------------------------------------------------------------------------------


@never_cache
@login_required
def report_docx(request, pk):
    topic = access.access_topic_by_id(request.user, pk)
    response = HttpResponse(report.build(topic), content_type=DOCX)
    name = report.filename(topic)
    response["Content-Disposition"] = (
        f"attachment; filename=\"research-{topic.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
