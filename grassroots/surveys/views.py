"""Staff pages for questionnaires: build, open/close, print, paper entry, results, export."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.lib.actions import ActionError

from . import actions, answering, results
from .access import access_questionnaire_by_id, can_create, can_manage, require_manage, visible_questionnaires
from .forms import QuestionForm, QuestionnaireForm, new_token
from .models import Status


def _public_url(request, q):
    return request.build_absolute_uri(reverse("surveys_public:answer", args=[q.public_key]))


@login_required
def questionnaire_list(request):
    items = visible_questionnaires(request.user)
    return render(request, "surveys/list.html", {"items": items, "can_create": can_create(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    if not can_create(request.user):
        messages.error(request, "您没有创建问卷的权限。")
        return redirect("surveys:list")
    form = QuestionnaireForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        q = actions.create(actor=request.user, **form.cleaned_data)
        messages.success(request, "问卷已创建，请添加题目。")
        return redirect("surveys:detail", q.pk)
    return render(request, "surveys/form.html", {"form": form, "title": "新建问卷"})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    require_manage(request.user, q)
    form = QuestionnaireForm(request.POST or None, instance=q, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update(q, **form.cleaned_data)
        messages.success(request, "问卷信息已保存。")
        return redirect("surveys:detail", q.pk)
    return render(request, "surveys/form.html", {"form": form, "title": "修改问卷信息", "q": q})


@login_required
def detail(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    manage = can_manage(request.user, q)
    locked = q.is_locked()
    ctx = {
        "q": q,
        "questions": q.questions.select_related("depends_on"),
        "can_manage": manage,
        "locked": locked,
        "responses": q.responses.count(),
        "public_url": _public_url(request, q),
    }
    if manage and not locked:
        ctx["form"] = QuestionForm(questionnaire=q)
    return render(request, "surveys/detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def question(request, pk, question_id=None):
    q = access_questionnaire_by_id(request.user, pk)
    require_manage(request.user, q)
    instance = get_object_or_404(q.questions, pk=question_id) if question_id else None
    if q.is_locked():
        messages.error(request, actions.LOCKED)
        return redirect("surveys:detail", q.pk)
    form = QuestionForm(request.POST or None, instance=instance, questionnaire=q)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_question(q, instance, **form.values())
        except ActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, "题目已保存。")
        return redirect("surveys:detail", q.pk)
    return render(request, "surveys/question.html", {"q": q, "form": form, "instance": instance})


@login_required
@require_POST
def question_delete(request, pk, question_id):
    q = access_questionnaire_by_id(request.user, pk)
    require_manage(request.user, q)
    instance = get_object_or_404(q.questions, pk=question_id)
    try:
        actions.delete_question(q, instance)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "题目已删除。")
    return redirect("surveys:detail", q.pk)


@login_required
@require_POST
def question_move(request, pk, question_id):
    q = access_questionnaire_by_id(request.user, pk)
    require_manage(request.user, q)
    instance = get_object_or_404(q.questions, pk=question_id)
    try:
        actions.move_question(q, instance, request.POST.get("direction", ""))
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "题目顺序已调整。")
    return redirect("surveys:detail", q.pk)


@login_required
@require_POST
def set_status(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    require_manage(request.user, q)
    status = request.POST.get("status")
    if status not in {Status.OPEN, Status.CLOSED}:
        messages.error(request, "无效的操作。")
        return redirect("surveys:detail", q.pk)
    try:
        actions.set_status(q, status)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "问卷已开放填写。" if status == Status.OPEN else "问卷已关闭。")
    return redirect("surveys:detail", q.pk)


@login_required
def printable(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    url = _public_url(request, q)
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=6, title="问卷二维码"))  # noqa: S308 (segno output)
    return render(request, "surveys/print.html", {"q": q, "public_url": url, "qr": qr})


@login_required
@require_http_methods(["GET", "POST"])
def paper(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    questions = list(q.questions.all())
    errors, data = {}, None
    if request.method == "POST":
        data = request.POST
        values, errors, _shown = answering.read(questions, data)
        phone, phone_error = answering.read_phone(data) if q.ask_phone and data.get("phone") else ("", "")
        if phone_error:
            errors["phone"] = phone_error
        if not errors:
            try:
                actions.submit(
                    q,
                    values,
                    phone=phone,
                    on_paper=True,
                    entered_by=request.user,
                    submission_token=data.get("submission_token"),
                )
            except ActionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, "纸质问卷已录入。")
                return redirect("surveys:paper", q.pk)
        else:
            messages.error(request, "有题目填写不符合要求，请查看标注。")
    ctx = {
        "q": q,
        "items": _items(questions, data, errors),
        "errors": errors,
        "token": new_token(),
        "phone_value": data.get("phone", "") if data else "",
        "paper": True,
    }
    return render(request, "surveys/paper.html", ctx)


def _items(questions, data, errors):
    items = []
    for q in questions:
        name = answering.field_name(q)
        given = data.getlist(name) if data is not None else []
        items.append(
            {
                "q": q,
                "name": name,
                "given": given,
                "error": errors.get(q.pk, ""),
                "value": given[0] if given else "",
            }
        )
    return items


@login_required
def results_page(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    ctx = {
        "q": q,
        "summary": results.summarize(q),
        "responses": q.responses.count(),
        "paper_count": q.responses.filter(on_paper=True).count(),
    }
    return render(request, "surveys/results.html", ctx)


@login_required
def export(request, pk):
    q = access_questionnaire_by_id(request.user, pk)
    response = HttpResponse(
        results.export(q), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{q.pk}.xlsx"'
    return response
