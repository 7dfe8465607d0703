import random
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.access import has_role_over
from grassroots.accounts.models import Role
from grassroots.appeals.models import OPEN_STATUSES, Appeal
from grassroots.demo import generator
from grassroots.demo.reception import seed
from grassroots.reception.models import Booking, CaseOwnership, ReceptionAppeal, ReceptionDay

from .small_county import NOW, TODAY


@pytest.fixture
def demo(small_county):
    """The small county with its year of demo appeals and the reception days seeded on it."""
    org, categories = small_county
    generator.generate(org, categories, count=120, seed=1)
    seed(org, random.Random(9), TODAY, appeals=list(Appeal.objects.all()))
    return org


def test_it_holds_a_day_a_month_for_county_leaders_and_a_quarter_for_the_mayor(demo):
    mayor = demo.leaders[demo.city.pk]
    county_leaders = [u for u, role, unit, _t in demo.users if role == Role.LEADER and unit.level == 3]
    assert len(county_leaders) == 2  # 县长 and 县委书记
    year_ago = TODAY - timedelta(days=366)
    past = ReceptionDay.objects.filter(date__lt=TODAY, date__gt=year_ago, published=True)
    assert past.filter(leader=mayor).count() == 4
    for leader in county_leaders:
        months = {(d.year, d.month) for d in past.filter(leader=leader).values_list("date", flat=True)}
        assert 8 <= len(months) == past.filter(leader=leader).count() <= 12
    upcoming = ReceptionDay.objects.filter(date__gte=TODAY, date__lte=TODAY + timedelta(days=30))
    assert set(upcoming.values_list("leader", flat=True)) == {mayor.pk, *(u.pk for u in county_leaders)}
    assert upcoming.filter(published=False).count() == 1
    for day in ReceptionDay.objects.all():
        assert has_role_over(day.leader, day.unit, {Role.LEADER})
        assert day.start_time < day.end_time and day.created_at < NOW
        assert day.created_at.date() <= day.date


def test_it_books_slots_in_every_status_within_capacity(demo):
    assert set(Booking.objects.values_list("status", flat=True)) == set(Booking.Status.values)
    for day in ReceptionDay.objects.prefetch_related("bookings"):
        bookings = list(day.bookings.all())
        holding = [b for b in bookings if b.status in Booking.HOLDING]
        assert len(holding) <= day.capacity
        if any(b.status == Booking.Status.WAITING for b in bookings):
            assert len(holding) == day.capacity
        live = [b.phone_digest for b in bookings if b.status != Booking.Status.CANCELLED]
        assert len(live) == len(set(live))
        statuses = {b.status for b in bookings}
        if day.date < TODAY:
            assert Booking.Status.BOOKED not in statuses
        else:
            assert not statuses & {Booking.Status.ATTENDED, Booking.Status.NO_SHOW}
        for b in bookings:
            assert b.created_at < timezone.make_aware(datetime.combine(day.date, day.start_time))
            assert b.created_at <= b.changed_at <= NOW
            assert b.phone.startswith("1") and b.phone.endswith(b.phone_last4)
    assert ReceptionDay.objects.filter(date__gte=TODAY, bookings__status=Booking.Status.WAITING).exists()
    assert not Booking.objects.filter(day__published=False).exists()


def test_it_links_the_visits_registered_at_past_sessions(demo):
    links = ReceptionAppeal.objects.select_related("day", "appeal", "booking")
    assert links.count() >= 5
    assert links.exclude(booking=None).exists() and links.filter(booking=None).exists()
    for link in links:
        day, appeal = link.day, link.appeal
        assert day.date < TODAY
        registered = timezone.localtime(appeal.registered_at)
        assert registered.date() == day.date and day.start_time <= registered.time() <= day.end_time
        assert appeal.channel in ("visit", "outreach")
        assert appeal.registered_unit.parent == day.unit  # the leader's own petition desk
        if link.booking:
            assert link.booking.day == day and link.booking.status == Booking.Status.ATTENDED
            assert link.booking.phone == appeal.phone


def test_leaders_own_hard_cases(demo, client):
    current = CaseOwnership.objects.filter(ended_at=None).select_related("appeal", "leader")
    assert current.count() >= 3
    assert CaseOwnership.objects.exclude(ended_at=None).exists()
    for owned in current:
        assert owned.appeal.status in OPEN_STATUSES
        assert owned.since <= TODAY
    owned = current.first()
    with time_machine.travel(NOW, tick=False):
        client.force_login(owned.leader)
        page = client.get(reverse("reception:leader_me")).content.decode()
        assert owned.appeal.tracking_code in page
        page = client.get(reverse("appeals:detail", args=[owned.appeal.pk])).content.decode()
        assert f"{owned.leader.display_name} 自" in page
        link = ReceptionAppeal.objects.select_related("day").first()
        client.force_login(link.day.leader)
        page = client.get(reverse("reception:day", args=[link.day.pk])).content.decode()
        assert link.appeal.tracking_code in page
        client.logout()
        public = client.get("/p/reception/").content.decode()
        assert (
            public.count("<article") == ReceptionDay.objects.filter(date__gte=TODAY, published=True).count()
        )


def test_it_seeds_without_appeals(small_county):
    org, _categories = small_county
    days = seed(org, random.Random(3), TODAY)
    assert len(days) == ReceptionDay.objects.count() >= 20
    assert Booking.objects.filter(status=Booking.Status.WAITING).exists()
    assert not ReceptionAppeal.objects.exists() and not CaseOwnership.objects.exists()
