"""The assessment page: the manager's ratings beside the year's agreements and reports,
the employee's response, the way to signing, and the objection with its handling."""

from __future__ import annotations

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gesprekscyclus.access.predicates import regulation_roles
from gesprekscyclus.access.selectors import agreements_visible_to, mark_openable
from gesprekscyclus.conversations.models import HELD_STATUSES, Conversation, Side, Status
from gesprekscyclus.conversations.services import Refused, StaleEdit, acting_side, report_approve
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import conversation_request
from gesprekscyclus.regulations.reasons import label_text

from . import services
from .models import Decision, Objection, ObjectionStatus

CONVERSATIONS = Conversation.objects.select_related(
    "cycle__regulation_version", "employee__manager", "employee__unit", "conductor", "organisation"
)


class RatingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    motivation = forms.CharField(
        label=gettext_lazy("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, rules_=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(str(value.value), label_text(value.label)) for value in rules_.scale]
        for aspect in rules_.aspects:
            self.fields[f"aspect_{aspect.id}"] = forms.TypedChoiceField(
                label=label_text(aspect.label),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=label_text(aspect.description),
            )
        self.fields["overall"] = forms.TypedChoiceField(
            label=gettext_lazy("Overall rating"),
            choices=choices,
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.order_fields([*(f"aspect_{a.id}" for a in rules_.aspects), "overall", "motivation", "version"])


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("Your response (zienswijze)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Optional. It becomes part of the assessment document."),
    )


class ObjectionForm(forms.Form):
    grounds = forms.CharField(
        label=gettext_lazy("Grounds of your objection"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(label=gettext_lazy("Attachment"), required=False, allow_empty_file=True)


class HearingForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Notes of the hearing"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices)
    motivation = forms.CharField(label=gettext_lazy("Motivation"), widget=forms.Textarea(attrs={"rows": 4}))


def _is_handler(user, conversation) -> bool:
    return bool(
        regulation_roles(user, conversation.employee) & set(services.objection_handlers(conversation))
    )


def _conversation(request, pk: int) -> Conversation:
    conversation = get_object_or_404(CONVERSATIONS, pk=pk)
    allowed = rules.has_perm("conversations.read_report", request.user, conversation) or _is_handler(
        request.user, conversation
    )
    if not allowed or not services.is_assessment(conversation):
        raise Http404
    return conversation


def _back(conversation):
    return redirect("assessments:detail", pk=conversation.pk)


@login_required
def detail(request, pk: int):
    conversation = _conversation(request, pk)
    request.navigation_section = "conversations"
    rules_ = services.assessment_rules(conversation)
    assessment = services.assessment_of(conversation)
    side = acting_side(conversation, request.user)
    context = {
        "conversation": conversation,
        "assessment": assessment,
        "rules": rules_,
        "label": label_text(conversation.cycle.regulation_version.regulation().kind(conversation.kind).label),
        "side": side,
        "scale": [(value.value, label_text(value.label)) for value in rules_.scale],
        "preconditions": services.assessment_preconditions(conversation.cycle, timezone.localdate()),
    }
    if assessment is not None:
        labels = {value.value: label_text(value.label) for value in rules_.scale}
        context["ratings"] = [
            (
                label_text(aspect.label),
                assessment.ratings.get(aspect.id),
                labels.get(assessment.ratings.get(aspect.id)),
            )
            for aspect in rules_.aspects
        ]
        context["overall_label"] = labels.get(assessment.overall)
        if side == Side.CONDUCTOR and conversation.status == Status.HELD:
            initial = {f"aspect_{key}": value for key, value in assessment.ratings.items()}
            context["rating_form"] = RatingForm(
                initial={
                    **initial,
                    "overall": assessment.overall,
                    "motivation": assessment.motivation,
                    "version": assessment.version,
                },
                rules_=rules_,
            )
        if side == Side.EMPLOYEE and conversation.status == Status.REPORT_WRITTEN:
            context["response_form"] = ResponseForm(initial={"response": assessment.response})
        context["objections"] = list(assessment.objections.prefetch_related("attachments"))
        context["deadline"] = services.objection_deadline(conversation)
        context["handover"] = services.handover_date(conversation)
        context["is_handler"] = _is_handler(request.user, conversation)
        open_objection = next((o for o in context["objections"] if o.status != ObjectionStatus.DECIDED), None)
        context["open_objection"] = open_objection
        if (
            side == Side.EMPLOYEE
            and conversation.status == Status.COMPLETED
            and rules_.objection.route == "formal_objection"
            and open_objection is None
            and not hasattr(assessment, "replaced_by")
            and context["deadline"] is not None
            and timezone.localdate() <= context["deadline"]
        ):
            context["objection_form"] = ObjectionForm()
        if open_objection is not None and context["is_handler"]:
            context["hearing_form"] = HearingForm(initial={"notes": open_objection.hearing_notes})
            if open_objection.status == ObjectionStatus.HEARD:
                context["decision_form"] = DecisionForm()
        context["replaced_by"] = (
            getattr(assessment, "replaced_by", None) if hasattr(assessment, "replaced_by") else None
        )
    # The year's material beside the form.
    context["agreements"] = list(
        agreements_visible_to(request.user).filter(cycle=conversation.cycle).order_by("deadline")
    )
    context["earlier"] = list(
        Conversation.objects.filter(cycle=conversation.cycle, status__in=HELD_STATUSES)
        .exclude(pk=conversation.pk)
        .order_by("held_on")
    )
    regulation = conversation.cycle.regulation_version.regulation()
    for earlier in context["earlier"]:
        earlier.label = label_text(regulation.kind(earlier.kind).label)
    mark_openable(request.user, context["earlier"])
    return render(request, "assessments/detail.html", context)


@login_required
@require_POST
def save(request, pk: int):
    conversation = _conversation(request, pk)
    rules_ = services.assessment_rules(conversation)
    form = RatingForm(request.POST, rules_=rules_)
    if not form.is_valid():
        messages.error(request, _("Choose values from the scale."))
        return _back(conversation)
    data = form.cleaned_data
    try:
        services.assessment_save(
            conversation,
            ratings={aspect.id: data.get(f"aspect_{aspect.id}") for aspect in rules_.aspects},
            overall=data.get("overall"),
            motivation=data.get("motivation", ""),
            expected_version=data["version"],
            acting_user=request.user,
        )
        if "show" in request.POST:
            services.assessment_show(conversation, acting_user=request.user)
            messages.success(request, _("The assessment is shown to the employee."))
        else:
            messages.success(request, _("The assessment is saved."))
    except (StaleEdit, Refused) as error:
        messages.error(request, str(error))
    return _back(conversation)


@login_required
@require_POST
def respond(request, pk: int):
    conversation = _conversation(request, pk)
    form = ResponseForm(request.POST)
    form.is_valid()
    try:
        services.assessment_respond(
            conversation, response=form.cleaned_data.get("response", ""), acting_user=request.user
        )
        if "to_signing" in request.POST:
            report_approve(conversation, acting_user=request.user)
            messages.success(request, _("The assessment goes to signing."))
            return redirect("signatures:sign", pk=conversation.pk)
        messages.success(request, _("Your response is saved."))
    except Refused as error:
        messages.error(request, str(error))
    return _back(conversation)


@login_required
@require_POST
def object_(request, pk: int):
    conversation = _conversation(request, pk)
    form = ObjectionForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise Refused(_("Give the grounds of your objection."))
        upload = form.cleaned_data.get("attachment")
        services.objection_file(
            conversation,
            grounds=form.cleaned_data["grounds"],
            uploads=[upload] if upload else [],
            acting_user=request.user,
        )
        messages.success(request, _("Your objection has been received."))
    except Refused as error:
        messages.error(request, str(error))
    return _back(conversation)


def _objection(request, pk: int, objection_pk: int) -> Objection:
    conversation = _conversation(request, pk)
    objection = Objection.objects.filter(pk=objection_pk, assessment__conversation=conversation).first()
    if objection is None:
        raise Http404
    return objection


@login_required
@require_POST
def hear(request, pk: int, objection_pk: int):
    objection = _objection(request, pk, objection_pk)
    form = HearingForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Write the notes of the hearing."))
        services.objection_hear(objection, notes=form.cleaned_data["notes"], acting_user=request.user)
        messages.success(request, _("The hearing is recorded."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
def decide(request, pk: int, objection_pk: int):
    objection = _objection(request, pk, objection_pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Choose a decision and give its motivation."))
        services.objection_decide(
            objection,
            decision=form.cleaned_data["decision"],
            motivation=form.cleaned_data["motivation"],
            acting_user=request.user,
        )
        messages.success(request, _("The decision is recorded."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
def request_conversation(request, cycle_pk: int, kind: str):
    """Ask for an on-request conversation (an assessment) in a cycle."""
    cycle = get_object_or_404(
        Cycle.objects.select_related("employee__manager", "regulation_version"), pk=cycle_pk
    )
    if not rules.has_perm("cycles.view_schedule", request.user, cycle.employee):
        raise Http404
    try:
        conversation_request(
            cycle=cycle, kind=kind, reason=request.POST.get("reason", ""), acting_user=request.user
        )
        messages.success(request, _("Requested. It is now listed in the cycle and can be planned."))
    except Refused as error:
        messages.error(request, str(error))
    if cycle.employee.user_id == request.user.pk:
        return redirect("cycles:my_schedule")
    return redirect("cycles:employee_schedule", pk=cycle.employee_id)
