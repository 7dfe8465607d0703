from datetime import date, time

import pytest

from grassroots.reception.models import ReceptionDay


@pytest.fixture
def past_day(org, travel):
    """A published reception day of 县长李 last Friday (2026-02-27), 9:00–11:30 at 城关镇."""
    return ReceptionDay.objects.create(
        leader=org.leader,
        unit=org.east,
        date=date(2026, 2, 27),
        start_time=time(9),
        end_time=time(11, 30),
        place_unit=org.chengguan,
        address="城关镇便民服务中心二楼",
        topic="住房与民生",
        capacity=5,
        published=True,
    )
