"""Two people act on one task at the same moment: exactly one wins, the other is told.

These tests commit for real and race in threads with their own database connections, so the
database's own locking decides, on PostgreSQL and on SQLite alike.
"""

from datetime import date

import pytest
import time_machine

from grassroots.onsite import actions
from grassroots.onsite.models import Decision, Task, TaskStatus
from grassroots.onsite.tests.helpers import decide, make_session, png
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def task(org):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        session = make_session(org)
        task = decide(session, [org.chengguan], deadline=date(2026, 3, 20)).tasks.get()
        return actions.update_progress(
            task, org.handler, progress=50, note="已开工", evidence=[(png(), "image/png")]
        )


def test_submit_and_a_progress_report_on_the_same_version_one_wins(org, task):
    version = task.version
    bobs, hanks = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    results = race(
        lambda: actions.submit(bobs, org.handler, note="已办结", version=version),
        lambda: actions.update_progress(hanks, org.head, progress=80, note="镇里督促", version=version),
    )
    winners = [r for r in results if isinstance(r, Task)]
    conflicts = [r for r in results if isinstance(r, actions.Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    assert "这项任务已被他人更新" in str(conflicts[0])
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.version == version + 1
    assert fresh.updates.count() == 3  # assign, the first progress report, and the winner's
    assert fresh.status in {TaskStatus.SUBMITTED, TaskStatus.IN_PROGRESS}


def test_the_same_decision_submitted_twice_at_once_is_recorded_once(org):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        session = make_session(org)
    sessions = [type(session).objects.get(pk=session.pk) for _ in range(2)]

    def click(s):
        return lambda: decide(s, [org.chengguan], submission_token="same-click")

    with time_machine.travel("2026-03-02 10:05 +0800", tick=False):
        results = race(*(click(s) for s in sessions))
    assert all(isinstance(r, Decision) for r in results), results
    assert Decision.objects.count() == 1 and Task.objects.count() == 1
