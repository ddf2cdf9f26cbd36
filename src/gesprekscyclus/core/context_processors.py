from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.access.actor import actor_for


def navigation(request):
    """The main navigation, only with the pages this person may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_navigation": []}
    actor = actor_for(user)
    items = [(reverse("core:overview"), _("My overview"), "overview")]
    if actor.employee_id:
        items.append((reverse("cycles:my_schedule"), _("My conversations"), "conversations"))
        items.append((reverse("feedback:overview"), _("Feedback"), "feedback"))
        items.append((reverse("dossiers:mine"), _("My personnel file"), "dossier"))
    items.append((reverse("notifications:inbox"), _("Notifications"), "notifications"))
    if actor.director_scopes or actor.hr_adviser_scopes or actor.hr_admin_organisation_ids:
        items.append((reverse("organisations:employee_list"), _("Employees"), "employees"))
        items.append((reverse("compliance:dashboard"), _("Dashboard"), "dashboard"))
    if actor.hr_admin_organisation_ids:
        items.append((reverse("organisations:admin_home"), _("Administration"), "admin"))
        items.append((reverse("audit:search"), _("Audit log"), "auditlog"))
    current = getattr(request, "navigation_section", None)  # set by the view
    return {
        "main_navigation": [
            {"url": url, "label": label, "key": key, "current": key == current} for url, label, key in items
        ]
    }
