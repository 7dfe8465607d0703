"""Counting answers for the results page, and the Excel export (one row per response)."""

import io
from collections import Counter

from django.utils import timezone
from openpyxl import Workbook

from .models import Answer, Kind


def summarize(questionnaire):
    questions = list(questionnaire.questions.all())
    answers = Answer.objects.filter(response__questionnaire=questionnaire).select_related("response")
    by_question = {q.pk: [] for q in questions}
    for a in answers:
        by_question.setdefault(a.question_id, []).append(a)
    out = []
    for q in questions:
        given = by_question[q.pk]
        item = {"question": q, "answered": len(given), "bars": [], "average": None, "texts": []}
        if q.is_choice or q.kind == Kind.RATING:
            if q.is_choice:
                counts = Counter(c for a in given for c in a.choices)
                labels = q.options
            else:
                counts = Counter(str(a.rating) for a in given)
                labels = ["1", "2", "3", "4", "5"]
            for label in labels:
                n = counts.get(label, 0)
                pct = round(100 * n / len(given), 1) if given else 0
                item["bars"].append({"label": label, "count": n, "percent": pct})
            if q.kind == Kind.RATING and given:
                item["average"] = round(sum(a.rating for a in given) / len(given), 2)
        else:
            item["texts"] = [a.text for a in given]
        out.append(item)
    return out


def export(questionnaire) -> bytes:
    questions = list(questionnaire.questions.all())
    wb = Workbook()
    ws = wb.active
    ws.title = "答卷"
    ws.append(["序号", "提交时间", "来源", *[f"{i}. {q.text}" for i, q in enumerate(questions, 1)]])
    responses = questionnaire.responses.prefetch_related("answers__question")
    for n, r in enumerate(responses, 1):
        by_q = {a.question_id: a.display() for a in r.answers.all()}
        ws.append(
            [
                n,
                timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
                "纸质问卷代录" if r.on_paper else "网上填写",
                *[by_q.get(q.pk, "") for q in questions],
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
