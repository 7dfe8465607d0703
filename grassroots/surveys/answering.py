"""Reading a filled-in questionnaire: which questions are shown, and what was answered.

Conditional display is enforced here, on the server: a question is shown only when the
earlier choice question it depends on is shown and has the given option among its answers.
Answers to hidden questions are discarded and hidden required questions are not required.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grassroots.lib.validators import clean_mobile

from .models import CHOICE_KINDS, TEXT_MAX_CHARS, Kind


def field_name(question) -> str:
    return f"q{question.pk}"


def phone_hash(questionnaire, phone: str) -> str:
    """A keyed hash of the phone: equal phones match, the phone itself is never stored."""
    key = ("survey-phone:" + settings.SECRET_KEY).encode()
    return hmac.new(key, f"{questionnaire.pk}:{phone}".encode(), hashlib.sha256).hexdigest()


def _raw(question, data):
    name = field_name(question)
    if question.kind == Kind.MULTIPLE:
        return [v for v in data.getlist(name) if v != ""]
    return (data.get(name) or "").strip()


def read(questions, data):
    """Returns (values, errors, shown): values maps question pk to a dict for Answer fields
    (only for shown questions that were answered), errors maps pk to a Chinese message."""
    values, errors, shown, picked = {}, {}, set(), {}
    for q in questions:
        if q.depends_on_id is not None:
            if q.depends_on_id not in shown or q.depends_option not in picked.get(q.depends_on_id, []):
                continue
        shown.add(q.pk)
        raw = _raw(q, data)
        if not raw:
            if q.required:
                errors[q.pk] = _("此题为必答题。")
            continue
        if q.kind in CHOICE_KINDS:
            chosen = raw if isinstance(raw, list) else [raw]
            if any(c not in q.options for c in chosen) or len(set(chosen)) != len(chosen):
                errors[q.pk] = _("请从给出的选项中选择。")
            elif q.kind == Kind.MULTIPLE and q.max_choices and len(chosen) > q.max_choices:
                errors[q.pk] = _("此题最多可选 %(n)d 项。") % {"n": q.max_choices}
            else:
                chosen = [o for o in q.options if o in chosen]
                picked[q.pk] = chosen
                values[q.pk] = {"choices": chosen}
        elif q.kind == Kind.RATING:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[q.pk] = _("评分须为 1 到 5 之间的整数。")
            else:
                values[q.pk] = {"rating": int(raw)}
        else:
            if len(raw) > TEXT_MAX_CHARS:
                errors[q.pk] = _("回答不能超过 %(n)d 字（现有 %(m)d 字）。") % {
                    "n": TEXT_MAX_CHARS,
                    "m": len(raw),
                }
            elif q.kind == Kind.SHORT_TEXT and "\n" in raw:
                values[q.pk] = {"text": " ".join(raw.split())}
            else:
                values[q.pk] = {"text": raw}
    return values, errors, shown


def read_phone(data) -> tuple[str, str]:
    """(phone, error)."""
    try:
        phone = clean_mobile(data.get("phone") or "")
    except ValidationError as e:
        return "", e.messages[0]
    if not phone:
        return "", _("请填写手机号码。")
    return phone, ""
