"""The audit log of administrative changes: who, when, from where, before and after.

An entry is written once, by `audit.record`, in the same transaction as the change, and never
changed or deleted: the model refuses it, and on PostgreSQL a trigger refuses it too (migration
0002). The actor and the unit are kept as values, not foreign keys, so that no later change to
people or the tree can alter or block the record.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableEntry(Exception):
    """Someone tried to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("操作日志不能修改。")

    def delete(self):
        raise ImmutableEntry("操作日志不能删除。")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_id = models.IntegerField(_("操作人编号"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=150)
    ip = models.CharField(_("来源地址"), max_length=64, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=40, db_index=True)
    action_label = models.CharField(_("操作名称"), max_length=60)
    target_type = models.CharField(_("对象类型"), max_length=30)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target_label = models.CharField(_("对象"), max_length=200)
    # the unit the change concerns ("/1/4/"), for who may read it; empty: the whole system
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action_label} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableEntry("操作日志不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("操作日志不能删除。")

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs, in a stable order."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
