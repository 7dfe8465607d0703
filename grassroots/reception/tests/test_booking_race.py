"""The two submits of a double-clicked 提交预约 reach the server together: one booking, and both
requests answer with it. Real transactions and threads, so the database's locking decides."""

import uuid

import pytest

from grassroots.reception import actions
from grassroots.reception.models import Booking
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_clicked_booking_books_once_and_both_clicks_get_it(day):
    day.published = True
    day.save()
    token = uuid.uuid4().hex

    def click():
        return actions.book(
            day.pk, name="陈桂兰", phone="13912345678", description="楼顶漏水", submission_token=token
        )

    for _ in range(3):  # the race goes either way; neither way may refuse the resident
        Booking.objects.all().delete()
        first, second = race(click, click)
        assert isinstance(first, Booking) and isinstance(second, Booking), (first, second)
        assert first.pk == second.pk
        assert Booking.objects.count() == 1
