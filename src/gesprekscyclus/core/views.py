from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_list_read
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.selectors import employee_for_user, oversight_units, team_of


@login_required
def overview(request):
    """Mijn overzicht: my details, my manager, my unit; my team; the units I oversee."""
    actor = actor_for(request.user)
    request.navigation_section = "overview"
    team = list(team_of(request.user))
    # My own details need no audit event; my team's (job, unit, appointment) do.
    audit_list_read(request, "read:core.overview.team", subjects=team)
    context = {
        "me": employee_for_user(request.user),
        "team": team,
        "units": list(oversight_units(request.user)),
        "is_hr_admin": bool(actor.hr_admin_organisation_ids),
    }
    return render(request, "core/overview.html", context)


@login_required
def reference(request):
    """The yardstick of the load benchmark (docs/performance.md): the least a signed-in page
    does — three indexed queries (the session, the user, the employee) and a template —
    so every page's latency can be read as a multiple of it, measured in the same run."""
    employee = (
        Employee.objects.filter(user_id=request.user.pk).values("personnel_number", "first_name").first()
    )
    # Without the request, so no context processor adds its own queries.
    html = render_to_string("core/reference.html", {"employee": employee, "language": get_language()})
    return HttpResponse(html)


def health(request):
    """Liveness and database check for load balancers and container orchestrators."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
