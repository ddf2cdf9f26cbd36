"""The personnel file pages. Every read of an entry is logged; the employee sees the log."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.selectors import employee_for_user

from .models import DossierEntry, DossierRead, ReadAction
from .services import dossier_export, dossier_log_read

ENTRIES = DossierEntry.objects.select_related(
    "employee__manager", "employee__unit", "conversation__cycle__regulation_version"
).defer("pdf", "content_json")


def _readable(user, employee: Employee) -> list[DossierEntry]:
    entries = list(ENTRIES.filter(employee=employee).order_by("-sequence"))
    return [entry for entry in entries if rules.has_perm("dossiers.read_entry", user, entry)]


@login_required
def my_file(request):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    request.navigation_section = "dossier"
    return render(
        request,
        "dossiers/file.html",
        {
            "employee": me,
            "is_own": True,
            "entries": _readable(request.user, me),
            "reads": DossierRead.objects.filter(employee=me)
            .exclude(reader=request.user)
            .select_related("entry")[:100],
        },
    )


@login_required
def employee_file(request, employee_pk: int):
    employee = get_permitted_or_404(
        request.user,
        "organisations.view_employee",
        Employee.objects.select_related("manager"),
        pk=employee_pk,
    )
    request.navigation_section = "dossier"
    is_own = employee.user_id == request.user.pk
    reads = DossierRead.objects.filter(employee=employee).exclude(reader=request.user).select_related("entry")
    return render(
        request,
        "dossiers/file.html",
        {
            "employee": employee,
            "is_own": is_own,
            "entries": _readable(request.user, employee),
            "reads": reads[:100] if is_own else [],
        },
    )


def _entry(request, pk: int) -> DossierEntry:
    entry = get_permitted_or_404(
        request.user,
        "dossiers.read_entry",
        DossierEntry.objects.select_related("employee__manager", "conversation__cycle__regulation_version"),
        pk=pk,
    )
    if entry.is_purged:
        raise Http404
    return entry


@login_required
def entry_pdf(request, pk: int):
    entry = _entry(request, pk)
    dossier_log_read(employee=entry.employee, user=request.user, action=ReadAction.DOWNLOAD, entry=entry)
    response = HttpResponse(bytes(entry.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="dossier-{entry.sequence:03d}-{entry.document}.pdf"'
    )
    return response


@login_required
def entry_json(request, pk: int):
    entry = _entry(request, pk)
    dossier_log_read(employee=entry.employee, user=request.user, action=ReadAction.VIEW, entry=entry)
    response = HttpResponse(entry.content_json, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="dossier-{entry.sequence:03d}-{entry.document}.json"'
    )
    return response


@login_required
def export(request):
    """The employee's whole file as a zip (the AVG right of access)."""
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    entries = list(DossierEntry.objects.filter(employee=me).order_by("sequence"))
    response = HttpResponse(dossier_export(me, entries, user=request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="personeelsdossier-{me.personnel_number}.zip"'
    return response
