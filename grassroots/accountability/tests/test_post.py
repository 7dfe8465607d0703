"""The post (职务) an administrator records on a membership decides the reception-day rule."""

from django.urls import reverse

from grassroots.accounts.models import Membership, Role
from grassroots.reception import accountability

from .conftest import main


def test_it_records_a_post_with_a_new_membership_and_applies_its_rule(client, org, travel):
    client.force_login(org.admin)
    url = reverse("administration:membership_add", args=[org.handler.pk])
    client.post(url, {"unit": org.east.pk, "role": Role.LEADER, "post": " 县委书记 "})
    membership = Membership.objects.get(user=org.handler, role=Role.LEADER)
    assert membership.post == "县委书记"
    page = main(client.get(reverse("administration:user", args=[org.handler.pk])))
    assert 'name="post" value="县委书记"' in page
    assert accountability.rule_for(org.handler).label == "每月至少 1 次"


def test_it_refuses_a_post_too_long(client, org):
    client.force_login(org.admin)
    url = reverse("administration:membership_add", args=[org.handler.pk])
    response = client.post(url, {"unit": org.east.pk, "role": Role.LEADER, "post": "县" * 31})
    assert "不超过 30 字符" in response.content.decode()
    assert not Membership.objects.filter(user=org.handler, role=Role.LEADER).exists()
