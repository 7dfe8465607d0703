import pytest
from django.urls import reverse

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Event, Pause, Status, Supervision
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


def act(client, user, appeal, action, **data):
    client.force_login(user)
    data.setdefault("version", Appeal.objects.get(pk=appeal.pk).version)
    return client.post(reverse("appeals:act", args=[appeal.pk, action]), data)


# states an appeal is brought into before the action is tried


def original_code(org, make_appeal):
    return make_appeal(title="原件").tracking_code


CASES = [
    # action, state, who may, who may not (but can see it), form data, status afterwards
    ("dispatch", registered, "clerk", "leader", lambda o, m: {"unit": o.chengguan.pk}, Status.DISPATCHED),
    (
        "not_accept",
        registered,
        "clerk",
        "leader",
        lambda o, m: {"reason": "属于诉讼程序", "route": "litigation", "organ": "东城县人民法院"},
        Status.NOT_ACCEPTED,
    ),
    (
        "mark_duplicate",
        registered,
        "supervisor",
        "leader",
        lambda o, m: {"original": original_code(o, m)},
        Status.DUPLICATE,
    ),
    (
        "resolve_objection",
        objected,
        "clerk",
        "handler",
        lambda o, m: {"upheld": "1", "note": "改派"},
        Status.REGISTERED,
    ),
    ("inform", dispatched, "handler", "clerk", lambda o, m: {"note": "已受理，三日内答复"}, Status.HANDLING),
    ("object", dispatched, "handler", "clerk", lambda o, m: {"reason": "属于住建局职责"}, Status.OBJECTED),
    ("handle", handling, "head", "clerk", lambda o, m: {"note": "已到现场查看"}, Status.HANDLING),
    (
        "request_extension",
        handling,
        "handler",
        "clerk",
        lambda o, m: {"days": 15, "reason": "等待鉴定"},
        Status.HANDLING,
    ),
    (
        "decide_extension",
        extension_pending,
        "head",
        "handler",
        lambda o, m: {"approve": "1"},
        Status.HANDLING,
    ),
    (
        "record_pause",
        rechecking,
        "clerk",
        "handler",
        lambda o, m: {
            "ground": PauseGround.objects.get(key="recheck_hearing").pk,
            "first_day": "2026-03-04",
            "last_day": "2026-03-06",
            "reason": "听证",
        },
        Status.RECHECKING,
    ),
    (
        "decide_pause",
        hearing_pending,
        "supervisor",
        "clerk",
        lambda o, m: {"pause": Pause.objects.get().pk, "approve": "1"},
        Status.RECHECKING,
    ),
    (
        "record_delivery",
        replied,
        "handler",
        "leader",
        lambda o, m: {"method": "post", "delivered_on": "2026-03-02", "note": ""},
        Status.REPLIED,
    ),
    ("reply", handling, "handler", "clerk", lambda o, m: {"text": "已更换路灯。"}, Status.REPLIED),
    ("close", replied, "clerk", "handler", lambda o, m: {"note": ""}, Status.CLOSED),
    ("request_review", replied, "clerk", "handler", lambda o, m: {"reason": "没有修好"}, Status.REVIEWING),
    (
        "decide_review",
        reviewing,
        "leader",
        "handler",
        lambda o, m: {"decision": "upheld", "text": "维持原答复"},
        Status.REVIEWED,
    ),
    ("supervise", dispatched, "supervisor", "clerk", lambda o, m: {"note": "请加快办理"}, Status.DISPATCHED),
]


@pytest.mark.parametrize("action, state, right, wrong, data, status", CASES, ids=[c[0] for c in CASES])
def test_it_runs_each_action_for_the_right_role_only(
    client, org, make_appeal, action, state, right, wrong, data, status
):
    appeal = state(org, make_appeal)
    payload = data(org, make_appeal)
    before = Appeal.objects.get(pk=appeal.pk)
    events_before = Event.objects.filter(appeal=appeal).count()

    response = act(client, getattr(org, wrong), appeal, action, **payload)
    assert response.status_code == 403
    after = Appeal.objects.get(pk=appeal.pk)
    assert (after.status, after.version) == (before.status, before.version)
    assert Event.objects.filter(appeal=appeal).count() == events_before

    response = act(client, getattr(org, right), appeal, action, **payload)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert Appeal.objects.get(pk=appeal.pk).status == status
    assert Event.objects.filter(appeal=appeal).count() == events_before + 1
    assert "已完成" in client.get(response["Location"]).content.decode()


def test_it_records_what_each_action_decided(client, org, make_appeal):
    appeal = extension_pending(org, make_appeal)
    before = appeal.due_date
    act(client, org.head, appeal, "decide_extension", approve="1")
    appeal.refresh_from_db()
    assert appeal.extended and appeal.due_date > before

    appeal = dispatched(org, make_appeal)
    act(client, org.supervisor, appeal, "supervise", note="请加快办理")
    assert Supervision.objects.get().unit == org.chengguan


def test_it_refuses_a_stale_form_with_the_conflict_message(client, org, make_appeal):
    appeal = make_appeal()
    stale_version = appeal.version
    actions.dispatch(appeal, org.supervisor, unit=org.hekou)  # someone else got there first
    events = Event.objects.filter(appeal=appeal).count()

    response = act(client, org.clerk, appeal, "dispatch", unit=org.chengguan.pk, version=stale_version)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "这条诉求已被他人更新" in html and "督办员苏珊刚刚进行了「交办」操作" in html
    appeal.refresh_from_db()
    assert appeal.handling_unit == org.hekou
    assert Event.objects.filter(appeal=appeal).count() == events


def test_it_shows_a_refused_action_in_chinese_and_changes_nothing(client, org, make_appeal, travel):
    appeal = dispatched(org, make_appeal)
    travel.move_to("2026-03-20 10:00 +0800")  # more than 5 working days after the dispatch
    response = act(client, org.handler, appeal, "object", reason="不归我镇管")
    assert response.status_code == 400
    html = response.content.decode()
    assert "异议期限已于 2026年03月09日 届满" in html
    assert "不归我镇管" in html  # the typed reason is kept
    assert Appeal.objects.get(pk=appeal.pk).status == Status.DISPATCHED


def test_it_refuses_to_dispatch_a_report_to_the_accused(client, org, make_appeal):
    appeal = make_appeal(is_report=True, accused_unit=org.chengguan)
    response = act(client, org.clerk, appeal, "dispatch", unit=org.chengdong.pk)
    assert response.status_code == 400
    assert "检举件不得交由被检举单位" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).handling_unit is None


def test_it_asks_for_missing_input_and_changes_nothing(client, org, make_appeal):
    appeal = make_appeal()
    response = act(client, org.clerk, appeal, "not_accept", reason="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "这个字段是必填项" in html and "「不予受理」未执行" in html
    assert '<details open id="action-not_accept">' in html
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REGISTERED


def test_it_limits_an_extension_to_the_rule(client, org, make_appeal):
    appeal = handling(org, make_appeal)
    response = act(client, org.handler, appeal, "request_extension", days=31, reason="等待鉴定")
    assert response.status_code == 400
    assert Appeal.objects.get(pk=appeal.pk).extension_pending_days == 0


def test_it_marks_a_duplicate_only_of_an_appeal_the_user_can_see(client, org, make_appeal):
    appeal = make_appeal()
    response = act(client, org.clerk, appeal, "mark_duplicate", original="NOSUCHCODE")
    assert response.status_code == 400
    assert "找不到查询码为 NOSUCHCODE 的诉求" in response.content.decode()


def test_it_answers_404_for_an_unknown_action_or_an_invisible_appeal(client, org, make_appeal):
    appeal = make_appeal()
    assert act(client, org.clerk, appeal, "delete").status_code == 404
    assert act(client, org.outsider, appeal, "dispatch", unit=org.shanqian.pk).status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REGISTERED


def test_it_accepts_actions_by_post_only(client, org, make_appeal):
    appeal = make_appeal()
    client.force_login(org.clerk)
    assert client.get(reverse("appeals:act", args=[appeal.pk, "dispatch"])).status_code == 405
