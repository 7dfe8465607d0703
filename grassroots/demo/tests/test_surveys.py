import random

import pytest
import time_machine
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from grassroots.demo.surveys import seed
from grassroots.surveys import access, answering
from grassroots.surveys.models import Answer, Kind, Purpose, Questionnaire, Response, Status

from .small_county import NOW, TODAY


@pytest.fixture
def demo(small_county):
    org, _categories = small_county
    return org


def test_it_seeds_questionnaires_of_every_purpose_answered_by_20_to_200_residents(demo):
    with time_machine.travel(NOW, tick=False):
        made = seed(demo, random.Random(5), TODAY)
    assert len(made) == Questionnaire.objects.count() == 9
    assert set(Questionnaire.objects.values_list("purpose", flat=True)) == set(Purpose.values)
    assert set(Questionnaire.objects.values_list("status", flat=True)) == set(Status.values)
    draft = Questionnaire.objects.get(status=Status.DRAFT)
    assert not draft.responses.exists()
    for q in Questionnaire.objects.exclude(status=Status.DRAFT):
        n = q.responses.count()
        assert 20 <= n <= 200, q.title
        assert access.can_manage(q.created_by, q)
        assert q.opens_at <= min(r.submitted_at for r in q.responses.all())
        assert max(r.submitted_at for r in q.responses.all()) <= min(q.closes_at, NOW)
        assert (q.status == Status.OPEN) == (q.closes_at > NOW)
    cry_or_smile = Questionnaire.objects.filter(questions__text__contains="哭还是笑")
    assert cry_or_smile.count() >= 2
    assert Response.objects.filter(on_paper=True).exclude(entered_by=None).count() > 50
    assert not Response.objects.filter(on_paper=False).exclude(entered_by=None).exists()


def test_its_answers_are_what_the_answering_page_would_have_kept(demo):
    with time_machine.travel(NOW, tick=False):
        seed(demo, random.Random(5), TODAY)
    for q in Questionnaire.objects.exclude(status=Status.DRAFT):
        questions = list(q.questions.all())
        for response in q.responses.prefetch_related("answers__question"):
            data = {}
            for a in response.answers.all():
                value = a.choices or ([str(a.rating)] if a.rating else [a.text])
                data[answering.field_name(a.question)] = value
            post = QueryDict(mutable=True)
            for name, values in data.items():
                post.setlist(name, values)
            values, errors, _shown = answering.read(questions, post)
            assert errors == {}, (q.title, errors)
            assert set(values) == {a.question_id for a in response.answers.all()}
    multiple = Answer.objects.filter(question__kind=Kind.MULTIPLE).select_related("question")
    assert all(1 <= len(a.choices) <= (a.question.max_choices or 99) for a in multiple)


def test_it_keeps_one_response_per_phone_where_the_questionnaire_asks(demo):
    with time_machine.travel(NOW, tick=False):
        seed(demo, random.Random(5), TODAY)
    for q in Questionnaire.objects.filter(ask_phone=True):
        online = q.responses.filter(on_paper=False)
        assert online.exclude(phone_hash="").count() == online.count() > 0
        assert len(set(online.values_list("phone_hash", flat=True))) == online.count()


def test_its_results_page_shows_the_cry_or_smile_counts(demo, client):
    with time_machine.travel(NOW, tick=False):
        seed(demo, random.Random(5), TODAY)
        q = Questionnaire.objects.filter(questions__text__contains="哭还是笑").first()
        leader = demo.leaders[demo.counties[0].unit.pk]
        client.force_login(leader)
        page = client.get(reverse("surveys:results", args=[q.pk])).content.decode()
        assert f"共 {q.responses.count()} 份答卷" in page
        assert "笑（满意）" in page and "哭（不满意）" in page
        assert Client().get(reverse("surveys_public:answer", args=[q.public_key])).status_code == 200
