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
