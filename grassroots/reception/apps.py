from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grassroots.reception"
    verbose_name = "领导接访"
