from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "grassroots.research"
    label = "research"
    verbose_name = "调研"
