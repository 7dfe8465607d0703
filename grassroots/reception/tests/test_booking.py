from django.core.cache import cache

from grassroots.notify.models import Notification
from grassroots.reception.models import Booking


def _publish(client, org, day):
    client.force_login(org.leader)
    response = client.post(f"/reception/{day.pk}/publish", {"published": "1"})
    assert response.status_code == 302
    client.logout()


def test_it_runs_publish_book_full_wait_cancel_promote(
    client, org, day, book, django_capture_on_commit_callbacks, _memory_outbox
):
    _publish(client, org, day)
    assert "县长李" in client.get("/p/reception/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first = book(day, "13800000001")
        book(day, "13800000002", name="李四")
        third = book(day, "13800000003", name="王五")
    assert "预约成功" in first.content.decode()
    assert "已进入候补名单" in third.content.decode()
    waiting = Booking.objects.get(status="waiting")
    assert waiting.name == "王五"

    booked = Booking.objects.get(name="张三")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/p/reception/cancel", {"code": booked.code, "last4": "0001"})
    assert "预约已取消" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "booked"
    note = Notification.objects.get(template="reception_promoted")
    assert note.recipient == "138****0003"
    assert waiting.code in note.body
    assert _memory_outbox[-1]["to"] == "13800000003"


def test_it_allows_one_booking_per_phone_per_day(client, org, day, book):
    _publish(client, org, day)
    book(day, "13800000001")
    response = book(day, "138 0000 0001", name="另一人")
    assert response.status_code == 400
    assert "同一手机号每场只能预约一次" in response.content.decode()
    assert Booking.objects.count() == 1


def test_it_creates_one_booking_on_a_double_click(client, org, day, book):
    _publish(client, org, day)
    book(day, "13800000001", token="a" * 32)
    response = book(day, "13800000001", token="a" * 32)
    assert response.status_code == 200
    assert Booking.objects.count() == 1


def test_it_rejects_bad_phone_and_long_description(client, org, day, book):
    _publish(client, org, day)
    assert book(day, "12345").status_code == 400
    response = book(day, "13800000001", description="很" * 501)
    assert "500 字以内" in response.content.decode()
    assert not Booking.objects.exists()


def test_it_needs_code_and_last_four_digits_to_cancel(client, org, day, book):
    _publish(client, org, day)
    book(day, "13800000001")
    booking = Booking.objects.get()
    response = client.post("/p/reception/cancel", {"code": booking.code, "last4": "9999"})
    assert "预约码或手机号后四位不正确" in response.content.decode()
    response = client.post("/p/reception/cancel", {"code": "JFNOTACODE", "last4": "0001"})
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_it_hides_unpublished_days_from_the_portal(client, day):
    assert "县长李" not in client.get("/p/reception/").content.decode()
    assert client.get(f"/p/reception/{day.pk}/").status_code == 404


def test_it_limits_booking_per_address(client, org, day, book, settings):
    _publish(client, org, day)
    settings.PORTAL_SUBMIT_RATE = 1
    book(day, "13800000001")
    assert book(day, "13800000002").status_code == 429
    cache.clear()


def test_it_stores_the_phone_encrypted_and_masks_it_for_staff(client, org, day, book):
    _publish(client, org, day)
    book(day, "13800000001")
    assert "13800000001" not in Booking.objects.get().phone_encrypted
    client.force_login(org.supervisor)
    page = client.get(f"/reception/{day.pk}/").content.decode()
    assert "138****0001" in page
    assert "13800000001" not in page


def test_it_marks_attendance(client, org, day, book, travel):
    _publish(client, org, day)
    book(day, "13800000001")
    booking = Booking.objects.get()
    travel.move_to("2026-03-10 10:00 +0800")
    client.force_login(org.supervisor)
    client.post(f"/reception/{day.pk}/booking/{booking.pk}/attendance", {"attended": "1"})
    booking.refresh_from_db()
    assert booking.status == "attended"
