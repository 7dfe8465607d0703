"""Writing the audit log, inside the transaction of the change it describes.

Each kind of object is declared once as `Audited(type, fields)`: the fields kept before and after
a change. An action then writes one line: `UNITS.changed("unit.rename", "单位更名", actor, unit,
before)`.
"""

from django.db import models

from . import context
from .models import AuditEntry


def _value(value):
    if isinstance(value, models.Model):
        return f"{value}（#{value.pk}）"
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class Audited:
    def __init__(self, target_type: str, fields: tuple[str, ...]):
        self.target_type, self.fields = target_type, fields

    def snapshot(self, obj) -> dict:
        """The kept fields of `obj` as JSON-friendly values (a related object by its name and id)."""
        return {name: _value(getattr(obj, name)) for name in self.fields}

    def created(self, action, label, actor, obj, *, unit=None) -> AuditEntry:
        return self.record(action, label, actor=actor, target=obj, after=self.snapshot(obj), unit=unit)

    def changed(self, action, label, actor, obj, before, *, unit=None) -> AuditEntry:
        after = self.snapshot(obj)
        return self.record(action, label, actor=actor, target=obj, before=before, after=after, unit=unit)

    def deleted(self, action, label, actor, target, before, *, unit=None) -> AuditEntry:
        return self.record(action, label, actor=actor, target=target, before=before, unit=unit)

    def record(self, action, label, *, actor, target, before=None, after=None, unit=None) -> AuditEntry:
        """One entry: `actor` did `label` to `target` (an object, or its name once it is gone),
        concerning `unit` (None: the whole system)."""
        origin = context.current()
        return AuditEntry.objects.create(
            actor_id=getattr(actor, "pk", None),
            actor_name=(f"{actor}（{actor.username}）" if actor is not None else "系统")[:150],
            ip=origin.ip[:64],
            user_agent=origin.user_agent[:200],
            action=action,
            action_label=label,
            target_type=self.target_type,
            target_id=str(getattr(target, "pk", "") or ""),
            target_label=str(target)[:200],
            unit_path=unit.path if unit is not None else "",
            before=before,
            after=after,
        )
