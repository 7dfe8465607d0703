from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "grassroots.workcal"
    label = "workcal"
    verbose_name = "工作日历与时限"
