"""Deadlines as N working days after the session, on the seeded working calendar."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.onsite.models import Task
from grassroots.onsite.tests.helpers import make_session


def _decide(client, session, **kw):
    data = {
        "text": "限期修复村道塌方路段",
        "units": [kw.pop("unit").pk],
        "submission_token": kw.pop("token", ""),
    }
    data.update(kw)
    return client.post(reverse("onsite:decision", args=[session.pk]), data)


def test_working_days_skip_the_spring_festival_week_and_count_its_makeup_saturday(client, org, travel):
    travel.move_to("2026-02-13 10:00 +0800")  # Friday before the 2026 Spring Festival (Feb 15–23 off)
    session = make_session(org, day=date(2026, 2, 13))
    client.force_login(org.leader)
    assert _decide(client, session, unit=org.chengguan, working_days="5").status_code == 302
    task = Task.objects.get()
    # Sat Feb 14 is a 调休 working day (1), then Feb 24, 25, 26, 27 after the holiday (2–5)
    assert task.deadline == date(2026, 2, 27)
    assert not task.deadline_provisional
    page = client.get(reverse("onsite:session", args=[session.pk])).content.decode()
    assert "2026-02-27" in page and ">暂定</span>" not in page


def test_a_deadline_past_the_known_holiday_schedule_is_provisional(
    client, org, travel, _memory_outbox, django_capture_on_commit_callbacks
):
    travel.move_to("2026-12-28 10:00 +0800")  # the seeded schedule ends with 2026
    session = make_session(org, day=date(2026, 12, 28))
    client.force_login(org.leader)
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(client, session, unit=org.chengguan, working_days="10").status_code == 302
    task = Task.objects.get()
    # weekdays and New Year's Day (fixed by law); 2027's bridging days are not known yet
    assert task.deadline == date(2027, 1, 12)
    assert task.deadline_provisional
    for url in (reverse("onsite:session", args=[session.pk]), reverse("onsite:task", args=[task.pk])):
        assert ">暂定</span>" in client.get(url).content.decode()
    assert "2027年01月12日（暂定）" in _memory_outbox[0]["body"]


def test_a_fixed_date_is_kept_as_given(client, org, travel):
    session = make_session(org)
    client.force_login(org.leader)
    assert _decide(client, session, unit=org.hekou, deadline="2026-04-30").status_code == 302
    task = Task.objects.get()
    assert task.deadline == date(2026, 4, 30) and not task.deadline_provisional


@pytest.mark.parametrize("days", ["0", "251", "abc"])
def test_it_refuses_a_number_of_working_days_out_of_range(client, org, travel, days):
    session = make_session(org)
    client.force_login(org.leader)
    assert _decide(client, session, unit=org.chengguan, working_days=days).status_code == 400
    assert not Task.objects.exists()
