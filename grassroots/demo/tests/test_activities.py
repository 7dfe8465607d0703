"""The demo's activities, on a small tree and on the demo's own tree."""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Max
from django.urls import reverse

from grassroots.accounts.models import Membership, Role, User
from grassroots.activities.models import Activity, ActivityConcern, EventKind, Kind, OutreachQuestion
from grassroots.demo import activities as demo
from grassroots.demo import orgtree
from grassroots.demo.taxonomy import default_paths, load_paths
from grassroots.ledger.models import Problem, Source

TODAY = date(2026, 3, 2)


def _head(username, name, unit):
    user = User.objects.create_user(username, password="pw-12345678", display_name=name)
    Membership.objects.create(user=user, unit=unit, role=Role.UNIT_HEAD)
    return user


def small_tree(org):
    county = orgtree.County(
        key="east",
        unit=org.east,
        departments={"xinfang": org.east_petition, "zhujian": org.east_housing},
        townships=[org.chengguan, org.hekou],
    )
    hekou_head = _head("hekou_head", "河口镇镇长", org.hekou)
    housing_head = _head("housing_head", "住建局局长", org.east_housing)
    return orgtree.Org(
        city=org.city,
        city_departments={"xinfang": org.city_petition},
        counties=[county],
        villages=[(org.chengdong, org.chengguan, county)],
        handlers={
            org.chengguan.pk: org.handler,
            org.hekou.pk: org.hekou_handler,
            org.east_housing.pk: org.housing_handler,
        },
        users=[
            (org.leader, Role.LEADER, org.east, "县长"),
            (org.head, Role.UNIT_HEAD, org.chengguan, "镇长"),
            (hekou_head, Role.UNIT_HEAD, org.hekou, "镇长"),
            (housing_head, Role.UNIT_HEAD, org.east_housing, ""),
            (org.clerk, Role.CLERK, org.east_petition, ""),
        ],
    )


def last_days(today):
    """Days since each official's last activity."""
    rows = Activity.objects.values("officials").annotate(last=Max("date"))
    return {r["officials"]: (today - r["last"]).days for r in rows}


def test_it_seeds_a_year_of_activities_of_every_kind_on_a_small_tree(client, org, travel, make_appeal):
    for title in ("村道塌方", "灌溉渠堵塞"):
        make_appeal(title=title, channel="outreach")
    tree = small_tree(org)
    counts = demo.seed(tree, random.Random(7), TODAY, count=60)

    activities = Activity.objects.all()
    assert counts["activities"] == activities.count() >= 60
    assert set(activities.values_list("kind", flat=True)) == set(Kind.values)
    assert all(TODAY - timedelta(days=365) <= d <= TODAY for d in activities.values_list("date", flat=True))
    outreach = activities.filter(kind=Kind.OUTREACH)
    assert not outreach.filter(outreach_topic="").exists()
    assert not outreach.filter(audience_count=None).exists()
    assert not activities.exclude(kind=Kind.OUTREACH).exclude(outreach_topic="").exists()
    assert OutreachQuestion.objects.exists()
    assert not activities.filter(officials=org.clerk).exists()
    assert Activity.officials.through.objects.values("activity").distinct().count() == activities.count()
    assert all(a.events.filter(kind=EventKind.CREATE).count() == 1 for a in activities)

    idle = counts["idle"]
    assert len(idle) == 1
    days = last_days(TODAY)
    assert 60 <= days[idle[0].pk] <= 120
    assert all(d <= demo.RECENT_DAYS for pk, d in days.items() if pk != idle[0].pk)
    assert set(days) == {org.leader.pk, org.head.pk, tree.users[2][0].pk, tree.users[3][0].pk}

    concerns = ActivityConcern.objects.all()
    assert concerns.exists()
    assert all(c.phone.startswith("1") and len(c.phone) == 11 for c in concerns)
    to_appeal = concerns.filter(appeal__isnull=False)
    assert counts["to_appeals"] == to_appeal.count() == 2
    for concern in to_appeal:
        assert concern.activity.kind == Kind.RECEPTION
        assert concern.activity.date == TODAY
        assert concern.phone == concern.appeal.phone
    to_problem = concerns.filter(problem__isnull=False)
    assert counts["to_problems"] == to_problem.count() > 0
    for concern in to_problem:
        expected = {Kind.RESEARCH: Source.RESEARCH, Kind.ONSITE: Source.ONSITE}.get(
            concern.activity.kind, Source.APPEAL
        )
        assert concern.problem.source == expected
        assert concern.problem.responsible_unit == concern.activity.unit
        assert concern.problem.events.count() == 1
    assert Problem.objects.count() == to_problem.count()

    client.force_login(org.leader)
    assert client.get(reverse("activities:list")).status_code == 200
    for concern in to_problem[:2]:
        page = client.get(reverse("activities:detail", args=[concern.activity_id])).content.decode()
        assert reverse("ledger:detail", args=[concern.problem_id]) in page


@pytest.mark.django_db
def test_it_seeds_about_three_hundred_activities_on_the_demo_tree(travel):
    categories, _created = load_paths(default_paths())
    tree = orgtree.build(random.Random("2026:people"), categories)
    counts = demo.seed(tree, random.Random(2026), TODAY)
    assert 300 <= counts["activities"] <= 320
    assert len(counts["idle"]) == demo.IDLE_OFFICIALS
    days = last_days(TODAY)
    late = {pk for pk, d in days.items() if d > demo.RECENT_DAYS}
    assert late == {u.pk for u in counts["idle"]}
    officials = {u.pk for u, role, _unit, _title in tree.users if role in demo.OFFICIAL_ROLES}
    assert set(days) == officials
    by_kind = {k: Activity.objects.filter(kind=k).count() for k in Kind.values}
    assert min(by_kind.values()) >= 30, by_kind
