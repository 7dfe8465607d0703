"""Two people act on one appeal at the same moment: exactly one wins.

These tests commit for real (transaction=True) and run the racing actions in threads with
their own database connections, so the database's own locking decides the race — on
PostgreSQL and on SQLite alike.
"""

import uuid

import pytest

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Event, Status
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


def _handling(org, make_appeal):
    appeal = make_appeal()
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    return actions.inform(appeal, org.handler, note="已受理")


def _outcome(results):
    winners = [r for r in results if isinstance(r, Appeal)]
    conflicts = [r for r in results if isinstance(r, actions.Conflict)]
    others = [r for r in results if r not in winners and r not in conflicts]
    return winners, conflicts, others


def test_it_lets_only_one_of_reply_and_handle_on_the_same_version_succeed(org, make_appeal):
    appeal = _handling(org, make_appeal)
    events_before = appeal.events.count()
    version = appeal.version

    # each of them opened the page before the other acted
    bobs, hanks = Appeal.objects.get(pk=appeal.pk), Appeal.objects.get(pk=appeal.pk)

    results = race(
        lambda: actions.reply(bobs, org.handler, text="已修复路灯。", version=version),
        lambda: actions.handle(hanks, org.head, note="再催一次供电所", version=version),
    )

    winners, conflicts, others = _outcome(results)
    assert others == []
    assert len(winners) == 1 and len(conflicts) == 1, results
    assert "已被他人更新" in str(conflicts[0])
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert fresh.version == version + 1
    assert fresh.events.count() == events_before + 1
    if fresh.status == Status.REPLIED:
        assert fresh.events.last().kind == "reply"
    else:
        assert fresh.status == Status.HANDLING and fresh.events.last().kind == "handle"


def test_it_dispatches_to_only_one_unit_when_two_clerksrace(org, make_appeal):
    appeal = make_appeal()
    version = appeal.version

    alices, susans = Appeal.objects.get(pk=appeal.pk), Appeal.objects.get(pk=appeal.pk)

    results = race(
        lambda: actions.dispatch(alices, org.clerk, unit=org.chengguan, version=version),
        lambda: actions.dispatch(susans, org.supervisor, unit=org.hekou, version=version),
    )

    winners, conflicts, others = _outcome(results)
    assert others == []
    assert len(winners) == 1 and len(conflicts) == 1, results
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert fresh.status == Status.DISPATCHED
    assert fresh.handling_unit == winners[0].handling_unit
    assert list(fresh.events.filter(kind="dispatch").values_list("unit", flat=True)) == [
        winners[0].handling_unit.pk
    ]


def test_it_registers_one_appeal_for_a_double_clicked_submit(org, make_appeal):
    token = uuid.uuid4().hex

    results = race(
        lambda: make_appeal(submission_token=token),
        lambda: make_appeal(submission_token=token),
    )

    assert all(isinstance(r, Appeal) for r in results), results
    assert results[0].pk == results[1].pk
    assert Appeal.objects.filter(submission_token=token).count() == 1
    assert Event.objects.filter(appeal=results[0], kind="register").count() == 1


def test_it_sends_the_notice_only_once_the_action_is_committed(org, make_appeal, _memory_outbox):
    from django.db import transaction

    appeal = make_appeal()
    _memory_outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.dispatch(appeal, org.clerk, unit=org.chengguan)
        assert _memory_outbox == []  # queued, not sent
        raise RuntimeError("the request failed after the action")
    assert _memory_outbox == []
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REGISTERED

    with transaction.atomic():
        actions.dispatch(appeal, org.clerk, unit=org.chengguan)
        assert _memory_outbox == []
    assert sorted(m["to"] for m in _memory_outbox) == ["bob@example.gov.cn", "hank@example.gov.cn"]
