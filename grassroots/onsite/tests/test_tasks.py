"""Tasks over HTTP: who sees them, the unit's progress and completion with evidence, and the
owner's acceptance or return; double submits and stale forms."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.onsite import actions
from grassroots.onsite.models import TaskEvidence, TaskStatus, TaskUpdate, UpdateKind
from grassroots.onsite.tests.helpers import decide, make_session, make_task, png

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def act(client, task, action, **data):
    data.setdefault("version", task.version)
    return client.post(reverse("onsite:task_act", args=[task.pk, action]), data)


def submitted(org, **kw):
    task = make_task(org, **kw)
    return actions.submit(task, org.handler, note="已清淤完毕", evidence=[(png(), "image/png")])


def test_a_township_handler_sees_only_the_tasks_of_their_unit(client, org):
    session = make_session(org, title="县长现场办公")
    decision = decide(session, [org.chengguan, org.hekou], text="清理集镇主街占道经营")
    ours, theirs = (
        decision.tasks.get(responsible_unit=org.chengguan),
        decision.tasks.get(responsible_unit=org.hekou),
    )

    client.force_login(org.handler)
    mine = client.get(reverse("onsite:my_tasks")).content.decode()
    assert reverse("onsite:task", args=[ours.pk]) in mine
    assert reverse("onsite:task", args=[theirs.pk]) not in mine
    page = client.get(reverse("onsite:task", args=[ours.pk]))
    assert page.status_code == 200
    assert "县长现场办公" in page.content.decode()
    assert reverse("onsite:session", args=[session.pk]) not in page.content.decode()  # the county's session
    assert client.get(reverse("onsite:task", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("onsite:session", args=[session.pk])).status_code == 404
    assert "县长现场办公" not in client.get(reverse("onsite:list")).content.decode()

    client.force_login(org.hekou_handler)
    assert client.get(reverse("onsite:task", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("onsite:task", args=[ours.pk])).status_code == 404

    for user in (org.village_handler, org.housing_handler, org.outsider):  # below, beside, outside
        client.force_login(user)
        assert client.get(reverse("onsite:task", args=[ours.pk])).status_code == 404
        assert "清理集镇主街占道经营" not in client.get(reverse("onsite:my_tasks")).content.decode()

    for user in (org.leader, org.supervisor, org.admin):  # the session's unit and above
        client.force_login(user)
        page = client.get(reverse("onsite:task", args=[ours.pk])).content.decode()
        assert reverse("onsite:session", args=[session.pk]) in page


def test_my_tasks_lists_the_open_tasks_of_my_units_overdue_first(client, org, travel):
    travel.move_to("2026-02-25 10:00 +0800")
    early = make_session(org, day=date(2026, 2, 25))
    late = decide(early, [org.chengguan], text="逾期未办的任务", deadline=date(2026, 2, 27)).tasks.get()
    waiting = decide(
        early, [org.chengguan], text="已报结待验收的任务", deadline=date(2026, 2, 26)
    ).tasks.get()
    waiting = actions.submit(waiting, org.handler, note="已办结", evidence=[(png(), "image/png")])
    done = decide(early, [org.chengguan], text="已验收的任务", deadline=date(2026, 2, 26)).tasks.get()
    done = actions.submit(done, org.handler, note="已办结", evidence=[(png(), "image/png")])
    actions.accept(done, org.leader)
    travel.move_to("2026-03-02 10:00 +0800")
    make_task(org, text="本月要办的任务", deadline=date(2026, 3, 3))

    client.force_login(org.head)
    page = client.get(reverse("onsite:my_tasks")).content.decode()
    positions = [page.find(text) for text in ("逾期未办的任务", "已报结待验收的任务", "本月要办的任务")]
    assert -1 not in positions and positions == sorted(positions)
    assert "已验收的任务" not in page
    assert "逾期" in page and late.is_overdue()

    client.force_login(org.leader)  # the owner is waiting to accept one of them
    page = client.get(reverse("onsite:my_tasks")).content.decode()
    assert "待我验收" in page and reverse("onsite:task", args=[waiting.pk]) in page
    sessions = client.get(reverse("onsite:list")).content.decode()
    assert "3 项，未验收 2" in sessions and "逾期 1" in sessions


def test_the_unit_reports_progress_with_evidence_then_submits(client, org):
    task = make_task(org)
    client.force_login(org.handler)
    response = act(
        client, task, "progress", progress="40", note="已完成一半清淤", evidence=png("清淤现场.png")
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.progress == 40
    evidence = TaskEvidence.objects.get()
    assert evidence.original_name == "清淤现场.png" and evidence.update.kind == UpdateKind.PROGRESS

    response = act(client, task, "submit", note="排水沟已清淤，盖板全部安装")  # evidence already on file
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED and task.progress == 100 and task.submitted_at is not None
    page = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    for text in ("已办结待验收", "已完成一半清淤", "排水沟已清淤，盖板全部安装", "清淤现场.png"):
        assert text in page

    download = reverse("onsite:evidence", args=[task.pk, evidence.pk])
    for user in (org.handler, org.leader):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    for user in (org.hekou_handler, org.outsider):
        client.force_login(user)
        assert client.get(download).status_code == 404


def test_submitting_needs_evidence(client, org):
    task = make_task(org)
    client.force_login(org.head)
    response = act(client, task, "submit", note="已办结")
    assert response.status_code == 400
    assert "报送办结前请上传佐证材料" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED and task.submitted_at is None


def test_it_rejects_an_evidence_file_that_is_not_an_image_or_pdf(client, org):
    task = make_task(org)
    client.force_login(org.handler)
    bad = SimpleUploadedFile("现场照片.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = act(client, task, "progress", progress="50", note="已开工", evidence=bad)
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 0 and task.status == TaskStatus.ASSIGNED
    assert not TaskEvidence.objects.exists() and task.updates.count() == 1


def test_only_the_sessions_owner_accepts_and_the_unit_cannot_sign_off_its_own_work(client, org):
    task = submitted(org)
    for user in (org.handler, org.head, org.supervisor, org.admin):
        client.force_login(user)
        assert act(client, task, "accept").status_code == 403
        assert act(client, task, "return", reason="不行").status_code == 403
        assert 'id="action-accept"' not in client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    client.force_login(org.outsider)
    assert act(client, task, "accept").status_code == 404

    client.force_login(org.leader)
    assert 'id="action-accept"' in client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    response = act(client, task, "accept", comment="经现场核查，整改到位")
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED and task.accepted_by == org.leader and task.accepted_at
    assert task.finished_on_time() is True
    page = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert "已验收" in page and "按期办结" in page and "经现场核查，整改到位" in page


def test_a_leader_over_the_unit_who_does_not_own_the_session_cannot_accept(client, org):
    session = make_session(org, owner=org.head, unit=org.chengguan)
    task = decide(session, [org.chengdong]).tasks.get()
    task = actions.submit(task, org.village_handler, note="已办结", evidence=[(png(), "image/png")])
    client.force_login(org.leader)
    assert act(client, task, "accept").status_code == 403
    client.force_login(org.head)
    assert act(client, task, "accept").status_code == 302


def test_the_owner_returns_work_with_a_reason_and_the_unit_submits_again(client, org):
    task = submitted(org)
    client.force_login(org.leader)
    no_reason = act(client, task, "return", reason="")
    assert no_reason.status_code == 400
    response = act(client, task, "return", reason="盖板缺两块，请补齐后再报")
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.submitted_at is None
    assert task.updates.last().kind == UpdateKind.RETURN
    assert "盖板缺两块" in client.get(reverse("onsite:task", args=[task.pk])).content.decode()

    client.force_login(org.handler)
    assert act(client, task, "submit", note="已补齐盖板").status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert [u.kind for u in task.updates.all()] == ["assign", "submit", "return", "submit"]


def test_a_double_submitted_progress_report_is_recorded_once(client, org):
    task = make_task(org)
    client.force_login(org.handler)
    data = {"progress": "30", "note": "已进场施工", "submission_token": "p" * 32, "version": task.version}
    first = client.post(reverse("onsite:task_act", args=[task.pk, "progress"]), data)
    second = client.post(reverse("onsite:task_act", args=[task.pk, "progress"]), data, follow=True)
    assert first.status_code == 302
    assert "该操作已提交，未重复执行" in second.content.decode()
    assert TaskUpdate.objects.filter(kind=UpdateKind.PROGRESS).count() == 1


def test_two_people_on_a_stale_page_one_wins_and_the_other_is_told(client, org):
    task = make_task(org)
    version = task.version  # both opened the page now
    client.force_login(org.head)
    assert act(client, task, "progress", progress="20", note="镇里已安排", version=version).status_code == 302
    client.force_login(org.handler)
    response = client.post(
        reverse("onsite:task_act", args=[task.pk, "progress"]),
        {"progress": "10", "note": "我也来报", "version": version},
        follow=True,
    )
    assert "这项任务已被他人更新" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 20 and task.updates.count() == 2


def test_an_unknown_action_or_a_wrong_state_is_refused(client, org):
    task = make_task(org)
    client.force_login(org.leader)
    assert act(client, task, "close").status_code == 404
    response = act(client, task, "accept")  # nothing submitted yet
    assert response.status_code == 400
    assert "任务当前状态为「已交办」，不能执行此操作" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    assert client.get(reverse("onsite:task", args=[task.pk + 1000])).status_code == 404
