"""A published reception day that a calendar edit turns into a holiday is told to its leader and
desk, once."""

from datetime import date, time

import time_machine

from grassroots.administration import actions as admin_actions
from grassroots.notify.models import Notification
from grassroots.reception.models import ReceptionDay
from grassroots.workcal.models import CalendarDay, CalendarYear


def _day(org, on, published=True):
    return ReceptionDay.objects.create(
        leader=org.leader,
        unit=org.east,
        date=on,
        start_time=time(9),
        end_time=time(11),
        address="县信访接待大厅",
        published=published,
    )


def test_a_published_day_on_a_newly_entered_holiday_is_told_to_the_leader_and_desk(
    org, _memory_outbox, django_capture_on_commit_callbacks
):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()
    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        _day(org, date(2027, 2, 9))
        _day(org, date(2027, 2, 10), published=False)  # a draft is nobody's appointment yet
        _day(org, date(2027, 3, 2))
        days = [(date(2027, 2, d), False, "春节") for d in range(5, 12)]
        with django_capture_on_commit_callbacks(execute=True):
            _removed, recomputed = admin_actions.replace_year(
                org.admin, 2027, days=days, replace=True, mark_entered=True
            )
            admin_actions.mark_year(org.admin, 2027, source="再次保存")  # told once, not again
    assert "1 个已发布的接访日落在节假日（已通知接访领导）" in recomputed
    told = Notification.objects.filter(template="reception_holiday")
    assert sorted(told.values_list("recipient", flat=True)) == ["lee@example.gov.cn", "susan@example.gov.cn"]
    assert all("2027年02月09日" in n.body and "春节" in n.body for n in told)
