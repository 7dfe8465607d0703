"""Pluggable senders. The default writes each message to var/outbox as a file; a real SMS
gateway or mail server is one class with a `send(channel, to, subject, body)` method,
named in settings.NOTIFY_BACKEND."""

import json
import sys
import uuid
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class ConsoleSender:
    def send(self, channel: str, to: str, subject: str, body: str) -> None:
        print(f"[{channel} → {to}] {subject}\n{body}\n", file=sys.stderr)


class FileSender:
    """One JSON file per message in NOTIFY_OUTBOX_DIR, like Django's file e-mail backend."""

    def send(self, channel: str, to: str, subject: str, body: str) -> None:
        outbox = settings.NOTIFY_OUTBOX_DIR
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{channel}-{uuid.uuid4().hex[:8]}.json"
        payload = {"channel": channel, "to": to, "subject": subject, "body": body}
        (outbox / name).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


class MemorySender:
    """Keeps messages in a list; for tests and the shell."""

    outbox: list[dict] = []

    def send(self, channel: str, to: str, subject: str, body: str) -> None:
        MemorySender.outbox.append({"channel": channel, "to": to, "subject": subject, "body": body})


BUILTIN = {"console": ConsoleSender, "file": FileSender, "memory": MemorySender}


@lru_cache(maxsize=4)
def _sender_for(name: str):
    cls = BUILTIN.get(name) or import_string(name)
    return cls()


def get_sender():
    return _sender_for(settings.NOTIFY_BACKEND)
