"""Mijn gesprekscyclus (one person's cycle) and Mijn team (a manager's direct reports).

Both pages read everything in a fixed number of queries, whatever the size of the team
or the number of conversations and agreements (query-count tests guard this)."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.selectors import (
    agreements_visible_to,
    employees_visible_to,
    mark_openable,
    reports_readable_by,
    units_overseen_by,
)
from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.agreements.models import Agreement, AgreementStatus, WorkPlan
from gesprekscyclus.assessments.services import assessment_preconditions
from gesprekscyclus.audit.services import audit_list_read
from gesprekscyclus.conversations.models import HELD_STATUSES, UPCOMING_STATUSES, Conversation, Side, Status
from gesprekscyclus.conversations.services import held_for_cycles
from gesprekscyclus.core.htmx import render_page_or_fragment
from gesprekscyclus.disagreements.services import active_delegation
from gesprekscyclus.feedback.services import scan_report
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.selectors import employee_for_user, name_sort_key, team_of

from .presenters import item_rows, label_text
from .services import current_cycles, cycle_schedule, employee_schedule, with_regulation_versions

PLANNABLE = ("not_yet", "due", "overdue")


def _viewer_side(employee: Employee, user) -> str | None:
    actor = actor_for(user)
    if actor.employee_id is None:
        return None
    if actor.employee_id == employee.pk:
        return Side.EMPLOYEE
    if actor.employee_id == employee.manager_id:
        return Side.CONDUCTOR
    if active_delegation(employee.pk, actor.employee_id, timezone.localdate()) is not None:
        return Side.CONDUCTOR  # designated by the manager to conduct this person's conversations
    return None


def _schedule_context(request, employee: Employee, as_of):
    schedule = employee_schedule(employee, as_of)
    context = {"employee": employee, "schedule": schedule, "rows": []}
    if schedule is None:
        return context
    regulation = schedule.version.regulation()
    rows = item_rows(regulation, schedule.items)
    conversations = []
    if schedule.cycle is not None:
        conversations = list(
            Conversation.objects.filter(cycle=schedule.cycle)
            .exclude(status=Status.CANCELLED)
            .select_related("conductor")
            .order_by("starts_at")
        )
    planned_kinds = {c.kind for c in conversations if c.status in UPCOMING_STATUSES}
    side = _viewer_side(employee, request.user)
    wanted = {"employee": "employee", "conductor": "manager"}.get(side)
    # A person the manager designated plans only the kinds the regulation lets a delegate
    # conduct (conversation_plan refuses the others).
    designated = side == Side.CONDUCTOR and actor_for(request.user).employee_id != employee.manager_id
    for row in rows:
        row.can_plan = bool(
            schedule.cycle is not None
            and wanted
            and row.item.status in PLANNABLE
            and row.item.initiative in (wanted, "either")
            and row.item.kind not in planned_kinds
            and (not designated or "delegate" in regulation.kind(row.item.kind).conducted_by)
        )
    for conversation in conversations:
        conversation.label = label_text(regulation.kind(conversation.kind).label)
    mark_openable(request.user, conversations)
    listed = {row.item.kind for row in rows}
    if schedule.cycle is not None and wanted:
        context["requestable"] = [
            (kind.id, label_text(kind.label))
            for kind in regulation.conversation_kinds
            if kind.conditions.on_request
            and kind.id not in listed
            and kind.id not in schedule.cycle.requested_kinds
        ]
    if (
        schedule.cycle is not None
        and regulation.assessment is not None
        and (regulation.assessment.kind in listed or employee.appointment == "probation")
    ):
        context["assessment_preconditions"] = assessment_preconditions(schedule.cycle, as_of)
    if side == Side.CONDUCTOR and employee.manager_id == actor_for(request.user).employee_id:
        context["shared_scans"] = [
            (scan, scan_report(scan))
            for scan in employee.scans.filter(shared_with_manager=True, completed_at__isnull=False)[:3]
        ]
    context["is_manager"] = (
        side == Side.CONDUCTOR and employee.manager_id == actor_for(request.user).employee_id
    )
    context.update(
        {
            "rows": rows,
            "upcoming": [c for c in conversations if c.status in UPCOMING_STATUSES],
            "past": [c for c in conversations if c.status not in UPCOMING_STATUSES],
            "agreements": list(
                agreements_visible_to(request.user)
                .filter(employee=employee, cycle=schedule.cycle)
                .order_by("deadline")
            )
            if schedule.cycle
            else [],
            "has_work_plan": regulation.work_plan is not None and schedule.cycle is not None,
            "work_plan": WorkPlan.objects.filter(cycle=schedule.cycle).first()
            if regulation.work_plan and schedule.cycle
            else None,
            "work_plan_title": label_text(regulation.form(regulation.work_plan.form).label)
            if regulation.work_plan
            else "",
        }
    )
    return context


@login_required
def my_schedule(request):
    """Mijn gesprekscyclus: what is due, my conversations, my agreements, my work plan."""
    request.navigation_section = "conversations"
    me = employee_for_user(request.user)
    if me is None:
        raise Http404("no employee")
    context = _schedule_context(request, me, timezone.localdate())
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
    request.navigation_section = "conversations"
    context = _schedule_context(request, employee, timezone.localdate())
    context["is_own"] = employee.user_id == request.user.pk
    return render(request, "cycles/schedule.html", context)


TEAM_PAGE_SIZE = 50
sort_name = name_sort_key  # the team overview's name order


TEAM_SORTS = {
    "urgency": lambda m: (
        -len(m["waiting"]),
        -m["at_risk"],
        -m["overdue"],
        -m["due"],
        sort_name(m["person"]),
    ),
    "name": lambda m: sort_name(m["person"]),
    "next": lambda m: (
        m["next"] is None,
        m["next"].item.due_by if m["next"] else None,
        sort_name(m["person"]),
    ),
    "unit": lambda m: (m["person"].unit.name.casefold(), sort_name(m["person"])),
}
TEAM_STATUSES = {
    "overdue": lambda m: m["overdue"] > 0,
    "due": lambda m: m["due"] > 0 and m["overdue"] == 0,
    "on_track": lambda m: m["cycle"] is not None and m["overdue"] == 0 and m["due"] == 0,
    "no_cycle": lambda m: m["cycle"] is None,
}


def _team_members(request, team: list[Employee], today) -> list[dict]:
    """Per person: cycle status from the engine, the next due conversation, the upcoming
    appointment, agreements at risk, reports waiting for me and reports awaiting
    signatures. A fixed number of queries for any number of people."""
    me = actor_for(request.user).employee_id
    ids = [person.pk for person in team]
    cycles = current_cycles(ids, today)
    held = held_for_cycles(cycles.values())
    at_risk = dict(
        Agreement.objects.filter(employee_id__in=ids, status=AgreementStatus.AT_RISK)
        .values_list("employee_id")
        .annotate(count=Count("id"))
    )
    waiting: dict[int, list[Conversation]] = defaultdict(list)
    signing: dict[int, list[Conversation]] = defaultdict(list)
    upcoming: dict[int, Conversation] = {}
    conversations = list(
        Conversation.objects.filter(employee_id__in=ids)
        .filter(
            Q(status__in=(Status.HELD, Status.REPORT_WRITTEN), conductor_id=me)
            | Q(status__in=(*UPCOMING_STATUSES, Status.READY_FOR_SIGNING))
        )
        .select_related("cycle", "report")
        .order_by("starts_at")
    )
    with_regulation_versions(conversation.cycle for conversation in conversations)
    for conversation in conversations:
        regulation = conversation.cycle.regulation_version.regulation()
        conversation.label = label_text(regulation.kind(conversation.kind).label)
        if conversation.status in UPCOMING_STATUSES:
            upcoming.setdefault(conversation.employee_id, conversation)
            continue
        if conversation.status == Status.READY_FOR_SIGNING:
            signing[conversation.employee_id].append(conversation)
            continue
        writers = regulation.kind(conversation.kind).report_by
        manager_writes = writers in ("manager", "either")
        report = getattr(conversation, "report", None)
        written_by_me = report is not None and report.updated_by_id == request.user.pk
        if (conversation.status == Status.HELD and manager_writes) or (
            conversation.status == Status.REPORT_WRITTEN and writers != "manager" and not written_by_me
        ):
            waiting[conversation.employee_id].append(conversation)
    mark_openable(request.user, [*upcoming.values(), *(c for group in waiting.values() for c in group)])
    mark_openable(
        request.user, [c for group in signing.values() for c in group], selector=reports_readable_by
    )
    members = []
    memo: dict = {}  # people in the same situation share the engine's answer
    for person in team:
        cycle = cycles.get(person.pk)
        rows = []
        if cycle is not None:
            cycle.employee = person  # already loaded, with unit and job
            rows = item_rows(
                cycle.regulation_version.regulation(), cycle_schedule(cycle, today, held[cycle.pk], memo=memo)
            )
        open_rows = [row for row in rows if row.status in ("due", "overdue")]
        members.append(
            {
                "person": person,
                "cycle": cycle,
                "rows": rows,
                "overdue": sum(row.status == "overdue" for row in rows),
                "due": sum(row.status == "due" for row in rows),
                "next": open_rows[0] if open_rows else next((r for r in rows if r.status == "not_yet"), None),
                "upcoming": upcoming.get(person.pk),
                "at_risk": at_risk.get(person.pk, 0),
                "waiting": waiting.get(person.pk, []),
                "signing": signing.get(person.pk, []),
            }
        )
    return members


def _team_scope(request, today):
    """Whose overview: my direct reports (default), or everyone in a unit I oversee and
    the units below it (directors, HR advisers, HR administrators)."""
    units = list(
        units_overseen_by(request.user)
        .only("pk", "name", "path", "depth", "organisation_id")
        .order_by("path")
    )
    for option in units:
        option.indent = "\u00a0\u00a0" * option.depth
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return list(team_of(request.user)), None, units
    unit = next((u for u in units if str(u.pk) == raw), None)
    if unit is None:
        raise Http404("unit not overseen")
    people = (
        employees_visible_to(request.user)
        .filter(unit__path__startswith=unit.path, unit__organisation_id=unit.organisation_id)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=today))
        .select_related("unit", "job")
        .order_by("last_name", "first_name")
    )
    return list(people), unit, units


@login_required
def team_schedule(request):
    """Mijn team: per person the cycle status, next due conversation, agreements at risk,
    reports waiting for me and reports awaiting signatures; filtered and sorted (most
    urgent first by default). Directors and HR choose a unit to see everyone below it."""
    request.navigation_section = "conversations"
    today = timezone.localdate()
    people, unit, units = _team_scope(request, today)
    query = request.GET.get("q", "").strip()
    for word in query.lower().split():
        people = [p for p in people if word in p.full_name.lower() or word == p.personnel_number.lower()]
    members = _team_members(request, people, today)
    status = request.GET.get("status", "")
    if status not in TEAM_STATUSES:
        status = ""  # an unknown value filters nothing
    if status:
        members = [m for m in members if TEAM_STATUSES[status](m)]
    if request.GET.get("at_risk"):
        members = [m for m in members if m["at_risk"]]
    if request.GET.get("signatures"):
        members = [m for m in members if m["signing"]]
    sort = request.GET.get("sort", "urgency")
    members.sort(key=TEAM_SORTS.get(sort, TEAM_SORTS["urgency"]))
    page = Paginator(members, TEAM_PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown = list(page.object_list)
    audit_list_read(
        request,
        "read:cycles.team.list",
        subjects=[member["person"] for member in shown],
        organisation=unit.organisation_id if unit is not None else None,
    )
    filters = request.GET.copy()
    filters.pop("pagina", None)
    context = {
        "members": shown,
        "page": page,
        "total": len(members),
        "today": today,
        "held_statuses": HELD_STATUSES,
        "unit": unit,
        "units": units,
        "query": query,
        "status": status,
        "sort": sort if sort in TEAM_SORTS else "urgency",
        "at_risk_only": bool(request.GET.get("at_risk")),
        "signatures_only": bool(request.GET.get("signatures")),
        "filters": filters.urlencode(),
    }
    return render_page_or_fragment(request, "cycles/team.html", "cycles/_team_table.html", context)
