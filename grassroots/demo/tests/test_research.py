import random

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.activities.models import Activity
from grassroots.demo import research as demo
from grassroots.demo.orgtree import County, Org
from grassroots.ledger.models import Problem, Source
from grassroots.research.models import Finding, ResearchTopic, Status, TopicEvent
from grassroots.surveys.models import Response


@pytest.fixture
def demo_org(org):
    """The conftest tree dressed as the demo generator's Org: one county, two townships."""
    county = County(
        key="dc",
        unit=org.east,
        departments={"xinfang": org.east_petition, "zhujian": org.east_housing},
        townships=[org.chengguan, org.hekou],
    )
    return Org(
        city=org.city,
        city_departments={},
        counties=[county],
        villages=[(org.chengdong, org.chengguan, county)],
        handlers={org.chengguan.pk: org.handler, org.east_housing.pk: org.housing_handler},
        heads={org.chengguan.pk: org.head},
        leaders={org.east.pk: org.leader},
        supervisors={org.east.pk: org.supervisor},
    )


def test_it_seeds_topics_with_visits_questionnaires_and_findings(client, org, demo_org, travel):
    today = timezone.localdate()
    counts = demo.seed(demo_org, random.Random(7), today)

    topics = ResearchTopic.objects.all()
    assert counts["topics"] == topics.count() == demo.TOPICS_PER_COUNTY
    assert {t.unit for t in topics} <= {org.east, org.chengguan, org.hekou}
    assert all(t.starts_on <= today and t.starts_on <= t.ends_on for t in topics)
    assert topics.filter(status=Status.ACTIVE).exists()
    assert counts["visits"] == Activity.objects.filter(kind="research", research_visit__isnull=False).count()
    assert counts["visits"] >= 2 * counts["topics"]
    for topic in topics:
        for visit in topic.visits.select_related("activity"):
            assert topic.starts_on <= visit.activity.date <= min(topic.ends_on, today)
            assert visit.activity.unit == topic.unit
        assert all(e.at <= timezone.now() for e in TopicEvent.objects.filter(topic=topic))
    assert counts["findings"] == Finding.objects.count() >= 2 * counts["topics"]
    assert counts["on_ledger"] == Problem.objects.filter(source=Source.RESEARCH).count()
    assert counts["on_ledger"] == Finding.objects.filter(problem__isnull=False).count()
    assert counts["responses"] == Response.objects.count()
    assert all(r.submitted_at <= timezone.now() for r in Response.objects.all())

    client.force_login(org.leader)
    for topic in topics:
        assert client.get(reverse("research:detail", args=[topic.pk])).status_code == 200
        assert client.get(reverse("research:report", args=[topic.pk])).status_code == 200


def test_it_seeds_the_same_work_from_the_same_seed(demo_org, travel):
    first = demo.seed(demo_org, random.Random(3), timezone.localdate())
    titles = sorted(ResearchTopic.objects.values_list("title", flat=True))
    assert first["topics"] == 3
    assert len(set(titles)) == 3
    assert all(t.startswith(("东城县", "城关镇", "河口镇")) for t in titles)
