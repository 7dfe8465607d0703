"""Tests for grassroots.lib.workdays (pure Python, no Django)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.lib.holidays_by_law import statutory_holidays
from grassroots.lib.workdays import (
    Deadline,
    WorkCalendar,
    due_date,
    weekends_only,
    working_days_between,
)


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# Official 2026 schedule, only the parts these tests need (hard-coded on purpose).
HOLIDAYS_2026 = frozenset(
    _span(date(2026, 2, 15), date(2026, 2, 23))  # Spring Festival
    | _span(date(2026, 10, 1), date(2026, 10, 7))  # National Day
)
MAKEUP_2026 = frozenset(
    {
        date(2026, 2, 14),  # Sat
        date(2026, 2, 28),  # Sat
        date(2026, 9, 20),  # Sun
        date(2026, 10, 10),  # Sat
    }
)
CAL_2026 = WorkCalendar(HOLIDAYS_2026, MAKEUP_2026, date(2026, 12, 31))


# ---------------------------------------------------------------- concrete cases


def test_calendar_basics() -> None:
    assert CAL_2026.is_known(date(2026, 12, 31))
    assert not CAL_2026.is_known(date(2027, 1, 1))
    assert CAL_2026.is_working_day(date(2026, 10, 10))  # make-up Saturday
    assert CAL_2026.is_working_day(date(2026, 9, 20))  # make-up Sunday
    assert not CAL_2026.is_working_day(date(2026, 10, 1))  # holiday, Thursday
    assert not CAL_2026.is_working_day(date(2026, 2, 16))  # holiday, Monday
    assert not CAL_2026.is_working_day(date(2026, 10, 17))  # plain Saturday
    assert CAL_2026.is_working_day(date(2027, 1, 4))  # unknown Monday
    assert not CAL_2026.is_working_day(date(2027, 1, 2))  # unknown Saturday
    assert not CAL_2026.is_working_day(date(2027, 1, 1))  # unknown, but New Year's Day by law


# ---------------------------------------------------------------- before the yearly notice is out


def test_the_law_fixes_2027s_holidays_before_the_notice() -> None:
    # 《全国年节及纪念日放假办法》 (2024 amendment); 2027: Spring Festival 6 Feb (除夕 5 Feb),
    # 清明 5 Apr, 端午 9 Jun, 中秋 15 Sep.
    assert statutory_holidays(2027) == {
        date(2027, 1, 1),
        *_span(date(2027, 2, 5), date(2027, 2, 8)),
        date(2027, 4, 5),
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 6, 9),
        date(2027, 9, 15),
        *_span(date(2027, 10, 1), date(2027, 10, 3)),
    }


def test_before_2025_spring_festival_and_labour_day_were_shorter() -> None:
    days = statutory_holidays(2024)
    assert date(2024, 2, 9) not in days  # 除夕 became a holiday in 2025
    assert _span(date(2024, 2, 10), date(2024, 2, 12)) <= days
    assert date(2024, 5, 1) in days and date(2024, 5, 2) not in days


def test_the_law_agrees_with_every_published_schedule() -> None:
    import chinese_calendar

    for year in range(2015, 2027):
        for day in statutory_holidays(year):
            assert chinese_calendar.is_holiday(day), day


def test_a_window_ending_on_new_years_day_2027_runs_to_the_next_working_day() -> None:
    # 30 days from 2 Dec 2026 end on Fri 1 Jan 2027: New Year's Day, then a weekend.
    assert due_date(date(2026, 12, 2), 30, working=False, calendar=CAL_2026) == Deadline(
        date(2027, 1, 4), True
    )


def test_the_latest_possible_end_allows_for_bridging_days_the_notice_may_add() -> None:
    # 30 days from 5 Sep 2027 end on Tue 5 Oct: not a statutory holiday, but the National Day
    # break has always run to the 7th or 8th. A petitioner may rely on the latest end.
    cal = CAL_2026
    assert due_date(date(2027, 9, 5), 30, working=False, calendar=cal).due == date(2027, 10, 5)
    latest = due_date(date(2027, 9, 5), 30, working=False, calendar=cal.latest_possible())
    assert latest.due == date(2027, 10, 11)  # Monday after every day a notice could make off
    assert cal.latest_possible().is_working_day(date(2027, 10, 20))


def test_the_latest_possible_calendar_changes_nothing_in_a_known_year() -> None:
    generous = CAL_2026.latest_possible()
    for day in _span(date(2026, 1, 1), date(2026, 12, 31)):
        assert generous.is_working_day(day) == CAL_2026.is_working_day(day)


def test_unknown_days_ignore_schedule_entries() -> None:
    cal = WorkCalendar(frozenset({date(2027, 1, 4)}), frozenset({date(2027, 1, 2)}), date(2026, 12, 31))
    assert cal.is_working_day(date(2027, 1, 4))
    assert not cal.is_working_day(date(2027, 1, 2))


def test_calendar_days_landing_on_national_day_moves_to_next_working_day() -> None:
    # 2026-09-16 + 15 = 2026-10-01 (holiday) -> first working day after: 10-08.
    assert due_date(date(2026, 9, 16), 15, working=False, calendar=CAL_2026) == Deadline(
        date(2026, 10, 8), False
    )


def test_calendar_days_landing_on_weekend_moves_to_monday() -> None:
    # 2026-03-02 (Mon) + 5 = 03-07 (Sat) -> 03-09 (Mon).
    assert due_date(date(2026, 3, 2), 5, working=False, calendar=CAL_2026).due == date(2026, 3, 9)


def test_calendar_days_landing_on_makeup_saturday_stays() -> None:
    # 2026-10-05 + 5 = 10-10, a make-up working Saturday.
    assert due_date(date(2026, 10, 5), 5, working=False, calendar=CAL_2026).due == date(2026, 10, 10)


def test_working_days_across_national_day() -> None:
    # Counts 09-30, 10-08, 10-09, 10-10 (make-up Sat), 10-12.
    assert due_date(date(2026, 9, 29), 5, working=True, calendar=CAL_2026) == Deadline(
        date(2026, 10, 12), False
    )
    assert working_days_between(date(2026, 9, 29), date(2026, 10, 12), CAL_2026) == (5, False)


def test_working_days_across_spring_festival() -> None:
    # From Fri 2026-02-13: 02-14 (make-up Sat), 02-24, 02-25, 02-26, 02-27, 02-28 (make-up Sat).
    assert due_date(date(2026, 2, 13), 1, working=True, calendar=CAL_2026).due == date(2026, 2, 14)
    assert due_date(date(2026, 2, 13), 2, working=True, calendar=CAL_2026).due == date(2026, 2, 24)
    assert due_date(date(2026, 2, 13), 6, working=True, calendar=CAL_2026).due == date(2026, 2, 28)


def test_makeup_sunday_counts_as_working() -> None:
    # From Sat 2026-09-19 the first working day is the make-up Sunday 09-20.
    assert due_date(date(2026, 9, 19), 1, working=True, calendar=CAL_2026).due == date(2026, 9, 20)
    # Without the schedule it would be Monday.
    assert due_date(
        date(2026, 9, 19), 1, working=True, calendar=weekends_only(date(2026, 12, 31))
    ).due == date(2026, 9, 21)


def test_pause_extends_working_day_count() -> None:
    start = date(2026, 3, 2)  # Monday
    assert due_date(start, 5, working=True, calendar=CAL_2026).due == date(2026, 3, 9)
    paused = [(date(2026, 3, 4), date(2026, 3, 5))]  # two working days paused
    assert due_date(start, 5, working=True, calendar=CAL_2026, paused=paused).due == date(2026, 3, 11)


def test_pause_extends_calendar_day_count() -> None:
    start = date(2026, 3, 2)
    assert due_date(start, 10, working=False, calendar=CAL_2026).due == date(2026, 3, 12)
    paused = [(date(2026, 3, 4), date(2026, 3, 4))]
    assert due_date(start, 10, working=False, calendar=CAL_2026, paused=paused).due == date(2026, 3, 13)


def test_overlapping_pauses_count_each_day_once() -> None:
    start = date(2026, 3, 2)
    paused = [
        (date(2026, 3, 4), date(2026, 3, 5)),
        (date(2026, 3, 5), date(2026, 3, 6)),
        (date(2026, 3, 4), date(2026, 3, 4)),
    ]
    # Paused 03-04..03-06: working days counted 03, 09, 10, 11, 12.
    assert due_date(start, 5, working=True, calendar=CAL_2026, paused=paused).due == date(2026, 3, 12)


def test_pause_before_start_is_ignored_and_deadline_never_on_paused_day() -> None:
    start = date(2026, 3, 2)
    assert due_date(
        start, 5, working=True, calendar=CAL_2026, paused=[(date(2026, 2, 1), date(2026, 3, 2))]
    ).due == date(2026, 3, 9)
    # 10 calendar days -> 03-12, which is paused -> clock resumes on 03-14 (Sat) -> 03-16.
    paused = [(date(2026, 3, 12), date(2026, 3, 13))]
    assert due_date(start, 10, working=False, calendar=CAL_2026, paused=paused).due == date(2026, 3, 16)


def test_invalid_pause_raises() -> None:
    with pytest.raises(ValueError):
        due_date(
            date(2026, 3, 2),
            5,
            working=True,
            calendar=CAL_2026,
            paused=[(date(2026, 3, 5), date(2026, 3, 4))],
        )


def test_beyond_known_until_is_provisional_weekends_only() -> None:
    # 2026-12-01 + 60 = 2027-01-30 (Sat) -> 2027-02-01 (Mon), provisional.
    assert due_date(date(2026, 12, 1), 60, working=False, calendar=CAL_2026) == Deadline(
        date(2027, 2, 1), True
    )


def test_fully_known_deadline_is_not_provisional() -> None:
    assert not due_date(date(2026, 11, 1), 30, working=False, calendar=CAL_2026).provisional
    assert not due_date(date(2026, 12, 1), 20, working=True, calendar=CAL_2026).provisional
    assert due_date(date(2026, 12, 30), 1, working=False, calendar=CAL_2026) == Deadline(
        date(2026, 12, 31), False
    )


def test_days_zero_returns_start() -> None:
    sat = date(2026, 10, 17)
    assert due_date(sat, 0, working=False, calendar=CAL_2026) == Deadline(sat, False)
    assert due_date(sat, 0, working=True, calendar=CAL_2026) == Deadline(sat, False)
    assert due_date(date(2027, 3, 1), 0, working=True, calendar=CAL_2026) == Deadline(date(2027, 3, 1), True)


def test_negative_days_raise() -> None:
    with pytest.raises(ValueError):
        due_date(date(2026, 1, 5), -1, working=True, calendar=CAL_2026)


def test_working_days_between_negative_and_zero() -> None:
    assert working_days_between(date(2026, 10, 12), date(2026, 9, 29), CAL_2026) == (-5, False)
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2), CAL_2026) == (0, False)
    # 2027-01-01 is New Year's Day by law, even before the 2027 schedule is entered
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 4), CAL_2026) == (1, True)


# ---------------------------------------------------------------- properties

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
day_counts = st.integers(min_value=0, max_value=120)


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    if draw(st.booleans()):
        return WorkCalendar(HOLIDAYS_2026, MAKEUP_2026, draw(dates))
    holidays = draw(st.frozensets(dates, max_size=60))
    makeups = draw(st.frozensets(dates.filter(lambda d: d.weekday() >= 5), max_size=20))
    return WorkCalendar(holidays, makeups, draw(dates))


@st.composite
def near_dates(draw: st.DrawFn) -> tuple[date, WorkCalendar]:
    """A start date and a calendar whose holidays cluster around it (so they matter)."""
    start = draw(dates)
    offsets = st.integers(min_value=-10, max_value=200)
    holidays = frozenset(start + timedelta(days=o) for o in draw(st.lists(offsets, max_size=40)))
    makeups = frozenset(
        d
        for d in (start + timedelta(days=o) for o in draw(st.lists(offsets, max_size=10)))
        if d.weekday() >= 5
    )
    known_until = start + timedelta(days=draw(st.integers(min_value=-30, max_value=250)))
    return start, WorkCalendar(holidays, makeups, known_until)


pauses = st.lists(
    st.tuples(dates, st.integers(min_value=0, max_value=30)).map(
        lambda t: (t[0], t[0] + timedelta(days=t[1]))
    ),
    max_size=4,
)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@settings(max_examples=300)
@given(near_dates(), st.integers(min_value=1, max_value=120))
def test_calendar_count_due_is_working_day(sc: tuple[date, WorkCalendar], n: int) -> None:
    start, cal = sc
    d = due_date(start, n, working=False, calendar=cal)
    assert cal.is_working_day(d.due)
    assert d.due >= start + timedelta(days=n)
    # Every day strictly between the raw end and the due date is a day off.
    assert all(not cal.is_working_day(x) for x in _days(start + timedelta(days=n), d.due - timedelta(days=1)))


@settings(max_examples=300)
@given(near_dates(), day_counts, st.booleans(), pauses)
def test_due_not_before_start(
    sc: tuple[date, WorkCalendar], n: int, working: bool, paused: list[tuple[date, date]]
) -> None:
    start, cal = sc
    assert due_date(start, n, working=working, calendar=cal, paused=paused).due >= start


@settings(max_examples=200)
@given(near_dates(), st.integers(min_value=0, max_value=119), st.booleans())
def test_monotone_in_days(sc: tuple[date, WorkCalendar], n: int, working: bool) -> None:
    start, cal = sc
    a = due_date(start, n, working=working, calendar=cal).due
    b = due_date(start, n + 1, working=working, calendar=cal).due
    assert a <= b
    if working:
        assert a < b


@settings(max_examples=300)
@given(near_dates(), day_counts)
def test_working_days_between_inverts_due_date(sc: tuple[date, WorkCalendar], n: int) -> None:
    start, cal = sc
    d = due_date(start, n, working=True, calendar=cal)
    assert working_days_between(start, d.due, cal) == (n, d.provisional)
    assert working_days_between(d.due, start, cal) == (-n, d.provisional)
    if n > 0:
        assert cal.is_working_day(d.due)


@settings(max_examples=300)
@given(
    near_dates(),
    day_counts,
    st.booleans(),
    pauses,
    st.integers(min_value=-5, max_value=150),
    st.integers(0, 20),
)
def test_adding_a_pause_never_moves_due_earlier(
    sc: tuple[date, WorkCalendar],
    n: int,
    working: bool,
    paused: list[tuple[date, date]],
    offset: int,
    length: int,
) -> None:
    start, cal = sc
    extra = (start + timedelta(days=offset), start + timedelta(days=offset + length))
    before = due_date(start, n, working=working, calendar=cal, paused=paused).due
    after = due_date(start, n, working=working, calendar=cal, paused=[*paused, extra]).due
    assert after >= before


@settings(max_examples=200)
@given(
    near_dates(),
    st.integers(min_value=1, max_value=120),
    st.booleans(),
    st.integers(-5, 150),
    st.integers(0, 20),
)
def test_due_never_on_paused_day(
    sc: tuple[date, WorkCalendar], n: int, working: bool, offset: int, length: int
) -> None:
    start, cal = sc
    first, last = start + timedelta(days=offset), start + timedelta(days=offset + length)
    due = due_date(start, n, working=working, calendar=cal, paused=[(first, last)]).due
    assert not (first <= due <= last)


@settings(max_examples=500)
@given(dates, day_counts, st.booleans(), calendars(), pauses)
def test_never_raises(
    start: date, n: int, working: bool, cal: WorkCalendar, paused: list[tuple[date, date]]
) -> None:
    d = due_date(start, n, working=working, calendar=cal, paused=paused)
    assert isinstance(d, Deadline)
    count, prov = working_days_between(start, d.due, cal)
    assert isinstance(count, int) and isinstance(prov, bool)


@settings(max_examples=300)
@given(near_dates(), day_counts, st.booleans(), pauses)
def test_provisional_iff_span_passes_known_until(
    sc: tuple[date, WorkCalendar], n: int, working: bool, paused: list[tuple[date, date]]
) -> None:
    start, cal = sc
    d = due_date(start, n, working=working, calendar=cal, paused=paused)
    assert d.provisional == any(not cal.is_known(x) for x in _days(start, d.due))


@settings(max_examples=200)
@given(near_dates(), day_counts, st.booleans())
def test_weekends_only_agrees_when_no_schedule(sc: tuple[date, WorkCalendar], n: int, working: bool) -> None:
    start, cal = sc
    # Past known_until every calendar behaves like weekends_only.
    unknown = WorkCalendar(cal.holidays, cal.makeup_workdays, start - timedelta(days=1))
    plain = weekends_only(start - timedelta(days=1))
    assert due_date(start, n, working=working, calendar=unknown) == due_date(
        start, n, working=working, calendar=plain
    )


@settings(max_examples=200)
@given(dates, st.integers(min_value=1, max_value=120), st.booleans())
def test_the_latest_possible_end_is_never_earlier(start: date, n: int, working: bool) -> None:
    cal = weekends_only(start - timedelta(days=1))
    plain = due_date(start, n, working=working, calendar=cal).due
    assert due_date(start, n, working=working, calendar=cal.latest_possible()).due >= plain
