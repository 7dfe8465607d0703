from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from grassroots.accounts.models import Membership, Role
from grassroots.appeals import actions
from grassroots.notify.models import Notification
from grassroots.workcal.models import CalendarDay, CalendarYear


def run():
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def dispatched(org, make_appeal):
    # Monday 2 March 2026: dispatched to 城关镇, which must inform the petitioner by 17 March
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        first = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    with time_machine.travel("2026-03-06 10:00 +0800", tick=False):
        later = actions.dispatch(make_appeal(title="河口镇供水"), org.clerk, unit=org.hekou)
    return first, later


def test_it_reminds_the_handling_unit_once_per_due_date(org, dispatched, _memory_outbox):
    first, later = dispatched
    with time_machine.travel("2026-03-10 09:00 +0800", tick=False):
        assert "临期提醒 0 件诉求" in run()  # due 17 and 23 March: not yet within three days
    with time_machine.travel("2026-03-14 09:00 +0800", tick=False):
        summary = run()
    assert "临期提醒 1 件诉求、2 条消息" in summary
    assert sorted(m["to"] for m in _memory_outbox) == ["bob@example.gov.cn", "hank@example.gov.cn"]
    assert "2026年03月17日" in _memory_outbox[0]["body"]
    assert Notification.objects.filter(dedupe_key=f"due_soon:{first.pk}:dispatched:2026-03-17").count() == 2

    for moment in ("2026-03-14 10:00 +0800", "2026-03-15 09:00 +0800"):
        with time_machine.travel(moment, tick=False):
            run()
    assert len(_memory_outbox) == 2  # the same due date is never reminded twice

    with time_machine.travel("2026-03-20 09:00 +0800", tick=False):
        assert "临期提醒 1 件诉求、1 条消息" in run()  # the Hekou appeal: 21 March is a Saturday → 23rd
    assert _memory_outbox[-1]["to"] == "carl@example.gov.cn"


def test_it_reminds_again_when_the_due_date_moves(org, dispatched, _memory_outbox):
    first, _later = dispatched
    with time_machine.travel("2026-03-16 09:00 +0800", tick=False):
        run()
        first = actions.inform(first, org.handler, note="已受理")
    assert first.due_date == date(2026, 5, 15)  # 60 days to conclude
    with time_machine.travel("2026-05-13 09:00 +0800", tick=False):
        run()
        run()
    assert Notification.objects.filter(dedupe_key=f"due_soon:{first.pk}:dispatched:2026-03-17").count() == 2
    assert Notification.objects.filter(dedupe_key=f"due_soon:{first.pk}:handling:2026-05-15").count() == 2


def test_it_reminds_whoever_owes_the_next_step_and_skips_answered_appeals(org, make_appeal, _memory_outbox):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        make_appeal(title="待交办")  # waits at the desk: to be dispatched by 17 March
        replied = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        replied = actions.inform(replied, org.handler, note="已受理")
        replied = actions.reply(replied, org.handler, text="已修复。")
        reviewing = actions.request_review(replied, None, reason="不满意")  # 东城县 decides by 1 April
    with time_machine.travel("2026-03-16 09:00 +0800", tick=False):
        run()
    assert [(m["to"], "待交办" in m["body"]) for m in _memory_outbox] == [("alice@example.gov.cn", True)]
    with time_machine.travel("2026-03-30 09:00 +0800", tick=False):
        run()
    assert _memory_outbox[-1]["to"] == "lee@example.gov.cn"  # the county leader, for the 复查
    assert reviewing.tracking_code in _memory_outbox[-1]["body"] and "复查" in _memory_outbox[-1]["body"]
    assert len(_memory_outbox) == 2  # the desk appeal, overdue by now, is not reminded again


@pytest.fixture
def no_2027(db):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()


def test_it_emails_admins_once_a_day_while_next_year_is_missing(org, no_2027, _memory_outbox):
    with time_machine.travel("2026-10-31 09:00 +0800", tick=False):
        assert "节假日安排提醒 0 封邮件" in run()
    assert _memory_outbox == []

    second = org.supervisor
    Membership.objects.create(user=second, unit=org.east, role=Role.ADMIN)
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        assert "节假日安排提醒 2 封邮件" in run()
    with time_machine.travel("2026-11-02 15:00 +0800", tick=False):
        assert "节假日安排提醒 0 封邮件" in run()
    assert sorted(m["to"] for m in _memory_outbox) == ["adam@example.gov.cn", "susan@example.gov.cn"]
    assert "2027 年节假日安排尚未录入" in _memory_outbox[0]["body"]
    note = Notification.objects.get(recipient="adam@example.gov.cn")
    assert (note.template, note.dedupe_key) == ("calendar_missing", "calendar_missing:2026-11-02")

    with time_machine.travel("2026-11-03 09:00 +0800", tick=False):
        run()
    assert len(_memory_outbox) == 4

    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    with time_machine.travel("2026-11-04 09:00 +0800", tick=False):
        run()
    assert len(_memory_outbox) == 4


def test_it_emails_admins_about_provisional_deadlines(org, make_appeal, _memory_outbox):
    CalendarYear.objects.filter(year=2026).delete()  # as if 2026 had not been entered yet
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        make_appeal()
        run()
        run()
    assert [m["to"] for m in _memory_outbox] == ["adam@example.gov.cn"]
    assert _memory_outbox[0]["body"].startswith(
        "有 1 件诉求的期限跨入尚未录入节假日安排的年份，期限为暂定，请录入 2026 年节假日安排"
    )
