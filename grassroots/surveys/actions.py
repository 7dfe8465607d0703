"""Every change to questionnaires goes through here; each raises ActionError with a Chinese message."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.lib.actions import ActionError

from .answering import phone_hash
from .models import Answer, Question, Questionnaire, Response, Status

LOCKED = "该问卷已有答卷，题目已锁定，不能再修改、增加、删除题目或调整顺序。"


def _lock(questionnaire) -> Questionnaire:
    """Row-lock the questionnaire so an edit and a first response never interleave."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def _require_unlocked(questionnaire):
    if questionnaire.responses.exists():
        raise ActionError(_(LOCKED))


def create(*, actor, **fields) -> Questionnaire:
    return Questionnaire.objects.create(created_by=actor, **fields)


@transaction.atomic
def update(questionnaire, **fields) -> Questionnaire:
    q = _lock(questionnaire)
    for name, value in fields.items():
        setattr(q, name, value)
    q.save()
    return q


@transaction.atomic
def save_question(questionnaire, question=None, **fields) -> Question:
    q = _lock(questionnaire)
    _require_unlocked(q)
    if question is None:
        last = q.questions.order_by("-position").first()
        question = Question(questionnaire=q, position=(last.position + 1) if last else 1)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    return question


@transaction.atomic
def delete_question(questionnaire, question):
    q = _lock(questionnaire)
    _require_unlocked(q)
    if question.dependents.exists():
        raise ActionError(_("有其他题目以本题为显示条件，请先修改那些题目。"))
    question.delete()


@transaction.atomic
def move_question(questionnaire, question, direction: str) -> None:
    """Swap the question with its neighbour ("up" or "down"). Positions are renumbered 1..n
    first, since older questions may share a position. A conditional question must stay after
    the question it depends on, or the answering page could not show it."""
    q = _lock(questionnaire)
    _require_unlocked(q)
    ordered = list(q.questions.order_by("position", "pk"))
    index = next((i for i, x in enumerate(ordered) if x.pk == question.pk), None)
    if index is None:
        raise ActionError(_("该题目不属于本问卷。"))
    if direction not in ("up", "down"):
        raise ActionError(_("无效的操作。"))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise ActionError(
            _("已是第一题，不能再上移。") if direction == "up" else _("已是最后一题，不能再下移。")
        )
    earlier, later = ordered[min(index, other)], ordered[max(index, other)]
    if later.depends_on_id == earlier.pk:
        raise ActionError(
            _("“%(later)s”以“%(earlier)s”为显示条件，须排在它之后。")
            % {"later": later.text, "earlier": earlier.text}
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, x in enumerate(ordered, 1):
        x.position = position
    Question.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def set_status(questionnaire, status) -> Questionnaire:
    q = _lock(questionnaire)
    if status == Status.OPEN and not q.questions.exists():
        raise ActionError(_("问卷还没有题目，不能开放填写。"))
    q.status = status
    q.save(update_fields=["status"])
    return q


def _submitted_with(submission_token):
    return Response.objects.filter(submission_token=submission_token).first() if submission_token else None


def submit(questionnaire, values, *, phone="", on_paper=False, entered_by=None, submission_token=None):
    """Store one response. A repeated `submission_token` returns the first response, also when
    the two submits of a double-click arrive together; a phone that has already answered raises
    ActionError."""
    existing = _submitted_with(submission_token)
    if existing is not None:
        return existing
    digest = phone_hash(questionnaire, phone) if phone else ""
    try:
        with transaction.atomic():
            _lock(questionnaire)
            existing = _submitted_with(submission_token)  # the other click got the lock first
            if existing is not None:
                return existing
            if digest and Response.objects.filter(questionnaire=questionnaire, phone_hash=digest).exists():
                raise ActionError(_("该手机号已经提交过本问卷，每人只能提交一次。"))
            response = Response.objects.create(
                questionnaire=questionnaire,
                on_paper=on_paper,
                entered_by=entered_by,
                phone_hash=digest,
                submission_token=submission_token or None,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question_id=pk, **v) for pk, v in values.items()
            )
    except IntegrityError:
        existing = _submitted_with(submission_token)
        if existing is not None:
            return existing
        raise ActionError(_("该手机号已经提交过本问卷，每人只能提交一次。")) from None
    return response
