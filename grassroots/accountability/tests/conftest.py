"""Hand-built grassroots records on known dates, around the `org` tree (today: 2026-03-02)."""

from datetime import date, time, timedelta

import pytest

from grassroots.accounts.models import Membership, Role, User
from grassroots.activities.models import Activity
from grassroots.onsite.models import Decision, OnsiteSession, Task
from grassroots.reception.models import ReceptionDay

TODAY = date(2026, 3, 2)


@pytest.fixture
def person(org):
    def make(username, name, unit, role, post=""):
        user = User.objects.create_user(username, password="pw-12345678", display_name=name)
        Membership.objects.create(user=user, unit=unit, role=role, post=post)
        return user

    return make


@pytest.fixture
def county_head(org):
    """县长李 (org.leader) with his post recorded: held to one reception day a month."""
    Membership.objects.filter(user=org.leader, role=Role.LEADER).update(post="县长")
    return org.leader


@pytest.fixture
def hekou_head(person, org):
    return person("he", "河口镇镇长何", org.hekou, Role.UNIT_HEAD, "镇长")


@pytest.fixture
def village_head(person, org):
    return person("cun", "城东村书记陈", org.chengdong, Role.UNIT_HEAD, "村党支部书记")


@pytest.fixture
def activity(org):
    def make(kind, on, *officials, unit=None, title="下基层"):
        a = Activity.objects.create(
            kind=kind,
            title=title,
            unit=unit or org.chengguan,
            place=org.chengdong,
            date=on,
            duration_minutes=90,
        )
        a.officials.set(officials)
        return a

    return make


@pytest.fixture
def reception_day(org):
    def make(leader, on, published=True):
        return ReceptionDay.objects.create(
            leader=leader,
            unit=org.east,
            date=on,
            start_time=time(9),
            end_time=time(11),
            address="县信访局接待大厅",
            published=published,
        )

    return make


@pytest.fixture
def task(org, activity):
    """A task from an on-site session owned by `owner`, with a deadline and a state."""

    def make(owner, unit, deadline, status="assigned", submitted=None, accepted=None):
        a = activity("onsite", deadline - timedelta(days=20), owner, unit=unit, title="现场办公")
        session, _ = OnsiteSession.objects.get_or_create(activity=a, defaults={"owner": owner})
        decision = Decision.objects.create(session=session, text="限期修复路灯")
        return Task.objects.create(
            session=session,
            decision=decision,
            description="修复城东村三组路灯",
            responsible_unit=unit,
            deadline=deadline,
            status=status,
            submitted_at=submitted,
            accepted_at=accepted,
        )

    return make


def at(d: date, hour=10):
    """10:00 in Asia/Shanghai on day d."""
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(d, time(hour)))


def main(response) -> str:
    """The page's content without the navigation bar (which names the viewer)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]
