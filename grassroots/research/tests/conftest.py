"""The research topic every report test downloads."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.research import actions
from grassroots.research.tests.helpers import make_finding, make_topic, make_visit
from grassroots.surveys.tests.helpers import answers, build


@pytest.fixture
def researched(client, org):
    """A topic with two visits, a questionnaire answered twice, and two findings, one on the ledger."""
    topic = make_topic(org)
    make_visit(org, topic)
    make_visit(
        org,
        topic,
        title="走访河口镇敬老院",
        place=org.hekou,
        address="河口镇敬老院",
        date=date(2026, 3, 2),
        officials=[org.head, org.leader],
        summary="敬老院床位紧张，护理员不足。",
    )
    q, made = build(client, org)
    client.force_login(org.head)
    for token, text in (("p1", "希望补贴按时发放。"), ("p2", "希望在村里设助餐点。")):
        data = answers(made, token=token, **{f"q{made[3].pk}": text})
        assert client.post(reverse("surveys:paper", args=[q.pk]), data).status_code == 302
    actions.attach_questionnaire(topic, org.head, q)
    listed = make_finding(org, topic)
    actions.put_on_ledger(
        listed,
        org.head,
        version=listed.version,
        responsible_unit=org.chengguan,
        responsible_leader=org.head,
        deadline=date(2026, 6, 30),
        measures="在三组、五组各设一个送餐点",
    )
    make_finding(org, topic, text="敬老院护理员缺口大", domain="elderly", measures="")
    return topic
