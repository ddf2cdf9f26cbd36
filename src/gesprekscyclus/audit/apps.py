from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "gesprekscyclus.audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import permissions  # noqa: F401  (registers audit.view_auditlog)
        from .receivers import connect

        connect()
