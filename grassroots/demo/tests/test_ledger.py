import random

import pytest
import time_machine
from django.utils import timezone

from grassroots.appeals.models import Appeal
from grassroots.demo import generator
from grassroots.demo.ledger import seed
from grassroots.ledger import access
from grassroots.ledger.models import Domain, EventKind, Evidence, Problem, Source, Status

from .small_county import NOW, TODAY


@pytest.fixture
def demo(small_county):
    """The small county with 40 demo appeals."""
    org, categories = small_county
    generator.generate(org, categories, count=40, seed=1)
    return org


def test_it_seeds_every_domain_source_and_status_with_a_consistent_timeline(demo):
    with time_machine.travel(NOW, tick=False):
        problems = seed(demo, random.Random(7), TODAY, appeals=list(Appeal.objects.all()))
    assert len(problems) == Problem.objects.count() == 150
    all_problems = Problem.objects.all()
    assert set(all_problems.values_list("domain", flat=True)) == set(Domain.values)
    assert set(all_problems.values_list("source", flat=True)) == set(Source.values)
    assert set(all_problems.values_list("status", flat=True)) == set(Status.values)
    assert all_problems.overdue(TODAY).count() >= 15
    assert all_problems.filter(status=Status.IN_PROGRESS, deadline__gte=TODAY).count() >= 30

    for p in all_problems.prefetch_related("events", "evidence"):
        events = list(p.events.all())
        assert events[0].kind in (EventKind.CREATE, EventKind.IMPORT)
        assert events[0].at == p.created_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].at < NOW
        assert p.version == len(events) - 1  # every action after the first claims a version
        assert access.can(p.created_by, "edit", p)  # put on the ledger by a keeper of the unit
        if p.status == Status.IN_PROGRESS:
            assert p.done_at is None and p.progress < 100
        else:
            assert p.progress == 100 and p.done_at is not None
            assert p.evidence.filter(event__kind=EventKind.DONE).exists()
        if p.status in (Status.ACCEPTED, Status.CLOSED):
            assert access.can(p.accepted_by, "accept", p)  # signed from the unit above
            assert p.accepted_at >= p.done_at
        if p.status == Status.CLOSED:
            assert access.can(p.closed_by, "close", p) and p.closed_at >= p.accepted_at
    assert Problem.objects.filter(events__kind=EventKind.RETURN).exists()
    assert Problem.objects.filter(events__kind=EventKind.IMPORT).exists()
    photo = Evidence.objects.first()
    assert photo.file.read(3) == b"\xff\xd8\xff" and photo.size > 1000


def test_it_takes_some_problems_from_demo_appeals_registered_before_them(demo):
    with time_machine.travel(NOW, tick=False):
        seed(demo, random.Random(7), TODAY, appeals=list(Appeal.objects.all()))
    linked = Problem.objects.exclude(appeal=None).select_related("appeal")
    assert linked.count() >= 5
    for p in linked:
        assert p.source == Source.APPEAL
        assert p.appeal.tracking_code in p.description
        assert timezone.localtime(p.appeal.registered_at).date() < timezone.localtime(p.created_at).date()


def test_it_seeds_without_appeals(demo):
    with time_machine.travel(NOW, tick=False):
        problems = seed(demo, random.Random(3), TODAY, count=20)
    assert len(problems) == 20
    assert not Problem.objects.exclude(appeal=None).exists()
    assert set(Problem.objects.values_list("status", flat=True)) == set(Status.values)
