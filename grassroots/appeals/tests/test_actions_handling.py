"""The handling unit's side: 受理告知, 办理记录, extensions, the reply, 办结, 督办 and rating.

The law's edges (extensions after the limit, pauses, delivery) are in test_law_*.py."""

from datetime import date

import pytest
import time_machine

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, EventKind, Rating, Status, Supervision

DAY = 60 * 60 * 24


@pytest.fixture
def dispatched(org, make_appeal, travel):
    return actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)


@pytest.fixture
def handling(org, dispatched):
    return actions.inform(dispatched, org.handler, note="已受理，将实地查看")


def _refused(call, message):
    with pytest.raises(actions.ActionError) as refused:
        call()
    assert str(refused.value) == message


# --- inform and handle -----------------------------------------------------------------------


def test_it_starts_the_60_day_clock_when_the_unit_informs_the_petitioner(org, dispatched):
    appeal = actions.inform(dispatched, org.handler, note="已受理，将实地查看")
    assert appeal.status == Status.HANDLING and appeal.accepted_at is not None
    # 60 days from Mon 2 Mar is Fri 1 May, a holiday until 5 May: due on the first working day after
    assert (appeal.clock.rule, appeal.due_date) == ("conclude", date(2026, 5, 6))
    assert (appeal.events.last().kind, appeal.events.last().note) == (EventKind.INFORM, "已受理，将实地查看")


def test_it_refuses_to_inform_twice_or_without_a_note(org, dispatched):
    _refused(lambda: actions.inform(dispatched, org.handler, note=""), "请填写告知内容。")
    appeal = actions.inform(dispatched, org.handler, note="已受理")
    _refused(
        lambda: actions.inform(appeal, org.handler, note="已受理"), "当前状态为「办理中」，不能执行此操作。"
    )


def test_it_keeps_handling_notes_off_the_public_timeline(org, handling):
    appeal = actions.handle(handling, org.handler, note="已联系供电所")
    event = appeal.events.last()
    assert (event.kind, event.public, event.note) == (EventKind.HANDLE, False, "已联系供电所")
    assert (appeal.status, appeal.due_date) == (Status.HANDLING, handling.due_date)


def test_it_refuses_an_empty_handling_note_and_writes_nothing(org, handling):
    _refused(lambda: actions.handle(handling, org.handler, note="  "), "请填写办理情况。")
    fresh = Appeal.objects.get(pk=handling.pk)
    assert fresh.version == handling.version
    assert fresh.events.count() == handling.events.count()


def test_it_refuses_handling_notes_before_acceptance(org, dispatched):
    _refused(
        lambda: actions.handle(dispatched, org.handler, note="已联系"),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )


# --- extension (§34) --------------------------------------------------------------------------------


def test_it_moves_the_due_date_by_the_approved_days(org, handling):
    appeal = actions.request_extension(handling, org.handler, days=30, reason="需等待鉴定结论")
    assert (appeal.extension_pending_days, appeal.due_date) == (30, date(2026, 5, 6))
    assert (appeal.events.last().kind, appeal.events.last().public) == (EventKind.EXTENSION_REQUEST, False)

    appeal = actions.decide_extension(appeal, org.head, approve=True)
    # the 60 days ended on Wed 6 May (1 May fell in the holiday); 30 more end on Fri 5 Jun
    assert (appeal.due_date, appeal.clock.extension_days, appeal.extended) == (date(2026, 6, 5), 30, True)
    assert appeal.extension_pending_days == 0
    assert appeal.events.last().kind == EventKind.EXTENSION_APPROVED
    assert "2026年06月05日" in appeal.events.last().note


def test_it_extends_only_once(org, handling):
    appeal = actions.request_extension(handling, org.handler, days=10, reason="需等待鉴定结论")
    appeal = actions.decide_extension(appeal, org.head, approve=True)
    _refused(
        lambda: actions.request_extension(appeal, org.handler, days=5, reason="还需时间"),
        "办理期限已延长过，延长期限合计不得超过 30 日（信访工作条例第三十四条）。",
    )


@pytest.mark.parametrize("days", [0, 31, -1])
def test_it_refuses_an_extension_outside_1_to_30_days(org, handling, days):
    _refused(
        lambda: actions.request_extension(handling, org.handler, days=days, reason="需等待鉴定"),
        "延长期限应为 1 至 30 日（第三十四条）。",
    )
    assert Appeal.objects.get(pk=handling.pk).extension_pending_days == 0


def test_it_refuses_a_second_request_while_one_is_pending(org, handling):
    appeal = actions.request_extension(handling, org.handler, days=10, reason="需等待鉴定结论")
    _refused(
        lambda: actions.request_extension(appeal, org.handler, days=5, reason="还需时间"),
        "已有待审批的延期申请。",
    )


def test_it_refuses_an_extension_without_a_reason_or_outside_handling(org, dispatched):
    _refused(
        lambda: actions.request_extension(dispatched, org.handler, days=10, reason="等待"),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )
    appeal = actions.inform(dispatched, org.handler, note="已受理")
    _refused(lambda: actions.request_extension(appeal, org.handler, days=10, reason=""), "请填写延期理由。")


def test_it_keeps_the_due_date_when_the_extension_is_rejected(org, handling):
    appeal = actions.request_extension(handling, org.handler, days=10, reason="需等待鉴定结论")
    appeal = actions.decide_extension(appeal, org.head, approve=False, note="理由不充分")
    assert (appeal.due_date, appeal.extended, appeal.extension_pending_days) == (date(2026, 5, 6), False, 0)
    event = appeal.events.last()
    assert (event.kind, event.note) == (EventKind.EXTENSION_REJECTED, "理由不充分")
    # a rejected request does not use up the one extension
    appeal = actions.request_extension(appeal, org.handler, days=5, reason="补充鉴定材料")
    assert appeal.extension_pending_days == 5


def test_it_refuses_a_decision_without_a_pending_request(org, handling):
    _refused(lambda: actions.decide_extension(handling, org.head, approve=True), "没有待审批的延期申请。")


# --- reply and close ------------------------------------------------------------------------------


def test_it_replies_and_waits_for_delivery_to_open_the_30_day_review_window(org, handling, travel):
    travel.shift(DAY * 2)
    appeal = actions.reply(handling, org.handler, text=" 已更换路灯两盏。 ")
    assert (appeal.status, appeal.reply_text) == (Status.REPLIED, "已更换路灯两盏。")
    assert appeal.replied_at is not None
    assert (appeal.clock.rule, appeal.clock.start, appeal.due_date) == ("review_request", None, None)
    assert not appeal.is_open
    assert appeal.events.last().kind == EventKind.REPLY


def test_it_refuses_a_reply_before_acceptance_or_without_text(org, dispatched):
    _refused(
        lambda: actions.reply(dispatched, org.handler, text="已修好"),
        "当前状态为「已交办待受理」，不能执行此操作。",
    )
    appeal = actions.inform(dispatched, org.handler, note="已受理")
    _refused(lambda: actions.reply(appeal, org.handler, text=""), "请填写答复意见。")


def test_it_closes_a_replied_appeal(org, handling):
    appeal = actions.close(actions.reply(handling, org.handler, text="已修好"), org.clerk)
    assert appeal.status == Status.CLOSED and appeal.closed_at is not None
    assert (appeal.events.last().kind, appeal.events.last().note) == (EventKind.CLOSE, "办结")


def test_it_refuses_to_close_an_appeal_still_in_handling(org, handling):
    _refused(lambda: actions.close(handling, org.clerk), "当前状态为「办理中」，不能执行此操作。")


# --- supervision ------------------------------------------------------------------------------------


def test_it_sends_a_supervision_notice_to_the_handling_unit(
    org, handling, _memory_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        supervision = actions.supervise(handling, org.supervisor, note="请本周内办结")
    assert (supervision.unit, supervision.sent_by) == (org.chengguan, org.supervisor)
    assert supervision.note == "请本周内办结"
    fresh = Appeal.objects.get(pk=handling.pk)
    assert fresh.version == handling.version + 1
    assert (fresh.events.last().kind, fresh.events.last().public) == (EventKind.SUPERVISE, False)
    assert sorted(m["to"] for m in _memory_outbox) == ["bob@example.gov.cn", "hank@example.gov.cn"]


def test_it_makes_forms_stale_after_a_supervision_from_an_old_page(org, handling):
    old_page = Appeal.objects.get(pk=handling.pk)
    bobs_form_version = actions.handle(handling, org.handler, note="已联系供电所").version
    actions.supervise(old_page, org.supervisor, note="请加快")  # loaded before Bob's note
    assert Appeal.objects.get(pk=handling.pk).version == bobs_form_version + 1
    with pytest.raises(actions.Conflict):
        actions.reply(handling, org.handler, text="已修好", version=bobs_form_version)


def test_it_refuses_to_supervise_an_undispatched_or_closed_appeal(org, make_appeal, handling):
    _refused(
        lambda: actions.supervise(make_appeal(), org.supervisor, note="请办理"),
        "只能对已交办且未办结的诉求督办。",
    )
    _refused(lambda: actions.supervise(handling, org.supervisor, note=""), "请填写督办意见。")
    replied = actions.reply(handling, org.handler, text="已修好")
    _refused(
        lambda: actions.supervise(replied, org.supervisor, note="请办理"), "只能对已交办且未办结的诉求督办。"
    )
    assert not Supervision.objects.exists()


def test_it_marks_a_supervision_acknowledged_once(org, handling):
    supervision = actions.supervise(handling, org.supervisor, note="请本周内办结")
    actions.acknowledge_supervision(supervision)
    first = Supervision.objects.get(pk=supervision.pk).acknowledged_at
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        actions.acknowledge_supervision(supervision)
    assert first is not None
    assert Supervision.objects.get(pk=supervision.pk).acknowledged_at == first


# --- the petitioner's rating --------------------------------------------------------------------------


def test_it_takes_one_rating_per_answer(org, handling, _memory_outbox, django_capture_on_commit_callbacks):
    _refused(lambda: actions.rate(handling, score=Rating.Score.SATISFIED), "尚未收到书面答复，暂不能评价。")
    appeal = actions.reply(handling, org.handler, text="已修好")
    _refused(lambda: actions.rate(appeal, score="great"), "请选择满意、基本满意或不满意。")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = actions.rate(appeal, score=Rating.Score.UNSATISFIED, comment="只修了一盏")
    assert appeal.unsatisfied
    assert Rating.objects.get(appeal=appeal).stage == "reply"
    assert (appeal.events.last().kind, appeal.events.last().actor) == (EventKind.RATE, None)
    assert sorted(m["to"] for m in _memory_outbox) == ["bob@example.gov.cn", "hank@example.gov.cn"]
    _refused(lambda: actions.rate(appeal, score=Rating.Score.SATISFIED), "您已评价过本次答复。")


def test_it_reveals_the_identity_and_logs_who_saw_it(org, handling):
    from grassroots.appeals.models import IdentityReveal

    shown = actions.reveal_identity(handling, org.handler, ip="10.0.0.8")
    assert (shown["phone"], shown["id_number"]) == ("13812345678", "110101199001011234")
    reveal = IdentityReveal.objects.get(appeal=handling)
    assert (reveal.user, reveal.ip) == (org.handler, "10.0.0.8")
