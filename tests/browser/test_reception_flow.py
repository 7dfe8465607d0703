"""A leader's reception day, in a real Chromium: published in the staff pages, booked by a
resident on a phone, and the resident's appeal registered at the session from the booking."""

import re
import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.appeals.models import Appeal
from grassroots.reception.models import Booking, ReceptionAppeal, ReceptionDay

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 390, "height": 844}


def _clear_of_midnight():
    """The session is today's: publishing and booking are refused once its date has passed, so
    a run that starts in the last minutes of a day waits for the next one to begin."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    if midnight - now < timedelta(minutes=3):
        time.sleep((midnight - now).total_seconds() + 1)


def test_a_published_reception_day_is_booked_by_a_resident_and_the_appeal_is_linked_to_the_session(
    org, live_server, new_page
):
    base = live_server.url
    # The session is today: it can be published and booked, and staff register appeals at it.
    _clear_of_midnight()
    today = timezone.localdate()

    leader = new_page()
    login(leader, base, "lee")
    leader.goto(f"{base}/reception/")
    leader.get_by_role("link", name="安排接访").click()
    leader.select_option("#id_leader", str(org.leader.pk))
    leader.select_option("#id_unit", str(org.east.pk))
    leader.fill("#id_date", today.isoformat())
    leader.fill("#id_start_time", "08:30")
    leader.fill("#id_end_time", "17:30")
    leader.select_option("#id_place_unit", str(org.chengguan.pk))
    leader.fill("#id_address", "城关镇便民服务中心二楼接待室")
    leader.fill("#id_topic", "住房保障与老旧小区改造")
    leader.fill("#id_capacity", "5")
    leader.get_by_role("button", name="保存").click()
    expect(leader.locator(".msg-success")).to_contain_text("接访安排已保存")
    leader.get_by_role("button", name="发布到群众门户").click()
    expect(leader.locator(".msg-success")).to_contain_text("已发布到群众门户")
    day = ReceptionDay.objects.get()
    assert day.published and day.leader == org.leader and day.date == today

    resident = new_page(viewport=PHONE_SCREEN)
    resident.goto(f"{base}/p/reception/")
    card = resident.locator("article.card", has_text="县长李")
    expect(card).to_contain_text("住房保障与老旧小区改造")
    card.get_by_role("link", name="预约").click()
    expect(resident.locator("body")).to_contain_text("尚余 5 个")
    resident.fill("[name=name]", "陈桂兰")
    resident.fill("[name=phone]", "13912345678")
    resident.fill("[name=description]", "城东村安置小区楼顶漏水三年，多次找物业未修，想当面向县长反映。")
    resident.get_by_role("button", name="提交预约").dblclick()  # the impatient double-click
    expect(resident.locator("h1")).to_have_text("预约成功")
    code = resident.locator(".big-code").inner_text().strip()
    assert re.fullmatch(r"JF[A-Z2-9]{8}", code)
    booking = Booking.objects.get()
    assert booking.code == code and booking.status == Booking.Status.BOOKED

    staff = new_page()
    login(staff, base, "susan")
    staff.goto(f"{base}/reception/")
    staff.get_by_role("link", name=today.strftime("%Y-%m-%d")).click()
    staff.get_by_role("link", name=f"按预约 {code} 登记诉求").click()
    form = staff.locator("#register")
    expect(form).to_contain_text("按群众预约登记")
    expect(form.locator("[name=petitioner_name]")).to_have_value("陈桂兰")
    expect(form.locator("[name=content]")).to_have_value(re.compile("楼顶漏水三年"))
    expect(staff.locator("body")).not_to_contain_text("13912345678")
    form.locator("[name=title]").fill("城东村安置小区楼顶漏水三年未修")
    form.locator("[name=place_unit]").select_option(str(org.chengdong.pk))
    form.get_by_role("button", name="登记诉求并关联本次接访").click()
    expect(staff.locator(".msg-success")).to_contain_text("已登记并关联本次接访")

    appeal = Appeal.objects.get()
    staff.get_by_role("link", name=appeal.tracking_code).click()
    expect(staff.locator("h1")).to_contain_text("城东村安置小区楼顶漏水三年未修")
    linked = staff.locator(".reception-link")
    expect(linked).to_contain_text(f"{today.year}年{today.month}月{today.day}日 县长李 接访")
    expect(linked).to_contain_text(f"预约码 {code}")
    expect(linked).to_contain_text("接访领导：县长李")

    link = ReceptionAppeal.objects.get()
    assert (link.appeal, link.day, link.booking) == (appeal, day, booking)
    assert appeal.phone == "13912345678" and appeal.channel == "visit"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ATTENDED
