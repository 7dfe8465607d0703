"""有多长时间没有到田间地头: the figures per official and per unit.

Every function takes officials (a User queryset) or units and a date range and answers with
a fixed number of aggregate queries, whatever the number of people: figures for a city's
hundreds of officials cost the same handful of queries as for one. Nothing here decides who
may see what; `access.py` hands in only what the viewer may see.

A reception day that was held (published, on or before the day, with residents met: a booking
attended or an appeal registered there) is a grassroots activity of its leader, counted once:
as the 接访 activity it was recorded as, or by itself when nobody recorded one (`held_days`).

An official is a person with a LEADER or UNIT_HEAD membership. A unit's figures cover its
whole subtree: the activities its units organised, the officials holding posts in it, and
the on-site tasks its units are responsible for.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Subquery, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from grassroots.accounts.models import Membership, Role, User
from grassroots.activities.models import Activity, Kind
from grassroots.appeals.models import OPEN_STATUSES, Rating, Status
from grassroots.onsite.models import Task, TaskStatus
from grassroots.reception import accountability as reception_rule
from grassroots.reception.models import Booking, CaseOwnership, ReceptionAppeal, ReceptionDay

from .periods import Period

OFFICIAL_ROLES = (Role.LEADER, Role.UNIT_HEAD)
KINDS = list(Kind)
DEFAULT_ABSENCE_LIMIT_DAYS = 30
ParticipationRow = Activity.officials.through


def absence_limit_days() -> int:
    """Days without a grassroots activity after which an official is listed for their supervisors."""
    return int(getattr(settings, "GRASSROOTS_ABSENCE_LIMIT_DAYS", DEFAULT_ABSENCE_LIMIT_DAYS))


def kind_counts(counter: Counter) -> list[int]:
    """Counts in the order of KINDS, for a table row."""
    return [counter.get(k.value, 0) for k in KINDS]


def kind_cells(kinds: list[int]):
    """(kind, count) pairs for a template row."""
    return list(zip(KINDS, kinds, strict=True))


def days_since(last: date | None, today: date) -> int | None:
    return None if last is None else (today - last).days


def _ids(officials):
    return officials.values("pk")


# --- activities ------------------------------------------------------------------------------


def held_days(officials, today: date):
    """Reception days of `officials` (None: anyone's) held on or before today and not on record
    as an activity: neither recorded from the day nor entered by hand as the leader's 接访 then."""
    recorded = Activity.objects.filter(reception_day=OuterRef("pk"))
    by_hand = ParticipationRow.objects.filter(
        user_id=OuterRef("leader_id"), activity__kind=Kind.RECEPTION, activity__date=OuterRef("date")
    )
    met = Booking.objects.filter(day=OuterRef("pk"), status=Booking.Status.ATTENDED)
    registered = ReceptionAppeal.objects.filter(day=OuterRef("pk"))
    days = ReceptionDay.objects.published().filter(date__lte=today)
    if officials is not None:
        days = days.filter(leader_id__in=_ids(officials))
    return days.filter(Exists(met) | Exists(registered)).exclude(Exists(recorded)).exclude(Exists(by_hand))


def _held_in(officials, start: date, end: date):
    return held_days(officials, end).filter(date__gte=start)


def activity_counts(officials, start: date, end: date) -> dict[int, Counter]:
    """Per official: activities of each kind they took part in, dated start..end."""
    rows = (
        ParticipationRow.objects.filter(
            user_id__in=_ids(officials), activity__date__gte=start, activity__date__lte=end
        )
        .values("user_id", "activity__kind")
        .annotate(n=Count("activity_id"))
    )
    counts: dict[int, Counter] = {}
    for r in rows:
        counts.setdefault(r["user_id"], Counter())[r["activity__kind"]] = r["n"]
    for leader_id in _held_in(officials, start, end).values_list("leader_id", flat=True):
        counts.setdefault(leader_id, Counter())[Kind.RECEPTION] += 1
    return counts


def monthly_activity_counts(officials, start: date, end: date) -> dict[int, dict[Period, Counter]]:
    """Per official and month: activities of each kind dated start..end."""
    rows = (
        ParticipationRow.objects.filter(
            user_id__in=_ids(officials), activity__date__gte=start, activity__date__lte=end
        )
        .annotate(month=TruncMonth("activity__date"))
        .values("user_id", "month", "activity__kind")
        .annotate(n=Count("activity_id"))
    )
    counts: dict[int, dict[Period, Counter]] = {}
    for r in rows:
        month = Period.containing(_as_date(r["month"]), "month")
        counts.setdefault(r["user_id"], {}).setdefault(month, Counter())[r["activity__kind"]] = r["n"]
    for leader_id, day in _held_in(officials, start, end).values_list("leader_id", "date"):
        month = Period.containing(day, "month")
        counts.setdefault(leader_id, {}).setdefault(month, Counter())[Kind.RECEPTION] += 1
    return counts


def quarterly(monthly: dict[Period, Counter]) -> dict[Period, Counter]:
    """Monthly counts summed into quarters."""
    quarters: dict[Period, Counter] = {}
    for month, counter in monthly.items():
        quarters.setdefault(Period.containing(month.start, "quarter"), Counter()).update(counter)
    return quarters


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def last_activity_dates(officials, today: date) -> dict[int, date]:
    """Per official: the date of their last grassroots activity up to today; absent when never."""
    rows = (
        ParticipationRow.objects.filter(user_id__in=_ids(officials), activity__date__lte=today)
        .values("user_id")
        .annotate(last=Max("activity__date"))
    )
    last = {r["user_id"]: r["last"] for r in rows}
    for r in held_days(officials, today).values("leader_id").annotate(last=Max("date")):
        last[r["leader_id"]] = max(r["last"], last.get(r["leader_id"], r["last"]))
    return last


def absent_officials(officials, today: date, limit_days: int):
    """The officials whose last activity (up to today) is more than `limit_days` ago, or who have none;
    annotated with `last_activity`, those who never went first, then the longest absent."""
    cutoff = date.fromordinal(today.toordinal() - limit_days)
    participated = ParticipationRow.objects.filter(user_id=OuterRef("pk"), activity__date__lte=today)
    held = held_days(None, today).filter(leader_id=OuterRef("pk"))
    return (
        officials.annotate(
            last_recorded=Subquery(participated.order_by("-activity__date").values("activity__date")[:1]),
            last_held=Subquery(held.order_by("-date").values("date")[:1]),
        )
        .annotate(
            last_activity=Case(
                When(last_held__isnull=True, then=F("last_recorded")),
                When(last_recorded__isnull=True, then=F("last_held")),
                When(last_recorded__gte=F("last_held"), then=F("last_recorded")),
                default=F("last_held"),
            )
        )
        .filter(Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True))
        .order_by(F("last_activity").asc(nulls_first=True), "display_name", "pk")
    )


def _unit_prefix_q(field_name: str, units) -> Q:
    paths = sorted({u.path for u in units})
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field_name}__path__startswith": p}) for p in paths))


def unit_activity_counts(units, start: date, end: date) -> dict[int, Counter]:
    """Per unit: activities of each kind organised in its subtree, dated start..end."""
    rows = (
        Activity.objects.filter(_unit_prefix_q("unit", units), date__gte=start, date__lte=end)
        .values("unit__path", "kind")
        .annotate(n=Count("id"))
    )
    counts = {u.pk: Counter() for u in units}
    for r in rows:
        for u in units:
            if r["unit__path"].startswith(u.path):
                counts[u.pk][r["kind"]] += r["n"]
    held = _held_in(None, start, end).filter(_unit_prefix_q("unit", units))
    for path in held.values_list("unit__path", flat=True):
        for u in units:
            if path.startswith(u.path):
                counts[u.pk][Kind.RECEPTION] += 1
    return counts


# --- officials of units ----------------------------------------------------------------------


def _official_posts(units):
    return Membership.objects.filter(
        _unit_prefix_q("unit", units), role__in=OFFICIAL_ROLES, user__is_active=True
    )


def officials_in(units):
    """The (active) officials holding a post in any of the units' subtrees."""
    return User.objects.filter(pk__in=_official_posts(units).values("user_id"))


def officials_at(unit):
    """The (active) officials holding a post at this very unit (not below it)."""
    posts = Membership.objects.filter(unit=unit, role__in=OFFICIAL_ROLES, user__is_active=True)
    return User.objects.filter(pk__in=posts.values("user_id"))


def officials_by_unit(units) -> dict[int, set[int]]:
    """Per unit: the ids of the officials holding a post in its subtree."""
    rows = _official_posts(units).values_list("user_id", "unit__path")
    found: dict[int, set[int]] = {u.pk: set() for u in units}
    for user_id, path in rows:
        for u in units:
            if path.startswith(u.path):
                found[u.pk].add(user_id)
    return found


# --- reception days --------------------------------------------------------------------------


def reception_compliance(officials, start: date, end: date, today: date) -> dict[int, dict]:
    """Per official holding a reception-day rule: days held against it in the rule periods
    overlapping start..end (see grassroots.reception.accountability.compliance)."""
    ruled = reception_rule.rules_for_users(_ids(officials))
    if not ruled:
        return {}
    spans = [reception_rule.span(rule, start, end) for rule in ruled.values()]
    first, last = min(s for s, _e in spans), max(e for _s, e in spans)
    held = reception_rule.held_dates(list(ruled), first, min(last, today))
    return {
        uid: reception_rule.compliance(rule, held.get(uid, []), start, end, today)
        for uid, rule in ruled.items()
    }


def reception_figure(official, start: date, end: date, today: date) -> dict:
    """One official's reception days start..end against their rule (or just the count, without one)."""
    rule = reception_rule.rule_for(official)
    first, last = reception_rule.span(rule, start, end) if rule else (start, end)
    held = reception_rule.held_dates([official.pk], first, min(last, today)).get(official.pk, [])
    return reception_rule.compliance(rule, held, start, end, today)


# --- 包案 ------------------------------------------------------------------------------------

RESOLVED = {Status.CLOSED}
REPLIED = {Status.REPLIED, Status.REVIEWED}


@dataclass
class CaseSummary:
    owned: int = 0
    closed: int = 0  # 已办结
    replied: int = 0  # 已答复（待评价或复查已结）
    open: int = 0  # 仍在办理
    satisfied: int = 0  # latest rating 满意 or 基本满意
    unsatisfied: int = 0

    @classmethod
    def of(cls, cases) -> "CaseSummary":
        summary = cls()
        for c in cases:
            summary.add(c)
        return summary

    def add(self, case):
        self.owned += 1
        self.closed += case.outcome == "closed"
        self.replied += case.outcome == "replied"
        self.open += case.outcome == "open"
        self.satisfied += case.rating in (Rating.Score.SATISFIED, Rating.Score.BASIC)
        self.unsatisfied += case.rating == Rating.Score.UNSATISFIED
        return self

    def __iadd__(self, other):
        for name in ("owned", "closed", "replied", "open", "satisfied", "unsatisfied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def outcome_of(status: str) -> str:
    if status in RESOLVED:
        return "closed"
    if status in REPLIED:
        return "replied"
    if status in OPEN_STATUSES:
        return "open"
    return "other"  # 不予受理, 重复件


def owned_cases(officials, start: date, end: date) -> list[CaseOwnership]:
    """包案 held at any time in start..end, each with `.outcome` and `.rating` (the latest
    rating's score, or None), newest first."""
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    cases = list(
        CaseOwnership.objects.filter(leader_id__in=_ids(officials), since__lte=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start_at))
        .select_related("appeal")
        .order_by("-since", "-id")
    )
    latest = {}
    for appeal_id, score in (
        Rating.objects.filter(appeal_id__in={c.appeal_id for c in cases})
        .order_by("at", "id")
        .values_list("appeal_id", "score")
    ):
        latest[appeal_id] = score
    for c in cases:
        c.outcome = outcome_of(c.appeal.status)
        c.rating = latest.get(c.appeal_id)
        c.rating_label = Rating.Score(c.rating).label if c.rating else ""
    return cases


def case_summaries(cases) -> dict[int, CaseSummary]:
    summaries: dict[int, CaseSummary] = {}
    for c in cases:
        summaries.setdefault(c.leader_id, CaseSummary()).add(c)
    return summaries


# --- on-site tasks ---------------------------------------------------------------------------


@dataclass
class TaskSummary:
    due: int = 0  # tasks due in the range
    on_time: int = 0  # accepted, completion reported by the deadline
    late: int = 0  # accepted, reported after the deadline
    overdue: int = 0  # still with the unit after the deadline
    awaiting: int = 0  # reported done, awaiting acceptance
    pending: int = 0  # with the unit, not yet due

    @classmethod
    def of(cls, tasks) -> "TaskSummary":
        summary = cls()
        for t in tasks:
            summary.add(t)
        return summary

    def add(self, task):
        self.due += 1
        setattr(self, task.timeliness, getattr(self, task.timeliness) + 1)
        return self

    @property
    def behind(self) -> int:
        """Late in any way: finished late or still open past the deadline."""
        return self.late + self.overdue


def timeliness(task, overdue: bool) -> str:
    """Accepted work is on time or late by when it was reported done (Task.finished_on_time);
    open work is overdue (still with the unit past its deadline), awaiting acceptance, or not yet due."""
    finished = task.finished_on_time()
    if finished is not None:
        return "on_time" if finished else "late"
    if overdue:
        return "overdue"
    return "awaiting" if task.status == TaskStatus.SUBMITTED else "pending"


def _tasks(queryset, start: date, end: date, today: date) -> list:
    due = queryset.filter(deadline__gte=start, deadline__lte=end)
    overdue = set(due.overdue(today).values_list("pk", flat=True))
    tasks = list(
        due.select_related("responsible_unit", "session__activity", "session__owner").order_by(
            "deadline", "id"
        )
    )
    for t in tasks:
        t.timeliness = timeliness(t, t.pk in overdue)
    return tasks


def tasks_of_officials(officials, start: date, end: date, today: date) -> list:
    """Tasks due start..end from the on-site sessions the officials own, each with `.timeliness`."""
    return _tasks(Task.objects.filter(session__owner_id__in=_ids(officials)), start, end, today)


def tasks_of_units(units, start: date, end: date, today: date) -> list:
    """Tasks due start..end whose responsible unit lies in one of the units' subtrees."""
    return _tasks(Task.objects.filter(_unit_prefix_q("responsible_unit", units)), start, end, today)


# --- rows for the pages and the export -------------------------------------------------------


@dataclass
class OfficialRow:
    user: object
    posts: list  # the official's LEADER/UNIT_HEAD memberships
    kinds: list[int]
    total: int
    last: date | None
    days: int | None
    past_limit: bool
    reception: dict | None  # compliance, None when no rule applies
    cases: CaseSummary
    tasks: TaskSummary

    @property
    def kind_cells(self):
        return kind_cells(self.kinds)


@dataclass
class UnitRow:
    unit: object
    is_total: bool
    kinds: list[int]
    total: int
    officials: int
    past_limit: int
    reception: Counter = field(default_factory=Counter)  # status -> officials ("ok", "pending", "short")
    cases: CaseSummary = field(default_factory=CaseSummary)
    tasks: TaskSummary = field(default_factory=TaskSummary)

    @property
    def kind_cells(self):
        return kind_cells(self.kinds)

    @property
    def ruled(self) -> int:
        return sum(self.reception.values())


def past_limit(days: int | None, limit: int) -> bool:
    return days is None or days > limit


def official_rows(officials, start: date, end: date, today: date, limit: int) -> list[OfficialRow]:
    """One row per official: activities start..end, last activity as of today, reception days,
    包案 and on-site tasks in the range. Ordered by name."""
    people = list(officials.order_by("display_name", "username"))
    posts: dict[int, list] = {}
    for m in (
        Membership.objects.filter(user_id__in=_ids(officials), role__in=OFFICIAL_ROLES)
        .select_related("unit")
        .order_by("unit__path", "role")
    ):
        posts.setdefault(m.user_id, []).append(m)
    counts = activity_counts(officials, start, end)
    last = last_activity_dates(officials, today)
    reception = reception_compliance(officials, start, end, today)
    cases = case_summaries(owned_cases(officials, start, end))
    tasks: dict[int, TaskSummary] = {}
    for t in tasks_of_officials(officials, start, end, today):
        tasks.setdefault(t.session.owner_id, TaskSummary()).add(t)
    rows = []
    for p in people:
        counter = counts.get(p.pk, Counter())
        days = days_since(last.get(p.pk), today)
        rows.append(
            OfficialRow(
                user=p,
                posts=posts.get(p.pk, []),
                kinds=kind_counts(counter),
                total=sum(counter.values()),
                last=last.get(p.pk),
                days=days,
                past_limit=past_limit(days, limit),
                reception=reception.get(p.pk),
                cases=cases.get(p.pk, CaseSummary()),
                tasks=tasks.get(p.pk, TaskSummary()),
            )
        )
    return rows


def unit_rows(units, start: date, end: date, today: date, limit: int, total_unit=None) -> list[UnitRow]:
    """One row per unit with its subtree's figures; `total_unit`, when one of `units`, is marked
    as the total row. The officials' figures are counted once per unit they hold a post in."""
    units = list(units)
    activities = unit_activity_counts(units, start, end)
    members = officials_by_unit(units)
    everyone = officials_in(units)
    last = last_activity_dates(everyone, today)
    reception = reception_compliance(everyone, start, end, today)
    cases = case_summaries(owned_cases(everyone, start, end))
    tasks = tasks_of_units(units, start, end, today)
    rows = []
    for u in units:
        ids = members[u.pk]
        row = UnitRow(
            unit=u,
            is_total=total_unit is not None and u.pk == total_unit.pk,
            kinds=kind_counts(activities[u.pk]),
            total=sum(activities[u.pk].values()),
            officials=len(ids),
            past_limit=sum(past_limit(days_since(last.get(i), today), limit) for i in ids),
        )
        for i in ids:
            if i in reception:
                row.reception[reception[i]["status"]] += 1
            if i in cases:
                row.cases += cases[i]
        for t in tasks:
            if t.responsible_unit.path.startswith(u.path):
                row.tasks.add(t)
        rows.append(row)
    return rows
