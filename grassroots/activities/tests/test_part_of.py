"""An activity that is a research visit or an on-site session links to its topic or session."""

import pytest
from django.urls import reverse

from grassroots.onsite.tests.helpers import make_session
from grassroots.research.tests.helpers import make_topic, make_visit

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def test_a_research_visit_links_to_its_topic(client, org):
    topic = make_topic(org)
    visit = make_visit(org, topic)
    client.force_login(org.head)
    page = client.get(reverse("activities:detail", args=[visit.activity_id])).content.decode()
    assert reverse("research:detail", args=[topic.pk]) in page
    assert topic.title in page


def test_an_onsite_session_links_to_its_agenda_and_tasks(client, org):
    session = make_session(org)
    client.force_login(org.leader)
    page = client.get(reverse("activities:detail", args=[session.activity_id])).content.decode()
    assert reverse("onsite:session", args=[session.pk]) in page
