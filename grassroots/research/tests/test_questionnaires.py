from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.research.models import EventKind, TopicQuestionnaire
from grassroots.research.tests.helpers import make_topic
from grassroots.surveys import actions as survey_actions
from grassroots.surveys.models import Purpose, Questionnaire
from grassroots.surveys.tests.helpers import build

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def _new_form(org, **kw):
    data = {
        "title": "城关镇老年人助餐需求问卷",
        "description": "请如实填写。",
        "owner_unit": org.chengguan.pk,
        "purpose": "research",
        "opens_at": "2026-03-02T08:00",
        "closes_at": "2026-03-31T18:00",
        "submission_token": "c" * 32,
    }
    data.update(kw)
    return data


def test_it_attaches_a_questionnaire_and_links_to_its_results(client, org):
    q, _made = build(client, org)
    topic = make_topic(org)
    client.force_login(org.head)
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert "养老补贴政策满意度调查" in page  # offered in the attach form
    response = client.post(reverse("research:questionnaire_attach", args=[topic.pk]), {"questionnaire": q.pk})
    assert response.status_code == 302
    assert TopicQuestionnaire.objects.get().questionnaire == q
    assert topic.events.last().kind == EventKind.QUESTIONNAIRE
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert reverse("surveys:results", args=[q.pk]) in page

    again = client.post(reverse("research:questionnaire_attach", args=[topic.pk]), {"questionnaire": q.pk})
    assert again.status_code == 400
    assert "请选择要关联的问卷。" in again.content.decode()
    assert TopicQuestionnaire.objects.count() == 1


def test_it_refuses_a_questionnaire_outside_the_users_scope(client, org):
    theirs = survey_actions.create(
        actor=org.outsider,
        title="山前街道问卷",
        owner_unit=org.shanqian,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=10),
    )
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(
        reverse("research:questionnaire_attach", args=[topic.pk]), {"questionnaire": theirs.pk}
    )
    assert response.status_code == 400
    assert not TopicQuestionnaire.objects.exists()


def test_it_shows_no_results_link_to_an_owner_who_cannot_see_the_questionnaire(client, org):
    q, _made = build(client, org)
    topic = make_topic(org, unit=org.hekou, owner=org.village_handler, actor=org.leader)
    from grassroots.research import actions

    actions.attach_questionnaire(topic, org.leader, Questionnaire.objects.get(pk=q.pk))
    client.force_login(org.village_handler)
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert "养老补贴政策满意度调查" in page
    assert reverse("surveys:results", args=[q.pk]) not in page


def test_it_creates_a_questionnaire_for_the_topic_once_and_opens_the_builder(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    form = client.get(reverse("research:questionnaire_new", args=[topic.pk])).content.decode()
    assert "城关镇居家养老服务需求调研调查问卷" in form
    response = client.post(reverse("research:questionnaire_new", args=[topic.pk]), _new_form(org))
    q = Questionnaire.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:detail", args=[q.pk])
    assert (q.title, q.owner_unit, q.purpose, q.created_by) == (
        "城关镇老年人助餐需求问卷",
        org.chengguan,
        Purpose.RESEARCH,
        org.head,
    )
    assert TopicQuestionnaire.objects.get().questionnaire == q

    again = client.post(reverse("research:questionnaire_new", args=[topic.pk]), _new_form(org))
    assert again["Location"] == reverse("surveys:detail", args=[q.pk])
    assert Questionnaire.objects.count() == 1


def test_it_refuses_a_new_questionnaire_that_closes_before_it_opens(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(
        reverse("research:questionnaire_new", args=[topic.pk]), _new_form(org, closes_at="2026-03-01T08:00")
    )
    assert response.status_code == 400
    assert "截止时间须晚于开始时间。" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_it_lets_an_owner_without_questionnaire_rights_attach_but_not_create(client, org):
    q, _made = build(client, org)
    topic = make_topic(org, owner=org.handler)
    client.force_login(org.handler)
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert reverse("research:questionnaire_new", args=[topic.pk]) not in page
    assert client.get(reverse("research:questionnaire_new", args=[topic.pk])).status_code == 403
    assert (
        client.post(reverse("research:questionnaire_new", args=[topic.pk]), _new_form(org)).status_code == 403
    )
    response = client.post(reverse("research:questionnaire_attach", args=[topic.pk]), {"questionnaire": q.pk})
    assert response.status_code == 302
    assert Questionnaire.objects.count() == 1
