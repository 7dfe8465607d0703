"""Statutory clocks of an appeal: which rule runs, from when, and until when.

The arithmetic is `grassroots.lib.workdays`; the rules and holidays are data in
`grassroots.workcal`. An appeal's due date is always derivable from
(clock_rule, clock_start, clock_extra_days, pauses), so it can be recomputed
whenever administrators edit the calendar.
"""

from datetime import date

from grassroots.lib.workdays import Deadline, due_date
from grassroots.workcal.models import DeadlineRule, load_calendar

# The rule that runs in each state (信访工作条例 2022).
DISPATCH = "dispatch"  # §22 转送、交办 within 15 days of registration
INFORM = "inform"  # §23 tell the petitioner within 15 days of receiving a dispatched item
OBJECTION = "objection"  # §23 object to a dispatch within 5 working days
CONCLUDE = "conclude"  # §34 conclude within 60 days of acceptance
EXTENSION_MAX = "extension_max"  # §34 extend once, by at most 30 days
REVIEW_REQUEST = "review_request"  # §35 request 复查 within 30 days of the written reply
REVIEW_DECIDE = "review_decide"  # §35 decide 复查 within 30 days
RECHECK_REQUEST = "recheck_request"  # §36 request 复核 within 30 days
RECHECK_DECIDE = "recheck_decide"  # §36 decide 复核 within 30 days


def deadline_for(rule_key: str, start: date, extra_days: int = 0, pauses=()) -> Deadline:
    rule = DeadlineRule.objects.get(key=rule_key)
    return due_date(
        start,
        rule.days + extra_days,
        working=rule.working_days,
        calendar=load_calendar(),
        paused=pauses,
    )


def start_clock(appeal, rule_key: str, start: date) -> None:
    appeal.clock_rule = rule_key
    appeal.clock_start = start
    appeal.clock_extra_days = 0
    _apply(appeal, deadline_for(rule_key, start))


def stop_clock(appeal) -> None:
    appeal.clock_rule = ""
    appeal.clock_start = None
    appeal.clock_extra_days = 0
    appeal.due_date = None
    appeal.due_provisional = False


def recompute(appeal) -> bool:
    """Recompute the running deadline; True when it changed."""
    if not appeal.clock_rule or appeal.clock_start is None:
        return False
    pauses = [
        (p.first_day, p.last_day)
        for p in appeal.pauses.all()
        if (p.clock_rule, p.clock_start) == (appeal.clock_rule, appeal.clock_start)
    ]
    deadline = deadline_for(appeal.clock_rule, appeal.clock_start, appeal.clock_extra_days, pauses)
    changed = (deadline.due, deadline.provisional) != (appeal.due_date, appeal.due_provisional)
    _apply(appeal, deadline)
    return changed


def _apply(appeal, deadline: Deadline) -> None:
    appeal.due_date = deadline.due
    appeal.due_provisional = deadline.provisional


def window_open(rule_key: str, since: date, today: date) -> bool:
    """Whether a request window (e.g. 30 days to ask for 复查) is still open on `today`."""
    return today <= deadline_for(rule_key, since).due
