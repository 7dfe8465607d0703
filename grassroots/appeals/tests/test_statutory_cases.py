"""Statutory deadlines worked out by hand from 信访工作条例 (2022) and the State Council's holiday
schedules for 2026 (国办发明电〔2025〕7号: 元旦 1–3 Jan, 4 Jan worked; 春节 15–23 Feb, 14 and 28 Feb
worked; 清明 4–6 Apr; 劳动节 1–5 May, 9 May worked; 端午 19–21 Jun; 中秋 25–27 Sep, 20 Sep worked;
国庆 1–7 Oct, 10 Oct worked), and for 2027 only the holidays fixed by law.

Counting (民法典 §201, §203, as the 条例's 日 are read): the day of the event is not counted; a
period of days whose last day is a day off ends on the next working day; a period of working
days counts working days only. Each case names the article and shows the arithmetic.
"""

from datetime import date

import pytest
import time_machine

from grassroots.appeals import actions, deadlines
from grassroots.appeals.models import Clock
from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule, load_calendar


def _due(rule_key, start, extension=0):
    rule = DeadlineRule.objects.get(key=rule_key)
    clock = Clock(
        rule=rule_key, days=rule.days, working=rule.working_days, start=start, extension_days=extension
    )
    due, provisional, _latest = deadlines.compute(clock, load_calendar(), pauses=[])
    return due, provisional


@pytest.fixture(autouse=True)
def _2027_not_entered(db):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()


CASES = [
    # (article, rule, start, extension, due, provisional, the working)
    ("§22", "dispatch", "2026-01-30", 0, "2026-02-14", False, "+15 = Sat 14 Feb, a make-up working day"),
    ("§22", "dispatch", "2026-02-01", 0, "2026-02-24", False, "+15 = 16 Feb, in 春节 15–23 Feb"),
    ("§22", "dispatch", "2026-09-16", 0, "2026-10-08", False, "+15 = 1 Oct, in 国庆 1–7 Oct"),
    ("§22", "dispatch", "2026-12-20", 0, "2027-01-04", True, "+15 = Mon 4 Jan 2027, year not entered"),
    ("§23", "inform", "2026-04-17", 0, "2026-05-06", False, "+15 = Sat 2 May, in 劳动节 1–5 May"),
    ("§23", "inform", "2026-06-05", 0, "2026-06-22", False, "+15 = Sat 20 Jun, in 端午 19–21 Jun"),
    ("§23", "objection", "2026-09-24", 0, "2026-10-09", False, "5 working days: 28, 29, 30 Sep, 8, 9 Oct"),
    ("§23", "objection", "2026-02-13", 0, "2026-02-27", False, "14 Feb (worked), 24, 25, 26, 27 Feb"),
    ("§23", "objection", "2026-10-09", 0, "2026-10-15", False, "Sat 10 Oct worked, 12, 13, 14, 15 Oct"),
    ("§23", "objection", "2026-12-29", 0, "2027-01-06", True, "30, 31 Dec, (1 Jan by law) 4, 5, 6 Jan"),
    ("§34", "conclude", "2026-03-02", 0, "2026-05-06", False, "+60 = 1 May, in 劳动节 1–5 May"),
    ("§34", "conclude", "2026-08-04", 0, "2026-10-08", False, "+60 = 3 Oct, in 国庆"),
    ("§34", "conclude", "2026-12-01", 0, "2027-02-01", True, "+60 = Sat 30 Jan 2027"),
    ("§34", "conclude", "2026-12-08", 0, "2027-02-09", True, "+60 = Sat 6 Feb 2027, 春节 5–8 Feb by law"),
    ("§34", "conclude", "2026-03-02", 30, "2026-06-05", False, "expired 6 May, +30 = Fri 5 Jun"),
    ("§34", "conclude", "2026-08-04", 20, "2026-10-28", False, "expired 8 Oct, +20 = Wed 28 Oct"),
    (
        "§34",
        "conclude",
        "2026-03-20",
        10,
        "2026-05-29",
        False,
        "expired Tue 19 May, +10 = Fri 29 May",
    ),
    ("§35", "review_request", "2026-03-02", 0, "2026-04-01", False, "+30 = Wed 1 Apr"),
    ("§35", "review_request", "2026-03-05", 0, "2026-04-07", False, "+30 = Sat 4 Apr, in 清明 4–6 Apr"),
    ("§35", "review_request", "2026-09-05", 0, "2026-10-08", False, "+30 = 5 Oct, in 国庆"),
    ("§35", "review_request", "2026-01-22", 0, "2026-02-24", False, "+30 = 21 Feb, in 春节"),
    ("§35", "review_request", "2026-12-02", 0, "2027-01-04", True, "+30 = 1 Jan 2027, 元旦 by law"),
    ("§35", "review_decide", "2026-04-01", 0, "2026-05-06", False, "+30 = 1 May, in 劳动节"),
    ("§36", "recheck_request", "2026-03-20", 0, "2026-04-20", False, "+30 = Sun 19 Apr"),
    ("§36", "recheck_decide", "2026-09-01", 0, "2026-10-08", False, "+30 = 1 Oct, in 国庆"),
    ("§36", "recheck_decide", "2026-11-30", 0, "2026-12-30", False, "+30 = Wed 30 Dec"),
    ("§36", "recheck_decide", "2026-12-03", 0, "2027-01-04", True, "+30 = Sat 2 Jan 2027"),
]


@pytest.mark.parametrize(
    ("article", "rule", "start", "extension", "due", "provisional", "working"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}+{c[3]}" for c in CASES],
)
def test_the_deadline_is_what_the_law_and_the_schedule_give(
    article, rule, start, extension, due, provisional, working
):
    computed = _due(rule, date.fromisoformat(start), extension)
    assert computed == (date.fromisoformat(due), provisional), working


def test_section_22_counts_from_the_day_of_registration_in_beijing(org, make_appeal):
    # 00:30 on Mon 2 Mar in Beijing is still Sun 1 Mar in UTC: the 15 days count from 2 Mar
    with time_machine.travel("2026-03-02 00:30 +0800", tick=False):
        appeal = make_appeal()
    assert appeal.due_date == date(2026, 3, 17)


def test_section_23_an_objection_on_the_last_working_day_is_heard_and_one_later_is_not(org, make_appeal):
    with time_machine.travel("2026-09-24 10:00 +0800", tick=False):
        first = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        second = actions.dispatch(make_appeal(title="另一件"), org.clerk, unit=org.chengguan)
    with time_machine.travel("2026-10-09 17:00 +0800", tick=False):
        assert actions.object_to_dispatch(first, org.handler, reason="不属本镇").status == "objected"
    with time_machine.travel("2026-10-10 09:00 +0800", tick=False):  # a make-up Saturday, but past the 5 days
        with pytest.raises(actions.ActionError, match="2026年10月09日 届满"):
            actions.object_to_dispatch(second, org.handler, reason="不属本镇")
