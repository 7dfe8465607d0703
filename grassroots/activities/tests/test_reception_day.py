"""记录为下基层活动: a published reception day that has taken place becomes one activity of kind 接访."""

from datetime import date, time

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from grassroots.activities.models import Activity, EventKind, Kind
from grassroots.reception.models import Booking, ReceptionAppeal


def record(client, user, day):
    client.force_login(user)
    return client.post(reverse("activities:record_reception_day", args=[day.pk]))


def render_tag(user, day):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load activities_tags %}{% reception_day_activity day %}")
    return template.render(Context({"request": request, "day": day, "csrf_token": "tok"}))


def book(day, name, status):
    return Booking.objects.create(
        day=day,
        name=name,
        phone_encrypted="",
        phone_digest=name,
        phone_last4="0000",
        description="住房问题",
        code=f"JF{name}",
        status=status,
    )


def test_the_leader_records_the_day_with_what_happened_there(client, org, past_day, make_appeal):
    book(past_day, "甲", Booking.Status.ATTENDED)
    book(past_day, "乙", Booking.Status.NO_SHOW)
    book(past_day, "丙", Booking.Status.CANCELLED)
    for title in ("房屋漏水", "物业纠纷"):
        ReceptionAppeal.objects.create(day=past_day, appeal=make_appeal(title=title))
    assert "记录为下基层活动" in render_tag(org.leader, past_day)

    response = record(client, org.leader, past_day)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert (activity.kind, activity.reception_day, activity.unit) == (Kind.RECEPTION, past_day, org.east)
    assert list(activity.officials.all()) == [org.leader]
    assert (activity.place, activity.address) == (org.chengguan, "城关镇便民服务中心二楼")
    assert (activity.date, activity.duration_minutes) == (date(2026, 2, 27), 150)
    assert activity.title == "县长李领导接访日：住房与民生"
    assert "预约 2 人，到场 1 人，现场登记诉求 2 件" in activity.summary
    assert activity.events.get().kind == EventKind.RECEPTION

    page = client.get(response["Location"]).content.decode()
    assert reverse("reception:day", args=[past_day.pk]) in page
    tag = render_tag(org.leader, past_day)
    assert "已记录为下基层活动" in tag and reverse("activities:detail", args=[activity.pk]) in tag


def test_a_day_is_recorded_only_once(client, org, past_day):
    record(client, org.leader, past_day)
    again = record(client, org.supervisor, past_day)
    activity = Activity.objects.get()
    assert again["Location"] == reverse("activities:detail", args=[activity.pk])
    assert "这次接访已记录为下基层活动，未重复记录" in client.get(again["Location"]).content.decode()


def test_a_day_not_yet_over_or_not_published_is_not_recorded(client, org, past_day, travel):
    past_day.published = False
    past_day.save()
    response = record(client, org.leader, past_day)
    assert response["Location"] == reverse("reception:day", args=[past_day.pk])
    assert "只有已发布的接访日可以记录为下基层活动" in client.get(response["Location"]).content.decode()
    assert "记录为下基层活动" not in render_tag(org.leader, past_day)

    past_day.published = True
    past_day.date, past_day.start_time, past_day.end_time = date(2026, 3, 2), time(9), time(11, 30)
    past_day.save()
    record(client, org.leader, past_day)  # it is 10:00, the session is still on
    assert "接访结束后" in render_tag(org.leader, past_day)
    assert not Activity.objects.exists()
    travel.move_to("2026-03-02 11:45 +0800")
    assert "记录为下基层活动" in render_tag(org.leader, past_day)
    assert record(client, org.leader, past_day).status_code == 302
    assert Activity.objects.count() == 1


def test_only_the_leader_and_who_manages_the_day_may_record_it(client, org, past_day):
    assert record(client, org.head, past_day).status_code == 404  # below the county: cannot see the day
    assert record(client, org.outsider, past_day).status_code == 404
    assert record(client, org.clerk, past_day).status_code == 404
    assert "记录为下基层活动" not in render_tag(org.head, past_day)
    assert "记录为下基层活动" in render_tag(org.supervisor, past_day)
    assert record(client, org.supervisor, past_day).status_code == 302
    assert Activity.objects.get().created_by == org.supervisor


def test_an_activity_recorded_from_a_day_stays_a_reception(client, org, past_day):
    record(client, org.leader, past_day)
    activity = Activity.objects.get()
    data = {
        "kind": "outreach",
        "title": activity.title,
        "unit": org.east.pk,
        "officials": [org.leader.pk],
        "place": org.chengguan.pk,
        "date": "2026-02-27",
        "duration_minutes": "150",
        "outreach_topic": "住房政策",
        "version": activity.version,
    }
    response = client.post(reverse("activities:edit", args=[activity.pk]), data)
    assert response.status_code == 400
    assert "这次活动由领导接访日记录，活动类型应为「接访/下访」" in response.content.decode()
    data.update(kind="reception", summary="补充：现场解决 2 件。")
    assert client.post(reverse("activities:edit", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.summary, activity.reception_day) == (
        "reception",
        "补充：现场解决 2 件。",
        past_day,
    )
