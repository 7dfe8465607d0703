from datetime import date

import pytest
import time_machine
from django.urls import reverse

from grassroots.appeals import actions
from grassroots.appeals.models import EventKind
from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule

SCHEDULE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（测试数据）
2027-01-01 休 元旦
2027-01-30 班 春节调休
2027-02-05 休 春节
2027-02-07 班 春节调休
"""


@pytest.fixture
def admin(client, org):
    client.force_login(org.admin)
    return client


@pytest.fixture
def no_2027(db):
    """Whatever the seeded schedule covers, 2027 starts out not entered."""
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()


def paste(client, year, text, **extra):
    data = {"text": text, "replace": "on", "mark_entered": "on", "source": "国办发明电〔2026〕1号", **extra}
    return client.post(reverse("administration:calendar_paste", args=[year]), data, follow=True)


def test_it_turns_a_provisional_deadline_firm_when_the_year_is_entered(admin, org, make_appeal, no_2027):
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        admin.force_login(org.admin)  # sessions expire: sign in on the travelled date
        appeal = make_appeal()
        appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        # 60 days → Sat 2027-01-30; 2027 not entered (only the law's holidays): Mon 2027-02-01, provisional
        assert (appeal.due_date, appeal.due_provisional) == (date(2027, 2, 1), True)
        response = paste(admin, 2027, SCHEDULE_2027)

    page = response.content.decode()
    assert "已保存 2027 年的 4 个日期，并标记为已录入" in page
    assert "重新计算：1 件诉求的期限" in page
    appeal.refresh_from_db()
    assert (appeal.due_date, appeal.due_provisional) == (date(2027, 1, 30), False)  # a 调休 working Saturday
    event = appeal.events.get(kind=EventKind.DEADLINE_RECOMPUTED)
    assert "2027-02-01" in event.note and "2027-01-30" in event.note
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕1号"


def test_it_saves_nothing_when_any_pasted_line_is_bad(admin, org, no_2027):
    text = SCHEDULE_2027 + "\n".join(
        [
            "2027-02-31 休 春节",
            "2027-02-10 班 春节调休",
            "2026-12-31 休 元旦",
            "2027-02-05 休 重复",
        ]
    )
    response = paste(admin, 2027, text)
    page = response.content.decode()
    assert "第 7 行「2027-02-31 休 春节」：日期「2027-02-31」无效" in page
    assert "第 8 行「2027-02-10 班 春节调休」：2027-02-10 是星期三" in page
    assert "第 9 行「2026-12-31 休 元旦」：2026-12-31 不在 2027 年内" in page
    assert "第 10 行「2027-02-05 休 重复」：日期与第 5 行重复" in page
    assert "本次未保存任何日期" in page
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_it_replaces_the_days_of_a_year_or_adds_to_them(admin, org, no_2027):
    CalendarDay.objects.create(date=date(2027, 5, 3), name="旧数据")
    paste(admin, 2027, "2027-01-01 休 元旦", replace="")
    names = CalendarDay.objects.filter(date__year=2027).values_list("name", flat=True)
    assert set(names) == {"旧数据", "元旦"}
    paste(admin, 2027, "2027-01-01 休 元旦")
    assert list(names.all()) == ["元旦"]


def test_it_adds_and_removes_a_single_day(admin, org, no_2027):
    url = reverse("administration:calendar_day_add", args=[2027])
    response = admin.post(url, {"date": "2027-10-01", "kind": "off", "name": "国庆节"}, follow=True)
    assert "没有期限因此改变" in response.content.decode()
    day = CalendarDay.objects.get(date=date(2027, 10, 1))
    assert not day.is_workday and day.name == "国庆节"

    response = admin.post(url, {"date": "2027-10-01", "kind": "off", "name": "再次"})
    assert "已有安排" in response.content.decode()
    response = admin.post(url, {"date": "2027-10-13", "kind": "work", "name": "调休"})
    assert "本来就是工作日" in response.content.decode()
    response = admin.post(url, {"date": "2028-01-01", "kind": "off", "name": "元旦"})
    assert "不在 2027 年内" in response.content.decode()
    assert CalendarDay.objects.filter(date__year__gte=2027).count() == 1

    admin.post(reverse("administration:calendar_day_delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_it_marks_and_unmarks_a_year_as_entered(admin, org, make_appeal, no_2027):
    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        admin.force_login(org.admin)
        appeal = make_appeal()  # 15 days → 2027-01-04, provisional
        assert appeal.due_provisional
        response = admin.post(
            reverse("administration:calendar_year_mark", args=[2027]),
            {"source": "国务院办公厅通知"},
            follow=True,
        )
        assert "重新计算：1 件诉求的期限" in response.content.decode()
        appeal.refresh_from_db()
        assert not appeal.due_provisional
        assert CalendarYear.objects.get(year=2027).source == "国务院办公厅通知"

        admin.post(reverse("administration:calendar_year_unmark", args=[2027]))
        appeal.refresh_from_db()
        assert appeal.due_provisional and not CalendarYear.objects.filter(year=2027).exists()


def test_it_edits_a_rule_within_the_law_for_clocks_that_start_afterwards(admin, org, make_appeal):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        admin.force_login(org.admin)
        running = make_appeal()
        assert running.due_date == date(2026, 3, 17)
        rule = DeadlineRule.objects.get(key="dispatch")
        response = admin.post(
            reverse("administration:deadline_rule", args=[rule.pk]), {"days": "10"}, follow=True
        )
        assert "已保存时限规则" in response.content.decode()
        rule.refresh_from_db()
        assert (rule.days, rule.working_days) == (10, False)  # the law counts calendar days
        running.refresh_from_db()
        assert running.due_date == date(2026, 3, 17)  # a running clock keeps the days it started with
        assert make_appeal().due_date == date(2026, 3, 12)

        response = admin.post(
            reverse("administration:deadline_rule", args=[rule.pk]), {"days": "16"}, follow=True
        )
    assert "不得超过法定的 15 日（信访工作条例第二十二条）" in response.content.decode()
    rule.refresh_from_db()
    assert rule.days == 10


def test_it_lists_years_and_rules(admin, org, no_2027):
    page = admin.get(reverse("administration:calendar")).content.decode()
    assert "2026 年" in page and "2027 年" in page and "未录入" in page
    assert "受理后办结" in page
    page = admin.get(reverse("administration:calendar_year", args=[2026])).content.decode()
    assert "国庆节" in page
