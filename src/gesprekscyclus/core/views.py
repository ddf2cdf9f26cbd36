from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.organisations.selectors import employee_for_user, oversight_units, team_of


@login_required
def overview(request):
    """Mijn overzicht: my details, my manager, my unit; my team; the units I oversee."""
    actor = actor_for(request.user)
    request.navigation_section = "overview"
    context = {
        "me": employee_for_user(request.user),
        "team": list(team_of(request.user)),
        "units": list(oversight_units(request.user)),
        "is_hr_admin": bool(actor.hr_admin_organisation_ids),
    }
    return render(request, "core/overview.html", context)


def health(request):
    """Liveness and database check for load balancers and container orchestrators."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
