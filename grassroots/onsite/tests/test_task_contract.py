"""What the accountability pages rely on: statuses, finished_on_time(), open() and overdue()."""

from datetime import date

import pytest

from grassroots.onsite import actions
from grassroots.onsite.models import Task, TaskStatus
from grassroots.onsite.tests.helpers import decide, make_session, png

EVIDENCE = [(png(), "image/png")]


@pytest.fixture
def task(org, travel):
    """A task for 城关镇 due Friday 2026-03-06, dispatched on Monday 2026-03-02."""
    return decide(make_session(org), [org.chengguan], deadline=date(2026, 3, 6)).tasks.get()


def test_the_statuses_keep_their_names():
    assert dict(TaskStatus.choices) == {
        "assigned": "已交办",
        "in_progress": "办理中",
        "submitted": "已办结待验收",
        "accepted": "已验收",
    }


def test_finished_on_time_counts_the_local_day_the_unit_reported_completion(org, task, travel):
    assert task.finished_on_time() is None
    travel.move_to("2026-03-06 23:30 +0800")  # still the deadline day in Beijing (15:30 UTC)
    task = actions.submit(task, org.handler, note="已办结", evidence=[(png(), "image/png")])
    assert task.finished_on_time() is None  # not accepted yet
    travel.move_to("2026-03-10 09:00 +0800")
    task = actions.accept(task, org.leader)
    assert task.finished_on_time() is True


def test_a_task_returned_and_submitted_after_the_deadline_was_late(org, task, travel):
    task = actions.submit(task, org.handler, note="已办结", evidence=[(png(), "image/png")])
    task = actions.return_task(task, org.leader, reason="未整改到位")
    travel.move_to("2026-03-07 00:10 +0800")
    task = actions.submit(task, org.handler, note="已整改")
    task = actions.accept(task, org.leader)
    assert task.finished_on_time() is False


def test_open_and_overdue(org, task, travel):
    other = decide(make_session(org, title="另一次"), [org.hekou], deadline=date(2026, 3, 20)).tasks.get()
    done = decide(make_session(org, title="第三次"), [org.hekou], deadline=date(2026, 3, 4)).tasks.get()
    done = actions.accept(
        actions.submit(done, org.hekou_handler, note="已办结", evidence=EVIDENCE), org.leader
    )
    assert set(Task.objects.open()) == {task, other}
    assert not Task.objects.overdue(date(2026, 3, 6)).exists()  # due that day: not late yet
    assert list(Task.objects.overdue(date(2026, 3, 7))) == [task]
    task = actions.update_progress(task, org.handler, progress=60, note="进行中")
    assert list(Task.objects.overdue(date(2026, 3, 7))) == [task]
    actions.submit(task, org.handler, note="已办结", evidence=EVIDENCE)  # with the owner now, not the unit
    assert not Task.objects.overdue(date(2026, 3, 7)).exists()
    assert set(Task.objects.overdue(date(2026, 3, 21))) == {other}
