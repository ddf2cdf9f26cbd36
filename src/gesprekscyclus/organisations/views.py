import io
import zipfile

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import get_permitted_or_404, require_permission
from gesprekscyclus.audit.services import audit_list_read
from gesprekscyclus.core.htmx import render_page_or_fragment
from gesprekscyclus.jobs.queue import enqueue

from . import selectors
from .exporter import organisation_export
from .forms import CompetenceForm, DepartmentPlanForm, OrganisationImportForm, RoleAssignmentForm
from .importer import (
    EMPLOYEE_COLUMNS,
    UNIT_COLUMNS,
    organisation_import_apply,
    organisation_import_plan_stored,
)
from .models import (
    Competence,
    DepartmentPlan,
    Employee,
    ImportStatus,
    Job,
    Organisation,
    OrganisationImport,
    OrgUnit,
    RoleAssignment,
)
from .services import competence_save, department_plan_save, job_profile_set, role_assign, role_revoke
from .tasks import apply_import_task

PAGE_SIZE = 50
# Confirmed imports: the page shows their state instead of a preview.
BACKGROUND_STATES = {ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.APPLIED, ImportStatus.FAILED}
EXPORT_FORMATS = {"csv", "xlsx"}


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))


@login_required
def employee_detail(request, pk: int):
    employee = get_permitted_or_404(
        request.user,
        "organisations.view_employee",
        Employee.objects.select_related("unit", "job", "manager", "organisation", "explicit_manager"),
        pk=pk,
    )
    return render(request, "organisations/employee_detail.html", {"employee": employee})


@login_required
def employee_list(request):
    require_permission(request.user, "organisations.search_employees")
    request.navigation_section = "employees"
    query = request.GET.get("q", "").strip()
    page = _page(request, selectors.employee_search(request.user, query=query))
    audit_list_read(request, "read:organisations.employees.list", subjects=list(page))
    return render_page_or_fragment(
        request,
        "organisations/employee_list.html",
        "organisations/_employee_rows.html",
        {"page": page, "query": query},
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_permitted_or_404(
        request.user,
        "organisations.view_orgunit",
        OrgUnit.objects.select_related("head", "organisation"),
        pk=pk,
    )
    members = _page(request, selectors.unit_members(request.user, unit))
    audit_list_read(
        request,
        "read:organisations.unit_members.list",
        subjects=list(members),
        obj=unit,
    )
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "children": list(selectors.unit_children(request.user, unit)),
        "page": members,
        "plans": list(unit.plans.all()),
        "can_edit_plan": rules.has_perm("organisations.change_departmentplan", request.user, unit),
    }
    return render(request, "organisations/unit_detail.html", context)


@login_required
def department_plan_edit(request, unit_pk: int, year: int | None = None):
    unit = get_permitted_or_404(
        request.user,
        "organisations.view_departmentplan",
        OrgUnit.objects.select_related("organisation"),
        pk=unit_pk,
    )
    require_permission(request.user, "organisations.change_departmentplan", unit)
    plan = DepartmentPlan.objects.filter(unit=unit, year=year).first() if year else None
    form = DepartmentPlanForm(request.POST or None, request.FILES or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        department_plan_save(
            unit=unit,
            year=form.cleaned_data["year"],
            text=form.cleaned_data["text"],
            attachment=request.FILES.get("attachment"),
            acting_user=request.user,
        )
        messages.success(request, _("The department plan has been saved."))
        return redirect("organisations:unit_detail", pk=unit.pk)
    return render(
        request, "organisations/department_plan_form.html", {"unit": unit, "form": form, "plan": plan}
    )


@login_required
def department_plan_download(request, pk: int):
    plan = get_permitted_or_404(
        request.user,
        "organisations.view_departmentplan",
        DepartmentPlan.objects.select_related("unit"),
        pk=pk,
    )
    if not plan.attachment:
        return redirect("organisations:unit_detail", pk=plan.unit_id)
    response = HttpResponse(plan.attachment.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{plan.attachment.name.rsplit("/", 1)[-1]}"'
    return response


def _administered_organisations(user):
    return Organisation.objects.filter(pk__in=actor_for(user).hr_admin_organisation_ids).order_by("name")


@login_required
def admin_home(request):
    require_permission(request.user, "organisations.import_organisation")
    request.navigation_section = "admin"
    organisations = list(_administered_organisations(request.user))
    imports = OrganisationImport.objects.filter(
        organisation_name__in=[o.name for o in organisations]
    ).select_related("uploaded_by")[:10]
    return render(
        request, "organisations/admin_home.html", {"organisations": organisations, "imports": imports}
    )


@login_required
def jobs_list(request):
    require_permission(request.user, "organisations.import_organisation")
    request.navigation_section = "admin"
    jobs = (
        Job.objects.filter(organisation__in=_administered_organisations(request.user))
        .prefetch_related("competences")
        .order_by("title")
    )
    return render(request, "organisations/jobs_list.html", {"page": _page(request, jobs)})


@login_required
def import_upload(request):
    require_permission(request.user, "organisations.import_organisation")
    request.navigation_section = "admin"
    names = [o.name for o in _administered_organisations(request.user)]
    form = OrganisationImportForm(request.POST or None, request.FILES or None, organisation_names=names)
    if request.method == "POST" and form.is_valid():
        units, employees = form.cleaned_data["units_file"], form.cleaned_data["employees_file"]
        upload = OrganisationImport.objects.create(
            organisation_name=form.cleaned_data["organisation"],
            uploaded_by=request.user,
            units_filename=units.name,
            units_content=units.read(),
            employees_filename=employees.name,
            employees_content=employees.read(),
        )
        return redirect("organisations:import_preview", pk=upload.pk)
    return render(
        request,
        "organisations/import_upload.html",
        {"form": form, "unit_columns": UNIT_COLUMNS, "employee_columns": EMPLOYEE_COLUMNS},
    )


def _plan_for(upload: OrganisationImport):
    return organisation_import_plan_stored(upload)


def _own_upload(request, pk: int) -> OrganisationImport:
    require_permission(request.user, "organisations.import_organisation")
    names = [o.name for o in _administered_organisations(request.user)]
    return get_object_or_404(OrganisationImport, pk=pk, organisation_name__in=names)


@login_required
def import_preview(request, pk: int):
    upload = _own_upload(request, pk)
    request.navigation_section = "admin"
    if upload.status in BACKGROUND_STATES:
        # Confirmed: what was (or will be) imported, and how far the worker is.
        return render(
            request, "organisations/import_status.html", {"upload": upload, "summary": upload.summary}
        )
    plan = _plan_for(upload)
    changes = {
        kind: [change for change in getattr(plan, kind) if change.action != "unchanged"][:200]
        for kind in ("units", "employees")
    }
    return render(
        request,
        "organisations/import_preview.html",
        {"upload": upload, "plan": plan, "summary": plan.summary(), "changes": changes},
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    upload = _own_upload(request, pk)
    with transaction.atomic():
        upload = OrganisationImport.objects.select_for_update(of=("self",)).get(pk=upload.pk)
        if upload.status != ImportStatus.PREVIEWED:
            messages.info(request, _("This import has already been processed."))
            return redirect("organisations:admin_home")
        plan = _plan_for(upload)
        if plan.errors:
            messages.error(request, _("The files contain errors; nothing was imported."))
            return redirect("organisations:import_preview", pk=upload.pk)
        upload.summary = plan.summary()
        if len(plan.unit_rows) + len(plan.employee_rows) <= settings.IMPORT_BACKGROUND_ROWS:
            organisation_import_apply(plan=plan, acting_user=request.user)
            upload.status = ImportStatus.APPLIED
            upload.save(update_fields=["status", "summary"])
            messages.success(request, _("The import has been applied."))
            return redirect("organisations:admin_home")
        # A large import is applied by a worker; queued when this transaction commits.
        upload.status = ImportStatus.QUEUED
        upload.save(update_fields=["status", "summary"])
        enqueue(apply_import_task, upload.pk, request.user.pk)
    upload.refresh_from_db(fields=["status"])
    if upload.status == ImportStatus.APPLIED:  # the immediate backend ran it already
        messages.success(request, _("The import has been applied."))
    else:
        messages.info(
            request,
            _("The import is large, so it is applied in the background. This page shows how far it is."),
        )
    return redirect("organisations:import_preview", pk=upload.pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    upload = _own_upload(request, pk)
    OrganisationImport.objects.filter(pk=upload.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.DISCARDED
    )
    messages.info(request, _("The import has been discarded; nothing was changed."))
    return redirect("organisations:admin_home")


@login_required
def export_download(request, organisation_pk: int, file_format: str):
    if file_format not in EXPORT_FORMATS:
        raise Http404
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    require_permission(request.user, "organisations.export_organisation", organisation)
    files, employee_ids = organisation_export(organisation=organisation, file_format=file_format)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, content in files.items():
            archive.writestr(filename, content)
    audit_list_read(
        request,
        "read:organisations.employees.export",
        subjects=employee_ids,
        obj=organisation,
        query={"format": [file_format]},
    )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="organisation-{organisation.pk}-{file_format}.zip"'
    )
    return response


@login_required
def roles(request, organisation_pk: int):
    """The HR administrator assigns and revokes director, HR adviser and HR administrator roles."""
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    require_permission(request.user, "organisations.assign_roles", organisation)
    request.navigation_section = "admin"
    form = RoleAssignmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        role_assign(
            user=form.cleaned_data["user"],
            organisation=organisation,
            role=form.cleaned_data["role"],
            unit=form.cleaned_data["unit"],
            acting_user=request.user,
        )
        messages.success(request, _("The role has been assigned."))
        return redirect("organisations:roles", organisation_pk=organisation.pk)
    assignments = (
        RoleAssignment.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("role", "user__last_name", "user__first_name")
    )
    return render(
        request,
        "organisations/roles.html",
        {"organisation": organisation, "form": form, "assignments": assignments},
    )


@login_required
@require_POST
def role_revoke_view(request, organisation_pk: int, pk: int):
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    require_permission(request.user, "organisations.assign_roles", organisation)
    assignment = (
        RoleAssignment.objects.filter(organisation=organisation, pk=pk).select_related("user").first()
    )
    if assignment is None:
        messages.info(request, _("This role had already been revoked."))
    elif assignment.user_id == request.user.pk and assignment.role == "hr_admin":
        messages.error(request, _("You cannot revoke your own HR administrator role."))
    else:
        role_revoke(assignment=assignment, acting_user=request.user)
        messages.success(request, _("The role has been revoked."))
    return redirect("organisations:roles", organisation_pk=organisation.pk)


@login_required
def competences(request):
    """The HR administrator maintains the competence library and job profiles."""
    require_permission(request.user, "organisations.import_organisation")
    request.navigation_section = "admin"
    organisations = list(_administered_organisations(request.user))
    items = Competence.objects.filter(organisation__in=organisations).order_by("name")
    form = CompetenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competence_save(
                organisation=organisations[0],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levels=form.levels(),
                acting_user=request.user,
            )
            messages.success(request, _("The competence is saved."))
            return redirect("organisations:competences")
        except ValidationError as error:
            form.add_error("name", error.messages[0])
    return render(request, "organisations/competences.html", {"competences": items, "form": form})


@login_required
def competence_edit(request, pk: int):
    require_permission(request.user, "organisations.import_organisation")
    request.navigation_section = "admin"
    competence = get_object_or_404(
        Competence.objects.filter(organisation__in=_administered_organisations(request.user)), pk=pk
    )
    initial = {"name": competence.name, "description": competence.description}
    initial.update({f"level_{key}": "\n".join(lines) for key, lines in competence.level_indicators.items()})
    form = CompetenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            competence_save(
                organisation=competence.organisation,
                competence=competence,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levels=form.levels(),
                acting_user=request.user,
            )
            messages.success(request, _("The competence is saved."))
            return redirect("organisations:competences")
        except ValidationError as error:
            form.add_error("name", error.messages[0])
    return render(request, "organisations/competence_edit.html", {"competence": competence, "form": form})


@login_required
def job_profile(request, pk: int):
    require_permission(request.user, "organisations.import_organisation")
    request.navigation_section = "admin"
    job = get_object_or_404(
        Job.objects.filter(organisation__in=_administered_organisations(request.user)), pk=pk
    )
    library = Competence.objects.filter(organisation=job.organisation).order_by("name")
    if request.method == "POST":
        chosen = library.filter(
            pk__in=[value for value in request.POST.getlist("competences") if value.isdigit()]
        )
        job_profile_set(job=job, competences=chosen, acting_user=request.user)
        messages.success(request, _("The competence profile is saved."))
        return redirect("organisations:jobs_list")
    current = set(job.competences.values_list("pk", flat=True))
    return render(
        request, "organisations/job_profile.html", {"job": job, "library": library, "current": current}
    )
