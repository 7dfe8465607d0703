import uuid
from datetime import date, time

import pytest

from grassroots.reception.models import ReceptionDay


@pytest.fixture
def day(org, travel):
    """An unpublished reception day of 县长李 on 2026-03-10, two slots."""
    return ReceptionDay.objects.create(
        leader=org.leader,
        unit=org.east,
        date=date(2026, 3, 10),
        start_time=time(9),
        end_time=time(11, 30),
        place_unit=org.chengguan,
        address="城关镇便民服务中心二楼",
        topic="住房与民生",
        capacity=2,
    )


@pytest.fixture
def book(client):
    def do(day, phone, name="张三", description="小区排水问题", token=None):
        return client.post(
            f"/p/reception/{day.pk}/",
            {
                "name": name,
                "phone": phone,
                "description": description,
                "submission_token": token or uuid.uuid4().hex,
            },
        )

    return do
