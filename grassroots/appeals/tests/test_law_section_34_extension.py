"""§34: 60 days from acceptance, extendable once by at most 30 days with the unit head's approval,
asked for before the limit runs out; an overrun limit stays on record whatever happens next."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from grassroots.appeals import actions, deadlines
from grassroots.appeals.models import Appeal, EventKind, Overdue
from grassroots.lib.actions import ActionError
from grassroots.workcal.models import CalendarDay, DeadlineRule, forget_cached_calendar


def _at(moment):
    return time_machine.travel(f"{moment} 10:00 +0800", tick=False)


@pytest.fixture
def handling(org, make_appeal):
    # accepted on Mon 2 Mar 2026: the 60th day is Fri 1 May, in the Labour Day holiday (1–5 May),
    # so the limit runs out at the end of Wed 6 May
    with _at("2026-03-02"):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
    assert appeal.due_date == date(2026, 5, 6)
    return appeal


def test_section_34_refuses_an_extension_asked_for_after_the_limit_ran_out(org, handling):
    with _at("2026-05-07"), pytest.raises(ActionError) as refused:
        actions.request_extension(handling, org.handler, days=30, reason="等待鉴定")
    assert "2026年05月06日 届满，不能再申请延期" in str(refused.value) and "第三十四条" in str(refused.value)
    fresh = Appeal.objects.get(pk=handling.pk)
    assert (fresh.version, fresh.extension_pending_days, fresh.due_date) == (
        handling.version,
        0,
        date(2026, 5, 6),
    )


def test_section_34_takes_an_extension_asked_for_on_the_last_day(org, handling):
    with _at("2026-05-06"):
        appeal = actions.request_extension(handling, org.handler, days=30, reason="等待鉴定")
        appeal = actions.decide_extension(appeal, org.head, approve=True)
    assert appeal.due_date == date(2026, 6, 5)  # 30 days on from the 6 May expiry
    assert not Overdue.objects.exists()


def test_section_34_an_approval_after_the_limit_keeps_the_overrun_on_record(org, handling):
    with _at("2026-05-06"):
        appeal = actions.request_extension(handling, org.handler, days=30, reason="等待鉴定")
    with _at("2026-05-08"):  # the head signs two days after the limit
        appeal = actions.decide_extension(appeal, org.head, approve=True)
        assert not appeal.is_overdue()
    period = Overdue.objects.get(appeal=appeal)
    assert (period.due, period.ended_on, period.days()) == (date(2026, 5, 6), date(2026, 5, 8), 2)
    with _at("2026-05-20"):  # replied within the extension: the overrun is still there
        appeal = actions.reply(appeal, org.handler, text="已办结")
    assert list(appeal.overdue_periods.values_list("due", "ended_on")) == [
        (date(2026, 5, 6), date(2026, 5, 8))
    ]
    assert appeal.events.filter(kind=EventKind.OVERDUE, public=False).count() == 1


def test_section_34_an_overrun_shows_to_supervisors_after_the_reply(client, org, handling):
    with _at("2026-05-11"):  # replied five days late
        appeal = actions.reply(handling, org.handler, text="已办结")
        client.force_login(org.supervisor)
        page = client.get(reverse("appeals:inbox") + "?q=overdue&ever=1").content.decode()
        assert appeal.tracking_code in page and "曾超期 5 日" in page
        assert (
            appeal.tracking_code not in client.get(reverse("appeals:inbox") + "?q=overdue").content.decode()
        )
        detail = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "2026-05-06 届满" in detail and "至 2026-05-11 办理，超期 5 日" in detail


def test_section_34_the_hourly_job_records_an_overrun_limit_once(org, handling):
    with _at("2026-05-07"):
        call_command("send_reminders")
        call_command("send_reminders")
    period = Overdue.objects.get(appeal=handling)
    assert (period.due, period.ended_on, period.provisional) == (date(2026, 5, 6), None, False)
    assert handling.events.filter(kind=EventKind.OVERDUE).count() == 1


def test_section_34_the_job_counts_only_the_limits_it_newly_records(org, make_appeal, handling):
    with _at("2026-03-02"):
        others = [
            actions.inform(
                actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="已受理"
            )
            for _ in range(2)
        ]
        on_time = actions.inform(
            actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="已受理"
        )
    with _at("2026-04-01"):
        actions.reply(on_time, org.handler, text="已办结")
    with _at("2026-05-07"):
        assert deadlines.record_overdue(date(2026, 5, 7), chunk=1) == 3
        assert deadlines.record_overdue(date(2026, 5, 7), chunk=1) == 0
    recorded = Overdue.objects.filter(ended_on=None).values_list("appeal_id", flat=True)
    assert sorted(recorded) == sorted([handling.pk] + [a.pk for a in others])
    assert not on_time.events.filter(kind=EventKind.OVERDUE).exists()


def test_section_34_a_calendar_edit_never_erases_an_overrun(admin_client, org, handling):
    with _at("2026-05-08"):
        deadlines.record_overdue(date(2026, 5, 8))
        # a forgotten day off is entered: the limit moves to 7 May, but 6–7 May were overrun as recorded
        CalendarDay.objects.create(date=date(2026, 5, 6), name="补录")
        forget_cached_calendar()
        actions.recompute_open_deadlines()
    appeal = Appeal.objects.get(pk=handling.pk)
    assert appeal.due_date == date(2026, 5, 7)
    assert Overdue.objects.filter(appeal=appeal, due=date(2026, 5, 6)).exists()


def test_section_34_extends_by_at_most_the_rules_days_once(org, handling):
    with _at("2026-04-01"), pytest.raises(ActionError, match="1 至 30 日"):
        actions.request_extension(handling, org.handler, days=31, reason="等待鉴定")
    with _at("2026-04-01"):
        appeal = actions.request_extension(handling, org.handler, days=10, reason="等待鉴定")
        appeal = actions.decide_extension(appeal, org.head, approve=True)
        with pytest.raises(ActionError, match="合计不得超过 30 日"):
            actions.request_extension(appeal, org.handler, days=5, reason="还需时间")


@pytest.mark.parametrize(
    ("from_expiry", "due"),
    [
        (True, date(2026, 6, 5)),  # 30 days after the 6 May expiry (民法典 §201, §203)
        (False, date(2026, 6, 1)),  # 90 days after 2 Mar: Sun 31 May, so Mon 1 Jun
    ],
)
def test_section_34_counts_the_extension_as_the_rule_setting_says(org, handling, from_expiry, due):
    DeadlineRule.objects.filter(key=deadlines.EXTENSION_MAX).update(extends_from_expiry=from_expiry)
    with _at("2026-04-01"):
        appeal = actions.request_extension(handling, org.handler, days=30, reason="等待鉴定")
        appeal = actions.decide_extension(appeal, org.head, approve=True)
    assert (appeal.due_date, appeal.clock.extension_from_expiry) == (due, from_expiry)
    DeadlineRule.objects.filter(key=deadlines.EXTENSION_MAX).update(extends_from_expiry=not from_expiry)
    assert not deadlines.refresh(appeal.clock)  # the reading in force at approval stays with the clock
