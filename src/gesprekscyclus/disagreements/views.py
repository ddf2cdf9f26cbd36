"""Disagreement and delegation pages."""

from __future__ import annotations

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Employee

from . import services
from .models import Delegation, Disagreement


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("What do you disagree about?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=gettext_lazy("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=gettext_lazy("Designated person"), queryset=Employee.objects.none()
    )
    starts_on = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Until"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)

    def __init__(self, *args, employee: Employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = (
            Employee.objects.filter(organisation_id=employee.organisation_id, employment_end__isnull=True)
            .exclude(pk__in=[employee.pk, employee.manager_id or 0])
            .order_by("last_name", "first_name")
        )


@login_required
@require_POST
def raise_disagreement(request, pk: int):
    conversation = get_permitted_or_404(
        request.user,
        "conversations.take_part",
        Conversation.objects.select_related(
            "cycle__regulation_version", "employee__manager", "employee__unit"
        ),
        pk=pk,
    )
    form = StatementForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Describe what you disagree about."))
        disagreement = services.disagreement_raise(
            conversation, statement=form.cleaned_data["statement"], acting_user=request.user
        )
        messages.success(
            request,
            _("The disagreement is recorded; %(name)s is brought in.")
            % {"name": disagreement.mediator.full_name},
        )
        return redirect("disagreements:detail", pk=disagreement.pk)
    except Refused as error:
        messages.error(request, str(error))
    return redirect("conversations:detail", pk=conversation.pk)


def _disagreement(request, pk: int) -> Disagreement:
    disagreement = get_object_or_404(
        Disagreement.objects.select_related(
            "conversation__cycle__regulation_version",
            "conversation__employee__manager",
            "mediator",
            "raised_by",
        ),
        pk=pk,
    )
    if not rules.has_perm("conversations.view_conversation", request.user, disagreement.conversation):
        raise Http404
    return disagreement


@login_required
def detail(request, pk: int):
    disagreement = _disagreement(request, pk)
    request.navigation_section = "conversations"
    actor = actor_for(request.user)
    involved = services.involvement(disagreement, request.user)
    regulation = disagreement.conversation.cycle.regulation_version.regulation()
    last_resort = regulation.disagreement.last_resort if regulation.disagreement else None
    return render(
        request,
        "disagreements/detail.html",
        {
            "disagreement": disagreement,
            "conversation": disagreement.conversation,
            "notes": disagreement.notes.select_related("author"),
            "note_form": NoteForm() if involved and disagreement.is_open else None,
            "outcome_form": OutcomeForm() if involved == "mediator" and disagreement.is_open else None,
            "can_last_resort": bool(last_resort)
            and actor.employee_id == disagreement.conversation.employee.manager_id,
        },
    )


@login_required
@require_POST
def add_note(request, pk: int):
    disagreement = _disagreement(request, pk)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Write a note."))
        services.disagreement_add_note(disagreement, text=form.cleaned_data["text"], acting_user=request.user)
        messages.success(request, _("The note is added."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("disagreements:detail", pk=pk)


@login_required
@require_POST
def resolve(request, pk: int):
    disagreement = _disagreement(request, pk)
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Record the outcome."))
        services.disagreement_resolve(
            disagreement, outcome=form.cleaned_data["outcome"], acting_user=request.user
        )
        messages.success(request, _("The outcome is recorded."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("disagreements:detail", pk=pk)


@login_required
@require_POST
def last_resort(request, pk: int):
    disagreement = _disagreement(request, pk)
    try:
        cycle, kind = services.disagreement_last_resort(disagreement, acting_user=request.user)
    except Refused as error:
        messages.error(request, str(error))
        return redirect("disagreements:detail", pk=pk)
    return redirect("conversations:plan", cycle_pk=cycle.pk, kind=kind)


@login_required
def delegations(request, employee_pk: int):
    """The manager designates someone to conduct an employee's conversations for a period."""
    employee = get_permitted_or_404(
        request.user,
        "organisations.view_employee",
        Employee.objects.select_related("manager"),
        pk=employee_pk,
    )
    if actor_for(request.user).employee_id != employee.manager_id:
        raise Http404
    request.navigation_section = "conversations"
    form = DelegationForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_grant(
                employee=employee,
                delegate=form.cleaned_data["delegate"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            messages.success(request, _("The designation is recorded."))
            return redirect("disagreements:delegations", employee_pk=employee.pk)
        except Refused as error:
            form.add_error(None, str(error))
    return render(
        request,
        "disagreements/delegations.html",
        {
            "employee": employee,
            "form": form,
            "delegations": Delegation.objects.filter(employee=employee).select_related(
                "delegate", "conversation", "granted_by"
            ),
        },
    )


@login_required
@require_POST
def revoke(request, pk: int):
    delegation = get_object_or_404(Delegation.objects.select_related("employee"), pk=pk)
    if actor_for(request.user).employee_id != delegation.employee.manager_id:
        raise Http404
    try:
        services.delegation_revoke(delegation, acting_user=request.user)
        messages.success(request, _("The designation is revoked."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("disagreements:delegations", employee_pk=delegation.employee_id)
