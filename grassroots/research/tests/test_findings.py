from datetime import date

import pytest
from django.urls import reverse

from grassroots.ledger import actions as ledger_actions
from grassroots.ledger.models import Problem, Source
from grassroots.research.models import EventKind, Finding
from grassroots.research.tests.helpers import make_finding, make_topic

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def _finding_form(**kw):
    data = {
        "text": "城东村偏远村组老人吃饭难",
        "domain": "elderly",
        "measures": "增设流动送餐点",
        "submission_token": "d" * 32,
    }
    data.update(kw)
    return data


def _ledger_form(org, finding, **kw):
    data = {
        "responsible_unit": org.chengguan.pk,
        "responsible_leader": org.head.pk,
        "deadline": "2026-06-30",
        "place": org.chengdong.pk,
        "measures": "6 月底前在三组、五组各设一个送餐点",
        "version": finding.version,
    }
    data.update(kw)
    return data


# --- recording findings ----------------------------------------------------------------------


def test_it_records_a_finding_once_however_often_the_form_is_sent(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(reverse("research:finding_new", args=[topic.pk]), _finding_form())
    assert response.status_code == 302
    client.post(reverse("research:finding_new", args=[topic.pk]), _finding_form())
    finding = Finding.objects.get()
    assert (finding.topic, finding.domain, finding.created_by) == (topic, "elderly", org.head)
    assert topic.events.filter(kind=EventKind.FINDING).count() == 1
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert "城东村偏远村组老人吃饭难" in page
    assert "建议措施：增设流动送餐点" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "问" * 50_000}, "不能超过 2000 字（现有 50000 字）"),
        ({"text": ""}, "这个字段是必填项"),
        ({"domain": "weather"}, "选择一个有效的选项"),
        ({"measures": "措" * 2001}, "不能超过 2000 字（现有 2001 字）"),
    ],
)
def test_it_refuses_a_finding_with_bad_input(client, org, data, message):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(reverse("research:finding_new", args=[topic.pk]), _finding_form(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Finding.objects.exists()


def test_it_refuses_a_finding_on_a_concluded_topic(client, org):
    from grassroots.research import actions

    topic = make_topic(org)
    actions.conclude(topic, org.head, version=topic.version)
    client.force_login(org.head)
    response = client.post(reverse("research:finding_new", args=[topic.pk]), _finding_form())
    assert response.status_code == 400
    assert "该课题已结题，不能再记录调研发现。" in response.content.decode()
    assert not Finding.objects.exists()


# --- onto the problem ledger -----------------------------------------------------------------


def test_it_puts_a_finding_on_the_ledger_once(client, org):
    topic = make_topic(org)
    finding = make_finding(org, topic)
    url = reverse("research:finding_ledger", args=[topic.pk, finding.pk])
    client.force_login(org.head)
    form = client.get(url).content.decode()
    assert "增设流动送餐点" in form  # the suggested measures are the starting point
    response = client.post(url, _ledger_form(org, finding))
    assert response.status_code == 302

    problem = Problem.objects.get()
    assert (problem.source, problem.domain, problem.description) == (
        Source.RESEARCH,
        "elderly",
        "城东村偏远村组老人吃饭难，助餐点覆盖不足",
    )
    assert (problem.responsible_unit, problem.responsible_leader, problem.deadline, problem.place) == (
        org.chengguan,
        org.head,
        date(2026, 6, 30),
        org.chengdong,
    )
    assert problem.measures == "6 月底前在三组、五组各设一个送餐点"
    assert problem.created_by == org.head
    finding.refresh_from_db()
    assert finding.problem == problem
    assert topic.events.last().kind == EventKind.LEDGER

    again = client.post(url, _ledger_form(org, finding), follow=True)
    assert f"这条发现已列入问题清单（问题 {problem.pk}），未重复列入。" in again.content.decode()
    stale = client.post(url, _ledger_form(org, finding, version=0), follow=True)
    assert "未重复列入" in stale.content.decode()
    assert Problem.objects.count() == 1


def test_it_shows_the_ledger_status_of_a_finding_on_the_topic_page(client, org):
    topic = make_topic(org)
    finding = make_finding(org, topic)
    from grassroots.research import actions

    problem = actions.put_on_ledger(
        finding, org.head, version=finding.version, responsible_unit=org.chengguan, deadline=date(2026, 3, 31)
    )
    ledger_actions.update_progress(problem, org.handler, progress=40, note="已选定送餐点")
    client.force_login(org.head)
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert reverse("ledger:detail", args=[problem.pk]) in page
    assert "整改中" in page
    assert "进展 40%" in page
    assert reverse("research:finding_ledger", args=[topic.pk, finding.pk]) not in page


def test_it_refuses_the_ledger_to_users_without_ledger_rights(client, org):
    topic = make_topic(org, owner=org.handler)  # the owner runs the topic but keeps no ledger
    finding = make_finding(org, topic, actor=org.handler)
    url = reverse("research:finding_ledger", args=[topic.pk, finding.pk])
    client.force_login(org.handler)
    assert url not in client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, _ledger_form(org, finding)).status_code == 403
    assert not Problem.objects.exists()
    finding.refresh_from_db()
    assert finding.problem is None


def test_it_lets_a_county_leader_above_put_a_townships_finding_on_the_ledger(client, org):
    topic = make_topic(org)
    finding = make_finding(org, topic)
    client.force_login(org.leader)
    url = reverse("research:finding_ledger", args=[topic.pk, finding.pk])
    response = client.post(url, _ledger_form(org, finding, responsible_unit=org.east_housing.pk))
    assert response.status_code == 302
    assert Problem.objects.get().responsible_unit == org.east_housing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"deadline": "2026-03-01"}, "整改时限不能早于今天。"),
        ({"deadline": ""}, "这个字段是必填项"),
        ({"responsible_unit": "hekou"}, "选择一个有效的选项"),
        ({"measures": "措" * 50_000}, "不能超过 2000 字（现有 50000 字）"),
    ],
)
def test_it_refuses_a_ledger_entry_with_bad_input(client, org, data, message):
    topic = make_topic(org)
    finding = make_finding(org, topic)
    if data.get("responsible_unit") == "hekou":
        data = {"responsible_unit": org.hekou.pk}  # outside 镇长汉克's keeping units
    client.force_login(org.head)
    url = reverse("research:finding_ledger", args=[topic.pk, finding.pk])
    response = client.post(url, _ledger_form(org, finding, **data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Problem.objects.exists()


def test_it_answers_404_for_a_finding_of_another_topic(client, org):
    topic = make_topic(org)
    other = make_topic(org, title="另一个课题")
    finding = make_finding(org, other)
    client.force_login(org.head)
    assert client.get(reverse("research:finding_ledger", args=[topic.pk, finding.pk])).status_code == 404
