"""Conversation pages: plan, the conversation itself (preparation, report, attachments,
agreements), and the small POST endpoints its buttons and htmx forms call. Every
change goes through ``services``; a ``Refused`` becomes a message on the page."""

from __future__ import annotations

import datetime

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.agreements.services import content_changes_allowed
from gesprekscyclus.assessments.services import is_assessment
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.presenters import label_text
from gesprekscyclus.cycles.services import cycle_schedule
from gesprekscyclus.disagreements.views import StatementForm
from gesprekscyclus.feedback.models import Feedback, FeedbackStatus
from gesprekscyclus.feedback.views import scan_visible_for
from gesprekscyclus.organisations.models import Employee

from . import services
from .forms import (
    AgreementForm,
    AttachmentForm,
    CancelForm,
    HeldForm,
    PlanForm,
    PreparationForm,
    ReportForm,
    SendBackForm,
    WhenWhereForm,
    answers_from,
    initial_from,
)
from .ics import conversation_calendar
from .models import LOCKED_STATUSES, Attachment, Conversation, Report, Side, Status
from .notifications import kind_label

CONVERSATIONS = Conversation.objects.select_related(
    "cycle__regulation_version",
    "employee__manager",
    "employee__unit",
    "employee__job",
    "conductor",
    "organisation",
)


def _conversation(request, pk: int, permission: str = "conversations.view_conversation") -> Conversation:
    return get_permitted_or_404(request.user, permission, CONVERSATIONS, pk=pk)


def _back(conversation: Conversation, anchor: str = ""):
    response = redirect("conversations:detail", pk=conversation.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _refused(request, error: services.Refused) -> None:
    messages.error(request, str(error))


# -- planning --------------------------------------------------------------------------------


@login_required
def plan(request, cycle_pk: int, kind: str):
    """Plan a due conversation of ``kind`` in a cycle (the employee or their manager)."""
    cycle = get_object_or_404(
        Cycle.objects.select_related("employee__manager", "employee__unit", "regulation_version"), pk=cycle_pk
    )
    if not rules.has_perm("cycles.view_schedule", request.user, cycle.employee):
        raise Http404
    regulation = cycle.regulation_version.regulation()
    if kind not in regulation.kind_ids:
        raise Http404
    conversation_kind = regulation.kind(kind)
    request.navigation_section = "conversations"
    actor = actor_for(request.user)
    is_manager = actor.employee_id is not None and actor.employee_id == cycle.employee.manager_id
    conductors = None
    if is_manager and "delegate" in conversation_kind.conducted_by:
        conductors = (
            Employee.objects.filter(organisation_id=cycle.organisation_id, employment_end__isnull=True)
            .exclude(pk=cycle.employee_id)
            .order_by("last_name", "first_name")
        )
    combinable = [
        (other.id, label_text(other.label))
        for other in regulation.conversation_kinds
        if other.id != kind
        and (other.id in conversation_kind.combinable_with or kind in other.combinable_with)
    ]
    follow_up_of = None
    if request.GET.get("na", "").isdigit():
        follow_up_of = Conversation.objects.filter(
            pk=request.GET["na"], employee_id=cycle.employee_id
        ).first()
    form = PlanForm(
        request.POST or None,
        conductors=conductors,
        combinable=combinable,
        initial={"conductor": cycle.employee.manager_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_plan(
                cycle=cycle,
                kind=kind,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                online_url=data["online_url"],
                conductor=data.get("conductor"),
                combined_with=data.get("combined_with") or (),
                follow_up_of=follow_up_of,
                acting_user=request.user,
            )
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The conversation is planned. Both of you receive an invitation by e-mail.")
            )
            return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/plan.html",
        {
            "cycle": cycle,
            "employee": cycle.employee,
            "kind": conversation_kind,
            "label": label_text(conversation_kind.label),
            "description": label_text(conversation_kind.description) if conversation_kind.description else "",
            "form": form,
            "follow_up_of": follow_up_of,
        },
    )


# -- the conversation page -----------------------------------------------------------------


def _detail_context(request, conversation: Conversation) -> dict:
    regulation = conversation.cycle.regulation_version.regulation()
    kind = regulation.kind(conversation.kind)
    user = request.user
    side = services.acting_side(conversation, user)
    writers = services.report_writer_sides(conversation)
    preparations = {p.side: p for p in conversation.preparations.all()}
    mine = preparations.get(side) if side else None
    agenda = (
        regulation.form(kind.agenda)
        if kind.agenda
        else (regulation.form(kind.recording.form) if kind.recording.form else None)
    )
    # Shared means shared with the other participant, not with everyone who may open the page.
    other_preparation = None
    if side is not None:
        other_preparation = next(
            (p for s, p in preparations.items() if s != side and p.shared_at is not None), None
        )
    context = {
        "other_answers": _answer_rows(agenda, other_preparation.answers if other_preparation else {}),
        "conversation": conversation,
        "employee": conversation.employee,
        "regulation": regulation,
        "kind": kind,
        "label": label_text(kind.label),
        "combined_labels": [label_text(regulation.kind(other).label) for other in conversation.combined_with],
        "side": side,
        "may_view_cycle": side != Side.EMPLOYEE
        and rules.has_perm("cycles.view_schedule", user, conversation.employee),
        "is_participant": side is not None,
        "is_writer": side in writers,
        "writer_label": _("the employee")
        if writers == {Side.EMPLOYEE}
        else (_("the manager") if writers == {Side.CONDUCTOR} else _("the employee or the manager")),
        "other_preparation": other_preparation,
        "my_preparation": mine,
        "can_read_report": rules.has_perm("conversations.read_report", user, conversation),
        "can_read_attachments": rules.has_perm("conversations.read_attachment", user, conversation),
        "attachments_allowed": kind.recording.attachments,
        "statuses": Status,
    }
    if side is not None and conversation.is_upcoming:
        context["preparation_form"] = PreparationForm(
            initial={
                "topics": mine.topics if mine else "",
                "notes": mine.notes if mine else "",
                "self_reflection": mine.self_reflection if mine else "",
                **initial_from(mine.answers if mine else {}),
            },
            agenda=agenda,
            is_employee=side == Side.EMPLOYEE,
        )
        context["reschedule_form"] = WhenWhereForm(
            initial={
                "date": timezone.localtime(conversation.starts_at).date(),
                "time": timezone.localtime(conversation.starts_at).time(),
                "duration_minutes": conversation.duration_minutes,
                "location": conversation.location,
                "online_url": conversation.online_url,
            },
            prefix="move",
        )
        context["cancel_form"] = CancelForm(prefix="cancel")
        context["held_form"] = HeldForm(initial={"held_on": timezone.localdate()})
    report = Report.objects.filter(conversation=conversation).select_related("updated_by").first()
    context["report"] = report
    report_form_spec = regulation.form(kind.recording.form) if kind.recording.form else None
    context["report_items"] = _report_items(report_form_spec, report)
    context["is_assessment"] = is_assessment(conversation)
    if side is not None:
        # What the employee chose to bring in: feedback and development scans, and the job profile.
        context["feedback_brought_in"] = list(
            Feedback.objects.filter(selections__conversation=conversation, status=FeedbackStatus.GIVEN)
            .select_related("giver", "receiver")
            .order_by("-given_at")
        )
        context["scans"] = scan_visible_for(conversation, user)
    job = conversation.employee.job
    context["job_profile"] = list(job.competences.all()) if job is not None else []
    rules_of_disagreement = regulation.disagreement
    context["disagreements"] = list(conversation.disagreements.select_related("mediator"))
    if (
        side is not None
        and rules_of_disagreement is not None
        and not any(d.is_open for d in context["disagreements"])
    ):
        context["disagreement_form"] = StatementForm()
    if (
        report is not None
        and context["is_writer"]
        and conversation.status == Status.HELD
        and not context["is_assessment"]
    ):
        context["report_form"] = ReportForm(
            initial={
                "version": report.version,
                "text": report.text,
                "improvement_points": report.improvement_points,
                **initial_from(report.answers),
            },
            form=report_form_spec,
            free_text=kind.recording.mode == "free_text",
        )
        if not _asks_improvement_points(regulation, conversation.kind):
            del context["report_form"].fields["improvement_points"]
    is_reader = side is not None and writers != {side} and (report is None or report.updated_by_id != user.pk)
    if conversation.status == Status.REPORT_WRITTEN and is_reader:
        context["can_approve"] = True
        context["send_back_form"] = SendBackForm()
    personal = services.personal_items(conversation)
    if (
        personal
        and report is not None
        and side == Side.EMPLOYEE
        and conversation.status not in LOCKED_STATUSES
    ):
        context["personal_items"] = [
            (item.id, label_text(item.label), item.id in report.withheld_items) for item in personal
        ]
    if context["can_read_attachments"]:
        context["attachments"] = list(conversation.attachments.all())
    if side is not None and kind.recording.attachments and conversation.status not in LOCKED_STATUSES:
        context["attachment_form"] = AttachmentForm()
    if rules.has_perm("agreements.view_agreement", user, conversation):
        context["open_agreements"] = list(
            Agreement.objects.filter(
                employee_id=conversation.employee_id, status__in=("open", "on_track", "at_risk")
            )
            .exclude(made_in=conversation)
            .order_by("deadline")
        )
        context["agreements_made"] = list(conversation.agreements_made.order_by("deadline"))
        context["agreements_changed"] = list(
            Agreement.objects.filter(changes__conversation=conversation)
            .exclude(made_in=conversation)
            .distinct()
            .order_by("deadline")
        )
        if side is not None and content_changes_allowed(conversation):
            context["agreement_form"] = AgreementForm(
                auto_id="agreement_%s", organisation_id=conversation.organisation_id
            )
    if side is not None and conversation.has_taken_place:
        context["follow_up"] = _next_due(conversation)
    return context


def _answer_text(item, answer: str) -> str:
    """An answer as the reader sees it: a date item in the language's date format
    ("16 juni 2026"), not as it is stored ("2026-06-16")."""
    if item.type == "date" and answer:
        try:
            return date_format(datetime.date.fromisoformat(answer), "DATE_FORMAT")
        except ValueError:
            return answer
    return answer


def _answer_rows(form, answers: dict) -> list[tuple[str, str]]:
    """``(item label, answer)`` in form order, for answers given."""
    if form is None or not answers:
        return []
    return [
        (label_text(item.label), _answer_text(item, answers[item.id]))
        for section in form.sections
        for item in section.items
        if answers.get(item.id)
    ]


def _asks_improvement_points(regulation, kind_id: str) -> bool:
    """Whether a rule of the regulation needs the report's improvement-points box for this
    kind (Heemstede: an assessment at the end of probation needs them recorded in a progress
    conversation). Elsewhere the box means nothing, so the report form leaves it out."""
    requirements = [r for kind in regulation.conversation_kinds for r in kind.conditions.requires]
    if regulation.probation is not None:
        requirements += [r for rule in regulation.probation.kinds for r in rule.requires]
    return any(r.kind == kind_id and r.flag == "improvement_points_recorded" for r in requirements)


def _report_items(form, report):
    """``(section label, [(item label, answer)])`` for reading a structured report."""
    if form is None or report is None:
        return []
    sections = []
    for section in form.sections:
        rows = [
            (label_text(item.label), _answer_text(item, report.answers.get(item.id, "")))
            for item in section.items
        ]
        if any(answer for _label, answer in rows):
            sections.append((label_text(section.label), rows))
    return sections


def _next_due(conversation: Conversation):
    """The next conversation to plan after this one (planning guide, step 4)."""
    if conversation.follow_ups.exclude(status=Status.CANCELLED).exists():
        return None
    items = cycle_schedule(conversation.cycle, timezone.localdate())
    open_items = [item for item in items if item.status in ("not_yet", "due", "overdue")]
    if not open_items:
        return None
    item = open_items[0]
    regulation = conversation.cycle.regulation_version.regulation()
    return {"item": item, "label": label_text(regulation.kind(item.kind).label)}


@login_required
def detail(request, pk: int):
    conversation = _conversation(request, pk)
    request.navigation_section = "conversations"
    return render(request, "conversations/detail.html", _detail_context(request, conversation))


@login_required
def calendar_file(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    body = conversation_calendar(
        conversation,
        title=f"{kind_label(conversation)}: {conversation.employee.full_name}",
        description="",
        cancel=conversation.status == Status.CANCELLED,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{conversation.pk}.ics"'
    return response


@login_required
@require_POST
def reschedule(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    form = WhenWhereForm(request.POST, prefix="move")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(conversation, "plan")
    data = form.cleaned_data
    try:
        services.conversation_reschedule(
            conversation,
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            location=data["location"],
            online_url=data["online_url"],
            acting_user=request.user,
        )
        messages.success(request, _("The conversation is moved. Both of you receive the updated invitation."))
    except services.Refused as error:
        _refused(request, error)
    return _back(conversation)


@login_required
@require_POST
def cancel(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    form = CancelForm(request.POST, prefix="cancel")
    form.is_valid()
    try:
        services.conversation_cancel(
            conversation, reason=form.cleaned_data.get("reason", ""), acting_user=request.user
        )
        messages.success(request, _("The conversation is cancelled; the invitation is withdrawn."))
    except services.Refused as error:
        _refused(request, error)
    return _back(conversation)


@login_required
@require_POST
def preparation_save(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    regulation = conversation.cycle.regulation_version.regulation()
    kind = regulation.kind(conversation.kind)
    agenda_id = kind.agenda or kind.recording.form
    side = services.acting_side(conversation, request.user)
    form = PreparationForm(
        request.POST,
        agenda=regulation.form(agenda_id) if agenda_id else None,
        is_employee=side == Side.EMPLOYEE,
    )
    if form.is_valid():
        try:
            services.preparation_save(
                conversation,
                notes=form.cleaned_data["notes"],
                topics=form.cleaned_data["topics"],
                self_reflection=form.cleaned_data.get("self_reflection", ""),
                answers=answers_from(form.cleaned_data),
                acting_user=request.user,
            )
            if "share" in request.POST:
                services.preparation_share(conversation, acting_user=request.user)
                messages.success(request, _("Your preparation is saved and shared."))
            else:
                messages.success(
                    request, _("Your preparation is saved. Only you can see it until you share it.")
                )
        except services.Refused as error:
            _refused(request, error)
    return _back(conversation, "preparation")


@login_required
@require_POST
def mark_held(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    form = HeldForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_mark_held(
                conversation, held_on=form.cleaned_data["held_on"], acting_user=request.user
            )
            messages.success(
                request, _("The conversation is recorded as held. Now the report can be written.")
            )
            if is_assessment(conversation):
                return redirect("assessments:detail", pk=conversation.pk)
        except services.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("Give the date the conversation took place."))
    return _back(conversation, "report")


@login_required
@require_POST
def report_save(request, pk: int):
    """Saves the report; with htmx (autosave) it answers with the save status only."""
    conversation = _conversation(request, pk, "conversations.take_part")
    regulation = conversation.cycle.regulation_version.regulation()
    kind = regulation.kind(conversation.kind)
    form = ReportForm(
        request.POST,
        form=regulation.form(kind.recording.form) if kind.recording.form else None,
        free_text=kind.recording.mode == "free_text",
    )
    is_htmx = bool(request.headers.get("HX-Request"))
    if not form.is_valid():
        if is_htmx:
            return render(
                request, "conversations/_save_status.html", {"error": _("Check the fields.")}, status=422
            )
        messages.error(request, _("Check the fields of the report."))
        return _back(conversation, "report")
    data = form.cleaned_data
    try:
        report = services.report_save(
            conversation,
            text=data["text"],
            answers=answers_from(data),
            improvement_points=data["improvement_points"],
            expected_version=data["version"],
            acting_user=request.user,
        )
    except services.StaleEdit as error:
        if is_htmx:
            return render(request, "conversations/_save_status.html", {"error": str(error)}, status=409)
        messages.error(request, str(error))
        return _back(conversation, "report")
    except services.Refused as error:
        if is_htmx:
            return render(request, "conversations/_save_status.html", {"error": str(error)}, status=403)
        _refused(request, error)
        return _back(conversation, "report")
    if is_htmx:
        return render(request, "conversations/_save_status.html", {"report": report})
    if "finish" in request.POST:
        try:
            services.report_finish(conversation, acting_user=request.user)
            messages.success(request, _("The report is finished. The other side reads it now."))
        except services.Refused as error:
            _refused(request, error)
    else:
        messages.success(request, _("The report is saved."))
    return _back(conversation, "report")


@login_required
@require_POST
def report_withhold(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    try:
        services.report_withhold(
            conversation, items=request.POST.getlist("withhold"), acting_user=request.user
        )
        messages.success(request, _("Your choice is saved: what you ticked stays out of the signed report."))
    except services.Refused as error:
        _refused(request, error)
    return _back(conversation, "report")


@login_required
@require_POST
def report_send_back(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    form = SendBackForm(request.POST)
    try:
        services.report_send_back(
            conversation,
            comment=form.data.get("comment", ""),
            acting_user=request.user,
        )
        messages.success(request, _("The report has been sent back with your comment."))
    except services.Refused as error:
        _refused(request, error)
    return _back(conversation, "report")


@login_required
@require_POST
def report_approve(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    try:
        conversation = services.report_approve(conversation, acting_user=request.user)
        if conversation.status == Status.COMPLETED:
            messages.success(request, _("The report is final."))
        else:
            messages.success(request, _("The report is ready for signing."))
    except services.Refused as error:
        _refused(request, error)
    return _back(conversation, "report")


@login_required
@require_POST
def attachment_add(request, pk: int):
    conversation = _conversation(request, pk, "conversations.take_part")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return _back(conversation, "attachments")
    try:
        attachment = services.attachment_add(
            conversation, upload=form.cleaned_data["file"], acting_user=request.user
        )
        messages.success(request, _("%(name)s is attached.") % {"name": attachment.filename})
    except services.Refused as error:
        _refused(request, error)
    return _back(conversation, "attachments")


def _attachment(request, pk: int, attachment_pk: int) -> Attachment:
    conversation = _conversation(request, pk, "conversations.read_attachment")
    attachment = conversation.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    attachment.conversation = conversation
    return attachment


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    attachment = _attachment(request, pk, attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    attachment = _attachment(request, pk, attachment_pk)
    if not rules.has_perm("conversations.take_part", request.user, attachment.conversation):
        raise Http404
    try:
        services.attachment_remove(attachment, acting_user=request.user)
        messages.success(request, _("%(name)s is removed.") % {"name": attachment.filename})
    except services.Refused as error:
        _refused(request, error)
    return _back(attachment.conversation, "attachments")
