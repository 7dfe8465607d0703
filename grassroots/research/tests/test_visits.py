from datetime import date

import pytest
from django.urls import reverse

from grassroots.activities.models import Activity
from grassroots.research.models import EventKind, ResearchVisit
from grassroots.research.tests.helpers import make_topic, visit_form

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def test_it_records_a_visit_as_a_research_activity_of_the_topics_unit(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    assert client.get(reverse("research:visit_new", args=[topic.pk])).status_code == 200
    data = visit_form(org, officials=[org.head.pk, org.leader.pk])
    response = client.post(reverse("research:visit_new", args=[topic.pk]), data)
    assert response.status_code == 302
    visit = ResearchVisit.objects.get()
    a = visit.activity
    assert (visit.topic, a.kind, a.unit, a.place) == (topic, "research", org.chengguan, org.chengdong)
    assert (a.title, a.address, a.date, a.duration_minutes) == (
        "走访城东村",
        "城东村村委会",
        date(2026, 2, 27),
        90,
    )
    assert set(a.officials.all()) == {org.head, org.leader}
    assert a.created_by == org.head
    assert topic.events.last().kind == EventKind.VISIT

    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert "召开村民座谈会，收集意见 8 条。" in page
    assert "县长李" in page


def test_it_records_a_double_clicked_visit_once(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    client.post(reverse("research:visit_new", args=[topic.pk]), visit_form(org))
    client.post(reverse("research:visit_new", args=[topic.pk]), visit_form(org))
    assert ResearchVisit.objects.count() == 1
    assert Activity.objects.count() == 1
    assert topic.events.filter(kind=EventKind.VISIT).count() == 1


def test_it_lets_the_owner_record_a_visit(client, org):
    topic = make_topic(org, owner=org.handler)
    client.force_login(org.handler)
    response = client.post(
        reverse("research:visit_new", args=[topic.pk]), visit_form(org, officials=[org.handler.pk])
    )
    assert response.status_code == 302
    assert ResearchVisit.objects.get().activity.created_by == org.handler


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "2026-01-31", "调研日期须在课题周期内（2026-02-01 至 2026-06-30）。"),
        ("date", "2026-03-03", "调研日期不能晚于今天：走访结束后再记录。"),
        ("summary", "纪" * 50_000, "不能超过 5000 字（现有 50000 字）"),
        ("summary", "", "这个字段是必填项"),
        ("duration_minutes", "0", "确保该值大于或等于1"),
        ("officials", [], "这个字段是必填项"),
    ],
)
def test_it_refuses_a_visit_with_bad_input(client, org, field, value, message):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(reverse("research:visit_new", args=[topic.pk]), visit_form(org, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()
    assert not ResearchVisit.objects.exists()


def test_it_refuses_a_place_or_an_official_outside_the_users_reach(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(
        reverse("research:visit_new", args=[topic.pk]), visit_form(org, place=org.shanqian.pk)
    )
    assert response.status_code == 400
    response = client.post(
        reverse("research:visit_new", args=[topic.pk]), visit_form(org, officials=[org.outsider.pk])
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_it_refuses_a_visit_to_someone_who_cannot_run_the_topic(client, org):
    topic = make_topic(org)
    client.force_login(org.handler)
    assert client.get(reverse("research:visit_new", args=[topic.pk])).status_code == 403
    assert client.post(reverse("research:visit_new", args=[topic.pk]), visit_form(org)).status_code == 403
    assert not Activity.objects.exists()
