"""The audit log's pages: the HR administrator's search (and CSV export) over their
organisation's events, and every employee's "who did what with my data"."""

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import require_permission
from gesprekscyclus.core.htmx import render_page_or_fragment
from gesprekscyclus.organisations.tabular import spreadsheet_safe, write_csv

from .forms import AuditSearchForm
from .labels import CATEGORY_LABELS, describe
from .selectors import events_about_me, events_search, events_visible_to
from .services import audit_list_read

PAGE_SIZE = 50
EXPORT_ROW_LIMIT = 100_000


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _rows(page_events) -> list[dict]:
    return [
        {
            "event": event,
            "what": describe(event.action),
            "category": CATEGORY_LABELS.get(event.category, event.category),
        }
        for event in page_events
    ]


def _administered_organisation(request) -> int | None:
    """The organisation whose log this is, when the administrator has one."""
    organisations = sorted(actor_for(request.user).hr_admin_organisation_ids)
    return organisations[0] if len(organisations) == 1 else None


def _search(request):
    require_permission(request.user, "audit.view_auditlog")
    form = AuditSearchForm(request.GET or None)
    events = events_visible_to(request.user)
    if form.is_bound and form.is_valid():
        events = events_search(events, filters=form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    return form, events


@login_required
def search(request):
    """Search the organisation's audit log: newest first, 50 a page, filters in the URL
    (htmx swaps the results and pushes the URL; without JavaScript the form submits)."""
    request.navigation_section = "auditlog"
    form, events = _search(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = _rows(page.object_list)
    # Reading the log is reading personal data (who did what, from where): one event per
    # page of results, naming the people the events shown are about.
    audit_list_read(
        request,
        "read:audit.search.list",
        subjects=[row["event"].subject_id for row in rows],
        rows=len(rows),
        ids=[row["event"].pk for row in rows],
        organisation=_administered_organisation(request),
        always=bool(rows),
    )
    filters = request.GET.copy()
    filters.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filters": filters.urlencode(),
        "filtered": bool(form.is_bound and form.has_changed()),
    }
    return render_page_or_fragment(request, "audit/search.html", "audit/_results.html", context)


@login_required
def export(request):
    """The filtered result as CSV (at most ``EXPORT_ROW_LIMIT`` rows, newest first); the
    export itself is logged."""
    form, events = _search(request)
    columns = [
        _("time"),
        _("kind"),
        _("action"),
        _("description"),
        _("by"),
        _("by (e-mail address)"),
        _("about"),
        _("personnel number"),
        _("object type"),
        _("object id"),
        _("IP address"),
        _("browser"),
        _("page"),
        _("details"),
    ]
    rows = []
    subjects = []
    for event in events[:EXPORT_ROW_LIMIT]:
        subjects.append(event.subject_id)
        values = [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            str(CATEGORY_LABELS.get(event.category, event.category)),
            event.action,
            describe(event.action),
            _person(event.actor),
            event.actor.email if event.actor else "",
            event.subject.full_name if event.subject else "",
            event.subject.personnel_number if event.subject else "",
            event.object_type,
            event.object_id,
            event.ip_address or "",
            event.user_agent,
            event.path,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
        ]
        rows.append({column: spreadsheet_safe(value) for column, value in zip(columns, values, strict=True)})
    audit_list_read(
        request,
        "auditlog.exported",
        subjects=subjects,
        rows=len(rows),
        organisation=_administered_organisation(request),
        always=True,
    )
    response = HttpResponse(write_csv(columns, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.csv"'
    return response


@login_required
def mine(request):
    """Who viewed or changed my data, and when (not from which address: that is the
    other person's data)."""
    request.navigation_section = "auditlog_mine"
    actor = actor_for(request.user)
    events = events_about_me(request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = _rows(page.object_list)
    for row in rows:
        event = row["event"]
        row["by_me"] = event.actor_id is not None and event.actor_id == request.user.pk
        row["who"] = _person(event.actor)
    context = {"page": page, "rows": rows, "has_employee": actor.employee_id is not None}
    return render(request, "audit/mine.html", context)
