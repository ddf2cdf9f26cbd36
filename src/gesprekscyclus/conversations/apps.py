from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "gesprekscyclus.conversations"
    verbose_name = _("Conversations")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
