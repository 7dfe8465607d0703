from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "grassroots.appeals"
    label = "appeals"
    verbose_name = "信访诉求"
