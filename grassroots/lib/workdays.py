"""Statutory deadlines on the Chinese working calendar.

This is the single place where the platform turns "N days after X" into a date.
It is pure Python (no Django) and has no built-in holiday data: callers build a
:class:`WorkCalendar` from the official State Council schedule (or use
:func:`weekends_only` when no schedule is available).

Calendar model
    * ``holidays``: official days off (statutory holidays and the rest days
      joined to them), whatever the weekday.
    * ``makeup_workdays``: 调休 make-up working days (weekend days worked).
    * ``known_until``: the last day the official schedule covers. A day after
      it is *unknown*: the holidays fixed by law (`holidays_by_law`) and the
      weekends are off, every other day is working, and any result that relies
      on an unknown day is marked ``provisional``: the yearly notice's bridging
      days and make-up days are never guessed. Holiday/make-up entries after
      ``known_until`` are ignored.
    * ``generous``: the calendar a petitioner may rely on before the notice is
      out. Unknown days that a notice could still make days off
      (`holidays_by_law.possible_days_off`) count as off, and no weekend as
      worked, so a period computed on it ends on the latest day it could end.

Counting rules (期间, cf. 民事诉讼法 §85, 信访工作条例)
    * The start day itself is never counted.
    * Calendar-day counting (``working=False``): count ``days`` days after the
      start; if the last day is not a working day (weekend or holiday), the
      deadline moves to the next working day (期间届满的最后一日是节假日的，以节假日后
      的第一日为期间届满的日期).
    * Working-day counting (``working=True``): the deadline is the ``days``-th
      working day after the start.
    * ``paused``: inclusive ``(first, last)`` intervals during which the clock
      stops (e.g. 听证时间不计算在内). A paused day is never counted, for either
      kind of counting, and a deadline never falls on a paused day (a deadline
      moved forward past a holiday also skips paused days). Intervals may
      overlap or lie partly before the start; ``first > last`` is an error.
    * ``days == 0``: the deadline is the start day itself, unchanged (not moved
      to a working day, pauses ignored); provisional only if the start day is
      unknown.
    * ``days < 0`` raises :class:`ValueError`.

Provisional flag
    ``Deadline.provisional`` is True iff some day from the start to the due
    date inclusive lies after ``known_until`` (equivalently ``due >
    known_until``). :func:`working_days_between` uses the same rule on the
    span between its two dates.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .holidays_by_law import possible_days_off, statutory_holidays

__all__ = [
    "WorkCalendar",
    "Deadline",
    "due_date",
    "working_days_between",
    "weekends_only",
]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Official working calendar, valid up to and including ``known_until``."""

    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    known_until: date
    generous: bool = False

    def is_known(self, d: date) -> bool:
        """True if ``d`` is covered by the official schedule."""
        return d <= self.known_until

    def is_working_day(self, d: date) -> bool:
        """Working day per the schedule; unknown days: Mon-Fri except the holidays the law fixes."""
        if not self.is_known(d):
            off = possible_days_off(d.year) if self.generous else statutory_holidays(d.year)
            return d.weekday() < 5 and d not in off
        if d in self.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def latest_possible(self) -> WorkCalendar:
        """This calendar as a petitioner may rely on it: see ``generous`` above."""
        return replace(self, generous=True)


@dataclass(frozen=True)
class Deadline:
    """A computed deadline; ``provisional`` if it relied on unknown days."""

    due: date
    provisional: bool


def weekends_only(known_until: date) -> WorkCalendar:
    """A calendar with no schedule entered: after `known_until` the law's holidays still count."""
    return WorkCalendar(frozenset(), frozenset(), known_until)


class _Pauses:
    """Merged, sorted inclusive pause intervals with O(log n) lookup."""

    def __init__(self, paused: Sequence[tuple[date, date]]) -> None:
        merged: list[tuple[date, date]] = []
        for first, last in sorted(paused):
            if first > last:
                raise ValueError(f"pause interval starts after it ends: {first} > {last}")
            if merged and first <= merged[-1][1] + _ONE_DAY:
                if last > merged[-1][1]:
                    merged[-1] = (merged[-1][0], last)
            else:
                merged.append((first, last))
        self._firsts = [first for first, _ in merged]
        self._intervals = merged

    def end_of_pause(self, d: date) -> date | None:
        """Last paused day of the interval containing ``d``, or None."""
        i = bisect_right(self._firsts, d) - 1
        if i >= 0 and self._intervals[i][1] >= d:
            return self._intervals[i][1]
        return None

    def next_unpaused(self, d: date) -> date:
        """``d`` itself if not paused, else the day after its pause."""
        end = self.end_of_pause(d)
        return d if end is None else end + _ONE_DAY


def due_date(
    start: date,
    days: int,
    *,
    working: bool,
    calendar: WorkCalendar,
    paused: Sequence[tuple[date, date]] = (),
) -> Deadline:
    """Deadline ``days`` calendar/working days after ``start`` (start not counted)."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    pauses = _Pauses(paused)
    if days == 0:
        return Deadline(start, not calendar.is_known(start))

    d = start
    counted = 0
    while counted < days:
        d = pauses.next_unpaused(d + _ONE_DAY)
        if not working or calendar.is_working_day(d):
            counted += 1
    if not working:
        while not calendar.is_working_day(d):
            d = pauses.next_unpaused(d + _ONE_DAY)
    return Deadline(d, not calendar.is_known(d))


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> tuple[int, bool]:
    """Working days in ``(start, end]`` and the provisional flag.

    Negative (minus the count of ``(end, start]``) if ``end < start``.
    Provisional iff the later of the two dates is after ``known_until``.
    """
    lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
    count = 0
    d = lo + _ONE_DAY
    while d <= hi:
        if calendar.is_working_day(d):
            count += 1
        d += _ONE_DAY
    return sign * count, not calendar.is_known(hi)
