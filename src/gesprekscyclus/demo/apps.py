from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "gesprekscyclus.demo"
    verbose_name = "Demo"
