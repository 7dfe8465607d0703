import pytest
from django.urls import reverse

from grassroots.appeals import actions
from grassroots.appeals.models import Supervision

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


@pytest.fixture
def supervised(client, org, make_appeal):
    appeal = actions.dispatch(make_appeal(title="路灯又坏了"), org.clerk, unit=org.chengguan)
    client.force_login(org.supervisor)
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "supervise"]),
        {"version": appeal.version, "note": "请三日内办结"},
    )
    assert response.status_code == 302
    return appeal


def supervisions_page(client, user):
    client.force_login(user)
    response = client.get(reverse("appeals:supervisions"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_supervision_to_the_handling_unit_and_on_the_timeline(client, org, supervised):
    notice = Supervision.objects.get()
    ack_url = reverse("appeals:acknowledge", args=[notice.pk])
    html = supervisions_page(client, org.handler)
    assert "请三日内办结" in html and "路灯又坏了" in html and ack_url in html

    client.force_login(org.handler)
    detail = client.get(reverse("appeals:detail", args=[supervised.pk])).content.decode()
    timeline = detail.split('class="timeline"')[1]
    assert "督办" in timeline and "请三日内办结" in timeline and "督办员苏珊" in timeline


def test_it_shows_a_supervision_only_within_the_users_scope(client, org, supervised):
    assert "请三日内办结" in supervisions_page(client, org.head)
    assert "请三日内办结" in supervisions_page(client, org.supervisor)
    for user in (org.outsider, org.hekou_handler, org.housing_handler, org.village_handler):
        assert "请三日内办结" not in supervisions_page(client, user)


def test_it_lets_the_handling_unit_acknowledge(client, org, supervised):
    notice = Supervision.objects.get()
    client.force_login(org.handler)
    response = client.post(reverse("appeals:acknowledge", args=[notice.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "已阅" in response.content.decode()
    assert response.content.decode().lstrip().startswith(f'<tr id="supervision-{notice.pk}"')
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_it_acknowledges_on_a_plain_post_with_a_message(client, org, supervised):
    notice = Supervision.objects.get()
    client.force_login(org.head)
    response = client.post(reverse("appeals:acknowledge", args=[notice.pk]))
    assert response.status_code == 302
    assert "已阅" in client.get(response["Location"]).content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_it_refuses_acknowledgement_from_others(client, org, supervised):
    notice = Supervision.objects.get()
    url = reverse("appeals:acknowledge", args=[notice.pk])
    client.force_login(org.supervisor)  # sees it, but is not the handling unit
    assert client.post(url).status_code == 403
    assert reverse("appeals:acknowledge", args=[notice.pk]) not in supervisions_page(client, org.supervisor)
    client.force_login(org.outsider)
    assert client.post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_it_lists_unacknowledged_notices_first(client, org, make_appeal, supervised, travel):
    travel.move_to("2026-03-03 10:00 +0800")
    other = actions.dispatch(make_appeal(title="道路积水"), org.clerk, unit=org.chengguan)
    actions.supervise(other, org.supervisor, note="第二份督办")
    actions.acknowledge_supervision(Supervision.objects.get(note="第二份督办"))
    html = supervisions_page(client, org.handler)
    assert html.index("请三日内办结") < html.index("第二份督办")
