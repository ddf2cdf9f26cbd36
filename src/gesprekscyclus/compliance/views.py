"""The HR compliance dashboard and its exports. Thin: ``dashboard.py`` decides what the
viewer may see and counts it; this module only parses the query and renders."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gesprekscyclus.audit.services import audit_list_read
from gesprekscyclus.core.htmx import render_page_or_fragment
from gesprekscyclus.cycles.services import with_regulation_versions
from gesprekscyclus.organisations.tabular import spreadsheet_safe, write_csv, write_xlsx_sheets
from gesprekscyclus.regulations.reasons import label_text

from .charts import bar_chart
from .dashboard import dashboard_for, overdue_in_scope, overdue_sorted
from .services import STAGES

STAGE_LABELS = {
    "planned": gettext_lazy("planned"),
    "held": gettext_lazy("held"),
    "reported": gettext_lazy("report finished"),
    "signed": gettext_lazy("signed"),
    "archived": gettext_lazy("in the personnel file"),
}
EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_ROW_LIMIT = 100_000


def _number(request, name: str, *, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise Http404(f"{name} must be a number from {low} to {high}")
    return int(raw)


def _query(request):
    today = timezone.localdate()
    unit_pk = _number(request, "unit", low=1, high=2**31 - 1)
    year = _number(request, "period", low=2000, high=2100) or today.year
    return today, unit_pk, year


def _conversation_label(progress) -> str:
    if not progress.next_due_kind:
        return ""
    regulation = progress.cycle.regulation_version.regulation()
    return label_text(regulation.kind(progress.next_due_kind).label)


@login_required
def dashboard(request):
    """Per unit (drill down the tree): how many employees have had the conversations the
    regulation requires so far, who is overdue, whose probation ends soon, the trend."""
    request.navigation_section = "dashboard"
    today, unit_pk, year = _query(request)
    board = dashboard_for(request.user, unit_pk=unit_pk, year=year, today=today)
    for progress in board.overdue:
        progress.label = _conversation_label(progress)
    audit_list_read(
        request,
        "read:compliance.dashboard.list",
        subjects=[progress.cycle.employee for progress in board.overdue] + board.probation,
        organisation=board.unit.organisation_id,
    )
    stage_chart = bar_chart(
        _("Share of employees per stage, %(period)s") % {"period": year},
        [(str(STAGE_LABELS[stage]), [board.totals.share(stage)]) for stage in STAGES],
    )
    trend_chart = bar_chart(
        _("Held and signed per period"),
        [(str(period), [figures.share("held"), figures.share("signed")]) for period, figures in board.trend],
        series=[str(STAGE_LABELS["held"]), str(STAGE_LABELS["signed"])],
    )
    context = {
        "board": board,
        "stage_labels": [(stage, STAGE_LABELS[stage]) for stage in STAGES],
        "stage_chart": stage_chart,
        "trend_chart": trend_chart,
        "today": today,
        "all_units": [
            {"pk": unit.pk, "name": unit.name, "indent": "\u00a0\u00a0" * unit.depth}
            for unit in board.choosable
        ],
    }
    return render_page_or_fragment(request, "compliance/dashboard.html", "compliance/_board.html", context)


def _unit_rows(board) -> tuple[list[str], list[dict]]:
    columns = [_("code"), _("unit"), _("level"), _("employees"), _("with conversations due")]
    for stage in STAGES:
        columns += [str(STAGE_LABELS[stage]), f"{STAGE_LABELS[stage]} %"]
    columns.append(_("overdue"))
    rows = []
    for line in board.subtree_lines():
        figures = line.figures
        values = [line.unit.code, line.unit.name, line.level, figures.employees, figures.with_due]
        for stage in STAGES:
            share = figures.share(stage)
            values += [getattr(figures, stage), "" if share is None else round(share, 1)]
        values.append(figures.overdue)
        rows.append(dict(zip(columns, values, strict=True)))
    return columns, rows


def _overdue_rows(request, unit_pk, year) -> tuple[list[str], list[dict]]:
    """The overdue employees as export rows; the download is recorded in the audit log."""
    columns = [
        _("personnel number"),
        _("name"),
        _("unit"),
        _("manager"),
        _("conversation"),
        _("due by"),
        _("overdue"),
    ]
    rows = []
    overdue = overdue_sorted(overdue_in_scope(request.user, unit_pk=unit_pk, year=year)[:EXPORT_ROW_LIMIT])
    with_regulation_versions(progress.cycle for progress in overdue)
    for progress in overdue:
        employee = progress.cycle.employee
        values = [
            employee.personnel_number,
            employee.full_name,
            employee.unit.name,
            employee.manager.full_name if employee.manager else "",
            _conversation_label(progress),
            progress.next_due_on.isoformat() if progress.next_due_on else "",
            progress.overdue,
        ]
        rows.append(dict(zip(columns, values, strict=True)))
    audit_list_read(
        request,
        "read:compliance.overdue.export",
        subjects=[progress.cycle.employee for progress in overdue],
    )
    return columns, rows


@login_required
def dashboard_export(request, file_format: str):
    """The unit table (CSV, or XLSX with a second sheet of overdue employees);
    ``?table=overdue`` gives the overdue list as CSV."""
    if file_format not in EXPORT_FORMATS:
        raise Http404("unknown format")
    today, unit_pk, year = _query(request)
    table = request.GET.get("table", "units")
    if table not in ("units", "overdue"):
        raise Http404("unknown table")
    board = dashboard_for(request.user, unit_pk=unit_pk, year=year, today=today)
    name = f"dashboard-{board.unit.code}-{year}"
    if file_format == "csv":
        columns, rows = _unit_rows(board) if table == "units" else _overdue_rows(request, board.unit.pk, year)
        safe = [{column: spreadsheet_safe(value) for column, value in row.items()} for row in rows]
        response = HttpResponse(write_csv(columns, safe), content_type="text/csv; charset=utf-8")
        suffix = "" if table == "units" else "-overdue"
        response["Content-Disposition"] = f'attachment; filename="{name}{suffix}.csv"'
        return response
    content = write_xlsx_sheets(
        [
            (_("Units"), *_unit_rows(board)),
            (_("Overdue"), *_overdue_rows(request, board.unit.pk, year)),
        ]
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
