"""An on-site office task as a commitment's source: drafting from the task (who may), the task's
progress reaching the public timeline and residents' phones once, acceptance keeping the
promise, the board, and no staff link for whoever may not see the task."""

from collections import Counter

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from grassroots.commitments import actions
from grassroots.commitments.models import Commitment, UpdateImage, UpdateKind
from grassroots.commitments.tests.helpers import make_commitment, png
from grassroots.ledger.tests.helpers import make_problem
from grassroots.onsite import actions as onsite_actions
from grassroots.onsite.models import Task
from grassroots.onsite.tests.helpers import decide, make_session, make_task

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02

FOLLOWER, PETITIONER = "13900001111", "13812345678"
DECISION = "两周内清淤排水沟并加装盖板"  # the text of the helpers' decision


def _form(org, task, **kw):
    data = {
        "task": task.pk,
        "content": "三月二十日前清淤城东村三组排水沟并加装盖板",
        "due_date": "2026-03-20",
        "responsible_unit": task.responsible_unit.pk,
        "responsible_person": "县长李",
        "place": org.chengdong.pk,
        "submission_token": "t" * 32,
    }
    data.update(kw)
    return data


def task_act(client, user, task, action, **data):
    client.force_login(user)
    data.setdefault("version", Task.objects.get(pk=task.pk).version)
    return client.post(reverse("onsite:task_act", args=[task.pk, action]), data)


def sms_by_phone(outbox):
    return Counter(m["to"] for m in outbox if m["channel"] == "sms")


# --- drafting from a task ----------------------------------------------------------------------


def test_a_head_drafts_a_commitment_from_a_task_with_the_tasks_words_deadline_and_owner(client, org):
    task = make_task(org)  # 县长李's session at 城东村 orders 城关镇, due 2026-03-20
    client.force_login(org.head)
    page = client.get(reverse("commitments:new"), {"task": task.pk}).content.decode()
    assert DECISION in page
    assert 'value="2026-03-20"' in page
    assert 'value="县长李"' in page  # the session's owner answers for it
    assert f'<option value="{org.chengdong.pk}" selected>' in page  # where the session sat
    assert reverse("onsite:task", args=[task.pk]) in page

    response = client.post(reverse("commitments:new"), _form(org, task))
    commitment = Commitment.objects.get()
    assert response["Location"] == reverse("commitments:detail", args=[commitment.pk])
    assert (commitment.task, commitment.problem, commitment.progress) == (task, None, 0)
    page = client.get(response["Location"]).content.decode()
    assert reverse("onsite:task", args=[task.pk]) in page

    client.force_login(org.leader)
    listed = client.get(reverse("commitments:list"), {"source": "task"}).content.decode()
    assert "三月二十日前清淤" in listed
    assert (
        "三月二十日前清淤"
        not in client.get(reverse("commitments:list"), {"source": "problem"}).content.decode()
    )


def test_only_a_drafter_over_the_tasks_unit_who_sees_the_task_may_promise_on_it(client, org):
    task = make_task(org)
    client.force_login(org.hekou_handler)  # a drafter beside: cannot see the task
    assert client.get(reverse("commitments:new"), {"task": task.pk}).status_code == 404
    assert client.post(reverse("commitments:new"), _form(org, task)).status_code == 404
    client.force_login(org.admin)  # sees the task, but drafts no commitments
    assert client.get(reverse("onsite:task", args=[task.pk])).status_code == 200
    assert client.get(reverse("commitments:new"), {"task": task.pk}).status_code == 403
    assert client.post(reverse("commitments:new"), _form(org, task)).status_code == 403
    client.force_login(org.clerk)
    assert client.post(reverse("commitments:new"), _form(org, task)).status_code == 403

    housing_task = make_task(org, unit=org.east_housing)
    client.force_login(org.housing_handler)  # sees its own task, may not promise for 城关镇 instead
    response = client.post(
        reverse("commitments:new"), _form(org, housing_task, responsible_unit=org.chengguan.pk)
    )
    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_the_task_page_offers_to_make_it_a_public_commitment_to_drafters_only(client, org):
    task = make_task(org)
    new_url = f"{reverse('commitments:new')}?task={task.pk}"
    client.force_login(org.handler)
    page = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert "设为公开承诺" in page and new_url in page
    assert "这项任务还没有向群众作出公开承诺" in page

    make_commitment(org, task=task, content="承诺清淤三组排水沟")
    page = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert "承诺清淤三组排水沟" in page

    client.force_login(org.admin)
    page = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert "承诺清淤三组排水沟" in page
    assert new_url not in page


def test_a_commitment_has_at_most_one_source(org):
    task = make_task(org)
    with pytest.raises(actions.ActionError, match="只能有一个来源"):
        make_commitment(org, task=task, problem=make_problem(org))
    commitment = make_commitment(org, task=task)
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(problem=make_problem(org))


# --- the task's progress reaches residents ---------------------------------------------------


@pytest.fixture
def linked(org, make_appeal):
    """A published commitment on a task whose decision answered an agenda item raised by an appeal,
    with one follower."""
    appeal = make_appeal(phone=PETITIONER)
    session = make_session(org)
    item = onsite_actions.add_agenda_item(session, org.leader, problem="三组排水沟堵塞", appeal=appeal)
    task = decide(session, [org.chengguan], agenda_item=item).tasks.get()
    commitment = make_commitment(org, task=task, publish=True)
    actions.follow(commitment.pk, phone=FOLLOWER)
    return commitment


def test_task_progress_makes_one_neutral_public_update_and_texts_each_phone_once(
    client, org, linked, django_capture_on_commit_callbacks, _memory_outbox
):
    _memory_outbox.clear()
    data = {"progress": 40, "note": "内部：施工队催款", "submission_token": "p" * 32}
    with django_capture_on_commit_callbacks(execute=True):
        assert task_act(client, org.handler, linked.task, "progress", **data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the same form again: a double click
        again = task_act(client, org.handler, linked.task, "progress", **data)
    assert again.status_code == 302

    progress = linked.updates.exclude(kind=UpdateKind.PUBLISH)
    assert list(progress.values_list("kind", "progress", "note", "author")) == [
        (UpdateKind.PROGRESS, 40, "办理进展更新，已完成 40%。", None)
    ]
    linked.refresh_from_db()
    assert (linked.progress, linked.status) == (40, "in_progress")
    assert sms_by_phone(_memory_outbox) == {FOLLOWER: 1, PETITIONER: 1}
    assert "催款" not in "".join(m["body"] for m in _memory_outbox)
    assert "退订码" in next(m["body"] for m in _memory_outbox if m["to"] == FOLLOWER)


def test_acceptance_by_the_sessions_owner_keeps_the_promise_and_the_board_shows_it(client, org, linked):
    task = linked.task
    assert task_act(client, org.handler, task, "submit", note="已清淤", evidence=png()).status_code == 302
    assert task_act(client, org.leader, task, "return", reason="内部：盖板没装牢").status_code == 302
    assert task_act(client, org.handler, task, "submit", note="已加固盖板").status_code == 302
    linked.refresh_from_db()
    assert linked.status == "in_progress"
    assert task_act(client, org.leader, task, "accept", comment="现场查看合格").status_code == 302

    linked.refresh_from_db()
    assert (linked.status, linked.progress) == ("fulfilled", 100)
    assert list(linked.updates.values_list("kind", "note")) == [
        (UpdateKind.PUBLISH, "作出公开承诺，2026年03月31日前兑现。"),
        (UpdateKind.PROGRESS, "责任单位已办结，等待现场办公负责人验收。"),
        (UpdateKind.PROGRESS, "验收未通过，继续办理。"),
        (UpdateKind.PROGRESS, "责任单位已办结，等待现场办公负责人验收。"),
        (UpdateKind.FULFILLED, "办理结果已通过验收，承诺兑现。"),
    ]

    client.logout()
    board = client.get(reverse("commitments_public:place", args=[org.chengdong.pk])).content.decode()
    assert linked.content in board and "已兑现" in board
    page = client.get(reverse("commitments_public:detail", args=[linked.pk])).content.decode()
    assert "办理结果已通过验收，承诺兑现。" in page
    assert "盖板没装牢" not in page and reverse("onsite:task", args=[task.pk]) not in page


def test_a_commitment_made_after_acceptance_is_kept_when_published(client, org):
    task = make_task(org)
    task = onsite_actions.submit(task, org.handler, note="已办结", evidence=[(png(), "image/png")])
    onsite_actions.accept(task, org.leader)
    commitment = make_commitment(org, task=task)
    client.force_login(org.head)
    client.post(reverse("commitments:publish", args=[commitment.pk]), {"version": commitment.version})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("fulfilled", 100)


def test_staff_publish_images_chosen_from_the_tasks_evidence(client, org):
    task = make_task(org)
    onsite_actions.update_progress(
        task, org.handler, progress=30, note="内部：已进场", evidence=[(png("清淤现场.png"), "image/png")]
    )
    evidence = task.evidence.get()
    commitment = make_commitment(org, task=task, publish=True)
    client.force_login(org.handler)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "清淤现场.png" in page and 'name="progress"' not in page
    data = {"version": commitment.version, "note": "施工队已进场清淤", "source_images": [evidence.pk]}
    assert client.post(reverse("commitments:update", args=[commitment.pk]), data).status_code == 302
    assert UpdateImage.objects.get().original_name == "清淤现场.png"
    assert commitment.updates.last().progress == 30


# --- who gets the link to the task ---------------------------------------------------------------


def test_a_user_who_cannot_see_the_task_gets_no_link_to_it(client, org):
    # 住建局's task; 城关镇 promises its part of the work, so 城关镇 sees the commitment, not the task
    task = make_task(org, unit=org.east_housing)
    commitment = make_commitment(org, task=task, actor=org.leader)
    task_url = reverse("onsite:task", args=[task.pk])

    client.force_login(org.handler)
    assert client.get(task_url).status_code == 404
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert f"现场办公任务第 {task.pk} 号" in page
    assert task_url not in page

    client.force_login(org.leader)
    assert task_url in client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
