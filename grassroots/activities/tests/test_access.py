"""Who sees an activity and who may act on it: inside, above, beside and outside the organising unit."""

import pytest
from django.urls import reverse

from grassroots.activities.tests.helpers import make_activity, png

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_it_shows_an_activity_inside_and_above_its_unit(client, org):
    activity = make_activity(org)
    for user in (org.head, org.handler, org.leader, org.supervisor, org.admin):
        assert page(client, user, "activities:detail", activity.pk).status_code == 200, user
        assert "城东村医保政策宣讲" in page(client, user, "activities:list").content.decode(), user


def test_it_hides_an_activity_from_beside_and_outside_and_below(client, org):
    activity = make_activity(org, unit=org.east, actor=org.leader, officials=[org.leader])
    for user in (org.hekou_handler, org.outsider, org.handler, org.village_handler, org.housing_handler):
        response = page(client, user, "activities:detail", activity.pk)
        assert response.status_code == 404, user
        assert "没有这次下基层活动，或您无权查看。" in response.content.decode()
        assert "城东村医保政策宣讲" not in page(client, user, "activities:list").content.decode(), user


def test_another_township_never_sees_chengguans_activities(client, org):
    ours = make_activity(org, title="城关镇的宣讲")
    make_activity(org, unit=org.hekou, actor=org.leader, officials=[org.leader], title="河口镇的宣讲")
    client.force_login(org.hekou_handler)
    listing = client.get(reverse("activities:list")).content.decode()
    assert "河口镇的宣讲" in listing
    assert "城关镇的宣讲" not in listing
    assert client.get(reverse("activities:detail", args=[ours.pk])).status_code == 404


def test_an_official_sees_the_activity_they_took_part_in_above_their_unit(client, org):
    activity = make_activity(org, unit=org.east, actor=org.leader, officials=[org.leader, org.head])
    assert page(client, org.head, "activities:detail", activity.pk).status_code == 200
    assert "城东村医保政策宣讲" in page(client, org.head, "activities:list").content.decode()
    assert page(client, org.handler, "activities:detail", activity.pk).status_code == 404


def test_only_the_keepers_may_edit(client, org):
    activity = make_activity(org, actor=org.handler, officials=[org.head])
    for user in (org.handler, org.head, org.leader, org.supervisor):  # creator, official, above
        assert page(client, user, "activities:edit", activity.pk).status_code == 200, user
    other = make_activity(org, actor=org.head, officials=[org.head], title="另一场宣讲")
    response = page(client, org.handler, "activities:edit", other.pk)  # same unit, neither creator nor head
    assert response.status_code == 403
    detail = page(client, org.handler, "activities:detail", other.pk).content.decode()
    assert "修改</a>" not in detail
    assert reverse("activities:concern", args=[other.pk]) not in detail
    assert reverse("activities:attach", args=[other.pk]) not in detail


def test_a_file_is_served_only_to_who_sees_the_activity(client, org):
    activity = make_activity(org, files=[(png(), "image/png")])
    f = activity.files.get()
    response = page(client, org.leader, "activities:file", activity.pk, f.pk)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert page(client, org.outsider, "activities:file", activity.pk, f.pk).status_code == 404
    assert page(client, org.hekou_handler, "activities:file", activity.pk, f.pk).status_code == 404
    other = make_activity(org, unit=org.hekou, actor=org.leader, officials=[org.leader])
    assert page(client, org.leader, "activities:file", other.pk, f.pk).status_code == 404  # wrong activity


def test_anonymous_users_are_sent_to_the_login_page(client, org):
    activity = make_activity(org)
    for url in (reverse("activities:list"), reverse("activities:detail", args=[activity.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login" in response["Location"]


def test_posts_need_the_csrf_token(org):
    from django.test import Client

    activity = make_activity(org)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.head)
    response = client.post(reverse("activities:question", args=[activity.pk]), {"question": "怎么缴费？"})
    assert response.status_code == 403
    assert not activity.questions.exists()
