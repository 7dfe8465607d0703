"""What every action promises: one timeline line, nothing done on a stale page, and
notifications that leave only once the change is committed."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import F

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Event, Pause, Rating, Status
from grassroots.appeals.tests.states import (
    dispatched,
    extension_pending,
    handling,
    hearing_pending,
    objected,
    rechecking,
    registered,
    replied,
    reviewing,
)
from grassroots.workcal.models import PauseGround

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


# --- appeals in each state ----------------------------------------------------------------


# action -> (state it needs, the call, notification template sent after commit or None)
ACTIONS = {
    "not_accept": (
        registered,
        lambda a, o, **v: actions.not_accept(
            a, o.clerk, reason="不属于信访事项", route="organ", organ="东城县人民法院", **v
        ),
        "not_accepted",
    ),
    "dispatch": (
        registered,
        lambda a, o, **v: actions.dispatch(a, o.clerk, unit=o.hekou, **v),
        "dispatched",
    ),
    "object_to_dispatch": (
        dispatched,
        lambda a, o, **v: actions.object_to_dispatch(a, o.handler, reason="属河口镇", **v),
        "objected",
    ),
    "resolve_objection": (
        objected,
        lambda a, o, **v: actions.resolve_objection(a, o.clerk, upheld=False, **v),
        "dispatched",
    ),
    "inform": (dispatched, lambda a, o, **v: actions.inform(a, o.handler, note="已受理", **v), "informed"),
    "handle": (handling, lambda a, o, **v: actions.handle(a, o.handler, note="已联系", **v), None),
    "request_extension": (
        handling,
        lambda a, o, **v: actions.request_extension(a, o.handler, days=5, reason="等待鉴定", **v),
        "extension_requested",
    ),
    "decide_extension": (
        extension_pending,
        lambda a, o, **v: actions.decide_extension(a, o.head, approve=True, **v),
        "extended",
    ),
    "record_pause": (
        rechecking,
        lambda a, o, **v: actions.record_pause(
            a,
            o.clerk,
            ground=PauseGround.objects.get(key="recheck_hearing"),
            first_day=date(2026, 3, 3),
            last_day=date(2026, 3, 4),
            reason="听证",
            **v,
        ),
        None,
    ),
    "decide_pause": (
        hearing_pending,
        lambda a, o, **v: actions.decide_pause(a, o.supervisor, pause=a.pauses.get(), approve=True, **v),
        None,
    ),
    "record_delivery": (
        replied,
        lambda a, o, **v: actions.record_delivery(
            a, o.clerk, method="post", delivered_on=date(2026, 3, 2), note="挂号信", **v
        ),
        None,
    ),
    "reply": (handling, lambda a, o, **v: actions.reply(a, o.handler, text="已修好", **v), "replied"),
    "close": (replied, lambda a, o, **v: actions.close(a, o.clerk, **v), None),
    "request_review": (
        replied,
        lambda a, o, **v: actions.request_review(a, None, reason="不满意", **v),
        "review_requested",
    ),
    "decide_review": (
        reviewing,
        lambda a, o, **v: actions.decide_review(a, o.leader, decision="upheld", text="维持", **v),
        "review_decided",
    ),
}
UNVERSIONED = {
    "rate": (replied, lambda a, o: actions.rate(a, score=Rating.Score.UNSATISFIED), "unsatisfied"),
    "supervise": (handling, lambda a, o: actions.supervise(a, o.supervisor, note="请加快"), "supervised"),
}


def _snapshot(appeal_id):
    a = Appeal.objects.get(pk=appeal_id)
    return (
        a.status,
        a.version,
        a.handling_unit_id,
        a.review_unit_id,
        a.due_date,
        a.clock_id,
        a.clocks.count(),
        a.extension_pending_days,
        a.reason,
        a.reply_text,
        a.events.count(),
        Pause.objects.count(),
        a.deliveries.count(),
    )


@pytest.mark.parametrize("name", [*ACTIONS, *UNVERSIONED])
def test_it_writes_exactly_one_event_per_action(org, make_appeal, name):
    state, call, _notice = {**ACTIONS, **UNVERSIONED}[name]
    appeal = state(org, make_appeal)
    before = Event.objects.count()

    call(appeal, org)

    assert Event.objects.count() == before + 1
    assert Event.objects.order_by("-id").first().appeal_id == appeal.pk


def test_it_writes_one_event_on_each_appeal_for_a_duplicate(org, make_appeal):
    original, repeat = make_appeal(), make_appeal()
    before = Event.objects.count()
    actions.mark_duplicate(repeat, org.clerk, original=original)
    assert Event.objects.count() == before + 2
    assert (original.events.count(), repeat.events.count()) == (2, 2)


def test_it_writes_one_event_when_registering(org, make_appeal):
    appeal = make_appeal()
    assert Event.objects.filter(appeal=appeal).count() == Event.objects.count() == 1


@pytest.mark.parametrize("name", [*ACTIONS, "mark_duplicate"])
def test_it_refuses_a_stale_version_and_changes_nothing(
    org, make_appeal, name, _memory_outbox, django_capture_on_commit_callbacks
):
    if name == "mark_duplicate":
        original = make_appeal()
        state = registered

        def call(a, o, **v):
            return actions.mark_duplicate(a, o.clerk, original=original, **v)
    else:
        state, call, _notice = ACTIONS[name]
    appeal = state(org, make_appeal)
    page_version = appeal.version
    Appeal.objects.filter(pk=appeal.pk).update(version=F("version") + 1)  # someone else changed it
    before = _snapshot(appeal.pk)
    _memory_outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(actions.Conflict) as err:
            call(appeal, org, version=page_version)

    assert "已被他人更新" in str(err.value) and "您的操作未执行" in str(err.value)
    assert _snapshot(appeal.pk) == before
    assert callbacks == [] and _memory_outbox == []


def test_it_names_the_last_change_in_the_conflict_message(org, make_appeal):
    appeal = dispatched(org, make_appeal)
    page_version = appeal.version
    actions.inform(appeal, org.handler, note="已受理")
    with pytest.raises(actions.Conflict) as err:
        actions.object_to_dispatch(appeal, org.handler, reason="错派", version=page_version)
    assert str(err.value) == (
        "这条诉求已被他人更新：城关镇鲍勃刚刚进行了「受理告知」操作，当前状态为「办理中」。"
        "您的操作未执行，请查看最新情况后再决定。"
    )


@pytest.mark.parametrize("version", ["abc", "", "1.5"])
def test_it_treats_an_unreadable_form_version_as_stale(org, make_appeal, version):
    appeal = dispatched(org, make_appeal)
    with pytest.raises(actions.Conflict, match="页面已过期"):
        actions.inform(appeal, org.handler, note="已受理", version=version)
    assert Appeal.objects.get(pk=appeal.pk).status == Status.DISPATCHED


def test_it_accepts_the_current_version_as_text_from_a_form(org, make_appeal):
    appeal = dispatched(org, make_appeal)
    appeal = actions.inform(appeal, org.handler, note="已受理", version=str(appeal.version))
    assert appeal.status == Status.HANDLING


@pytest.mark.parametrize("name", [n for n, (_s, _c, notice) in {**ACTIONS, **UNVERSIONED}.items() if notice])
def test_it_queues_notifications_until_commit_and_drops_them_on_rollback(
    org, make_appeal, name, _memory_outbox, django_capture_on_commit_callbacks
):
    state, call, notice = {**ACTIONS, **UNVERSIONED}[name]
    appeal = state(org, make_appeal)
    before = _snapshot(appeal.pk)
    _memory_outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            call(Appeal.objects.get(pk=appeal.pk), org)
            raise RuntimeError("the request failed after the action")
    assert _memory_outbox == []
    assert _snapshot(appeal.pk) == before

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call(Appeal.objects.get(pk=appeal.pk), org)
        assert _memory_outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert _memory_outbox, f"{notice} reached nobody"
