from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "grassroots.audit"
    label = "audit"
    verbose_name = "操作日志"
