"""Writing the audit log: `record(...)` inside the transaction of the change it describes."""

from django.db import models

from . import context
from .models import AuditEntry


def snapshot(obj, fields) -> dict:
    """The named fields of `obj` as JSON-friendly values (a related object by its name and id)."""
    data = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = f"{value}（#{value.pk}）"
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        data[name] = value
    return data


def record(action: str, label: str, *, actor, target, target_type: str, before=None, after=None, unit=None):
    """One entry: `actor` did `label` to `target` (a model instance or a text) concerning `unit`."""
    origin = context.current()
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_name=(f"{actor}（{actor.username}）" if actor is not None else "系统")[:150],
        ip=origin.ip[:64],
        user_agent=origin.user_agent[:200],
        action=action,
        action_label=label,
        target_type=target_type,
        target_id=str(getattr(target, "pk", "") or ""),
        target_label=str(target)[:200],
        unit_path=unit.path if unit is not None else "",
        before=before,
        after=after,
    )
