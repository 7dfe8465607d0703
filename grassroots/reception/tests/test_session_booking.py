"""Registering a booked resident's appeal at the session: the form starts from the booking,
the appeal links to the day, its leader and the booking, and the booking counts as attended."""

import uuid

from django.urls import reverse

from grassroots.appeals.models import Appeal
from grassroots.reception.models import Booking, ReceptionAppeal


def _booked(client, day, book, phone="13800000001", **kw):
    day.published = True
    day.save()
    book(day, phone, **kw)
    return Booking.objects.get(phone_last4=phone[-4:])


def _register(client, day, booking, **kw):
    data = {
        "channel": "visit",
        "title": "小区排水管道堵塞",
        "content": booking.description,
        "petitioner_name": booking.name,
        "phone": "",
        "booking": booking.pk,
        "submission_token": uuid.uuid4().hex,
    }
    data.update(kw)
    return client.post(f"/reception/{day.pk}/appeal", data)


def test_it_starts_the_session_form_from_a_booking_without_showing_the_phone(client, org, day, book, travel):
    booking = _booked(client, day, book, description="小区排水管道堵塞，雨天污水漫进楼道")
    travel.move_to("2026-03-10 09:30 +0800")
    client.force_login(org.supervisor)
    page = client.get(f"/reception/{day.pk}/").content.decode()
    assert f"?booking={booking.pk}#register" in page

    page = client.get(f"/reception/{day.pk}/", {"booking": booking.pk}).content.decode()
    assert "按群众预约登记" in page
    assert 'value="张三"' in page
    assert "雨天污水漫进楼道" in page
    assert f'name="booking" value="{booking.pk}"' in page
    assert "13800000001" not in page


def test_it_registers_the_appeal_from_the_booking_on_the_day(client, org, day, book, travel):
    booking = _booked(client, day, book)
    travel.move_to("2026-03-10 09:30 +0800")
    client.force_login(org.supervisor)
    response = _register(client, day, booking)
    assert response.status_code == 302

    link = ReceptionAppeal.objects.get()
    assert (link.day, link.booking) == (day, booking)
    assert link.appeal.phone == "13800000001"  # taken from the booking
    assert link.appeal.registered_unit == org.east and link.appeal.channel == "visit"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ATTENDED
    page = client.get(f"/reception/{day.pk}/").content.decode()
    assert link.appeal.tracking_code in page and booking.code in page


def test_it_shows_the_session_and_its_leader_on_the_appeal_page(client, org, day, book, travel):
    booking = _booked(client, day, book)
    travel.move_to("2026-03-10 09:30 +0800")
    client.force_login(org.supervisor)
    _register(client, day, booking, place_unit=org.chengdong.pk)
    appeal = Appeal.objects.get()
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "2026年3月10日 县长李 接访" in page
    assert f'href="/reception/{day.pk}/"' in page
    assert f"预约码 {booking.code}" in page

    from grassroots.appeals import actions

    actions.dispatch(appeal, org.supervisor, unit=org.chengguan)
    client.force_login(org.handler)  # sees the appeal, not the county's reception day
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "2026年3月10日 县长李 接访" in page
    assert f'href="/reception/{day.pk}/"' not in page


def test_it_refuses_to_register_from_a_booking_before_the_day(client, org, day, book):
    booking = _booked(client, day, book)
    client.force_login(org.supervisor)
    response = _register(client, day, booking)
    assert response.status_code == 400
    assert "接访尚未开始" in response.content.decode()
    assert not Appeal.objects.exists()
    assert Booking.objects.get().status == Booking.Status.BOOKED


def test_it_refuses_a_cancelled_booking_or_one_of_another_day(client, org, day, book, travel):
    booking = _booked(client, day, book)
    client.post("/p/reception/cancel", {"code": booking.code, "last4": "0001"})
    other_day = type(day).objects.create(
        leader=org.leader,
        unit=org.east,
        date=day.date,
        start_time=day.start_time,
        end_time=day.end_time,
        address="县信访局",
        capacity=3,
    )
    travel.move_to("2026-03-10 09:30 +0800")
    client.force_login(org.supervisor)
    response = _register(client, day, booking)
    assert response.status_code == 400
    assert "已取消" in response.content.decode()
    response = _register(client, other_day, booking)
    assert response.status_code == 400
    assert "该预约不属于本次接访" in response.content.decode()
    assert not Appeal.objects.exists()


def test_it_asks_for_a_phone_when_not_registering_from_a_booking(client, org, day, travel):
    client.force_login(org.supervisor)
    response = client.post(
        f"/reception/{day.pk}/appeal",
        {
            "channel": "visit",
            "title": "老旧小区加装电梯",
            "content": "希望协调加装电梯。",
            "petitioner_name": "赵六",
            "phone": "",
            "submission_token": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 400
    assert "请填写手机号码" in response.content.decode()
    assert not Appeal.objects.exists()
