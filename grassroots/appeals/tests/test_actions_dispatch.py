"""Registration, 不予受理, 重复件, dispatch and objections to a dispatch."""

import uuid
from datetime import date

import pytest
import time_machine

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Event, EventKind, Status


def _refused(call, message):
    with pytest.raises(actions.ActionError) as refused:
        call()
    assert str(refused.value) == message


# --- register -----------------------------------------------------------------------


def test_it_registers_with_the_15_day_dispatch_clock(org, make_appeal, travel):
    appeal = make_appeal()
    assert appeal.status == Status.REGISTERED
    assert appeal.registered_by == org.clerk
    assert (appeal.clock.rule, appeal.due_date) == ("dispatch", date(2026, 3, 17))
    assert not appeal.due_provisional
    assert [(e.kind, e.actor, e.unit) for e in appeal.events.all()] == [
        (EventKind.REGISTER, org.clerk, org.east_petition),
    ]


def test_it_returns_the_first_appeal_for_a_repeated_submission_token(org, make_appeal):
    token = uuid.uuid4().hex
    first = make_appeal(submission_token=token)
    again = make_appeal(submission_token=token, title="另一个标题")
    assert again.pk == first.pk
    assert Appeal.objects.count() == 1 and Event.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "请填写标题。"),
        ({"content": ""}, "请填写诉求内容。"),
        ({"petitioner_name": ""}, "请填写信访人姓名。"),
        ({"title": "长" * 101}, "标题不能超过 100 字（现有 101 字）。"),
        ({"is_group": True}, "集体访应推选 1 至 5 名代表（信访工作条例第二十条）。"),
        (
            {"is_group": True, "representatives": [("甲", "13800000001")] * 6},
            "集体访应推选 1 至 5 名代表（信访工作条例第二十条）。",
        ),
        ({"representatives": [("甲", "13800000001")]}, "只有集体访需要填写代表。"),
    ],
)
def test_it_refuses_an_incomplete_registration_and_writes_nothing(org, make_appeal, fields, message):
    _refused(lambda: make_appeal(**fields), message)
    assert not Appeal.objects.exists() and not Event.objects.exists()


# --- not_accept --------------------------------------------------------------------------


def test_it_does_not_accept_with_a_reason_and_stops_the_clock(org, make_appeal, travel):
    appeal = actions.not_accept(
        make_appeal(), org.clerk, reason=" 属于诉讼程序。 ", route="litigation", organ="东城县人民法院"
    )
    assert appeal.status == Status.NOT_ACCEPTED
    assert appeal.reason == "属于诉讼程序。"
    assert (appeal.due_date, appeal.clock, appeal.is_open) == (None, None, False)
    assert not appeal.clocks.filter(stopped_at=None).exists()
    assert appeal.closed_at is not None
    assert appeal.events.last().kind == EventKind.NOT_ACCEPT


def test_it_refuses_not_accept_without_a_reason_or_after_dispatch(org, make_appeal):
    appeal = make_appeal()
    _refused(
        lambda: actions.not_accept(appeal, org.clerk, reason="", route="final"), "请填写不予受理的理由。"
    )
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    _refused(
        lambda: actions.not_accept(appeal, org.clerk, reason="不予受理", route="final"),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )


# --- mark_duplicate ------------------------------------------------------------------------


def test_it_links_a_duplicate_to_its_original(org, make_appeal):
    original, repeat = make_appeal(), make_appeal()
    repeat = actions.mark_duplicate(repeat, org.clerk, original=original)

    assert (repeat.status, repeat.original, repeat.due_date) == (Status.DUPLICATE, original, None)
    on_repeat = repeat.events.last()
    assert (on_repeat.kind, on_repeat.public) == (EventKind.DUPLICATE, True)
    assert original.tracking_code not in on_repeat.note  # the original may be someone else's
    on_original = original.events.last()
    assert (on_original.kind, on_original.public) == (EventKind.DUPLICATE, False)
    assert repeat.tracking_code in on_original.note


def test_it_links_a_duplicate_of_a_duplicate_to_the_first_original(org, make_appeal):
    first, second, third = make_appeal(), make_appeal(), make_appeal()
    actions.mark_duplicate(second, org.clerk, original=first)
    third = actions.mark_duplicate(third, org.clerk, original=second)
    assert third.original == first


def test_it_follows_the_whole_chain_when_an_original_later_became_a_duplicate(org, make_appeal):
    root, middle, leaf, newest = make_appeal(), make_appeal(), make_appeal(), make_appeal()
    actions.mark_duplicate(leaf, org.clerk, original=middle)  # leaf → middle
    actions.mark_duplicate(middle, org.clerk, original=root)  # middle → root, leaf still → middle
    newest = actions.mark_duplicate(newest, org.clerk, original=leaf)
    assert newest.original == root


SELF = "不能把诉求标为自身的重复件。"


def test_it_refuses_to_mark_an_appeal_a_duplicate_of_itself(org, make_appeal):
    appeal = make_appeal()
    _refused(lambda: actions.mark_duplicate(appeal, org.clerk, original=appeal), SELF)
    repeat = actions.mark_duplicate(make_appeal(), org.clerk, original=appeal)
    # marking the original as a repeat of its own repeat would make it a repeat of itself
    _refused(lambda: actions.mark_duplicate(appeal, org.clerk, original=repeat), SELF)
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert (fresh.status, fresh.original, fresh.version) == (Status.REGISTERED, None, appeal.version)


def test_it_notes_that_a_final_original_is_not_accepted_again(org, make_appeal):
    original = make_appeal()
    Appeal.objects.filter(pk=original.pk).update(final=True, status=Status.CLOSED)
    neighbour = make_appeal(petitioner_name="李四", phone="13900000000", id_number="")
    repeat = actions.mark_duplicate(neighbour, org.clerk, original=original)
    assert "第三十六条" in repeat.events.last().note


def test_it_refuses_to_mark_a_dispatched_appeal_as_a_duplicate(org, make_appeal):
    original = make_appeal()
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    _refused(
        lambda: actions.mark_duplicate(appeal, org.clerk, original=original),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )


# --- dispatch --------------------------------------------------------------------------


def test_it_dispatches_with_the_15_day_inform_clock(org, make_appeal, travel):
    appeal = make_appeal()
    travel.shift(60 * 60 * 24 * 3)  # Thursday
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan, note="请实地核查")

    assert (appeal.status, appeal.handling_unit) == (Status.DISPATCHED, org.chengguan)
    assert (appeal.clock.rule, appeal.due_date) == ("inform", date(2026, 3, 20))
    event = appeal.events.last()
    assert (event.kind, event.unit) == (EventKind.DISPATCH, org.chengguan)
    assert event.note == "交办至城关镇"
    assert event.internal_note == "请实地核查"  # the instruction is for the unit, not the petitioner


def test_it_refuses_a_dispatch_without_a_unit_or_twice(org, make_appeal):
    appeal = make_appeal()
    _refused(lambda: actions.dispatch(appeal, org.clerk, unit=None), "请选择承办单位。")
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    _refused(
        lambda: actions.dispatch(appeal, org.clerk, unit=org.hekou),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )
    assert Appeal.objects.get(pk=appeal.pk).handling_unit == org.chengguan


# --- objections (§23: 5 working days) ---------------------------------------------------------


def _dispatched_at(make_appeal, org, moment):
    with time_machine.travel(moment, tick=False):
        return actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)


def test_it_accepts_an_objection_on_the_fifth_working_day_after_national_day(org, make_appeal):
    # dispatched Tue 29 Sep 2026; 30 Sep is day 1, 1–7 Oct are holidays, then 8, 9, 10 (a Saturday
    # worked in exchange) and Mon 12 Oct is the fifth working day.
    appeal = _dispatched_at(make_appeal, org, "2026-09-29 16:00 +0800")
    with time_machine.travel("2026-10-12 17:30 +0800", tick=False):
        appeal = actions.object_to_dispatch(appeal, org.handler, reason="该路段属河口镇管辖")
    assert (appeal.status, appeal.reason) == (Status.OBJECTED, "该路段属河口镇管辖")
    event = appeal.events.last()
    assert (event.kind, event.public, event.unit) == (EventKind.OBJECT, False, org.chengguan)


def test_it_refuses_an_objection_after_the_five_working_days(org, make_appeal):
    appeal = _dispatched_at(make_appeal, org, "2026-09-29 16:00 +0800")
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        _refused(
            lambda: actions.object_to_dispatch(appeal, org.handler, reason="不属于本单位"),
            "异议期限已于 2026年10月12日 届满（收到交办后 5 个工作日内，第二十三条）。",
        )
    assert Appeal.objects.get(pk=appeal.pk).status == Status.DISPATCHED


def test_it_counts_the_objection_window_from_the_beijing_date_of_dispatch(org, make_appeal):
    # 07:00 in Beijing on 30 Sep is still 29 Sep in UTC; the window starts from 30 Sep.
    appeal = _dispatched_at(make_appeal, org, "2026-09-30 07:00 +0800")
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        appeal = actions.object_to_dispatch(appeal, org.handler, reason="不属于本单位")
    assert appeal.status == Status.OBJECTED


def test_it_refuses_an_objection_before_dispatch_or_without_a_reason(org, make_appeal, travel):
    appeal = make_appeal()
    _refused(
        lambda: actions.object_to_dispatch(appeal, org.handler, reason="错派"),
        "当前状态为「待交办」，不能执行此操作。",
    )
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    _refused(lambda: actions.object_to_dispatch(appeal, org.handler, reason=" "), "请填写异议理由。")


def test_it_sends_an_upheld_objection_back_to_the_desk(org, make_appeal, travel):
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    appeal = actions.object_to_dispatch(appeal, org.handler, reason="属河口镇")
    travel.shift(60 * 60 * 24)
    appeal = actions.resolve_objection(appeal, org.clerk, upheld=True, note="改派河口镇")

    assert (appeal.status, appeal.handling_unit) == (Status.REGISTERED, None)
    assert (appeal.clock.rule, appeal.due_date) == ("dispatch", date(2026, 3, 17))  # from registration
    assert appeal.events.last().kind == EventKind.OBJECTION_UPHELD
    assert "城关镇的异议成立" in appeal.events.last().note
    appeal = actions.dispatch(appeal, org.clerk, unit=org.hekou)
    assert appeal.handling_unit == org.hekou


def test_it_keeps_the_dispatch_when_the_objection_is_rejected(
    org, make_appeal, travel, _memory_outbox, django_capture_on_commit_callbacks
):
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    appeal = actions.object_to_dispatch(appeal, org.handler, reason="属河口镇")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = actions.resolve_objection(appeal, org.clerk, upheld=False, note="路段属城关镇")

    assert (appeal.status, appeal.handling_unit) == (Status.DISPATCHED, org.chengguan)
    assert appeal.events.last().kind == EventKind.OBJECTION_REJECTED
    assert sorted(m["to"] for m in _memory_outbox) == ["bob@example.gov.cn", "hank@example.gov.cn"]


def test_it_refuses_to_resolve_when_there_is_no_objection(org, make_appeal):
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    _refused(
        lambda: actions.resolve_objection(appeal, org.clerk, upheld=True),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )


def test_it_sets_the_category_and_follows_the_catalogue_before_dispatch(org, make_appeal):
    from grassroots.appeals.models import Category, DispatchRule

    roads = Category.objects.create(name="道路")
    lights = Category.objects.create(name="路灯")
    DispatchRule.objects.create(category=lights, area=org.east, unit=org.east_housing)
    appeal = make_appeal(category=roads)
    assert appeal.suggested_unit is None

    appeal = actions.categorize(appeal, org.clerk, category=lights)
    assert (appeal.category, appeal.suggested_unit) == (lights, org.east_housing)
    event = appeal.events.last()
    assert (event.kind, event.public) == (EventKind.CATEGORIZE, False)
    assert event.note == "分类由「道路」改为「路灯」"
    with pytest.raises(actions.ActionError, match="分类没有变化"):
        actions.categorize(appeal, org.clerk, category=lights)
    lights.is_active = False
    lights.save()
    with pytest.raises(actions.ActionError, match="启用中的分类"):
        actions.categorize(appeal, org.clerk, category=lights)
