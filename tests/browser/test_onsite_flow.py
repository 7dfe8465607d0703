"""On-site office in a real Chromium: a leader holds a session and records a decision that
becomes a task for 城关镇; the town reports progress with a photo and completion; the leader
accepts it."""

import pytest
from playwright.sync_api import expect

from grassroots.demo.onsite import tiny_png
from grassroots.onsite.models import OnsiteSession, Task, TaskStatus

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, action, files=None, **fields):
    """Open an action panel on the task page, fill it and submit it."""
    panel = page.locator(f"#action-{action}")
    panel.locator("summary").click()
    for name, value in fields.items():
        panel.locator(f"[name={name}]").fill(value)
    if files:
        panel.locator("[name=evidence]").set_input_files(files)
    panel.locator("button[type=submit]").click()
    expect(page.locator(".msg-success")).to_be_visible()


def test_a_decision_at_an_onsite_session_becomes_a_task_that_is_updated_and_accepted(
    org, live_server, new_page
):
    base = live_server.url

    leader = new_page()
    login(leader, base, "lee")
    leader.goto(f"{base}/onsite/")
    leader.get_by_role("link", name="安排现场办公").click()
    leader.fill("[name=title]", "城东村排水问题现场办公会")
    leader.select_option("[name=unit]", str(org.east.pk))
    leader.select_option("[name=place]", str(org.chengdong.pk))
    leader.fill("[name=address]", "城东村村委会会议室")
    leader.select_option("[name=officials]", [str(org.head.pk)])
    leader.fill("[name=attendees]", "东城县住建局 王建国\n城东村 李村长")
    leader.fill("[name=agenda]", "城东村三组排水沟堵塞，雨天积水入户")
    leader.locator("form button[type=submit]").filter(
        has_text="保存"
    ).dblclick()  # the impatient double-click
    expect(leader.locator("h1")).to_have_text("城东村排水问题现场办公会")
    assert OnsiteSession.objects.count() == 1
    session = OnsiteSession.objects.get()

    panel = leader.locator("#action-decision")
    panel.locator("summary").click()
    panel.locator("[name=agenda_item]").select_option(label="1. 城东村三组排水沟堵塞，雨天积水入户")
    panel.locator("[name=text]").fill("城关镇牵头清淤三组排水沟并加装盖板")
    panel.locator("[name=units]").select_option([str(org.chengguan.pk)])
    panel.locator("[name=working_days]").fill("5")
    panel.locator("button[type=submit]").click()
    expect(leader.locator(".msg-success")).to_contain_text("已记录决定事项")
    task = Task.objects.get()
    row = leader.locator("#decisions table tbody tr")
    expect(row).to_contain_text("城关镇")
    expect(row).to_contain_text("已交办")
    expect(row).to_contain_text(f"{task.deadline:%Y-%m-%d}")
    expect(leader.locator("body")).to_contain_text("已召开")

    handler = new_page()
    login(handler, base, "bob")
    handler.goto(f"{base}/onsite/tasks/")
    handler.get_by_role("link", name="城关镇牵头清淤三组排水沟并加装盖板").click()
    act(
        handler,
        "progress",
        files=[{"name": "清淤现场.png", "mimeType": "image/png", "buffer": tiny_png()}],
        progress="60",
        note="已清淤主沟，盖板正在预制",
    )
    expect(handler.locator(".timeline")).to_contain_text("已清淤主沟，盖板正在预制")
    expect(handler.get_by_role("link", name="清淤现场.png").first).to_be_visible()

    head = new_page()
    login(head, base, "hank")
    head.goto(f"{base}/onsite/tasks/{task.pk}/")
    act(head, "submit", note="排水沟已全部清淤，盖板安装完毕")
    expect(head.locator("body")).to_contain_text("已办结待验收")

    leader.goto(f"{base}/onsite/tasks/")
    leader.locator("#awaiting").get_by_role("link", name="城关镇牵头清淤三组排水沟并加装盖板").click()
    act(leader, "accept", comment="经现场核查，整改到位")
    expect(leader.locator("h1 + p .badge")).to_have_text("已验收")
    leader.goto(f"{base}/onsite/{session.pk}/")
    expect(leader.locator("#decisions table tbody tr")).to_contain_text("已验收")

    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED and task.accepted_by == org.leader
    assert task.finished_on_time() is True
    assert task.evidence.get().original_name == "清淤现场.png"
    assert list(task.updates.values_list("kind", flat=True)) == ["assign", "progress", "submit", "accept"]
