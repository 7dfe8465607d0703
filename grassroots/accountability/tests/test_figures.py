"""The figures against hand-built records on known dates (today: Monday 2026-03-02)."""

from collections import Counter
from datetime import date

from grassroots.accountability import figures
from grassroots.accountability.periods import Period
from grassroots.accounts.models import User
from grassroots.appeals.models import Rating, Status
from grassroots.reception.models import Booking, CaseOwnership

from .conftest import TODAY, at


def _only(user):
    return User.objects.filter(pk=user.pk)


def test_it_counts_activities_by_kind_within_the_range(org, activity):
    activity("outreach", date(2026, 2, 3), org.head, org.leader)
    activity("outreach", date(2026, 2, 20), org.head)
    activity("research", date(2026, 2, 28), org.head)
    activity("reception", date(2026, 1, 31), org.head)  # before the range
    activity("onsite", date(2026, 3, 1), org.head)  # after it
    counts = figures.activity_counts(User.objects.all(), date(2026, 2, 1), date(2026, 2, 28))
    assert counts[org.head.pk] == Counter({"outreach": 2, "research": 1})
    assert counts[org.leader.pk] == Counter({"outreach": 1})
    assert org.handler.pk not in counts
    assert figures.kind_counts(counts[org.head.pk]) == [2, 1, 0, 0]


def test_it_counts_per_month_and_rolls_months_into_quarters(org, activity):
    activity("outreach", date(2025, 12, 31), org.head)
    activity("research", date(2026, 1, 5), org.head)
    activity("research", date(2026, 1, 25), org.head)
    activity("onsite", date(2026, 3, 2), org.head)
    monthly = figures.monthly_activity_counts(_only(org.head), date(2025, 12, 1), TODAY)[org.head.pk]
    assert monthly == {
        Period("month", 2025, 12): Counter({"outreach": 1}),
        Period("month", 2026, 1): Counter({"research": 2}),
        Period("month", 2026, 3): Counter({"onsite": 1}),
    }
    assert figures.quarterly(monthly) == {
        Period("quarter", 2025, 4): Counter({"outreach": 1}),
        Period("quarter", 2026, 1): Counter({"research": 2, "onsite": 1}),
    }


def test_it_finds_the_last_activity_up_to_today_and_the_days_since(org, activity):
    activity("outreach", date(2026, 1, 30), org.head)
    activity("research", date(2026, 2, 10), org.head)
    activity("onsite", date(2026, 3, 9), org.head)  # planned for next week: not yet done
    last = figures.last_activity_dates(User.objects.all(), TODAY)
    assert last == {org.head.pk: date(2026, 2, 10)}
    assert figures.days_since(last[org.head.pk], TODAY) == 20
    assert figures.days_since(last.get(org.leader.pk), TODAY) is None


def test_it_lists_the_officials_past_the_limit_never_first(org, activity, hekou_head, village_head):
    activity("outreach", date(2026, 1, 31), org.head)  # 30 days ago: on the limit, not past it
    activity("outreach", date(2026, 1, 30), hekou_head)  # 31 days ago
    activity("outreach", date(2025, 12, 1), village_head)
    officials = figures.officials_in([org.east])
    absent = list(figures.absent_officials(officials, TODAY, 30))
    assert absent == [org.leader, village_head, hekou_head]
    assert absent[0].last_activity is None and absent[1].last_activity == date(2025, 12, 1)
    assert list(figures.absent_officials(officials, TODAY, 91)) == [org.leader]


def test_it_takes_only_leaders_and_unit_heads_as_officials(org, hekou_head):
    assert set(figures.officials_in([org.east])) == {org.leader, org.head, hekou_head}
    assert set(figures.officials_in([org.chengguan])) == {org.head}
    assert set(figures.officials_at(org.east)) == {org.leader}
    org.head.is_active = False
    org.head.save()
    assert set(figures.officials_in([org.chengguan])) == set()


def test_it_counts_a_units_activities_over_its_subtree(org, activity):
    activity("outreach", date(2026, 2, 3), org.head, unit=org.chengguan)
    activity("research", date(2026, 2, 4), org.village_handler, unit=org.chengdong)
    activity("research", date(2026, 2, 5), org.hekou_handler, unit=org.hekou)
    activity("reception", date(2026, 2, 6), org.outsider, unit=org.shanqian)
    counts = figures.unit_activity_counts(
        [org.east, org.chengguan, org.hekou, org.west], date(2026, 2, 1), date(2026, 2, 28)
    )
    assert counts[org.east.pk] == Counter({"outreach": 1, "research": 2})
    assert counts[org.chengguan.pk] == Counter({"outreach": 1, "research": 1})
    assert counts[org.hekou.pk] == Counter({"research": 1})
    assert counts[org.west.pk] == Counter({"reception": 1})


def test_it_holds_the_county_head_to_monthly_reception_days_and_a_deputy_to_none(
    org, person, county_head, reception_day
):
    deputy = person("fu", "副县长冯", org.east, "leader", "副县长")
    reception_day(county_head, date(2026, 1, 15))
    reception_day(deputy, date(2026, 2, 12))
    reception_day(county_head, date(2026, 2, 20), published=False)  # never published: not held
    result = figures.reception_compliance(User.objects.all(), date(2026, 1, 1), TODAY, TODAY)
    assert set(result) == {county_head.pk}
    rows = result[county_head.pk]["rows"]
    assert [(r["label"], r["held"], r["ok"], r["current"]) for r in rows] == [
        ("2026年1月", 1, True, False),
        ("2026年2月", 0, False, False),
        ("2026年3月", 0, False, True),
    ]
    assert result[county_head.pk]["status"] == "short"
    assert figures.reception_figure(deputy, date(2026, 1, 1), TODAY, TODAY)["rule"] is None
    assert figures.reception_figure(deputy, date(2026, 1, 1), TODAY, TODAY)["total"] == 1


def test_it_counts_a_quarterly_rule_over_the_whole_quarter_of_a_month(org, person, reception_day):
    mayor = person("shi", "市长石", org.city, "leader", "市长")
    reception_day(mayor, date(2026, 1, 20))
    march = figures.reception_compliance(_only(mayor), date(2026, 3, 1), TODAY, TODAY)[mayor.pk]
    assert [(r["label"], r["held"], r["ok"]) for r in march["rows"]] == [("2026年第1季度", 1, True)]
    assert march["status"] == "ok"


def test_it_reports_owned_cases_and_their_outcome(org, county_head, make_appeal):
    closed, open_, ended_early, replied = (make_appeal(title=t) for t in ("路灯", "排水", "噪音", "欠薪"))
    closed.status = Status.CLOSED
    closed.save()
    replied.status = Status.REPLIED
    replied.save()
    Rating.objects.create(appeal=closed, stage="replied", score=Rating.Score.UNSATISFIED)
    Rating.objects.create(appeal=closed, stage="reviewed", score=Rating.Score.SATISFIED)  # the latest counts
    Rating.objects.create(appeal=replied, stage="replied", score=Rating.Score.UNSATISFIED)
    for appeal, since in ((closed, date(2026, 1, 5)), (open_, date(2026, 2, 1)), (replied, date(2026, 2, 2))):
        CaseOwnership.objects.create(appeal=appeal, leader=county_head, since=since)
    CaseOwnership.objects.create(
        appeal=ended_early, leader=county_head, since=date(2025, 10, 1), ended_at=at(date(2025, 12, 20))
    )
    cases = figures.owned_cases(_only(county_head), date(2026, 1, 1), TODAY)
    assert [(c.appeal.title, c.outcome, c.rating) for c in cases] == [
        ("欠薪", "replied", "unsatisfied"),
        ("排水", "open", None),
        ("路灯", "closed", "satisfied"),
    ]
    summary = figures.case_summaries(cases)[county_head.pk]
    assert (summary.owned, summary.closed, summary.replied, summary.open) == (3, 1, 1, 1)
    assert (summary.satisfied, summary.unsatisfied) == (1, 1)
    assert len(figures.owned_cases(_only(county_head), date(2025, 12, 1), date(2025, 12, 31))) == 1


def test_it_sorts_tasks_into_on_time_late_overdue_awaiting_and_pending(org, task):
    unit = org.chengguan
    task(org.head, unit, date(2026, 2, 10), "accepted", at(date(2026, 2, 10)), at(date(2026, 2, 12)))
    task(org.head, unit, date(2026, 2, 11), "accepted", at(date(2026, 2, 13)), at(date(2026, 2, 14)))
    task(org.head, unit, date(2026, 2, 27), "in_progress")
    task(org.head, unit, date(2026, 2, 25), "submitted", at(date(2026, 2, 24)))
    task(org.head, unit, date(2026, 3, 20), "assigned")
    task(org.leader, org.hekou, date(2026, 2, 15), "assigned")
    tasks = figures.tasks_of_officials(_only(org.head), date(2026, 2, 1), date(2026, 3, 31), TODAY)
    assert [t.timeliness for t in tasks] == ["on_time", "late", "awaiting", "overdue", "pending"]
    summary = figures.TaskSummary.of(tasks)
    assert (summary.due, summary.on_time, summary.late, summary.overdue, summary.behind) == (5, 1, 1, 1, 2)
    by_unit = figures.tasks_of_units([org.hekou], date(2026, 2, 1), date(2026, 2, 28), TODAY)
    assert [(t.session.owner, t.timeliness) for t in by_unit] == [(org.leader, "overdue")]


def test_it_puts_a_units_figures_in_one_row_over_its_subtree(
    org, activity, county_head, hekou_head, village_head, reception_day, task, make_appeal
):
    activity("outreach", date(2026, 2, 3), org.head, village_head, unit=org.chengguan)
    activity("research", date(2026, 2, 20), hekou_head, unit=org.hekou)
    reception_day(county_head, date(2026, 2, 12))
    CaseOwnership.objects.create(appeal=make_appeal(), leader=org.head, since=date(2026, 2, 1))
    task(
        county_head, org.chengdong, date(2026, 2, 10), "accepted", at(date(2026, 2, 9)), at(date(2026, 2, 9))
    )
    rows = figures.unit_rows(
        [org.east, org.chengguan, org.hekou],
        date(2026, 2, 1),
        date(2026, 2, 28),
        TODAY,
        30,
        total_unit=org.east,
    )
    east, chengguan, hekou = rows
    assert east.is_total and not chengguan.is_total
    assert (east.total, chengguan.total, hekou.total) == (2, 1, 1)
    assert (east.officials, chengguan.officials, hekou.officials) == (4, 2, 1)
    # 县长's last activity is the on-site session of 2026-01-21 (40 days ago); the others were out in February
    assert (east.past_limit, chengguan.past_limit, hekou.past_limit) == (1, 0, 0)
    assert east.reception == Counter({"ok": 1}) and chengguan.ruled == 0
    assert (east.cases.owned, chengguan.cases.owned, hekou.cases.owned) == (1, 1, 0)
    assert (east.tasks.on_time, chengguan.tasks.on_time, hekou.tasks.due) == (1, 1, 0)


def test_it_costs_the_same_queries_for_three_officials_or_thirty(
    org, person, activity, django_assert_num_queries, task, reception_day
):
    def build(n, prefix):
        people = [
            person(f"{prefix}{i}", f"干部{prefix}{i}", org.hekou, "unit_head", "副镇长") for i in range(n)
        ]
        for p in people:
            activity("outreach", date(2026, 2, 3), p, unit=org.hekou)
            task(p, org.hekou, date(2026, 2, 20))
        return User.objects.filter(username__startswith=prefix)

    def queries(officials):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            figures.official_rows(officials, date(2026, 2, 1), date(2026, 2, 28), TODAY, 30)
            figures.unit_rows([org.east, org.hekou], date(2026, 2, 1), date(2026, 2, 28), TODAY, 30)
        return len(ctx.captured_queries)

    few = queries(build(3, "a"))
    assert queries(build(30, "b")) == few


def _held(reception_day, leader, on):
    """A published reception day with one resident who came."""
    day = reception_day(leader, on)
    Booking.objects.create(day=day, code=f"B{day.pk}", name="王小明", phone_encrypted="x", status="attended")
    return day


def test_a_held_reception_day_is_a_grassroots_activity_of_its_leader(org, county_head, reception_day):
    _held(reception_day, county_head, date(2026, 2, 17))
    reception_day(county_head, date(2026, 2, 24))  # published, nobody came: not held
    everyone = User.objects.all()
    counts = figures.activity_counts(everyone, date(2026, 2, 1), date(2026, 2, 28))
    assert counts[county_head.pk] == Counter({"reception": 1})
    assert figures.last_activity_dates(everyone, TODAY)[county_head.pk] == date(2026, 2, 17)
    monthly = figures.monthly_activity_counts(_only(county_head), date(2026, 2, 1), TODAY)
    assert monthly[county_head.pk] == {Period("month", 2026, 2): Counter({"reception": 1})}
    assert figures.unit_activity_counts([org.east], date(2026, 2, 1), TODAY)[org.east.pk]["reception"] == 1
    absent = list(figures.absent_officials(figures.officials_in([org.east]), TODAY, 20))
    assert county_head not in absent
    assert county_head in list(figures.absent_officials(figures.officials_in([org.east]), TODAY, 10))


def test_a_held_reception_day_counts_once_however_it_was_recorded(org, county_head, reception_day, activity):
    recorded = activity("reception", date(2026, 2, 10), county_head)  # recorded from the day
    recorded.reception_day = _held(reception_day, county_head, recorded.date)
    recorded.save()
    by_hand = _held(reception_day, county_head, date(2026, 2, 17))
    activity("reception", by_hand.date, county_head, title="县长接访")  # entered by hand, not linked
    counts = figures.activity_counts(User.objects.all(), date(2026, 2, 1), date(2026, 2, 28))
    assert counts[county_head.pk] == Counter({"reception": 2})
    assert figures.unit_activity_counts([org.east], date(2026, 2, 1), TODAY)[org.east.pk]["reception"] == 2
