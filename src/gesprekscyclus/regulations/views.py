"""The HR administrator's regulation pages: upload or pick a preset, validate, preview, activate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gesprekscyclus.access.shortcuts import get_permitted_or_404, require_permission
from gesprekscyclus.cycles.presenters import (
    INITIATIVE_LABELS,
    RECORDING_LABELS,
    item_rows,
    label_text,
    signatures_text,
)
from gesprekscyclus.cycles.services import preview_schedule
from gesprekscyclus.organisations.models import Appointment, Employee, Organisation

from .forms import RegulationUploadForm
from .models import RegulationVersion, VersionStatus
from .services import regulation_version_activate, regulation_version_discard, regulation_version_upload


@login_required
def regulation_list(request, organisation_pk: int):
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    require_permission(request.user, "regulations.manage_regulations", organisation)
    request.navigation_section = "admin"
    form = RegulationUploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        version = regulation_version_upload(
            organisation=organisation,
            filename=form.cleaned_data["filename"],
            text=form.cleaned_data["text"],
            in_force_from=form.cleaned_data["in_force_from"],
            scope=form.scope,
            uploaded_by=request.user,
        )
        messages.success(request, _("The regulation is valid. Check the preview, then activate it."))
        return redirect("regulations:version_detail", pk=version.pk)
    versions = (
        RegulationVersion.objects.filter(organisation=organisation)
        .select_related("scope_unit", "uploaded_by", "activated_by")
        .prefetch_related("scope_jobs")
        .order_by("-in_force_from", "-id")
    )
    return render(
        request,
        "regulations/list.html",
        {"organisation": organisation, "form": form, "versions": versions, "today": timezone.localdate()},
    )


def _sample_employees(version: RegulationVersion) -> list[Employee]:
    """Up to two people the version would apply to: one on probation, one not."""
    people = Employee.objects.filter(organisation_id=version.organisation_id, employment_end__isnull=True)
    if version.scope_unit_id:
        people = people.filter(unit__path__startswith=version.scope_unit.path)
    elif version.scope_job_group:
        people = people.filter(job__in=version.scope_jobs.all())
    people = people.select_related("unit").order_by("personnel_number")
    samples = [
        people.exclude(appointment=Appointment.PROBATION).first(),
        people.filter(appointment=Appointment.PROBATION).first(),
    ]
    return [person for person in samples if person is not None]


@login_required
def version_detail(request, pk: int):
    version = get_permitted_or_404(
        request.user,
        "regulations.manage_regulations",
        RegulationVersion.objects.select_related("organisation", "scope_unit", "uploaded_by", "activated_by"),
        pk=pk,
    )
    request.navigation_section = "admin"
    regulation = version.regulation()
    today = timezone.localdate()
    year = max(version.in_force_from.year, today.year)
    samples = []
    for person in _sample_employees(version):
        period, items = preview_schedule(version, person, year, today)
        samples.append({"person": person, "period": period, "rows": item_rows(regulation, items)})
    kinds = [
        {
            "kind": kind,
            "label": label_text(kind.label),
            "signatures": signatures_text(kind.signatures),
            "initiative": INITIATIVE_LABELS[kind.initiative.by],
            "report_by": INITIATIVE_LABELS[kind.report_by],
            "recording": RECORDING_LABELS[kind.recording.mode],
        }
        for kind in regulation.conversation_kinds
    ]
    return render(
        request,
        "regulations/version_detail.html",
        {
            "version": version,
            "regulation": regulation,
            "kinds": kinds,
            "samples": samples,
            "year": year,
            "description": label_text(regulation.description) if regulation.description else "",
        },
    )


@login_required
@require_POST
def version_activate(request, pk: int):
    version = get_permitted_or_404(
        request.user, "regulations.manage_regulations", RegulationVersion.objects.all(), pk=pk
    )
    if version.status == VersionStatus.WITHDRAWN:
        messages.error(request, _("A withdrawn version cannot be activated again; upload it anew."))
    elif regulation_version_activate(version, acting_user=request.user):
        messages.success(
            request,
            _("%(name)s is in force from %(date)s.")
            % {"name": version.name, "date": version.in_force_from.strftime("%d-%m-%Y")},
        )
    else:
        messages.info(request, _("This version was already active."))
    return redirect("regulations:version_detail", pk=version.pk)


@login_required
@require_POST
def version_discard(request, pk: int):
    version = get_permitted_or_404(
        request.user, "regulations.manage_regulations", RegulationVersion.objects.all(), pk=pk
    )
    organisation_pk = version.organisation_id
    if version.status == VersionStatus.DRAFT:
        regulation_version_discard(version, acting_user=request.user)
        messages.success(request, _("The draft has been discarded."))
    else:
        messages.error(request, _("Only a draft can be discarded; an active version stays on record."))
    return redirect("regulations:list", organisation_pk=organisation_pk)
