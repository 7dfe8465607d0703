"""The one way a message leaves the platform: sent through the configured sender and logged.

Every message becomes a Notification row, whether it went out or failed; a phone number is
logged masked, never in clear. A failing gateway is logged and reported as False, never raised:
a broken SMS gateway or mail server must not undo the change that caused the message, nor stop
the messages queued after it.
"""

import logging

from grassroots.lib.crypto import mask_phone

from .models import Notification
from .senders import get_sender

log = logging.getLogger(__name__)


def deliver(channel, address, *, subject, body, template, dedupe_key="", appeal=None) -> bool:
    """Send one message to `address` (a phone for SMS, an e-mail address) and log it."""
    note = Notification(
        channel=channel,
        recipient=mask_phone(address) if channel == Notification.Channel.SMS else address,
        template=template,
        body=body,
        appeal=appeal,
        dedupe_key=dedupe_key,
    )
    try:
        get_sender().send(channel, address, subject, body)
    except Exception as exc:  # see the module docstring: never undo the change that caused it
        log.exception("notification %s (%s) failed", template, dedupe_key)
        note.ok, note.error = False, str(exc)[:300]
    note.save()
    return note.ok


def already_sent(dedupe_key: str, **extra) -> bool:
    """Whether a message with this key went out; re-runs of a job skip it."""
    return Notification.objects.filter(dedupe_key=dedupe_key, ok=True, **extra).exists()
