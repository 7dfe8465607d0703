import uuid

from grassroots.appeals.models import Appeal
from grassroots.reception.models import CaseOwnership, ReceptionAppeal, ReceptionDay


def test_it_lets_a_leader_create_and_publish_a_day(client, org, travel):
    client.force_login(org.leader)
    response = client.post(
        "/reception/new",
        {
            "leader": org.leader.pk,
            "unit": org.east.pk,
            "date": "2026-03-20",
            "start_time": "09:00",
            "end_time": "11:00",
            "place_unit": org.chengguan.pk,
            "address": "城关镇政府",
            "topic": "",
            "notes": "",
            "capacity": 5,
        },
    )
    day = ReceptionDay.objects.get()
    assert response.status_code == 302
    assert not day.published
    client.post(f"/reception/{day.pk}/publish", {"published": "1"})
    day.refresh_from_db()
    assert day.published


def test_it_refuses_a_day_for_someone_who_is_not_a_leader(client, org, travel):
    client.force_login(org.supervisor)
    response = client.post(
        "/reception/new",
        {
            "leader": org.handler.pk,
            "unit": org.east.pk,
            "date": "2026-03-20",
            "start_time": "09:00",
            "end_time": "11:00",
            "address": "城关镇政府",
            "capacity": 5,
        },
    )
    assert response.status_code == 200
    assert not ReceptionDay.objects.exists()


def test_it_hides_a_day_from_an_outsider(client, org, day):
    client.force_login(org.outsider)
    assert client.get(f"/reception/{day.pk}/").status_code == 404
    assert client.post(f"/reception/{day.pk}/publish").status_code == 404


def test_it_links_an_appeal_registered_at_the_session(client, org, day):
    client.force_login(org.supervisor)
    response = client.post(
        f"/reception/{day.pk}/appeal",
        {
            "channel": "outreach",
            "title": "老旧小区加装电梯",
            "content": "希望协调加装电梯。",
            "petitioner_name": "赵六",
            "phone": "13900000009",
            "place_unit": org.chengdong.pk,
            "submission_token": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 302
    link = ReceptionAppeal.objects.get()
    assert link.day == day
    assert link.appeal.channel == "outreach"
    page = client.get(f"/reception/{day.pk}/").content.decode()
    assert "老旧小区加装电梯" in page
    assert link.appeal.tracking_code in page


def test_it_registers_nothing_when_the_session_appeal_is_invalid(client, org, day):
    client.force_login(org.supervisor)
    response = client.post(
        f"/reception/{day.pk}/appeal",
        {
            "channel": "letter",
            "title": "标题",
            "content": "内容",
            "petitioner_name": "赵六",
            "phone": "13900000009",
            "submission_token": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    assert not ReceptionAppeal.objects.exists()


def test_it_shows_an_owned_case_on_the_leader_page(client, org, make_appeal, travel):
    appeal = make_appeal(title="拖欠工资")
    client.force_login(org.leader)
    client.post(f"/reception/own/{appeal.pk}", {"note": "亲自协调"})
    page = client.get("/reception/leader/").content.decode()
    assert "拖欠工资" in page
    assert appeal.tracking_code in page


def test_it_keeps_one_current_owner(client, org, make_appeal, travel):
    from grassroots.accounts.models import Membership, Role

    appeal = make_appeal()
    Membership.objects.create(user=org.supervisor, unit=org.east, role=Role.LEADER)
    client.force_login(org.leader)
    client.post(f"/reception/own/{appeal.pk}")
    client.force_login(org.supervisor)
    response = client.post(f"/reception/own/{appeal.pk}", follow=True)
    assert "只能有一位包案领导" in response.content.decode()
    assert CaseOwnership.objects.get().leader == org.leader


def test_it_refuses_ownership_of_an_appeal_the_user_cannot_see(client, org, make_appeal):
    from grassroots.accounts.models import Membership, Role

    appeal = make_appeal()
    Membership.objects.create(user=org.outsider, unit=org.west, role=Role.LEADER)
    client.force_login(org.outsider)
    assert client.post(f"/reception/own/{appeal.pk}").status_code == 404
    assert not CaseOwnership.objects.exists()


def test_it_counts_reception_days_against_the_rule(client, org, day, travel):
    from datetime import date, time

    day.published = True
    day.save()
    ReceptionDay.objects.create(
        leader=org.leader,
        unit=org.east,
        date=date(2026, 1, 15),
        start_time=time(9),
        end_time=time(11),
        address="县信访局",
        capacity=3,
        published=True,
    )
    travel.move_to("2026-04-02 10:00 +0800")
    client.force_login(org.supervisor)
    page = client.get(f"/reception/leader/{org.leader.pk}/").content.decode()
    assert "每月至少 1 次" in page
    assert "2026年2月" in page
    assert "1 个周期未达标" in page
