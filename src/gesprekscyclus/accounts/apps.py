from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _admin_login(request, extra_context=None):
    """The technical administration logs in through our own login (with its second step,
    throttling and sessions), never through Django's admin login form."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


class AccountsConfig(AppConfig):
    name = "gesprekscyclus.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib import admin

        from . import sessions  # noqa: F401  (signal receivers)

        admin.site.login = _admin_login
