"""Statutory clocks of an appeal: which limit runs, from when, until when, and the record of every
limit that ran (appeals.Clock) and every one that was missed (appeals.Overdue).

The arithmetic is `grassroots.lib.workdays`; the rules and holidays are data in `grassroots.workcal`.
Actions call `start`, `stop`, `extend` and `settle`; the calendar's receivers call `recompute_all`;
the hourly job calls `record_overdue`.

Legal readings (信访工作条例 2022), each a test in appeals/tests/test_law_*.py:
- A unit's limit (§22 转送交办, §23 受理告知, §34 办结, §35–36 复查/复核意见) that runs out before its
  step is taken is recorded as overdue from the day after the limit, with the day it ended; the
  record stays whatever happens next. The petitioner's windows (§35–36, 30 days to ask) and the
  unit's 5-working-day window to object (§23) are rights, not duties: passing them is never
  "overdue".
- An extension (§34) adds at most the rule's days once, and must be asked for before the limit
  runs out. By default the extra days run on from the original limit's expiry, as moved past a
  holiday (民法典 §203: a period whose last day is a holiday ends the day after; §201: the next
  period starts the day after the last one ends); the rule setting `extends_from_expiry` off adds
  them to the original count instead.
- A petitioner's window starts on the day the written answer is received (Delivery), not the day
  it was written. Past the entered holiday schedule its end is provisional, and a request up to
  the latest day the law could allow is taken (and listed when the schedule comes in).
"""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.lib.workdays import WorkCalendar, due_date
from grassroots.workcal.models import DeadlineRule, load_calendar

from .models import Appeal, Clock, DoubtfulRequest, Event, EventKind, Overdue, Pause

# The rule that runs in each state (信访工作条例 2022).
DISPATCH = "dispatch"  # §22 转送、交办 within 15 days of registration
INFORM = "inform"  # §23 tell the petitioner within 15 days of receiving a dispatched item
OBJECTION = "objection"  # §23 object to a dispatch within 5 working days
CONCLUDE = "conclude"  # §34 conclude within 60 days of acceptance
EXTENSION_MAX = "extension_max"  # §34 extend once, by at most 30 days
REVIEW_REQUEST = "review_request"  # §35 request 复查 within 30 days of receiving the written reply
REVIEW_DECIDE = "review_decide"  # §35 decide 复查 within 30 days
RECHECK_REQUEST = "recheck_request"  # §36 request 复核 within 30 days of receiving the 复查 opinion
RECHECK_DECIDE = "recheck_decide"  # §36 decide 复核 within 30 days

UNIT_LIMITS = {DISPATCH, INFORM, CONCLUDE, REVIEW_DECIDE, RECHECK_DECIDE}
PETITIONER_WINDOWS = {REVIEW_REQUEST: "review", RECHECK_REQUEST: "recheck"}


def rule(key: str) -> DeadlineRule:
    return DeadlineRule.objects.get(key=key)


def _pauses(clock: Clock):
    return [
        (first, last)
        for first, last in Pause.objects.filter(clock=clock, state=Pause.State.APPROVED).values_list(
            "first_day", "last_day"
        )
    ]


def compute(clock: Clock, calendar: WorkCalendar, pauses=None) -> tuple[date | None, bool, date | None]:
    """(due, provisional, latest_due) of the clock on `calendar`; all empty before it starts."""
    if clock.start is None:
        return None, False, None
    pauses = _pauses(clock) if pauses is None else pauses

    def on(cal):
        if clock.extension_days and clock.extension_from_expiry:
            base = due_date(clock.start, clock.days, working=clock.working, calendar=cal, paused=pauses)
            end = due_date(base.due, clock.extension_days, working=clock.working, calendar=cal, paused=pauses)
            return end.due, base.provisional or end.provisional
        end = due_date(
            clock.start, clock.days + clock.extension_days, working=clock.working, calendar=cal, paused=pauses
        )
        return end.due, end.provisional

    due, provisional = on(calendar)
    latest = None
    if provisional and clock.rule in PETITIONER_WINDOWS:
        latest = on(calendar.latest_possible())[0]
    return due, provisional, latest


def _mirror(appeal, clock: Clock | None) -> None:
    """Copy the running clock's due date onto the appeal, for the queues."""
    appeal.clock = clock
    appeal.due_date = clock.due if clock else None
    appeal.due_provisional = clock.provisional if clock else False


def refresh(clock: Clock, calendar: WorkCalendar | None = None) -> bool:
    """Recompute the clock's end from its inputs; True when it changed (saved)."""
    due, provisional, latest = compute(clock, calendar or load_calendar())
    if (due, provisional, latest) == (clock.due, clock.provisional, clock.latest_due):
        return False
    clock.due, clock.provisional, clock.latest_due = due, provisional, latest
    clock.save(update_fields=["due", "provisional", "latest_due"])
    return True


def current(appeal) -> Clock | None:
    """The appeal's running clock (its window, once the step is taken), through the cached relation."""
    return appeal.clock if appeal.clock_id else None


def start(appeal, rule_key: str, start_day: date | None, *, today: date) -> Clock:
    """Start `rule_key` as the appeal's running clock, under the rule as it stands now; every clock
    still running on the appeal stops today. The caller saves the appeal."""
    stop(appeal, today=today)
    clock = _new_clock(appeal, rule_key, start_day)
    _mirror(appeal, clock)
    return clock


def start_beside(appeal, rule_key: str, start_day: date) -> Clock:
    """A window that runs beside the main clock (the unit's 5 working days to object)."""
    return _new_clock(appeal, rule_key, start_day)


def _new_clock(appeal, rule_key, start_day) -> Clock:
    r = rule(rule_key)
    clock = Clock(appeal=appeal, rule=rule_key, days=r.days, working=r.working_days, basis=r.basis)
    clock.start = start_day
    clock.due, clock.provisional, clock.latest_due = compute(clock, load_calendar(), pauses=[])
    clock.save()
    return clock


def stop(appeal, *, today: date) -> None:
    """The step the running clocks waited for was taken today: stop them, closing (and if late,
    first recording) their overdue periods. The caller saves the appeal."""
    now = timezone.now()
    for clock in Clock.objects.filter(appeal=appeal, stopped_at=None):
        note_overdue(clock, today)
        Overdue.objects.filter(clock=clock, ended_on=None).update(ended_on=today)
        clock.stopped_at = now
        clock.save(update_fields=["stopped_at"])
    _mirror(appeal, None)


def window(appeal, rule_key: str) -> Clock | None:
    """The latest clock of `rule_key` on the appeal (running or not)."""
    return Clock.objects.filter(appeal=appeal, rule=rule_key).order_by("-started_at", "-id").first()


def settle(appeal, clock: Clock, *, today: date) -> None:
    """After the clock's inputs changed (an extension, a pause, a delivery): recompute it, keep any
    overdue fact of the old limit, and end the overdue period if the new limit lies ahead."""
    note_overdue(clock, today)
    refresh(clock)
    if clock.due is not None and clock.due >= today:
        Overdue.objects.filter(clock=clock, ended_on=None).update(ended_on=today)
    if appeal.clock_id == clock.pk:
        _mirror(appeal, clock)


def extend(appeal, days: int, *, today: date) -> Clock:
    """Approve an extension (§34) of the running limit by `days`."""
    clock = current(appeal)
    clock.extension_days = days
    clock.extension_from_expiry = rule(EXTENSION_MAX).extends_from_expiry
    clock.save(update_fields=["extension_days", "extension_from_expiry"])
    settle(appeal, clock, today=today)
    return clock


def note_overdue(clock: Clock, today: date) -> Overdue | None:
    """Record, once, that a unit's limit ran out before its step was taken by `today`."""
    if not _overrun(clock, today):
        return None
    if Overdue.objects.filter(clock=clock, ended_on=None).exists():
        return None  # an earlier limit of this clock is still being overrun
    overdue, created = Overdue.objects.get_or_create(
        clock=clock,
        due=clock.due,
        defaults={"appeal_id": clock.appeal_id, "provisional": clock.provisional},
    )
    if created:
        _overdue_event(clock).save()
    return overdue


def _overrun(clock: Clock, today: date) -> bool:
    return (
        clock.rule in UNIT_LIMITS and clock.stopped_at is None and clock.due is not None and today > clock.due
    )


def _overdue_event(clock: Clock) -> Event:
    return Event(
        appeal_id=clock.appeal_id,
        kind=EventKind.OVERDUE,
        note=f"{clock.basis}规定的期限已于 {clock.due:%Y年%m月%d日} 届满，此后仍未办理，记为超期。",
        public=False,
    )


def record_overdue(today: date, chunk: int = 2000) -> int:
    """The hourly job: record every unit's limit that has run out; returns how many were new.
    A chunk at a time, its clocks locked, so that a run that overlaps another records each once."""
    pending = (
        Clock.objects.filter(stopped_at=None, rule__in=UNIT_LIMITS, due__lt=today)
        .exclude(pk__in=Overdue.objects.filter(ended_on=None).values("clock_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(pending)
    new = 0
    for first in range(0, len(ids), chunk):
        with transaction.atomic():
            clocks = [
                clock
                for clock in Clock.objects.select_for_update().filter(pk__in=ids[first : first + chunk])
                if _overrun(clock, today)
            ]
            recorded, still_open = set(), set()
            for clock_id, due, ended_on in Overdue.objects.filter(clock__in=clocks).values_list(
                "clock_id", "due", "ended_on"
            ):
                recorded.add((clock_id, due))
                if ended_on is None:
                    still_open.add(clock_id)
            fresh = [c for c in clocks if c.pk not in still_open and (c.pk, c.due) not in recorded]
            Overdue.objects.bulk_create(
                Overdue(clock=c, appeal_id=c.appeal_id, due=c.due, provisional=c.provisional) for c in fresh
            )
            Event.objects.bulk_create(_overdue_event(c) for c in fresh)
            new += len(fresh)
    return new


def recompute_all(today: date) -> list[tuple[Clock, date | None]]:
    """After a calendar edit: recompute every clock the edit may move (the units' running limits,
    the windows still open, every window whose end was provisional, passed or not, and the windows
    of requests kept on record). Returns the clocks that changed, each with its due date before."""
    calendar = load_calendar()
    running = Clock.objects.filter(stopped_at=None).filter(
        Q(rule__in=UNIT_LIMITS) | Q(due__gte=today) | Q(provisional=True) | Q(due=None)
    )
    on_record = Clock.objects.filter(pk__in=DoubtfulRequest.objects.filter(resolution="").values("window_id"))
    clocks = running | on_record
    pauses: dict[int, list] = {}
    approved = Pause.objects.filter(clock__in=clocks.values("pk"), state=Pause.State.APPROVED)
    for clock_id, first, last in approved.values_list("clock_id", "first_day", "last_day"):
        pauses.setdefault(clock_id, []).append((first, last))
    changed = []
    for clock in clocks.order_by("pk").iterator(chunk_size=5000):
        before = clock.due
        due, provisional, latest = compute(clock, calendar, pauses.get(clock.pk, []))
        if (due, provisional, latest) == (clock.due, clock.provisional, clock.latest_due):
            continue
        note_overdue(clock, today)  # an overrun limit stays on record, whatever the new end
        clock.due, clock.provisional, clock.latest_due = due, provisional, latest
        clock.save(update_fields=["due", "provisional", "latest_due"])
        if due is not None and due >= today:
            Overdue.objects.filter(clock=clock, ended_on=None).update(ended_on=today)
        Appeal.objects.filter(clock=clock).update(due_date=due, due_provisional=provisional)
        changed.append((clock, before))
    return changed
