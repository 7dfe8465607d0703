"""The ledger's progress reaches the public timeline, and each public event texts followers and
linked petitioners exactly once, after commit, with masked recipients in the log."""

from collections import Counter

import pytest
from django.urls import reverse

from grassroots.commitments import actions
from grassroots.commitments.models import CommitmentUpdate, UpdateKind
from grassroots.commitments.tests.helpers import make_commitment, png
from grassroots.ledger.models import Problem
from grassroots.ledger.tests.helpers import make_problem
from grassroots.notify.models import Notification

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02

FOLLOWER, PETITIONER, BOTH = "13900001111", "13812345678", "13700002222"


def ledger_act(client, user, problem, action, **data):
    client.force_login(user)
    data.setdefault("version", Problem.objects.get(pk=problem.pk).version)
    response = client.post(reverse("ledger:act", args=[problem.pk, action]), data)
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def linked(org, make_appeal):
    """A published commitment on a problem raised by an appeal, with one follower."""
    appeal = make_appeal(phone=PETITIONER)
    problem = make_problem(org, appeal=appeal)
    commitment = make_commitment(org, problem=problem, publish=True)
    actions.follow(commitment.pk, phone=FOLLOWER)
    return commitment


def sms_by_phone(outbox):
    return Counter(m["to"] for m in outbox if m["channel"] == "sms")


def test_ledger_progress_makes_a_neutral_public_update_and_texts_each_phone_once(
    client, org, linked, django_capture_on_commit_callbacks, _memory_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        ledger_act(
            client, org.handler, linked.problem, "progress", progress=40, note="内部：和施工方吵了一架"
        )
    update = linked.updates.last()
    assert (update.kind, update.progress, update.author) == (UpdateKind.PROGRESS, 40, None)
    assert update.note == "整改进展更新，已完成 40%。"
    linked.refresh_from_db()
    assert linked.progress == 40

    assert sms_by_phone(_memory_outbox) == {FOLLOWER: 1, PETITIONER: 1}
    bodies = {m["to"]: m["body"] for m in _memory_outbox}
    assert "退订码" in bodies[FOLLOWER] and "退订码" not in bodies[PETITIONER]
    assert "吵了一架" not in bodies[FOLLOWER] + bodies[PETITIONER]
    notes = Notification.objects.filter(template="commitment_update")
    assert sorted(notes.values_list("recipient", flat=True)) == ["138****5678", "139****1111"]
    assert not notes.filter(recipient__in=[FOLLOWER, PETITIONER]).exists()
    assert notes.get(recipient="138****5678").appeal_id == linked.problem.appeal_id


def test_a_follower_who_is_also_the_petitioner_gets_one_text_per_event(
    client, org, make_appeal, django_capture_on_commit_callbacks, _memory_outbox
):
    appeal = make_appeal(phone=BOTH)
    repeat = make_appeal(phone=BOTH, title="同一件事又来反映")  # a repeat (重复件) by the same petitioner
    repeat.original = appeal
    repeat.save(update_fields=["original"])
    commitment = make_commitment(org, problem=make_problem(org, appeal=appeal), publish=True)
    actions.follow(commitment.pk, phone=BOTH)
    _memory_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_update(commitment, org.head, note="设计方案已确定")
    assert sms_by_phone(_memory_outbox) == {BOTH: 1}
    assert "退订码" in _memory_outbox[0]["body"]


def test_the_repeats_petitioners_hear_too_and_landlines_are_skipped(
    org, make_appeal, django_capture_on_commit_callbacks, _memory_outbox
):
    appeal = make_appeal(phone="0571-87654321")
    repeat = make_appeal(phone="13600003333", title="重复反映")
    repeat.original = appeal
    repeat.save(update_fields=["original"])
    commitment = make_commitment(org, problem=make_problem(org, appeal=appeal))
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish(commitment, org.head)
    assert sms_by_phone(_memory_outbox) == {"13600003333": 1}
    assert "作出公开承诺" in _memory_outbox[0]["body"]


def test_done_accept_and_return_reach_the_timeline_and_close_out_does_not(client, org, linked):
    problem = linked.problem
    ledger_act(client, org.handler, problem, "done", note="已完成", evidence=png())
    ledger_act(client, org.leader, problem, "return", comment="盖板没装牢")
    ledger_act(client, org.handler, problem, "done", note="已加固", evidence=png())
    assert linked.updates.last().note == "整改工作已完成，等待验收。"
    linked.refresh_from_db()
    assert linked.status == "in_progress"

    ledger_act(client, org.leader, problem, "accept", comment="现场查看合格")
    linked.refresh_from_db()
    assert linked.status == "fulfilled" and linked.fulfilled_at is not None and linked.progress == 100
    ledger_act(client, org.supervisor, problem, "close")
    notes = list(linked.updates.values_list("kind", "note"))
    assert notes == [
        (UpdateKind.PUBLISH, "作出公开承诺，2026年03月31日前兑现。"),
        (UpdateKind.PROGRESS, "整改工作已完成，等待验收。"),
        (UpdateKind.PROGRESS, "验收未通过，继续整改。"),
        (UpdateKind.PROGRESS, "整改工作已完成，等待验收。"),
        (UpdateKind.FULFILLED, "整改已通过验收，承诺兑现。"),
    ]
    assert (
        "盖板没装牢"
        not in client.get(reverse("commitments_public:detail", args=[linked.pk])).content.decode()
    )


def test_a_draft_hears_nothing_from_its_source_and_nothing_is_sent_before_commit(
    client, org, make_appeal, _memory_outbox
):
    problem = make_problem(org, appeal=make_appeal())
    draft = make_commitment(org, problem=problem)
    ledger_act(client, org.handler, problem, "progress", progress=20, note="开工")
    assert not CommitmentUpdate.objects.filter(commitment=draft).exists()

    actions.publish(draft, org.head)
    ledger_act(client, org.handler, problem, "progress", progress=50, note="过半")
    assert draft.updates.count() == 2
    assert _memory_outbox == []  # the test's transaction never commits: nothing left
    assert not Notification.objects.exists()


def test_a_source_event_makes_one_entry_however_often_it_is_reported(org, linked):
    from grassroots.commitments.sources import ProblemSource
    from grassroots.ledger import actions as ledger_actions

    problem = ledger_actions.update_progress(linked.problem, org.handler, progress=30, note="开工")
    event = problem.events.last()
    assert actions.record_source_event(ProblemSource(problem), event) == []
    assert linked.updates.filter(kind=UpdateKind.PROGRESS).count() == 1
