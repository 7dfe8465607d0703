"""复查 (§35) and 复核 (§36): 30 days to ask from receipt, decided by the unit above, final after 复核."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from grassroots.appeals import access, actions
from grassroots.appeals.models import Appeal, EventKind, Rating, Status

SECTION_36 = "该事项已经复核终结，同一诉求不再受理（信访工作条例第三十六条）。"
NOT_YET = "当前不能申请复查、复核：尚未出具书面答复意见或复查意见。"


def _too_late(due, article):
    return f"申请期限已于 {due} 届满（自收到书面意见之日起 30 日内，{article}），未予受理。申请已登记在案。"


@pytest.fixture
def replied(org, make_appeal):
    # replied and handed over on Mon 2 Mar 2026: the window to ask for 复查 runs to Wed 1 Apr
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        appeal = actions.reply(appeal, org.handler, text="已更换路灯两盏。")
        return _delivered(appeal, org)


def _delivered(appeal, org):
    return actions.record_delivery(appeal, org.clerk, method="in_person", delivered_on=timezone.localdate())


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _refused(call, message):
    with pytest.raises(actions.ActionError) as refused:
        call()
    assert str(refused.value) == message


def test_it_sends_a_review_request_on_the_last_day_to_the_unit_above(org, replied):
    assert replied.due_date == date(2026, 4, 1)
    with _at("2026-04-01 23:00 +0800"):
        assert actions.review_stage_open(replied) == "review"
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
    assert (appeal.status, appeal.review_unit) == (Status.REVIEWING, org.east)
    assert (appeal.clock.rule, appeal.due_date) == ("review_decide", date(2026, 5, 6))  # 1 May is a holiday
    event = appeal.events.last()
    assert (event.kind, event.unit, event.actor, event.note) == (
        EventKind.REVIEW_REQUEST,
        org.east,
        None,
        "路灯仍不亮",
    )


def test_it_refuses_a_review_request_after_30_days(org, replied):
    with _at("2026-04-02 08:00 +0800"):
        assert actions.review_stage_open(replied) is None
        _refused(
            lambda: actions.request_review(replied, org.clerk, reason="路灯仍不亮"),
            _too_late("2026年04月01日", "第三十五条"),
        )
    fresh = Appeal.objects.get(pk=replied.pk)
    assert (fresh.status, fresh.review_unit, fresh.version) == (Status.REPLIED, None, replied.version)


def test_it_takes_a_review_request_after_the_desk_closed_the_appeal(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        closed = actions.close(replied, org.clerk)
        appeal = actions.request_review(closed, org.clerk, reason="不满意答复")
    assert (appeal.status, appeal.review_unit) == (Status.REVIEWING, org.east)


def test_it_refuses_a_review_request_while_the_appeal_is_still_handled(org, make_appeal):
    with _at("2026-03-02 10:00 +0800"):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        _refused(lambda: actions.request_review(appeal, org.clerk, reason="太慢"), NOT_YET)


def test_it_refuses_a_review_request_without_a_reason(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        _refused(lambda: actions.request_review(replied, org.clerk, reason=" "), "请填写申请理由。")


def test_it_routes_review_to_the_county_and_recheck_to_the_city_then_ends_the_matter(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
    with _at("2026-03-20 10:00 +0800"):
        appeal = _delivered(
            actions.decide_review(appeal, org.leader, decision="upheld", text="维持原答复意见"), org
        )
    assert (appeal.status, appeal.review_decision, appeal.final) == (Status.REVIEWED, "upheld", False)
    assert appeal.review_text == "维持原处理意见。维持原答复意见"
    assert (appeal.clock.rule, appeal.due_date) == ("recheck_request", date(2026, 4, 20))  # 19 Apr is Sunday
    assert [e.kind for e in appeal.events.order_by("-id")[:2]] == [
        EventKind.DELIVERY,
        EventKind.REVIEW_DECISION,
    ]

    with _at("2026-04-20 10:00 +0800"):
        appeal = actions.request_review(appeal, None, reason="仍不服")
    assert (appeal.status, appeal.review_unit) == (Status.RECHECKING, org.city)
    assert appeal.events.last().kind == EventKind.RECHECK_REQUEST

    with _at("2026-04-25 10:00 +0800"):
        appeal = actions.decide_review(appeal, org.admin, decision="upheld", text="复核维持")
    assert (appeal.status, appeal.recheck_text, appeal.final) == (
        Status.CLOSED,
        "维持原处理意见。复核维持",
        True,
    )
    assert (appeal.due_date, appeal.clock) == (None, None)
    assert appeal.events.last().kind == EventKind.RECHECK_DECISION

    with _at("2026-04-26 10:00 +0800"):
        assert actions.review_stage_open(appeal) is None
        _refused(lambda: actions.request_review(appeal, None, reason="再申请"), SECTION_36)


def test_it_refuses_a_recheck_request_after_30_days(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
        appeal = _delivered(actions.decide_review(appeal, org.leader, decision="upheld", text="维持"), org)
    with _at("2026-04-10 10:00 +0800"):
        _refused(
            lambda: actions.request_review(appeal, None, reason="仍不服"),
            _too_late("2026年04月09日", "第三十六条"),
        )


def test_it_routes_a_department_reply_to_its_county(org, make_appeal):
    with _at("2026-03-02 10:00 +0800"):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.east_housing)
        appeal = actions.inform(appeal, org.housing_handler, note="已受理")
        appeal = actions.reply(appeal, org.housing_handler, text="已修复")
        appeal = actions.request_review(appeal, None, reason="不满意")
    assert appeal.review_unit == org.east


def test_it_refuses_a_decision_when_nothing_is_under_review(org, replied):
    _refused(
        lambda: actions.decide_review(replied, org.leader, decision="upheld", text="维持"),
        "当前状态为「已答复」，不能执行此操作。",
    )


def test_it_lets_the_petitioner_rate_each_written_answer(org, replied):
    appeal = actions.rate(replied, score=Rating.Score.UNSATISFIED)
    assert appeal.unsatisfied
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(appeal, None, reason="不满意")
        appeal = actions.decide_review(appeal, org.leader, decision="upheld", text="责成重新维修")
    assert not appeal.unsatisfied
    appeal = actions.rate(appeal, score=Rating.Score.SATISFIED)
    assert sorted(appeal.ratings.values_list("stage", "score")) == [
        ("reply", "unsatisfied"),
        ("review", "satisfied"),
    ]


def test_section_35_the_desk_assigns_the_review_to_the_organs_staff_never_to_the_answering_unit(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
    candidates = set(actions.review_handlers(appeal))
    assert {org.clerk, org.housing_handler, org.leader, org.supervisor} <= candidates
    assert not candidates & {org.handler, org.head, org.village_handler}  # 城关镇 answered
    with pytest.raises(actions.ActionError, match="作出原答复的单位不能复查自己的答复"):
        actions.assign_review(appeal, org.clerk, handler=org.handler)
    with _at("2026-03-11 10:00 +0800"):
        appeal = actions.assign_review(appeal, org.clerk, handler=org.housing_handler, note="请核实现场")
    event = appeal.events.last()
    assert (event.kind, event.note) == (EventKind.REVIEW_ASSIGN, "已分办承办")  # the public line names nobody
    assert "住建局朵拉" in event.internal_note
    assert access.can(org.housing_handler, "decide_review", appeal)
    assert not access.can(org.hekou_handler, "decide_review", appeal)


@pytest.mark.parametrize(
    ("decision", "label"),
    [("upheld", "维持原处理意见"), ("revoked", "撤销原处理意见"), ("varied", "变更原处理意见")],
)
def test_section_35_the_opinion_records_its_decision_and_reasons(org, replied, decision, label):
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
        appeal = actions.decide_review(appeal, org.leader, decision=decision, text="经现场核查。")
    assert (appeal.status, appeal.review_decision) == (Status.REVIEWED, decision)
    assert appeal.review_text == f"{label}。经现场核查。"
    assert appeal.events.last().note == f"{label}。经现场核查。"


def test_section_35_an_opinion_needs_a_decision(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
        with pytest.raises(actions.ActionError, match="请选择复查（复核）结论"):
            actions.decide_review(appeal, org.leader, decision="", text="理由")


def test_section_35_an_order_to_handle_again_sends_it_back_and_the_new_reply_is_rated(org, replied):
    with _at("2026-03-10 10:00 +0800"):
        appeal = actions.request_review(replied, None, reason="路灯仍不亮")
        appeal = actions.decide_review(appeal, org.leader, decision="redo", text="限城关镇重新办理。")
    assert (appeal.status, appeal.handling_unit) == (Status.HANDLING, org.chengguan)
    assert (appeal.clock.rule, appeal.due_date) == ("conclude", date(2026, 5, 9))  # +60: Sat 9 May, worked
    assert actions.rated_stage(appeal) == "review"
    with _at("2026-03-20 10:00 +0800"):
        appeal = actions.reply(appeal, org.handler, text="已重新更换路灯并加装线路保护。")
    assert actions.rated_stage(appeal) == "redo"
    actions.rate(appeal, score="satisfied")
    assert appeal.ratings.get(stage="redo").score == "satisfied"
