"""The e-mail to a responsible unit when an on-site decision is dispatched to it."""

import pytest

from grassroots.notify.models import Notification
from grassroots.onsite.models import Task
from grassroots.onsite.tests.helpers import decide, make_session

pytestmark = pytest.mark.usefixtures("travel")


class BrokenMailServer:
    def send(self, channel, to, subject, body):
        raise ConnectionError("邮件服务器无响应")


def test_it_mails_the_units_heads_and_logs_each_message(
    org, _memory_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(make_session(org), [org.chengguan], text="修复城东村三组路灯")
    (message,) = _memory_outbox
    assert message["to"] == "hank@example.gov.cn" and message["subject"] == "现场办公交办任务"
    assert message["body"].startswith("城关镇：2026年03月02日县长李现场办公「城东村排水问题现场办公」")
    assert "修复城东村三组路灯" in message["body"]
    log = Notification.objects.get()
    assert log.template == "onsite_task_assigned" and log.recipient == "hank@example.gov.cn" and log.ok


def test_nothing_is_sent_when_the_decision_is_refused(
    org, _memory_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="管辖范围"):
        decide(make_session(org), [org.chengguan, org.shanqian])
    assert _memory_outbox == [] and not Task.objects.exists()


def test_a_broken_mail_server_does_not_undo_the_decision(org, settings, django_capture_on_commit_callbacks):
    from grassroots.notify.senders import _sender_for

    settings.NOTIFY_BACKEND = f"{__name__}.BrokenMailServer"
    _sender_for.cache_clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(make_session(org), [org.chengguan])
    assert Task.objects.count() == 1
    log = Notification.objects.get()
    assert not log.ok and "邮件服务器无响应" in log.error


def test_the_owner_hears_of_a_submission_and_the_unit_of_a_return_and_an_acceptance(
    org, _memory_outbox, django_capture_on_commit_callbacks
):
    from grassroots.onsite import actions
    from grassroots.onsite.tests.helpers import png

    task = decide(make_session(org), [org.chengguan], text="修复城东村三组路灯").tasks.get()
    _memory_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task = actions.submit(task, org.handler, note="已修复", evidence=[(png(), "image/png")])
    (message,) = _memory_outbox
    assert message["to"] == "lee@example.gov.cn" and message["subject"] == "现场办公任务待验收"
    assert "城关镇报告" in message["body"] and "修复城东村三组路灯" in message["body"]

    with django_capture_on_commit_callbacks(execute=True):
        task = actions.return_task(task, org.leader, reason="还有一盏灯不亮")
    assert _memory_outbox[-1]["to"] == "hank@example.gov.cn"
    assert _memory_outbox[-1]["subject"] == "现场办公任务验收未通过"

    with django_capture_on_commit_callbacks(execute=True):
        task = actions.submit(task, org.handler, note="全部修复", evidence=[(png(), "image/png")])
        task = actions.accept(task, org.leader)
    assert [m["subject"] for m in _memory_outbox[-2:]] == ["现场办公任务待验收", "现场办公任务已验收"]
    assert Notification.objects.filter(template="onsite_task_submitted").count() == 2
