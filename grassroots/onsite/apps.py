from django.apps import AppConfig


class OnsiteConfig(AppConfig):
    name = "grassroots.onsite"
    verbose_name = "现场办公"

    def ready(self):
        from grassroots.workcal.signals import calendar_changed

        calendar_changed.connect(recompute_after_calendar_change, dispatch_uid="onsite")


def recompute_after_calendar_change(sender, **kwargs):
    from .actions import recompute_task_deadlines

    changed = recompute_task_deadlines()
    return f"{changed} 项现场办公任务的办理时限" if changed else None
