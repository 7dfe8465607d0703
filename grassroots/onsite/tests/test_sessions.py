"""Sessions over HTTP: setting one up, who sees it, who runs it, its agenda, people and decisions."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.activities.models import Activity, Kind
from grassroots.ledger.tests.helpers import make_problem
from grassroots.onsite import actions
from grassroots.onsite.models import (
    AgendaItem,
    Decision,
    OnsiteSession,
    SessionStatus,
    Task,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)
from grassroots.onsite.tests.helpers import decide, make_session

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def _new_form(org, **kw):
    data = {
        "title": "城东村人居环境整治现场办公",
        "unit": org.east.pk,
        "owner": org.leader.pk,
        "place": org.chengdong.pk,
        "address": "城东村村委会",
        "date": "2026-03-02",
        "duration_minutes": "90",
        "officials": [org.head.pk],
        "attendees": "东城县住建局 王建国\n城东村，李村长\n张大爷",
        "agenda": "三组排水沟堵塞\n\n村口路灯不亮",
        "submission_token": "t" * 32,
    }
    data.update(kw)
    return data


def test_it_sets_up_a_session_as_an_onsite_activity_once(client, org):
    client.force_login(org.leader)
    response = client.post(reverse("onsite:new"), _new_form(org))
    session = OnsiteSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("onsite:session", args=[session.pk])
    activity = session.activity
    assert activity.kind == Kind.ONSITE and activity.unit == org.east and activity.place == org.chengdong
    assert activity.date == date(2026, 3, 2) and activity.duration_minutes == 90
    assert activity.created_by == org.leader
    assert set(activity.officials.all()) == {org.leader, org.head}
    assert session.owner == org.leader and session.status == SessionStatus.PREPARING
    assert [(a.unit_name, a.name) for a in session.attendees.all()] == [
        ("东城县住建局", "王建国"),
        ("城东村", "李村长"),
        ("", "张大爷"),
    ]
    assert "东城县住建局 王建国" in activity.other_participants
    assert [(i.order, i.problem) for i in session.agenda_items.all()] == [
        (1, "三组排水沟堵塞"),
        (2, "村口路灯不亮"),
    ]

    again = client.post(reverse("onsite:new"), _new_form(org), follow=True)  # a double click
    assert OnsiteSession.objects.count() == 1 and Activity.objects.count() == 1
    assert "未重复创建" in again.content.decode()

    page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    for text in ("城东村人居环境整治现场办公", "镇长汉克", "李村长", "张大爷", "村口路灯不亮", "筹备"):
        assert text in page


def test_it_lets_only_leaders_and_unit_heads_set_up_a_session(client, org):
    for user in (org.handler, org.supervisor, org.clerk, org.outsider):
        client.force_login(user)
        assert client.get(reverse("onsite:new")).status_code == 403
        assert client.post(reverse("onsite:new"), _new_form(org)).status_code == 403
    assert not OnsiteSession.objects.exists()
    client.force_login(org.head)
    assert client.get(reverse("onsite:new")).status_code == 200


def test_it_refuses_a_session_for_a_unit_outside_the_users_scope(client, org):
    client.force_login(org.head)
    response = client.post(
        reverse("onsite:new"), _new_form(org, unit=org.hekou.pk, owner=org.head.pk, officials=[])
    )
    assert response.status_code == 400
    assert not OnsiteSession.objects.exists() and not Activity.objects.exists()


def test_it_refuses_an_owner_who_does_not_lead_the_unit(client, org):
    client.force_login(org.leader)
    response = client.post(reverse("onsite:new"), _new_form(org, unit=org.hekou.pk, owner=org.head.pk))
    assert response.status_code == 400
    assert "负责人应为「河口镇」的领导干部或单位负责人" in response.content.decode()
    assert not Activity.objects.exists()

    ok = client.post(reverse("onsite:new"), _new_form(org, unit=org.chengguan.pk, owner=org.head.pk))
    assert ok.status_code == 302
    assert OnsiteSession.objects.get().owner == org.head


def test_it_shows_a_session_inside_and_above_its_unit_never_beside_or_outside(client, org):
    session = make_session(org, owner=org.head, unit=org.chengguan, title="城关镇集贸市场现场办公")
    url = reverse("onsite:session", args=[session.pk])
    for user in (org.head, org.handler, org.leader, org.supervisor, org.admin):  # inside and above
        client.force_login(user)
        assert client.get(url).status_code == 200
        assert "城关镇集贸市场现场办公" in client.get(reverse("onsite:list")).content.decode()
    for user in (
        org.village_handler,
        org.hekou_handler,
        org.housing_handler,
        org.outsider,
    ):  # below, beside, outside
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert "城关镇集贸市场现场办公" not in client.get(reverse("onsite:list")).content.decode()


def test_the_owner_and_leaders_over_the_unit_run_the_session_and_no_one_else(client, org):
    session = make_session(org, owner=org.head, unit=org.chengguan)
    for user in (org.head, org.leader):
        client.force_login(user)
        page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
        assert 'id="action-decision"' in page and 'id="action-agenda"' in page
        response = client.post(reverse("onsite:agenda", args=[session.pk]), {"problem": f"{user}提的议题"})
        assert response.status_code == 302
    for user in (org.handler, org.supervisor, org.admin):
        client.force_login(user)
        page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
        assert 'id="action-decision"' not in page and 'id="action-agenda"' not in page
        assert (
            client.post(reverse("onsite:agenda", args=[session.pk]), {"problem": "越权"}).status_code == 403
        )
        assert client.post(reverse("onsite:attendee", args=[session.pk]), {"name": "越权"}).status_code == 403
        hold = client.post(reverse("onsite:hold", args=[session.pk]), {"version": session.version})
        assert hold.status_code == 403
        response = client.post(
            reverse("onsite:decision", args=[session.pk]),
            {"text": "越权", "units": [org.chengguan.pk], "deadline": "2026-03-20"},
        )
        assert response.status_code == 403
    client.force_login(org.outsider)
    assert client.post(reverse("onsite:agenda", args=[session.pk]), {"problem": "越权"}).status_code == 404
    assert list(session.agenda_items.values_list("order", "problem")) == [
        (1, "城东村三组排水沟堵塞，雨天积水入户"),
        (2, "镇长汉克提的议题"),
        (3, "县长李提的议题"),
    ]
    assert not Decision.objects.exists()


def test_it_links_an_agenda_item_to_an_appeal_and_a_ledger_problem_the_user_may_see(client, org, make_appeal):
    session = make_session(org)
    appeal = make_appeal()
    problem = make_problem(org)
    hidden = make_problem(org, unit=org.shanqian, actor=org.admin, description="山前街道的问题")
    client.force_login(org.leader)
    url = reverse("onsite:agenda", args=[session.pk])
    data = {"problem": "路灯损坏", "appeal_code": appeal.tracking_code.lower(), "ledger_problem": problem.pk}
    assert client.post(url, {**data, "submission_token": "a" * 32}).status_code == 302
    assert client.post(url, {**data, "submission_token": "a" * 32}).status_code == 302  # a double click
    item = AgendaItem.objects.get(problem="路灯损坏")
    assert item.appeal == appeal and item.ledger_problem == problem
    page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    assert reverse("appeals:detail", args=[appeal.pk]) in page
    assert reverse("ledger:detail", args=[problem.pk]) in page

    refused = client.post(url, {"problem": "看不见的问题", "ledger_problem": hidden.pk})
    assert refused.status_code == 400
    assert f"没有编号为 {hidden.pk} 的台账问题，或您无权查看" in refused.content.decode()
    refused = client.post(url, {"problem": "看不见的诉求", "appeal_code": "ZZZZZZZZZZ"})
    assert "没有查询码为 ZZZZZZZZZZ 的诉求" in refused.content.decode()
    assert session.agenda_items.count() == 2


def test_it_adds_people_present_once_and_keeps_the_activity_record_in_step(client, org):
    session = make_session(org)
    client.force_login(org.leader)
    url = reverse("onsite:attendee", args=[session.pk])
    data = {"unit_name": "城东村", "name": "赵会计", "submission_token": "p" * 32}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click
    assert "赵会计" in client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    assert client.post(url, {"unit_name": "城东村"}).status_code == 400
    assert session.attendees.count() == 3
    session.activity.refresh_from_db()
    assert session.activity.other_participants == "东城县住建局 王建国、城东村 李村长、城东村 赵会计"


def _decision_form(org, **kw):
    data = {
        "text": "两周内清淤三组排水沟并加装盖板",
        "units": [org.chengguan.pk, org.east_housing.pk],
        "deadline": "2026-03-20",
        "submission_token": "d" * 32,
    }
    data.update(kw)
    return data


def test_a_decision_dispatches_one_task_per_unit_and_tells_each_unit(
    client, org, _memory_outbox, django_capture_on_commit_callbacks
):
    session = make_session(org)
    item = session.agenda_items.get()
    client.force_login(org.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onsite:decision", args=[session.pk]), _decision_form(org, agenda_item=item.pk)
        )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.agenda_item == item and decision.created_by == org.leader
    tasks = list(decision.tasks.order_by("responsible_unit__name"))
    assert [t.responsible_unit for t in tasks] == [org.east_housing, org.chengguan]
    for task in tasks:
        assert task.session == session and task.status == TaskStatus.ASSIGNED and task.progress == 0
        assert task.deadline == date(2026, 3, 20) and not task.deadline_provisional
        assert task.description == "两周内清淤三组排水沟并加装盖板"
        assert task.updates.get().kind == UpdateKind.ASSIGN
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD  # a decision is made at a session held

    # the town's head hears of it; a department without a head hears through its handler
    assert sorted(m["to"] for m in _memory_outbox) == ["dora@example.gov.cn", "hank@example.gov.cn"]
    assert all(
        "两周内清淤三组排水沟并加装盖板" in m["body"] and "2026年03月20日" in m["body"]
        for m in _memory_outbox
    )

    page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    assert "东城县住建局" in page and "已交办" in page and "2026-03-20" in page and "已召开" in page


def test_a_double_submitted_decision_is_recorded_once(
    client, org, _memory_outbox, django_capture_on_commit_callbacks
):
    session = make_session(org)
    client.force_login(org.leader)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("onsite:decision", args=[session.pk]), _decision_form(org))
        assert response.status_code == 302
    assert Decision.objects.count() == 1 and Task.objects.count() == 2
    assert len(_memory_outbox) == 2


def test_a_decision_cannot_order_a_unit_outside_the_owners_remit(client, org):
    session = make_session(org, owner=org.head, unit=org.chengguan)
    client.force_login(org.leader)  # a county leader runs the town's session, but the town head owns it
    page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    assert f'<option value="{org.hekou.pk}"' not in page
    response = client.post(
        reverse("onsite:decision", args=[session.pk]), _decision_form(org, units=[org.hekou.pk])
    )
    assert response.status_code == 400
    with pytest.raises(actions.ActionError, match="「河口镇」不在现场办公负责人镇长汉克的管辖范围内"):
        decide(session, [org.chengdong, org.hekou])
    assert not Task.objects.exists() and not Decision.objects.exists()


def test_a_decision_needs_a_unit_and_exactly_one_kind_of_deadline(client, org):
    session = make_session(org)
    client.force_login(org.leader)
    url = reverse("onsite:decision", args=[session.pk])
    both = client.post(url, _decision_form(org, working_days="5"))
    neither = client.post(url, _decision_form(org, deadline=""))
    for response in (both, neither):
        assert response.status_code == 400
        assert "指定日期或工作日天数，二选一" in response.content.decode()
    early = client.post(url, _decision_form(org, deadline="2026-03-01"))
    assert "办理时限不能早于现场办公日期" in early.content.decode()
    assert client.post(url, _decision_form(org, units=[])).status_code == 400
    assert not Task.objects.exists()


def test_no_decision_before_the_session_is_held(client, org):
    session = make_session(org, day=date(2026, 3, 10))
    client.force_login(org.leader)
    page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    assert 'id="action-decision"' not in page and "到来后可以记录决定事项" in page
    response = client.post(reverse("onsite:decision", args=[session.pk]), _decision_form(org))
    assert response.status_code == 400
    assert "现场办公日期未到" in response.content.decode()
    assert (
        client.post(reverse("onsite:hold", args=[session.pk]), {"version": session.version}).status_code
        == 400
    )
    assert not Task.objects.exists()


def test_it_marks_a_session_held_with_its_minutes_and_refuses_a_stale_form(client, org):
    session = make_session(org)
    client.force_login(org.leader)
    stale = session.version
    response = client.post(
        reverse("onsite:hold", args=[session.pk]), {"summary": "现场研究了排水问题。", "version": stale}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.activity.summary == "现场研究了排水问题。"

    again = client.post(
        reverse("onsite:hold", args=[session.pk]), {"summary": "再来一次", "version": stale}, follow=True
    )
    assert "已被他人更新" in again.content.decode()
    session.activity.refresh_from_db()
    assert session.activity.summary == "现场研究了排水问题。"


def test_the_task_timeline_starts_with_the_assignment(org):
    session = make_session(org)
    decision = decide(session, [org.chengguan])
    update = TaskUpdate.objects.get(task__decision=decision)
    assert update.actor == org.leader and "交办城关镇" in update.note
