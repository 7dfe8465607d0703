"""A deadline given as N working days after an on-site session follows the calendar: entering a
year's holidays moves it (and the public commitments resting on it), a fixed date never moves."""

from datetime import date

import pytest
import time_machine

from grassroots.administration import actions as admin_actions
from grassroots.commitments import actions as commitment_actions
from grassroots.commitments.models import UpdateKind
from grassroots.onsite.models import Task
from grassroots.onsite.models import UpdateKind as TaskUpdateKind
from grassroots.onsite.tests.helpers import decide, make_session
from grassroots.workcal.models import CalendarDay, CalendarYear

NEW_YEAR = [(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 4), False, "元旦调休")]


@pytest.fixture(autouse=True)
def _december(db):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        yield


def _task(org, **kw):
    session = make_session(org, day=date(2026, 12, 28))
    return decide(session, [org.chengguan], deadline=None, **kw).tasks.get()


def _enter_2027(org, *days):
    return admin_actions.replace_year(
        org.admin, 2027, days=list(days), replace=True, mark_entered=True, source="国务院办公厅通知"
    )


def test_entering_the_holidays_moves_a_working_day_deadline(org):
    task = _task(org, working_days=10)  # 29–31 Dec, then 4–8 and 11–12 Jan (1 Jan by law)
    assert (task.deadline, task.deadline_provisional, task.deadline_working_days) == (
        date(2027, 1, 12),
        True,
        10,
    )
    _removed, recomputed = _enter_2027(
        org, (date(2027, 1, 1), False, "元旦"), (date(2027, 1, 4), False, "元旦调休")
    )
    task.refresh_from_db()
    assert (task.deadline, task.deadline_provisional) == (date(2027, 1, 13), False)
    assert "1 项现场办公任务的办理时限" in recomputed
    update = task.updates.last()
    assert (
        update.kind == TaskUpdateKind.DEADLINE
        and "2027年01月12日" in update.note
        and "2027年01月13日" in update.note
    )


def test_a_fixed_date_never_moves(org):
    session = make_session(org, day=date(2026, 12, 28))
    task = decide(session, [org.chengguan], deadline=date(2027, 1, 12)).tasks.get()
    _enter_2027(org, (date(2027, 1, 12), False, "假日"))
    task.refresh_from_db()
    assert (task.deadline, task.deadline_working_days) == (date(2027, 1, 12), None)


def test_a_published_commitment_on_the_task_follows_and_its_followers_hear(
    org, _memory_outbox, django_capture_on_commit_callbacks
):
    task = _task(org, working_days=10)
    commitment = commitment_actions.create(
        actor=org.leader,
        task=task,
        content="两周内修复村道",
        due_date=task.deadline,
        responsible_unit=org.chengguan,
        responsible_person="县长李",
        place=org.chengdong,
    )
    commitment_actions.publish(commitment, org.leader)
    commitment_actions.follow(commitment.pk, phone="13900000001")
    _memory_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _enter_2027(org, *NEW_YEAR)
    commitment.refresh_from_db()
    assert commitment.due_date == date(2027, 1, 13)
    entry = commitment.updates.last()
    assert entry.kind == UpdateKind.DUE_MOVED and "2027年01月13日" in entry.note
    assert any("2027年01月13日" in m["body"] and m["to"] == "13900000001" for m in _memory_outbox)


def test_a_commitment_given_its_own_date_keeps_it(org):
    task = _task(org, working_days=10)
    commitment = commitment_actions.create(
        actor=org.leader,
        task=task,
        content="月底前修复村道",
        due_date=date(2027, 1, 29),
        responsible_unit=org.chengguan,
        responsible_person="县长李",
        place=org.chengdong,
    )
    _enter_2027(org, *NEW_YEAR)
    commitment.refresh_from_db()
    assert commitment.due_date == date(2027, 1, 29)
    assert Task.objects.get().deadline == date(2027, 1, 13)
