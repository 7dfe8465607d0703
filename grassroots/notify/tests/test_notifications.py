import json

import pytest
from django.db import transaction

from grassroots.appeals import actions
from grassroots.notify.models import Notification
from grassroots.notify.senders import _sender_for


class ExplodingSender:
    def send(self, channel, to, subject, body):
        raise ConnectionError("gateway down")


def test_it_texts_the_petitioner_on_dispatch_and_emails_the_unit(
    org, make_appeal, _memory_outbox, django_capture_on_commit_callbacks
):
    appeal = make_appeal()
    with django_capture_on_commit_callbacks(execute=True):
        actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    recipients = sorted(m["to"] for m in _memory_outbox)
    assert recipients == ["bob@example.gov.cn", "hank@example.gov.cn"]
    assert "城关镇" in _memory_outbox[0]["body"] and appeal.tracking_code in _memory_outbox[0]["body"]
    logged = Notification.objects.filter(appeal=appeal, template="dispatched")
    assert logged.count() == 2 and all(n.ok for n in logged)


def test_it_never_logs_the_clear_phone_number(org, make_appeal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_appeal(phone="13912345678")
    note = Notification.objects.get(template="registered")
    assert note.recipient == "139****5678"


def test_it_sends_nothing_when_the_action_rolls_back(
    org, make_appeal, _memory_outbox, django_capture_on_commit_callbacks
):
    appeal = make_appeal()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.dispatch(appeal, org.clerk, unit=org.chengguan)
            raise RuntimeError("boom")
    assert _memory_outbox == []


def test_a_broken_gateway_does_not_undo_the_action(
    org, make_appeal, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BACKEND = f"{__name__}.ExplodingSender"
    _sender_for.cache_clear()
    appeal = make_appeal()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    appeal.refresh_from_db()
    assert appeal.status == "dispatched"
    failed = Notification.objects.filter(appeal=appeal, ok=False)
    assert failed.exists() and "gateway down" in failed.first().error


def test_the_file_backend_writes_one_json_file_per_message(
    org, make_appeal, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BACKEND = "file"
    settings.NOTIFY_OUTBOX_DIR = tmp_path / "outbox"
    _sender_for.cache_clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = make_appeal()
    files = list((tmp_path / "outbox").glob("*.json"))
    assert len(files) == 1
    message = json.loads(files[0].read_text(encoding="utf-8"))
    assert message["channel"] == "sms" and appeal.tracking_code in message["body"]
