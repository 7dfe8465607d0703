from django.apps import AppConfig


class ErrorsConfig(AppConfig):
    name = "grassroots.errors"
    verbose_name = "出错页面"
