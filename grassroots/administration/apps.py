from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "grassroots.administration"
    label = "administration"
