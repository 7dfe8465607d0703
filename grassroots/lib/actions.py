"""The kernel every app's actions share: one error hierarchy, one version claim, one text check.

An action is a function that changes the product's state: it checks the law and the data, writes
the change and a line on the object's timeline, atomically. Whatever refuses it raises an
`ActionError` (or a subclass) with a Chinese message that is shown to the user as it is, so one
`except ActionError` catches any refused action from any app.
"""

from django.db import models

STALE = "页面已过期，请刷新后再操作。"


class ActionError(Exception):
    """A refused action; the message is shown to the user as it is."""


class Conflict(ActionError):
    """Someone else changed the object since the user loaded it."""


class AlreadyDone(ActionError):
    """The same form was submitted twice and the first submit did it; `result` is what it made."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.result = result


def version_of(obj, expected) -> int:
    """The version the user acted on: the form's hidden field (text) or, without one, the object's."""
    try:
        return int(obj.version if expected is None else expected)
    except (TypeError, ValueError):
        raise Conflict(STALE) from None


def claim(obj: models.Model, expected=None, *, noun="", fetch=None, only_if=None, refused=None):
    """Take `obj` for one action, or raise.

    The conditional UPDATE of the version is the lock: of two concurrent actions on one version
    exactly one matches a row. `only_if` adds conditions the row must meet as well (a finding not
    yet on the ledger). Returns the object as it is now, read through `fetch` (a queryset, for
    its select_related); when the claim fails, raises what `refused(fresh)` returns, by default
    a Conflict that says the object (`noun`: "这项承诺") changed.
    """
    model = type(obj)
    version = version_of(obj, expected)
    rows = model._default_manager.filter(pk=obj.pk, version=version, **(only_if or {}))
    claimed = rows.update(version=version + 1)
    fresh = (fetch if fetch is not None else model._default_manager).get(pk=obj.pk)
    if claimed != 1:
        if refused is not None:
            raise refused(fresh)
        raise Conflict(f"{noun}已被他人更新，您的操作未执行，请查看最新情况后再决定。")
    return fresh


def require_text(value, what: str, max_chars: int, *, required: bool = True) -> str:
    """A text the user typed: line breaks normalised, trimmed, present if required, not too long."""
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ActionError(f"请填写{what}。")
    if len(value) > max_chars:
        raise ActionError(f"{what}不能超过 {max_chars} 字（现有 {len(value)} 字）。")
    return value


def require_status(obj, *statuses, what: str = ""):
    """The object must be in one of `statuses` (a TextChoices field named `status`)."""
    if obj.status not in statuses:
        raise ActionError(f"{what}当前状态为「{obj.get_status_display()}」，不能执行此操作。")
