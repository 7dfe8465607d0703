"""Two clicks at the same moment: one appeal from a concern, one activity from a reception day.

These tests commit for real (transaction=True) and run both actions in threads with their own
database connections, so the database's locking decides the race, on PostgreSQL and SQLite.
"""

from datetime import date, time

import pytest

from grassroots.activities import actions
from grassroots.activities.models import Activity, ActivityConcern, EventKind
from grassroots.activities.tests.helpers import make_activity
from grassroots.appeals.models import Appeal
from grassroots.reception.models import ReceptionDay
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_click_on_转为诉求_registers_one_appeal(org, travel):
    concern = actions.add_concern(
        make_activity(org), org.head, content="村口路灯坏了", resident_name="王小明"
    )

    def click():
        loaded = ActivityConcern.objects.get(pk=concern.pk)
        return actions.convert_to_appeal(
            loaded, org.supervisor, registered_unit=org.east, title="路灯损坏", petitioner_name="王小明"
        )

    results = race(click, click)
    winners = [r for r in results if isinstance(r, Appeal)]
    losers = [r for r in results if isinstance(r, actions.AlreadyDone)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "未重复登记" in str(losers[0])
    assert Appeal.objects.count() == 1
    assert ActivityConcern.objects.get(pk=concern.pk).appeal == winners[0]
    assert concern.activity.events.filter(kind=EventKind.TO_APPEAL).count() == 1


def test_a_double_click_on_记录为下基层活动_records_one_activity(org, travel):
    day = ReceptionDay.objects.create(
        leader=org.leader,
        unit=org.east,
        date=date(2026, 2, 27),
        start_time=time(9),
        end_time=time(11),
        address="城关镇便民服务中心",
        published=True,
    )

    def click():
        return actions.record_reception_day(ReceptionDay.objects.get(pk=day.pk), org.leader)

    results = race(click, click)
    winners = [r for r in results if isinstance(r, Activity)]
    losers = [r for r in results if isinstance(r, actions.AlreadyDone)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].result == winners[0]
    assert Activity.objects.get().reception_day == day
