"""Running clocks follow the administrators' calendar: a new year's holidays firm up deadlines."""

from datetime import date

import pytest
import time_machine

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, EventKind
from grassroots.workcal.models import CalendarDay, CalendarYear, forget_cached_calendar


@pytest.fixture
def into_2027(org, make_appeal):
    # accepted Tue 1 Dec 2026: 60 days end on Sat 30 Jan 2027, a year not yet entered
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        return actions.inform(appeal, org.handler, note="已受理")


@pytest.fixture(autouse=True)
def _december():
    # the 2027 schedule is published in December; the appeals below were accepted before that
    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        yield


def _enter_2027(*days):
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    for d, is_workday in days:
        CalendarDay.objects.create(date=d, is_workday=is_workday, name="春节调休" if is_workday else "春节")
    forget_cached_calendar()


def test_it_marks_a_deadline_in_an_unknown_year_provisional(into_2027):
    assert (into_2027.due_date, into_2027.due_provisional) == (date(2027, 2, 1), True)  # Monday after
    assert list(Appeal.objects.provisional()) == [into_2027]


def test_it_firms_up_a_provisional_deadline_when_the_year_is_entered(into_2027):
    _enter_2027()

    assert actions.recompute_open_deadlines() == 1
    fresh = Appeal.objects.get(pk=into_2027.pk)
    assert (fresh.due_date, fresh.due_provisional) == (date(2027, 2, 1), False)
    event = fresh.events.last()
    assert (event.kind, event.public) == (EventKind.DEADLINE_RECOMPUTED, False)
    assert not Appeal.objects.provisional().exists()
    assert actions.recompute_open_deadlines() == 0  # nothing left to change


def test_it_moves_a_deadline_onto_the_new_years_working_days(into_2027):
    _enter_2027((date(2027, 2, 1), False), (date(2027, 2, 2), False), (date(2027, 1, 30), True))
    actions.recompute_open_deadlines()
    fresh = Appeal.objects.get(pk=into_2027.pk)
    assert (fresh.due_date, fresh.due_provisional) == (date(2027, 1, 30), False)  # a Saturday worked

    CalendarDay.objects.filter(date=date(2027, 1, 30)).delete()
    forget_cached_calendar()
    actions.recompute_open_deadlines()
    fresh = Appeal.objects.get(pk=into_2027.pk)
    assert fresh.due_date == date(2027, 2, 3)  # past the weekend and the two days off
    assert "2027-01-30" in fresh.events.last().note and "2027-02-03" in fresh.events.last().note


def test_it_keeps_an_extension_when_recomputing(org, into_2027):
    appeal = actions.request_extension(into_2027, org.handler, days=10, reason="等待鉴定")
    appeal = actions.decide_extension(appeal, org.head, approve=True)
    # the 60 days end on Mon 1 Feb 2027; 10 more end on Thu 11 Feb, 除夕 by law is 5 Feb only
    assert (appeal.due_date, appeal.due_provisional) == (date(2027, 2, 11), True)
    _enter_2027((date(2027, 2, 11), False), (date(2027, 2, 12), False))
    actions.recompute_open_deadlines()
    assert Appeal.objects.get(pk=appeal.pk).due_date == date(2027, 2, 15)


def test_it_leaves_closed_appeals_alone(org, make_appeal):
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        appeal = actions.not_accept(make_appeal(), org.clerk, reason="不属于信访事项", route="final")
    _enter_2027()
    assert actions.recompute_open_deadlines() == 0
    assert Appeal.objects.get(pk=appeal.pk).events.count() == 2
