"""The two main flows, in a real Chromium: a resident's appeal from submission to rating,
and a supervisor's 督办 on an overdue appeal."""

import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, EventKind, Rating, Status, Supervision

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 390, "height": 844}


def open_appeal_from_inbox(page, base, code):
    page.goto(f"{base}/work/")
    page.get_by_role("link", name=code).click()
    expect(page.locator("h1")).to_be_visible()


def act(page, action, **fields):
    """Open an action panel on the appeal page, fill it and submit it."""
    panel = page.locator(f"#action-{action}")
    panel.locator("summary").click()
    for name, value in fields.items():
        field = panel.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    panel.locator("button[type=submit]").click()
    expect(page.locator(".msg-success")).to_be_visible()


def test_a_residents_appeal_goes_from_submission_through_dispatch_and_reply_to_a_rating(
    org, live_server, new_page
):
    base = live_server.url

    resident = new_page(viewport=PHONE_SCREEN)
    resident.goto(f"{base}/p/submit")
    resident.fill("[name=title]", "城东村三组路灯坏了两个月")
    resident.fill(
        "[name=content]", "城东村三组主路上的两盏路灯坏了两个月，晚上老人孩子出行不便，请尽快修复。"
    )
    resident.select_option("[name=place_unit]", str(org.chengdong.pk))
    resident.fill("[name=address]", "城东村三组主路")
    resident.fill("[name=petitioner_name]", "王小明")
    resident.fill("[name=phone]", "13812345678")
    resident.locator("button[type=submit]").dblclick()  # the impatient double-click
    code = resident.locator(".big-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{10}", code)
    assert Appeal.objects.count() == 1
    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.registered_unit == org.east_petition and appeal.channel == "online"

    clerk = new_page()
    login(clerk, base, "alice")
    open_appeal_from_inbox(clerk, base, code)
    expect(clerk.locator("body")).not_to_contain_text("13812345678")  # masked until revealed
    act(clerk, "dispatch", unit=str(org.chengguan.pk), note="请城关镇核实并修复")

    handler = new_page()
    login(handler, base, "bob")
    open_appeal_from_inbox(handler, base, code)
    act(handler, "inform", note="已受理，将于一周内安排人员现场查看并维修。")
    act(
        handler,
        "reply",
        text="经现场核实，已更换三组主路路灯两盏，恢复照明。如有问题请联系镇城建办 0571-12345678。",
    )

    resident.goto(f"{base}/p/track")
    resident.fill("[name=code]", code)
    resident.fill("[name=last4]", "5678")
    resident.locator("button[type=submit]").click()
    expect(resident.locator("body")).to_contain_text("已更换三组主路路灯两盏")
    expect(resident.locator("body")).not_to_contain_text("鲍勃")  # staff names stay internal
    resident.locator("[name=score][value=satisfied]").check()
    resident.fill("[name=comment]", "修得很快，谢谢")
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.locator(".msg-success")).to_contain_text("感谢您的评价")

    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED
    assert appeal.handling_unit == org.chengguan
    assert appeal.ratings.get().score == Rating.Score.SATISFIED
    assert list(appeal.events.values_list("kind", flat=True)) == [
        EventKind.REGISTER,
        EventKind.DISPATCH,
        EventKind.INFORM,
        EventKind.REPLY,
        EventKind.DELIVERY,  # read on the portal: the 30 days to ask for 复查 start (§35)
        EventKind.RATE,
    ]
    assert appeal.deliveries.get().method == "portal" and appeal.clock.start == timezone.localdate()


def test_a_supervisor_finds_an_overdue_appeal_and_sends_a_supervision_notice(
    org, make_appeal, live_server, new_page
):
    with time_machine.travel("2026-01-05 09:00 +0800", tick=False):
        late = make_appeal(title="河口镇菜市场污水外溢", place_unit=org.hekou)
        late = actions.dispatch(late, org.clerk, unit=org.hekou)
        late = actions.inform(late, org.hekou_handler, note="已受理")
    on_time = make_appeal(title="城东村垃圾清运不及时")
    assert late.is_overdue() and not on_time.is_overdue()
    base = live_server.url

    supervisor = new_page()
    login(supervisor, base, "susan")
    supervisor.goto(f"{base}/work/")
    supervisor.get_by_role("link", name=re.compile("已超期")).click()
    rows = supervisor.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("河口镇菜市场污水外溢")
    rows.first.get_by_role("link", name=late.tracking_code).click()
    act(supervisor, "supervise", note="已超期，请于三个工作日内办结并书面答复。")

    handler = new_page()
    login(handler, base, "carl")
    handler.goto(f"{base}/work/supervisions")
    expect(handler.locator("body")).to_contain_text("请于三个工作日内办结")
    handler.get_by_role("button", name="已阅").first.click()
    expect(handler.get_by_role("button", name="已阅")).to_have_count(0)

    supervision = Supervision.objects.get(appeal=late)
    assert supervision.unit == org.hekou and supervision.acknowledged_at is not None
    assert late.events.filter(kind=EventKind.SUPERVISE).count() == 1


def test_a_staff_list_on_a_phone_names_each_field_and_keeps_dates_whole(
    org, make_appeal, live_server, new_page
):
    make_appeal(title="城东村垃圾清运不及时")
    page = new_page(viewport=PHONE_SCREEN)
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/work/?q=all")
    cells = page.locator("table.responsive tbody tr").first.locator("td")
    labels = cells.evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels[:2] == ['"查询码："', '"标题："']
    assert all(label not in ("none", "normal", "") for label in labels)
    wide = new_page()
    login(wide, live_server.url, "alice")
    wide.goto(f"{live_server.url}/work/?q=all")
    first = wide.locator("table.responsive tbody tr").first.locator("td")
    assert first.first.evaluate("c => getComputedStyle(c, '::before').content") in ("none", "normal")


def test_a_resident_finds_the_unit_to_report_by_typing_its_name(org, live_server, new_page):
    page = new_page(viewport=PHONE_SCREEN)
    page.goto(f"{live_server.url}/p/submit")
    page.check("[name=is_report]")
    search = page.locator("input.select-search")
    expect(search).to_be_visible()
    search.fill("住建")
    select = page.locator("[name=accused_unit]")
    assert select.input_value() == str(org.east_housing.pk)
    shown = select.locator("option:not([hidden])").all_inner_texts()
    assert [t for t in shown if t.strip() and "请选择" not in t] == ["东城县住建局"]
