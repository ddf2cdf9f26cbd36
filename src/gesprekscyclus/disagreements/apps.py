from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisagreementsConfig(AppConfig):
    name = "gesprekscyclus.disagreements"
    verbose_name = _("Disagreements and delegation")
