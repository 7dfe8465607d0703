"""§35/§36: the petitioner may ask for 复查 (复核) within 30 days of *receiving* the written answer.
How and when it was delivered is recorded; the window counts from the earliest delivery."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from grassroots.appeals import actions
from grassroots.appeals.models import Delivery, EventKind, Status
from grassroots.lib.actions import ActionError


def _at(day):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def replied(org, make_appeal):
    """The written reply is signed on Mon 2 Mar 2026 and posted."""
    with _at("2026-03-02"):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        return actions.reply(appeal, org.handler, text="已更换路灯两盏。")


def test_section_35_the_window_waits_for_the_answer_to_be_received(org, replied):
    assert (replied.clock.rule, replied.clock.start, replied.due_date) == ("review_request", None, None)
    with _at("2026-06-30"):  # never delivered: the 30 days have not begun
        assert actions.review_stage_open(replied) == "review"
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
    assert appeal.status == Status.REVIEWING


def test_section_35_the_window_counts_from_the_day_the_post_arrived(org, replied):
    with _at("2026-03-09"):  # the receipt (回执) comes back: delivered Thu 5 Mar
        appeal = actions.record_delivery(
            replied,
            org.clerk,
            method=Delivery.Method.POST,
            delivered_on=date(2026, 3, 5),
            note="挂号信 XA123",
        )
    assert (appeal.clock.start, appeal.due_date) == (
        date(2026, 3, 5),
        date(2026, 4, 7),
    )  # 4 Apr is 清明: Tue 7 Apr
    event = appeal.events.last()
    assert event.kind == EventKind.DELIVERY and event.public
    assert "2026年03月05日 邮寄送达" in event.note and "申请复查的期限至 2026年04月07日" in event.note
    with _at("2026-04-07"):
        assert actions.review_stage_open(appeal) == "review"
    with _at("2026-04-08"):
        assert actions.review_stage_open(appeal) is None


def test_section_35_the_earliest_delivery_counts(org, replied):
    with _at("2026-03-09"):
        appeal = actions.record_delivery(
            replied, org.clerk, method=Delivery.Method.POST, delivered_on=date(2026, 3, 6)
        )
        appeal = actions.record_delivery(
            appeal, org.clerk, method=Delivery.Method.IN_PERSON, delivered_on=date(2026, 3, 3)
        )
    assert appeal.clock.start == date(2026, 3, 3)


def test_section_35_a_look_at_the_portal_is_a_delivery_recorded_once(client, org, replied):
    with _at("2026-03-04"):
        client.post("/p/track", {"code": replied.tracking_code, "last4": "5678"})
        page = client.get(f"/p/track/{replied.tracking_code}").content.decode()
        client.get(f"/p/track/{replied.tracking_code}")
    assert "申请复查截止日" in page and "2026年4月3日" in page
    deliveries = list(replied.deliveries.values_list("method", "delivered_on", "recorded_by"))
    assert deliveries == [(Delivery.Method.PORTAL, date(2026, 3, 4), None)]


@pytest.mark.parametrize(("day", "why"), [("2026-03-01", "出具之日"), ("2026-03-20", "至今天之间")])
def test_section_35_refuses_a_delivery_date_before_the_answer_or_after_today(org, replied, day, why):
    with _at("2026-03-10"), pytest.raises(ActionError, match=why):
        actions.record_delivery(
            replied, org.clerk, method=Delivery.Method.POST, delivered_on=date.fromisoformat(day)
        )
    assert not Delivery.objects.exists()


def test_section_36_the_recheck_window_counts_from_receiving_the_review_opinion(org, replied):
    with _at("2026-03-05"):
        appeal = actions.record_delivery(
            replied, org.clerk, method=Delivery.Method.IN_PERSON, delivered_on=date(2026, 3, 5)
        )
        appeal = actions.request_review(appeal, None, reason="不服")
    with _at("2026-03-20"):
        appeal = actions.decide_review(appeal, org.leader, decision="upheld", text="维持")
        assert (appeal.clock.rule, appeal.clock.start) == ("recheck_request", None)
    with _at("2026-03-27"):
        appeal = actions.record_delivery(
            appeal, org.clerk, method=Delivery.Method.POST, delivered_on=date(2026, 3, 25)
        )
    assert appeal.due_date == date(2026, 4, 24)


def test_the_desk_sees_the_delivery_form_and_records_it_over_http(client, org, replied):
    client.force_login(org.clerk)
    with _at("2026-03-06"):
        page = client.get(reverse("appeals:detail", args=[replied.pk])).content.decode()
        assert "登记送达" in page and "尚未送达" in page
        response = client.post(
            reverse("appeals:act", args=[replied.pk, "record_delivery"]),
            {"version": replied.version, "method": "in_person", "delivered_on": "2026-03-06", "note": ""},
        )
    assert response.status_code == 302
    assert replied.deliveries.get().delivered_on == date(2026, 3, 6)
