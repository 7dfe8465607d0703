from django.apps import AppConfig


class TextintelConfig(AppConfig):
    name = "grassroots.textintel"
    label = "textintel"
    verbose_name = "智能辅助"
