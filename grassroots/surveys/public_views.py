"""The public answering page: no login; one answer per browser (signed cookie) and, when the
questionnaire asks for it, per phone (only a keyed hash is stored)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from grassroots.lib.actions import ActionError
from grassroots.portal import ratelimit

from . import actions, answering
from .forms import new_token
from .models import Questionnaire, Status
from .views import _items

COOKIE_SALT = "surveys.answered"
COOKIE_AGE = 365 * 24 * 3600
ALREADY = "您已经提交过本问卷，每人只能提交一次，感谢参与！"


def _cookie(q):
    return f"survey-{q.public_key.hex}"


def _answered(request, q) -> bool:
    return request.get_signed_cookie(_cookie(q), default=None, salt=COOKIE_SALT) == "1"


def _notice(request, q, message, status=200):
    return render(request, "surveys/public_notice.html", {"q": q, "message": message}, status=status)


@require_http_methods(["GET", "POST"])
def answer(request, key):
    q = get_object_or_404(Questionnaire.objects.exclude(status=Status.DRAFT), public_key=key)
    refusal = q.refusal()
    if refusal:
        return _notice(request, q, refusal)
    questions = list(q.questions.all())
    errors, data, phone_value = {}, None, ""
    if request.method == "POST":
        data = request.POST
        token = data.get("submission_token") or ""
        done = token and q.responses.filter(submission_token=token).exists()
        if done:  # a double-click: the first submit already stored it
            return redirect("surveys_public:thanks", q.public_key)
        if _answered(request, q):
            return _notice(request, q, ALREADY)
        ip = ratelimit.client_ip(request)
        if ratelimit.exceeded("survey", ip, getattr(settings, "SURVEY_SUBMIT_RATE", 30)):
            return render(request, "portal/limited.html", {"what": "提交问卷"}, status=429)
        values, errors, _shown = answering.read(questions, data)
        phone = ""
        if q.ask_phone:
            phone, phone_error = answering.read_phone(data)
            phone_value = data.get("phone", "")
            if phone_error:
                errors["phone"] = phone_error
        if not errors:
            ratelimit.hit("survey", ip)
            try:
                actions.submit(q, values, phone=phone, submission_token=token or None)
            except ActionError as e:
                errors["form"] = str(e)
            else:
                response = redirect("surveys_public:thanks", q.public_key)
                response.set_signed_cookie(
                    _cookie(q), "1", salt=COOKIE_SALT, max_age=COOKIE_AGE, httponly=True, samesite="Lax"
                )
                return response
    elif _answered(request, q):
        return _notice(request, q, ALREADY)
    ctx = {
        "q": q,
        "items": _items(questions, data, errors),
        "errors": errors,
        "token": new_token(),
        "phone_value": phone_value,
    }
    return render(request, "surveys/answer.html", ctx, status=400 if errors else 200)


def thanks(request, key):
    q = get_object_or_404(Questionnaire, public_key=key)
    return _notice(request, q, "提交成功，感谢您的参与！")
