"""The demo's on-site sessions, seeded on the small test tree."""

import random
from datetime import date

import pytest

from grassroots.accounts.models import Membership, Role, User
from grassroots.demo.onsite import seed
from grassroots.demo.orgtree import County, Org
from grassroots.onsite import access
from grassroots.onsite.models import OnsiteSession, SessionStatus, Task, TaskStatus

TODAY = date(2026, 6, 15)


@pytest.fixture
def demo_org(org):
    """The test tree in the shape the demo generator gives its own: 东城县 with two townships."""
    mayor = User.objects.create_user("mayor", display_name="市长马")
    Membership.objects.create(user=mayor, unit=org.city, role=Role.LEADER)
    county = County(
        key="dc",
        unit=org.east,
        departments={"xinfang": org.east_petition, "zhujian": org.east_housing},
        townships=[org.chengguan, org.hekou],
    )
    return Org(
        city=org.city,
        city_departments={"xinfang": org.city_petition},
        counties=[county],
        villages=[(org.chengdong, org.chengguan, county)],
        handlers={u.pk: p for u, p in [(org.chengguan, org.handler), (org.hekou, org.hekou_handler)]},
        heads={org.chengguan.pk: org.head},
        leaders={org.east.pk: org.leader, org.city.pk: mayor},
    )


def test_it_seeds_a_year_of_sessions_with_tasks_in_every_state(demo_org, org):
    counts = seed(demo_org, random.Random(7), TODAY)
    sessions = OnsiteSession.objects.select_related("activity")
    assert counts["sessions"] == sessions.count() == 40
    assert counts["tasks"] == Task.objects.count() > 40
    assert {s.activity.kind for s in sessions} == {"onsite"}
    dates = [s.activity.date for s in sessions]
    assert min(dates) >= date(2025, 6, 15) and max(dates) > TODAY
    assert sessions.filter(status=SessionStatus.PREPARING, activity__date__gt=TODAY).exists()
    assert not sessions.filter(status=SessionStatus.HELD, activity__date__gt=TODAY).exists()

    tasks = list(Task.objects.select_related("session__owner", "responsible_unit"))
    assert {t.status for t in tasks} == set(TaskStatus.values)
    accepted = [t for t in tasks if t.status == TaskStatus.ACCEPTED]
    assert any(t.finished_on_time() for t in accepted) and any(
        t.finished_on_time() is False for t in accepted
    )
    assert Task.objects.overdue(TODAY).exists()
    for t in tasks:
        assert access.in_remit(t.session.owner, t.responsible_unit)  # never outside the owner's remit
        assert t.deadline >= t.session.activity.date
        kinds = list(t.updates.values_list("kind", flat=True))
        assert kinds[0] == "assign"
        if t.status in (TaskStatus.SUBMITTED, TaskStatus.ACCEPTED):
            assert t.submitted_at is not None and t.evidence.exists() and t.progress == 100
            assert t.submitted_at.date() < TODAY
        if t.status == TaskStatus.ACCEPTED:
            assert t.accepted_by == t.session.owner and t.accepted_at > t.submitted_at
        updates = list(t.updates.all())
        assert [u.at for u in updates] == sorted(u.at for u in updates)
    assert any(t.updates.filter(kind="return").exists() for t in accepted)


def test_it_is_repeatable_with_the_same_seed(demo_org):
    first = seed(demo_org, random.Random(3), TODAY)
    summary = sorted(Task.objects.values_list("status", "deadline", "responsible_unit"))
    Task.objects.all().delete()
    OnsiteSession.objects.all().delete()
    assert seed(demo_org, random.Random(3), TODAY) == first
    assert sorted(Task.objects.values_list("status", "deadline", "responsible_unit")) == summary
