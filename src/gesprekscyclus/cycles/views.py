from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.selectors import employee_for_user, team_of

from .presenters import item_rows
from .services import current_cycles, cycle_schedule, employee_schedule


def _schedule_context(employee: Employee, as_of):
    schedule = employee_schedule(employee, as_of)
    if schedule is None:
        return {"employee": employee, "schedule": None, "rows": []}
    return {
        "employee": employee,
        "schedule": schedule,
        "rows": item_rows(schedule.version.regulation(), schedule.items),
    }


@login_required
def my_schedule(request):
    """Mijn gesprekken: what is due for me in my current cycle, and why."""
    request.navigation_section = "conversations"
    me = employee_for_user(request.user)
    if me is None:
        raise Http404("no employee")
    context = _schedule_context(me, timezone.localdate())
    context["is_own"] = True
    context["has_team"] = team_of(request.user).exists()
    return render(request, "cycles/schedule.html", context)


@login_required
def employee_schedule_view(request, pk: int):
    """The same page for someone else: their manager, director, HR adviser or HR admin."""
    employee = get_permitted_or_404(
        request.user,
        "cycles.view_schedule",
        Employee.objects.select_related("unit", "organisation", "manager"),
        pk=pk,
    )
    context = _schedule_context(employee, timezone.localdate())
    context["is_own"] = employee.user_id == request.user.pk
    return render(request, "cycles/schedule.html", context)


@login_required
def team_schedule(request):
    """Mijn team: what is due for each of my direct reports, most urgent first."""
    request.navigation_section = "conversations"
    today = timezone.localdate()
    team = list(team_of(request.user))
    cycles = current_cycles([person.pk for person in team], today)
    members = []
    for person in team:
        cycle = cycles.get(person.pk)
        rows = []
        if cycle is not None:
            cycle.employee = person  # already loaded, with unit and job
            rows = item_rows(cycle.regulation_version.regulation(), cycle_schedule(cycle, today))
        open_rows = [row for row in rows if row.status in ("due", "overdue")]
        members.append(
            {
                "person": person,
                "cycle": cycle,
                "rows": rows,
                "overdue": sum(row.status == "overdue" for row in rows),
                "due": sum(row.status == "due" for row in rows),
                "next": open_rows[0] if open_rows else next((r for r in rows if r.status == "not_yet"), None),
            }
        )
    members.sort(key=lambda member: (-member["overdue"], -member["due"], member["person"].last_name))
    return render(request, "cycles/team.html", {"members": members, "today": today})
