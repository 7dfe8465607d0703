from django.apps import AppConfig


class OnsiteConfig(AppConfig):
    name = "grassroots.onsite"
    verbose_name = "现场办公"
