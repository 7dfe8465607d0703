from datetime import date

import pytest
from django.urls import reverse

from grassroots.research.models import EventKind, ResearchTopic, Status
from grassroots.research.tests.helpers import make_topic, make_visit, topic_form

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def _pages(topic):
    return [
        reverse("research:detail", args=[topic.pk]),
        reverse("research:edit", args=[topic.pk]),
        reverse("research:visit_new", args=[topic.pk]),
        reverse("research:questionnaire_new", args=[topic.pk]),
        reverse("research:report", args=[topic.pk]),
    ]


def _posts(topic):
    return [
        reverse("research:edit", args=[topic.pk]),
        reverse("research:status", args=[topic.pk]),
        reverse("research:visit_new", args=[topic.pk]),
        reverse("research:questionnaire_attach", args=[topic.pk]),
        reverse("research:questionnaire_new", args=[topic.pk]),
        reverse("research:finding_new", args=[topic.pk]),
    ]


# --- who sees what ---------------------------------------------------------------------------


def test_it_shows_a_townships_topic_inside_the_township_and_to_the_county_above(client, org):
    topic = make_topic(org)
    for user in (org.head, org.handler, org.leader, org.supervisor, org.admin):
        client.force_login(user)
        assert "城关镇居家养老服务需求调研" in client.get(reverse("research:list")).content.decode()
        assert client.get(reverse("research:detail", args=[topic.pk])).status_code == 200


@pytest.mark.parametrize("who", ["hekou_handler", "clerk", "housing_handler", "village_handler", "outsider"])
def test_it_hides_a_topic_beside_below_and_outside_its_unit(client, org, who):
    topic = make_topic(org)
    client.force_login(getattr(org, who))
    assert "城关镇居家养老服务需求调研" not in client.get(reverse("research:list")).content.decode()
    for url in _pages(topic):
        assert client.get(url).status_code == 404, url
    for url in _posts(topic):
        assert client.post(url, {"version": topic.version}).status_code == 404, url
    finding_url = reverse("research:finding_ledger", args=[topic.pk, 1])
    assert client.get(finding_url).status_code == 404


def test_it_never_shows_an_outsider_any_county_topic(client, org):
    make_topic(org)
    make_topic(org, unit=org.east, owner=org.leader, actor=org.leader, title="全县就业困难群体调研")
    make_topic(org, unit=org.hekou, owner=org.leader, actor=org.leader, title="河口镇农村客运调研")
    client.force_login(org.outsider)
    page = client.get(reverse("research:list")).content.decode()
    assert "调研" in page  # the page itself
    assert "没有符合条件的调研课题" in page
    for topic in ResearchTopic.objects.all():
        assert client.get(reverse("research:detail", args=[topic.pk])).status_code == 404


def test_it_shows_a_topic_to_its_owner_wherever_the_owner_works(client, org):
    topic = make_topic(org, unit=org.hekou, owner=org.village_handler, actor=org.leader)
    client.force_login(org.village_handler)
    assert "城关镇居家养老服务需求调研" in client.get(reverse("research:list")).content.decode()
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert reverse("research:edit", args=[topic.pk]) in page


def test_it_lets_only_the_owner_and_the_units_heads_run_a_topic(client, org):
    topic = make_topic(org)
    edit_url = reverse("research:edit", args=[topic.pk])
    for user in (org.head, org.leader, org.supervisor):
        client.force_login(user)
        assert client.get(edit_url).status_code == 200
        assert edit_url in client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    for user in (org.handler, org.admin):
        client.force_login(user)
        assert edit_url not in client.get(reverse("research:detail", args=[topic.pk])).content.decode()
        for url in _posts(topic):
            assert client.post(url, {"version": topic.version}).status_code == 403, url
        assert client.get(edit_url).status_code == 403


# --- creating and editing --------------------------------------------------------------------


def test_it_creates_a_topic_once_however_often_the_form_is_sent(client, org):
    client.force_login(org.leader)
    response = client.post(reverse("research:new"), topic_form(org))
    topic = ResearchTopic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("research:detail", args=[topic.pk])
    assert (topic.unit, topic.owner, topic.created_by) == (org.hekou, org.leader, org.leader)
    assert (topic.starts_on, topic.ends_on, topic.status) == (
        date(2026, 3, 1),
        date(2026, 5, 31),
        Status.ACTIVE,
    )
    assert topic.events.get().kind == EventKind.CREATE

    again = client.post(reverse("research:new"), topic_form(org), follow=True)
    assert ResearchTopic.objects.count() == 1
    assert "未重复创建" in again.content.decode()


def test_it_lets_only_heads_leaders_and_supervisors_open_a_topic(client, org):
    client.force_login(org.handler)
    assert client.get(reverse("research:new")).status_code == 403
    assert client.post(reverse("research:new"), topic_form(org)).status_code == 403
    client.force_login(org.head)
    assert client.get(reverse("research:new")).status_code == 200
    assert reverse("research:new") in client.get(reverse("research:list")).content.decode()
    assert not ResearchTopic.objects.exists()


def test_it_refuses_a_topic_for_a_unit_outside_the_users_scope(client, org):
    client.force_login(org.head)
    response = client.post(reverse("research:new"), topic_form(org, unit=org.hekou.pk, owner=org.head.pk))
    assert response.status_code == 400
    assert not ResearchTopic.objects.exists()


def test_it_refuses_a_period_that_ends_before_it_starts(client, org):
    client.force_login(org.leader)
    response = client.post(
        reverse("research:new"), topic_form(org, starts_on="2026-05-01", ends_on="2026-04-30")
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in response.content.decode()
    assert not ResearchTopic.objects.exists()


def test_it_refuses_a_description_of_fifty_thousand_characters(client, org):
    client.force_login(org.leader)
    response = client.post(reverse("research:new"), topic_form(org, description="调" * 50_000))
    assert response.status_code == 400
    assert "不能超过 5000 字（现有 50000 字）" in response.content.decode()
    assert not ResearchTopic.objects.exists()


def test_it_refuses_a_topic_without_a_title(client, org):
    client.force_login(org.leader)
    response = client.post(reverse("research:new"), topic_form(org, title="  "))
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    assert not ResearchTopic.objects.exists()


def _edit_form(topic, **kw):
    data = {
        "title": topic.title,
        "description": topic.description,
        "unit": topic.unit_id,
        "owner": topic.owner_id,
        "starts_on": topic.starts_on.isoformat(),
        "ends_on": topic.ends_on.isoformat(),
        "version": topic.version,
    }
    data.update(kw)
    return data


def test_it_edits_a_topic_and_records_what_changed(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(
        reverse("research:edit", args=[topic.pk]),
        _edit_form(topic, title="城关镇养老助餐调研", owner=org.handler.pk),
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.owner) == ("城关镇养老助餐调研", org.handler)
    assert topic.events.last().note == "修改了：课题名称、课题负责人"


def test_it_tells_the_second_of_two_editors_that_the_topic_changed(client, org):
    topic = make_topic(org)
    stale = _edit_form(topic, title="第二个人的标题")
    client.force_login(org.leader)
    client.post(reverse("research:edit", args=[topic.pk]), _edit_form(topic, title="第一个人的标题"))
    client.force_login(org.head)
    response = client.post(reverse("research:edit", args=[topic.pk]), stale, follow=True)
    assert "这个课题已被他人更新" in response.content.decode()
    topic.refresh_from_db()
    assert topic.title == "第一个人的标题"


def test_it_keeps_every_visit_inside_an_edited_period(client, org):
    topic = make_topic(org)
    make_visit(org, topic, date=date(2026, 2, 10))
    client.force_login(org.head)
    response = client.post(
        reverse("research:edit", args=[topic.pk]), _edit_form(topic, starts_on="2026-02-15")
    )
    assert response.status_code == 400
    assert "已有 2026-02-10 的调研走访，课题周期须包含所有走访日期。" in response.content.decode()
    topic.refresh_from_db()
    assert topic.starts_on == date(2026, 2, 1)


def test_it_refuses_an_edit_period_that_ends_before_it_starts(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(
        reverse("research:edit", args=[topic.pk]),
        _edit_form(topic, starts_on="2026-04-01", ends_on="2026-03-01"),
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in response.content.decode()


# --- concluding ------------------------------------------------------------------------------


def test_it_concludes_a_topic_and_then_takes_no_more_visits_until_reopened(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    client.post(
        reverse("research:status", args=[topic.pk]), {"status": "concluded", "version": topic.version}
    )
    topic.refresh_from_db()
    assert topic.status == Status.CONCLUDED
    page = client.get(reverse("research:detail", args=[topic.pk])).content.decode()
    assert reverse("research:visit_new", args=[topic.pk]) not in page
    assert "恢复进行" in page

    from grassroots.research.tests.helpers import visit_form

    response = client.post(reverse("research:visit_new", args=[topic.pk]), visit_form(org))
    assert response.status_code == 400
    assert "该课题已结题，不能再记录调研走访。" in response.content.decode()

    client.post(reverse("research:status", args=[topic.pk]), {"status": "active", "version": topic.version})
    topic.refresh_from_db()
    assert topic.status == Status.ACTIVE
    assert [e.kind for e in topic.events.all()] == [EventKind.CREATE, EventKind.CONCLUDE, EventKind.REOPEN]


def test_it_refuses_to_conclude_from_a_stale_page(client, org):
    topic = make_topic(org)
    stale = topic.version
    client.force_login(org.head)
    client.post(reverse("research:status", args=[topic.pk]), {"status": "concluded", "version": stale})
    response = client.post(
        reverse("research:status", args=[topic.pk]), {"status": "concluded", "version": stale}, follow=True
    )
    assert "这个课题已被他人更新，当前状态为「已结题」" in response.content.decode()
    assert topic.events.filter(kind=EventKind.CONCLUDE).count() == 1


def test_it_refuses_an_unknown_status(client, org):
    topic = make_topic(org)
    client.force_login(org.head)
    response = client.post(reverse("research:status", args=[topic.pk]), {"status": "deleted"}, follow=True)
    assert "无效的操作。" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == Status.ACTIVE


def test_it_filters_the_list_by_status(client, org):
    make_topic(org)
    done = make_topic(org, title="已结题的课题")
    from grassroots.research import actions

    actions.conclude(done, org.head, version=done.version)
    client.force_login(org.head)
    page = client.get(reverse("research:list"), {"status": "concluded"}).content.decode()
    assert "已结题的课题" in page
    assert "城关镇居家养老服务需求调研" not in page
