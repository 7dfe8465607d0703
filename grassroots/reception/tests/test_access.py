"""Who sees which reception days and whose leader page, over HTTP (grassroots.reception.access)."""

from datetime import date, time

import pytest
from django.urls import reverse

from grassroots.accounts.models import Membership, Role, User
from grassroots.lib import crypto
from grassroots.reception.models import Booking, ReceptionDay

LEADER_REFUSAL = "没有这位领导，或您无权查看。"
DAY_REFUSAL = "没有这次接访安排，或您无权查看。"


@pytest.fixture
def township_leader(org):
    """城关镇党委书记: a leader one level below the county."""
    user = User.objects.create_user("tang", password="pw-12345678", display_name="城关镇唐书记")
    Membership.objects.create(user=user, unit=org.chengguan, role=Role.LEADER, post="党委书记")
    return user


@pytest.fixture
def township_day(org, township_leader, travel):
    """An unpublished day of the 城关镇 leader, at 城关镇, with one booking."""
    day = ReceptionDay.objects.create(
        leader=township_leader,
        unit=org.chengguan,
        date=date(2026, 3, 2),
        start_time=time(9),
        end_time=time(11),
        address="城关镇便民服务中心",
        capacity=3,
    )
    Booking.objects.create(
        day=day,
        name="张三",
        phone_encrypted=crypto.encrypt("13800005678"),
        phone_digest="d" * 64,
        phone_last4="5678",
        description="排水沟堵塞",
        code="JFTEST0001",
        status=Booking.Status.BOOKED,
    )
    return day


def _leader_page(client, viewer, leader):
    client.force_login(viewer)
    return client.get(f"/reception/leader/{leader.pk}/")


@pytest.mark.parametrize("viewer", ["leader", "supervisor", "admin"])
def test_it_shows_the_county_leader_page_to_the_leader_and_those_above_the_post(client, org, viewer):
    response = _leader_page(client, getattr(org, viewer), org.leader)
    assert response.status_code == 200
    assert "县长李 · 接访与包案" in response.content.decode()


@pytest.mark.parametrize("viewer", ["outsider", "hekou_handler", "head", "clerk", "handler"])
def test_it_hides_the_county_leader_page_from_those_outside_beside_or_below(client, org, viewer):
    response = _leader_page(client, getattr(org, viewer), org.leader)
    assert response.status_code == 404
    assert LEADER_REFUSAL in response.content.decode()


def test_it_shows_a_township_leader_page_to_the_township_head_but_not_beside(client, org, township_leader):
    hekou_head = User.objects.create_user("hugo", password="pw-12345678", display_name="河口镇镇长")
    Membership.objects.create(user=hekou_head, unit=org.hekou, role=Role.UNIT_HEAD)
    assert _leader_page(client, org.head, township_leader).status_code == 200
    assert _leader_page(client, org.supervisor, township_leader).status_code == 200
    assert _leader_page(client, hekou_head, township_leader).status_code == 404
    assert _leader_page(client, org.village_handler, township_leader).status_code == 404
    assert _leader_page(client, township_leader, org.leader).status_code == 404  # a leader above them


def test_it_has_no_leader_page_for_someone_who_leads_nothing(client, org):
    assert _leader_page(client, org.supervisor, org.handler).status_code == 404
    client.force_login(org.supervisor)
    assert client.get("/reception/leader/999999/").status_code == 404


def test_everyone_opens_their_own_page(client, org):
    assert _leader_page(client, org.handler, org.handler).status_code == 200
    client.force_login(org.hekou_handler)
    assert client.get("/reception/leader/").status_code == 200


def test_it_lists_a_case_owned_only_to_viewers_who_may_open_the_appeal(client, org, make_appeal, travel):
    appeal = make_appeal(title="拖欠农民工工资")
    client.force_login(org.leader)
    client.post(f"/reception/own/{appeal.pk}", {"note": "亲自协调"})

    for viewer in (org.leader, org.supervisor):
        page = _leader_page(client, viewer, org.leader).content.decode()
        assert "拖欠农民工工资" in page
        assert appeal.tracking_code in page
        assert "不在您的查看范围内" not in page

    # a 系统管理员 of the city sees the leader's page, but appeals are casework it does not see
    response = _leader_page(client, org.admin, org.leader)
    page = response.content.decode()
    assert response.status_code == 200
    assert "拖欠农民工工资" not in page
    assert appeal.tracking_code not in page
    assert "另有 1 件包案诉求不在您的查看范围内" in page


def test_it_lists_on_a_leader_page_only_the_days_the_viewer_sees(client, org, township_leader, travel):
    other_unit_day = ReceptionDay.objects.create(
        leader=township_leader,
        unit=org.east,
        date=date(2026, 2, 12),
        start_time=time(9),
        end_time=time(11),
        address="县信访局接待大厅",
        capacity=3,
    )
    assert other_unit_day.pk
    assert "县信访局接待大厅" in _leader_page(client, org.supervisor, township_leader).content.decode()
    assert "县信访局接待大厅" not in _leader_page(client, org.head, township_leader).content.decode()


def test_the_day_list_links_only_the_leader_pages_the_viewer_may_open(client, org, township_day):
    link = f'href="/reception/leader/{township_day.leader_id}/"'
    client.force_login(org.handler)
    page = client.get("/reception/").content.decode()
    assert "城关镇唐书记" in page
    assert link not in page
    client.force_login(org.head)
    assert link in client.get("/reception/").content.decode()


@pytest.mark.parametrize("viewer", ["township_leader", "handler", "head", "supervisor", "admin"])
def test_it_shows_a_day_to_its_leader_and_inside_or_above_its_unit(
    client, org, township_day, viewer, request
):
    user = request.getfixturevalue("township_leader") if viewer == "township_leader" else getattr(org, viewer)
    client.force_login(user)
    assert client.get(f"/reception/{township_day.pk}/").status_code == 200


@pytest.mark.parametrize("viewer", ["village_handler", "hekou_handler", "outsider", "clerk"])
def test_it_hides_a_day_below_beside_and_outside_its_unit(client, org, township_day, viewer):
    client.force_login(getattr(org, viewer))
    for response in (
        client.get(f"/reception/{township_day.pk}/"),
        client.get(f"/reception/{township_day.pk}/edit"),
        client.post(f"/reception/{township_day.pk}/publish", {"published": "1"}),
    ):
        assert response.status_code == 404
        assert DAY_REFUSAL in response.content.decode()
    assert "城关镇唐书记" not in client.get("/reception/").content.decode()


def test_a_viewer_of_the_day_who_does_not_manage_it_gets_no_tools(client, org, township_day):
    booking = township_day.bookings.get()
    client.force_login(org.handler)
    page = client.get(f"/reception/{township_day.pk}/").content.decode()
    assert "发布到群众门户" not in page
    assert "登记诉求并关联本次接访" not in page
    assert f"/reception/{township_day.pk}/booking/{booking.pk}/attendance" not in page
    assert client.get(f"/reception/{township_day.pk}/edit").status_code == 404

    refused = client.post(f"/reception/{township_day.pk}/publish", {"published": "1"}, follow=True)
    assert "您没有权限发布此接访安排。" in refused.content.decode()
    refused = client.post(
        f"/reception/{township_day.pk}/booking/{booking.pk}/attendance", {"attended": "1"}, follow=True
    )
    assert "您没有权限登记到场情况。" in refused.content.decode()
    township_day.refresh_from_db()
    booking.refresh_from_db()
    assert not township_day.published
    assert booking.status == Booking.Status.BOOKED


def test_a_supervisor_above_the_unit_manages_the_day(client, org, township_day):
    booking = township_day.bookings.get()
    client.force_login(org.supervisor)
    page = client.get(f"/reception/{township_day.pk}/").content.decode()
    assert "发布到群众门户" in page
    assert "登记诉求并关联本次接访" in page
    client.post(f"/reception/{township_day.pk}/publish", {"published": "1"})
    client.post(f"/reception/{township_day.pk}/booking/{booking.pk}/attendance", {"attended": "1"})
    township_day.refresh_from_db()
    booking.refresh_from_db()
    assert township_day.published
    assert booking.status == Booking.Status.ATTENDED


def test_only_leaders_and_desks_open_the_new_day_form(client, org):
    client.force_login(org.handler)
    assert client.get(reverse("reception:new")).status_code == 403
    assert client.post(reverse("reception:new"), {}).status_code == 403
    client.force_login(org.leader)
    assert client.get(reverse("reception:new")).status_code == 200
    client.force_login(org.clerk)
    assert client.get(reverse("reception:new")).status_code == 200
