from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "grassroots.accountability"
    label = "accountability"
    verbose_name = "下基层情况统计"
