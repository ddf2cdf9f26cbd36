"""Agreement and work-plan pages. Changes go through ``services``."""

from __future__ import annotations

import datetime

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.selectors import conversations_visible_to
from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.audit.services import audit_read
from gesprekscyclus.conversations.forms import (
    AgreementForm,
    AgreementStatusForm,
    form_item_fields,
    initial_from,
    text_of,
)
from gesprekscyclus.conversations.models import LOCKED_STATUSES, Conversation, Side
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.organisations.models import Competence

from . import services
from .models import Agreement, AgreementKind, AgreementStatus, WorkPlan, WorkPlanStatus

AGREEMENTS = Agreement.objects.select_related(
    "employee__manager", "employee__unit", "cycle__regulation_version", "made_in"
)


@login_required
@require_POST
def agreement_create(request, conversation_pk: int):
    conversation = get_permitted_or_404(
        request.user,
        "conversations.take_part",
        Conversation.objects.select_related("cycle__regulation_version", "employee"),
        pk=conversation_pk,
    )
    form = AgreementForm(request.POST, organisation_id=conversation.organisation_id)
    if form.is_valid():
        try:
            services.agreement_create(
                conversation=conversation, values=form.cleaned_data, acting_user=request.user
            )
            messages.success(request, _("The agreement is recorded."))
        except Refused as error:
            messages.error(request, str(error))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    response = redirect("conversations:detail", pk=conversation.pk)
    response["Location"] += "#agreements"
    return response


def _conversation_for_edit(request, agreement: Agreement) -> Conversation | None:
    """The conversation named in ``?gesprek=`` when the user takes part in it."""
    conversation_pk = request.GET.get("gesprek") or request.POST.get("gesprek")
    if not conversation_pk:
        return None
    conversation = (
        Conversation.objects.select_related("cycle__regulation_version")
        .filter(pk=conversation_pk, employee_id=agreement.employee_id)
        .first()
    )
    if conversation is None or not rules.has_perm("conversations.take_part", request.user, conversation):
        return None
    if conversation.status in LOCKED_STATUSES:
        return None
    return conversation


def _agreement_for(request, pk: int) -> Agreement:
    """The agreement for whoever may see it; and, opened from a conversation about the same
    employee (``?gesprek=``), for whoever may see that conversation's agreements - such as the
    person the manager designated to conduct it (the regulation's ``visibility.agreements``)."""
    agreement = AGREEMENTS.filter(pk=pk).first()
    conversation_pk = request.GET.get("gesprek") or request.POST.get("gesprek") or ""
    if agreement is not None and conversation_pk.isdigit():
        conversation = (
            Conversation.objects.select_related("cycle__regulation_version", "employee__manager")
            .filter(pk=conversation_pk, employee_id=agreement.employee_id)
            .first()
        )
        permission = "agreements.view_agreement"
        if conversation is not None and rules.has_perm(permission, request.user, conversation):
            audit_read(actor=request.user, obj=agreement, permission="agreements.view_agreement")
            return agreement
    return get_permitted_or_404(request.user, "agreements.view_agreement", AGREEMENTS, pk=pk)


def _readable(changes: dict) -> list[tuple[str, object, object]]:
    """A change as a person reads it: (field label, old, new), a kind or status by its name and
    a deadline as a date - not 'status: open → at_risk'."""
    labels = {name: field.label for name, field in AgreementForm().fields.items()}
    labels["status"] = AgreementStatusForm.base_fields["status"].label
    names = {"kind": dict(AgreementKind.choices), "status": dict(AgreementStatus.choices)}

    def shown(field: str, value):
        if value is None:
            return None
        if field in names:
            return names[field].get(value, value)
        if field == "deadline" and isinstance(value, str):
            try:
                return date_format(datetime.date.fromisoformat(value), "j F Y")
            except ValueError:
                return value
        return value

    return [
        (labels.get(field, field), shown(field, old), shown(field, new))
        for field, (old, new) in changes.items()
    ]


@login_required
def agreement_detail(request, pk: int):
    agreement = _agreement_for(request, pk)
    request.navigation_section = "conversations"
    conversation = _conversation_for_edit(request, agreement)
    actor = actor_for(request.user)
    may_change = actor.employee_id in (agreement.employee_id, agreement.employee.manager_id) or (
        conversation is not None
    )
    edit_form = None
    if conversation is not None and agreement.is_open and services.content_changes_allowed(conversation):
        edit_form = AgreementForm(
            initial={
                "kind": agreement.kind,
                "description": agreement.description,
                "indicator": agreement.indicator,
                "target": agreement.target,
                "deadline": agreement.deadline,
                "version": agreement.version,
            }
        )
    status_form = None
    if may_change and agreement.is_open:
        status_form = AgreementStatusForm(
            initial={"status": agreement.status, "version": agreement.version},
            in_conversation=conversation is not None,
            auto_id="id_status_%s",  # both forms have a 'version': ids of their own
        )
    if request.method == "POST":
        try:
            if "status" in request.POST and status_form is not None:
                bound = AgreementStatusForm(request.POST, in_conversation=conversation is not None)
                if not bound.is_valid():
                    raise Refused(_("Choose a status."))
                services.agreement_set_status(
                    agreement,
                    status=bound.cleaned_data["status"],
                    explanation=bound.cleaned_data["explanation"],
                    conversation=conversation,
                    expected_version=bound.cleaned_data["version"],
                    acting_user=request.user,
                )
                messages.success(request, _("The status is changed."))
            elif conversation is not None:
                bound = AgreementForm(request.POST)
                if not bound.is_valid():
                    raise Refused(_("Check the fields of the agreement."))
                services.agreement_update(
                    agreement,
                    conversation=conversation,
                    values=bound.cleaned_data,
                    expected_version=bound.cleaned_data["version"],
                    acting_user=request.user,
                )
                messages.success(request, _("The agreement is changed."))
            else:
                raise Http404
        except Refused as error:
            messages.error(request, str(error))
        target = redirect("agreements:detail", pk=agreement.pk)
        if conversation is not None:
            target["Location"] += f"?gesprek={conversation.pk}"
        return target
    changes = list(agreement.changes.select_related("changed_by", "conversation"))
    for change in changes:
        change.rows = _readable(change.changes)
    # Link only to the conversations and the cycle page this person may open (ASVS 8.2.2).
    linked = {change.conversation_id for change in changes} | {agreement.made_in_id}
    openable = set(
        conversations_visible_to(request.user)
        .filter(pk__in=[pk for pk in linked if pk is not None])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "changes": changes,
            "edit_form": edit_form,
            "status_form": status_form,
            "conversation": conversation,
            "openable": openable,
            "may_view_cycle": rules.has_perm("cycles.view_schedule", request.user, agreement.employee),
        },
    )


# -- the work plan ---------------------------------------------------------------------------


class WorkPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
def work_plan(request, cycle_pk: int):
    cycle = get_object_or_404(
        Cycle.objects.select_related("employee__manager", "employee__unit", "regulation_version"), pk=cycle_pk
    )
    if not rules.has_perm("cycles.view_schedule", request.user, cycle.employee):
        raise Http404
    regulation = cycle.regulation_version.regulation()
    rules_ = regulation.work_plan
    if rules_ is None:
        raise Http404
    request.navigation_section = "conversations"
    plan = WorkPlan.objects.filter(cycle=cycle).first()
    actor = actor_for(request.user)
    if actor.employee_id == cycle.employee_id:
        side = Side.EMPLOYEE
    elif actor.employee_id is not None and actor.employee_id == cycle.employee.manager_id:
        side = Side.CONDUCTOR
    else:
        side = None
    items = services.work_plan_items(cycle)
    mine = {item.id for _s, item, by_manager in items if by_manager == (side == Side.CONDUCTOR)}
    editable = side is not None and (plan is None or plan.status == WorkPlanStatus.DRAFT)
    form = None
    if editable:
        form = WorkPlanForm(request.POST or None, initial={"version": plan.version if plan else None})
        form.fields.update(form_item_fields(regulation.form(rules_.form), only=mine))
        if side == Side.EMPLOYEE:
            form.fields["competences"] = forms.ModelMultipleChoiceField(
                label=_("Competences I want to develop"),
                queryset=Competence.objects.filter(organisation_id=cycle.organisation_id),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(plan.competences.values_list("pk", flat=True)) if plan else [],
            )
        if request.method != "POST" and plan is not None:
            form.initial.update(initial_from(plan.content))
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "agree" and plan is not None:
                services.work_plan_agree(
                    plan, expected_version=int(request.POST.get("version") or 0), acting_user=request.user
                )
                messages.success(request, _("You agreed to the work plan."))
            elif action == "reopen" and plan is not None:
                conversation = (
                    Conversation.objects.filter(pk=request.POST.get("gesprek"), cycle=cycle)
                    .select_related("cycle__regulation_version")
                    .first()
                )
                if conversation is None:
                    raise Refused(_("Choose the progress conversation in which the plan is revised."))
                services.work_plan_reopen(plan, conversation=conversation, acting_user=request.user)
                messages.success(request, _("The work plan is open for revision."))
            elif form is not None and form.is_valid():
                content = {
                    key[len("item_") :]: value
                    for key, value in form.cleaned_data.items()
                    if key.startswith("item_")
                }
                services.work_plan_save(
                    cycle,
                    content=content,
                    expected_version=form.cleaned_data["version"],
                    acting_user=request.user,
                    competences=form.cleaned_data.get("competences"),
                )
                messages.success(request, _("The work plan is saved."))
            else:
                raise Refused(_("This work plan cannot be changed now."))
        except Refused as error:
            messages.error(request, str(error))
        return redirect("agreements:work_plan", cycle_pk=cycle.pk)
    form_spec = regulation.form(rules_.form)
    sections = []
    content = plan.content if plan else {}
    for section in form_spec.sections:
        sections.append(
            {
                "label": text_of(section.label),
                "help": text_of(section.help),
                "by_manager": section.id in rules_.manager_sections,
                "items": [(text_of(item.label), content.get(item.id, "")) for item in section.items],
                "fields": [
                    form[f"item_{item.id}"]
                    for item in section.items
                    if form and f"item_{item.id}" in form.fields
                ],
            }
        )
    versions = list(plan.versions.select_related("established_in")) if plan else []
    revising_conversations = []
    if plan is not None and plan.status == WorkPlanStatus.ESTABLISHED and side is not None:
        revising_conversations = list(
            Conversation.objects.filter(cycle=cycle, kind__in=rules_.revised_in).exclude(
                status__in=LOCKED_STATUSES
            )
        )
    labels = {}
    for version in versions:
        labels[version.pk] = [
            (text_of(item.label), old, new)
            for _s, item, _m in items
            if item.id in version.changes
            for old, new in [version.changes[item.id]]
        ]
    return render(
        request,
        "agreements/work_plan.html",
        {
            "cycle": cycle,
            "employee": cycle.employee,
            "plan": plan,
            "side": side,
            "form": form,
            "sections": sections,
            "versions": [(version, labels[version.pk]) for version in versions],
            "revising_conversations": revising_conversations,
            "title": text_of(form_spec.label),
            "description": text_of(form_spec.description),
        },
    )
