"""The privacy pages: "Mijn gegevens" (the employee's own export), the export of any
employee for the HR administrators of their organisation, and the pseudonymisation of
former employees whose retention has ended (HR administrators, with a confirmation step).

Who may: the person themselves and the HR administrators of the employee's organisation
(``organisations.import_organisation`` on the employee); anybody else gets 404, so the
existence of someone else's data is not revealed. The overview page is a role page (403).
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import get_permitted_or_404, require_permission
from gesprekscyclus.organisations.models import Employee, Organisation
from gesprekscyclus.organisations.selectors import employee_for_user

from .models import Pseudonymisation
from .selectors import leavers_due_for_pseudonymisation, retention_of
from .services import Refused, export_filename, leaver_pseudonymise, personal_data_export_zip

HR_ADMIN = "organisations.import_organisation"  # HR administrator of the object's organisation


def _zip_response(employee: Employee, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(employee)}"'
    response["Cache-Control"] = "no-store"
    return response


def _may_export(user, employee: Employee) -> bool:
    actor = actor_for(user)
    if actor.employee_id is not None and actor.employee_id == employee.pk:
        return True
    return rules.has_perm(HR_ADMIN, user, employee)


@login_required
def my_data(request):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    request.navigation_section = "privacy"
    return render(request, "privacy/mine.html", {"employee": me})


@never_cache
@login_required
def my_export(request):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    return _zip_response(me, personal_data_export_zip(me, acting_user=request.user))


@never_cache
@login_required
def employee_export(request, employee_pk: int):
    employee = Employee.objects.select_related("organisation", "unit").filter(pk=employee_pk).first()
    if employee is None or not _may_export(request.user, employee):
        raise Http404
    return _zip_response(employee, personal_data_export_zip(employee, acting_user=request.user))


def _administered(user):
    return Organisation.objects.filter(pk__in=actor_for(user).hr_admin_organisation_ids).order_by("name")


@login_required
def admin(request):
    """Export any employee's data; the former employees due for pseudonymisation."""
    require_permission(request.user, HR_ADMIN)
    request.navigation_section = "admin"
    organisations = list(_administered(request.user))
    found_error = None
    number = request.GET.get("personeelsnummer", "").strip()
    if number:
        matches = list(
            Employee.objects.filter(organisation__in=organisations, personnel_number=number).select_related(
                "organisation"
            )
        )
        chosen = request.GET.get("organisatie", "")
        if chosen:
            matches = [employee for employee in matches if str(employee.organisation_id) == chosen]
        if len(matches) == 1:
            return redirect("privacy:employee_export", employee_pk=matches[0].pk)
        found_error = (
            _("No employee with personnel number %(number)s in your organisations.") % {"number": number}
            if not matches
            else _("More than one organisation has personnel number %(number)s: choose the organisation.")
            % {"number": number}
        )
    today = timezone.localdate()
    due = leavers_due_for_pseudonymisation(None, today, organisation_ids=[o.pk for o in organisations])
    done = (
        Pseudonymisation.objects.filter(organisation__in=organisations)
        .select_related("employee", "organisation", "performed_by")
        .order_by("-performed_at")[:20]
    )
    return render(
        request,
        "privacy/admin.html",
        {
            "organisations": organisations,
            "due": due,
            "done": done,
            "today": today,
            "number": number,
            "found_error": found_error,
        },
    )


@login_required
def pseudonymise(request, employee_pk: int):
    """GET: what will happen and the confirmation; POST: do it."""
    employee = get_permitted_or_404(
        request.user,
        HR_ADMIN,
        Employee.objects.select_related("organisation", "unit", "user"),
        pk=employee_pk,
    )
    request.navigation_section = "admin"
    today = timezone.localdate()
    already = Pseudonymisation.objects.filter(employee=employee).first()
    error = None
    if request.method == "POST" and already is None:
        if request.POST.get("bevestig") != "ja":
            error = _("Confirm that you understand this cannot be undone.")
        else:
            try:
                outcome = leaver_pseudonymise(employee, acting_user=request.user, today=today)
            except Refused as refusal:
                messages.error(request, str(refusal))
                return redirect("privacy:pseudonymise", employee_pk=employee.pk)
            messages.success(
                request,
                _("The data of the former employee were pseudonymised as %(name)s.")
                % {"name": f"Pseudoniem {outcome.record.pseudonym}"},
            )
            return redirect("privacy:admin")
    elif request.method == "POST":
        messages.info(request, _("This former employee was pseudonymised before; nothing was changed."))
        return redirect("privacy:admin")
    retention = retention_of(employee)
    return render(
        request,
        "privacy/pseudonymise.html",
        {
            "employee": employee,
            "retention": retention,
            "expired": retention.expired(today),
            "already": already,
            "error": error,
            "today": today,
        },
        status=400 if error else 200,
    )
