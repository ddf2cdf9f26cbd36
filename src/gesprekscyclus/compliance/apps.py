from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "gesprekscyclus.compliance"
    verbose_name = _("Compliance")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
