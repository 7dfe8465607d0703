"""Encryption of personal data at rest, and masking for display.

Phone and ID numbers are stored as Fernet tokens (AES-128-CBC + HMAC) under a key
stretched from settings.FIELD_ENCRYPTION_KEY. Lists show masked values; revealing
the clear value goes through `appeals.actions.reveal_identity`, which logs it.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = base64.urlsafe_b64encode(hashlib.sha256(("pii:" + secret).encode()).digest())
    return Fernet(key)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return "（无法解密）"


def digest(purpose: str, value: str) -> str:
    """A keyed hash: equal values match without the value being readable; "" for no value."""
    if not value:
        return ""
    key = ("digest:" + settings.FIELD_ENCRYPTION_KEY).encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
