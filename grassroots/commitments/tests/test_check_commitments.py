"""The daily check: published commitments past their due date are found missed once, and their
residents are texted once, however often it runs."""

from collections import Counter
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from grassroots.commitments import actions
from grassroots.commitments.models import Commitment, UpdateKind
from grassroots.commitments.tests.helpers import make_commitment
from grassroots.ledger.tests.helpers import make_problem
from grassroots.notify.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def check(capture):
    out = StringIO()
    with capture(execute=True):
        call_command("check_commitments", stdout=out)
    return out.getvalue()


@pytest.fixture
def due_friday(org, make_appeal, travel):
    """Published on Monday 2026-03-02, due Friday 03-06, followed by one resident, linked to one appeal."""
    problem = make_problem(org, appeal=make_appeal(phone="13812345678"))
    commitment = make_commitment(org, problem=problem, publish=True, due_date=date(2026, 3, 6))
    actions.follow(commitment.pk, phone="13900001111")
    return commitment


def test_it_marks_a_missed_commitment_once_and_texts_each_resident_once(
    client, org, due_friday, travel, django_capture_on_commit_callbacks, _memory_outbox
):
    travel.move_to("2026-03-06 23:59 +0800")  # the last day still counts
    assert "0 项" in check(django_capture_on_commit_callbacks)
    assert due_friday.updates.count() == 1

    travel.move_to("2026-03-07 08:30 +0800")
    assert "1 项" in check(django_capture_on_commit_callbacks)
    due_friday.refresh_from_db()
    assert due_friday.missed_at == datetime(2026, 3, 7, 8, 30, tzinfo=SHANGHAI)
    assert due_friday.status == "missed"
    missed = due_friday.updates.get(kind=UpdateKind.MISSED)
    assert missed.note == "已超过承诺时限（2026年03月06日），承诺尚未兑现。"
    assert Counter(m["to"] for m in _memory_outbox) == {"13900001111": 1, "13812345678": 1}
    assert set(
        Notification.objects.filter(template="commitment_missed").values_list("recipient", flat=True)
    ) == {
        "139****1111",
        "138****5678",
    }

    travel.move_to("2026-03-08 08:30 +0800")  # the next day, and a second run the same day
    assert "0 项" in check(django_capture_on_commit_callbacks)
    assert "0 项" in check(django_capture_on_commit_callbacks)
    due_friday.refresh_from_db()
    assert due_friday.missed_at == datetime(2026, 3, 7, 8, 30, tzinfo=SHANGHAI)
    assert due_friday.updates.filter(kind=UpdateKind.MISSED).count() == 1
    assert len(_memory_outbox) == 2

    page = client.get(reverse("commitments_public:detail", args=[due_friday.pk])).content.decode()
    assert "逾期未兑现" in page


def test_it_leaves_fulfilled_and_unpublished_commitments_alone(
    org, travel, django_capture_on_commit_callbacks
):
    kept = make_commitment(org, publish=True, due_date=date(2026, 3, 6))
    actions.post_update(kept, org.head, note="已办好", progress=100)
    draft = make_commitment(org, due_date=date(2026, 3, 6))
    travel.move_to("2026-03-09 08:30 +0800")
    assert "0 项" in check(django_capture_on_commit_callbacks)
    assert not Commitment.objects.filter(missed_at__isnull=False).exists()
    assert draft.updates.count() == 0


def test_a_missed_commitment_fulfilled_late_shows_as_fulfilled_late(
    client, org, due_friday, travel, django_capture_on_commit_callbacks
):
    travel.move_to("2026-03-09 08:30 +0800")
    check(django_capture_on_commit_callbacks)
    due_friday.refresh_from_db()
    actions.post_update(due_friday, org.head, note="整改已通过验收")  # a sourced one follows its source
    assert Commitment.objects.get().status == "missed"

    from grassroots.ledger import actions as ledger_actions
    from grassroots.ledger.tests.helpers import png

    problem = ledger_actions.mark_done(
        due_friday.problem, org.handler, note="完成", evidence=[(png(), "image/png")]
    )
    ledger_actions.accept(problem, org.leader)
    commitment = Commitment.objects.get()
    assert commitment.status == "fulfilled"
    assert commitment.fulfilled_late
    assert commitment.missed_at is not None  # the record of the miss stays
    assert (
        "超期兑现" in client.get(reverse("commitments_public:detail", args=[commitment.pk])).content.decode()
    )
