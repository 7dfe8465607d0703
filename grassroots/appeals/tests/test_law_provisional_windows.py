"""Past the last year whose holiday schedule is entered: the holidays fixed by law
(《全国年节及纪念日放假办法》) count, the State Council's bridging days are unknown, and against the
petitioner a provisional end is never enforced (§35–36). When the schedule comes in, late or not,
every window it moves is recomputed, and requests whose fate it contradicts go to the desk."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from grassroots.accounts.models import Membership, Role
from grassroots.administration import actions as admin_actions
from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Delivery, DoubtfulRequest, EventKind, Status
from grassroots.lib.actions import ActionError
from grassroots.workcal.models import CalendarDay, CalendarYear


def _at(day):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture(autouse=True)
def _no_2027(db):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()


def _replied(org, make_appeal, delivered: str):
    day = date.fromisoformat(delivered)
    with _at(delivered):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        appeal = actions.reply(appeal, org.handler, text="已修复")
        return actions.record_delivery(appeal, org.clerk, method=Delivery.Method.IN_PERSON, delivered_on=day)


def _enter_2027(admin, *days):
    admin_actions.replace_year(
        admin, 2027, days=list(days), replace=True, mark_entered=True, source="国务院办公厅通知"
    )


def test_new_years_day_2027_is_a_holiday_before_the_schedule_is_entered(org, make_appeal):
    appeal = _replied(org, make_appeal, "2026-12-02")  # 30 days end on Fri 1 Jan 2027, New Year's Day
    assert (appeal.due_date, appeal.due_provisional) == (date(2027, 1, 4), True)
    with _at("2027-01-02"):
        appeal = actions.request_review(appeal, None, reason="不服")
    assert appeal.status == Status.REVIEWING
    assert not DoubtfulRequest.objects.exists()  # on time by any reading of the calendar


def test_a_request_after_the_provisional_end_but_within_the_latest_possible_one_is_taken(org, make_appeal):
    appeal = _replied(org, make_appeal, "2027-09-05")  # ends Tue 5 Oct: 1–3 Oct are the law's days off
    assert (appeal.due_date, appeal.clock.latest_due) == (date(2027, 10, 5), date(2027, 10, 11))
    with _at("2027-10-08"):  # the notice may yet make 4–8 October days off
        appeal = actions.request_review(appeal, None, reason="不服")
    assert appeal.status == Status.REVIEWING
    kept = DoubtfulRequest.objects.get()
    assert (kept.outcome, kept.window_due, kept.needs_attention) == ("provisional", date(2027, 10, 5), False)


def test_the_entered_schedule_confirms_a_request_taken_on_a_provisional_end(org, make_appeal):
    appeal = _replied(org, make_appeal, "2027-09-05")
    with _at("2027-10-08"):
        actions.request_review(appeal, None, reason="不服")
        _enter_2027(org.admin, *[(date(2027, 10, d), False, "国庆节") for d in range(1, 8)])
    kept = DoubtfulRequest.objects.get()
    assert (kept.resolution, kept.needs_attention) == ("confirmed", False)


def test_the_entered_schedule_lists_a_request_it_shows_was_late(client, org, make_appeal):
    appeal = _replied(org, make_appeal, "2027-09-05")
    with _at("2027-10-08"):
        actions.request_review(appeal, None, reason="不服")
        _enter_2027(org.admin, *[(date(2027, 10, d), False, "国庆节") for d in range(1, 4)])
        client.force_login(org.clerk)
        inbox = client.get(reverse("appeals:inbox")).content.decode()
    kept = DoubtfulRequest.objects.get()
    assert kept.needs_attention and "申请期限已于 2027年10月05日 届满" in kept.attention_note
    assert appeal.tracking_code in inbox and "请审查此前的受理" in inbox
    with _at("2027-10-09"):
        client.force_login(org.clerk)
        url = reverse("appeals:reassess_request", args=[appeal.pk, kept.pk])
        client.post(url, {"decision": "confirm", "note": "系统按暂定期限受理，信访人无过错，继续复查"})
    kept.refresh_from_db()
    assert (kept.resolution, kept.resolved_by) == ("confirmed", org.clerk)
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REVIEWING


def test_a_request_past_the_latest_possible_end_is_refused_and_kept_once(org, make_appeal):
    appeal = _replied(org, make_appeal, "2027-09-05")
    with _at("2027-10-12"), pytest.raises(ActionError, match="已于 2027年10月05日 届满"):
        actions.request_review(appeal, None, reason="不服")
    with _at("2027-10-13"), pytest.raises(ActionError, match="已于 2027年10月05日 届满"):
        actions.request_review(appeal, None, reason="再次申请")
    kept = DoubtfulRequest.objects.get()
    assert (kept.outcome, kept.reason, kept.needs_attention) == ("refused_late", "不服", False)
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REPLIED
    assert appeal.events.filter(kind=EventKind.REQUEST_REFUSED, public=False).exists()


def test_a_late_schedule_recomputes_a_passed_window_and_lists_the_request_for_reopening(
    client, org, make_appeal
):
    appeal = _replied(org, make_appeal, "2027-09-05")
    with _at("2027-10-12"), pytest.raises(ActionError):
        actions.request_review(appeal, None, reason="路灯仍不亮")
    with _at("2027-10-20"):  # the schedule is entered late, with an unusually long break
        client.force_login(org.admin)
        text = "\n".join(f"2027-10-{d:02d} 休 国庆节" for d in range(1, 13))
        client.post(
            reverse("administration:calendar_paste", args=[2027]),
            {"text": text, "replace": "on", "mark_entered": "on", "source": "通知"},
        )
    window = Appeal.objects.get(pk=appeal.pk).clock
    assert (window.due, window.provisional) == (date(2027, 10, 13), False)
    assert appeal.events.filter(kind=EventKind.DEADLINE_RECOMPUTED).exists()
    kept = DoubtfulRequest.objects.get()
    assert kept.needs_attention and "请重新受理" in kept.attention_note

    with _at("2027-10-21"):
        client.force_login(org.clerk)
        url = reverse("appeals:reassess_request", args=[appeal.pk, kept.pk])
        client.post(url, {"decision": "reopen", "note": ""})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.review_unit, appeal.clock.rule) == (
        Status.REVIEWING,
        org.east,
        "review_decide",
    )
    assert appeal.clock.start == date(2027, 10, 12)  # the organ's 30 days run from the request
    assert DoubtfulRequest.objects.get().resolution == "reopened"


def test_only_the_desk_may_reopen_a_request(client, org, make_appeal):
    appeal = _replied(org, make_appeal, "2027-09-05")
    with _at("2027-10-12"), pytest.raises(ActionError):
        actions.request_review(appeal, None, reason="不服")
    DoubtfulRequest.objects.update(needs_attention=True)
    Membership.objects.filter(user=org.handler).update(role=Role.HANDLER)
    client.force_login(org.handler)
    url = reverse("appeals:reassess_request", args=[appeal.pk, DoubtfulRequest.objects.get().pk])
    assert client.post(url, {"decision": "reopen"}).status_code == 403
    assert DoubtfulRequest.objects.get().resolution == ""
