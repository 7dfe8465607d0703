from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "grassroots.appeals"
    label = "appeals"
    verbose_name = "信访诉求"

    def ready(self):
        from grassroots.workcal.signals import calendar_changed

        calendar_changed.connect(recompute_after_calendar_change, dispatch_uid="appeals")


def recompute_after_calendar_change(sender, **kwargs):
    from .actions import recompute_open_deadlines

    changed = recompute_open_deadlines()
    return f"{changed} 件诉求的期限" if changed else None
