from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grassroots.reception"
    verbose_name = "领导接访"

    def ready(self):
        from grassroots.workcal.signals import calendar_changed

        calendar_changed.connect(check_days_after_calendar_change, dispatch_uid="reception")


def check_days_after_calendar_change(sender, **kwargs):
    from .actions import tell_of_days_on_holidays

    found = tell_of_days_on_holidays()
    return f"{found} 个已发布的接访日落在节假日（已通知接访领导）" if found else None
