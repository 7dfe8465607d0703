import copy

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from grassroots.administration.context_processors import calendar_notice
from grassroots.workcal.models import CalendarDay, CalendarYear

PROCESSOR = "grassroots.administration.context_processors.calendar_notice"


@pytest.fixture
def no_2027(db):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()


@pytest.fixture
def with_processor(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if PROCESSOR not in processors:
        processors.append(PROCESSOR)
    settings.TEMPLATES = templates


def notice_for(rf, user):
    request = rf.get("/")
    request.user = user
    return calendar_notice(request)


def test_it_reminds_admins_only_after_november_first(rf, org, no_2027):
    with time_machine.travel("2026-10-31 10:00 +0800", tick=False):
        assert notice_for(rf, org.admin) == {}
    with time_machine.travel("2026-11-01 10:00 +0800", tick=False):
        notice = notice_for(rf, org.admin)
        assert "2027 年节假日安排尚未录入" in notice["calendar_notice"]
        assert notice["calendar_notice_url"] == reverse("administration:calendar_year", args=[2027])
        for person in (org.clerk, org.supervisor, org.leader, org.handler, AnonymousUser()):
            assert notice_for(rf, person) == {}


def test_it_caches_the_reminder_for_five_minutes(rf, org, no_2027):
    with time_machine.travel("2026-11-01 10:00 +0800", tick=False) as traveller:
        assert notice_for(rf, org.admin)
        CalendarYear.objects.create(year=2027)  # entered behind the pages' back
        traveller.shift(4 * 60)
        assert notice_for(rf, org.admin)
        traveller.shift(2 * 60)
        assert notice_for(rf, org.admin) == {}


def test_it_counts_provisional_deadlines_in_the_reminder(rf, org, make_appeal, no_2027):
    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        make_appeal()
        make_appeal()  # both due 2027-01-04, provisional
        notice = notice_for(rf, org.admin)
    assert notice["calendar_notice"] == (
        "有 2 件诉求的期限跨入尚未录入节假日安排的年份，期限为暂定，请录入 2027 年节假日安排"
    )


def test_it_shows_the_reminder_on_admin_pages_until_the_year_is_entered(client, org, no_2027, with_processor):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        client.force_login(org.admin)
        response = client.get(reverse("administration:calendar"))
        assert "2027 年节假日安排尚未录入" in response.context["calendar_notice"]
        client.post(
            reverse("administration:calendar_paste", args=[2027]),
            {"text": "2027-01-01 休 元旦", "replace": "on", "mark_entered": "on"},
        )
        response = client.get(reverse("administration:calendar"))
        assert "calendar_notice" not in response.context

        client.force_login(org.clerk)
        CalendarYear.objects.filter(year=2027).delete()
        response = client.get(reverse("appeals:inbox"))
        assert response.status_code == 200
        assert "calendar_notice" not in response.context
