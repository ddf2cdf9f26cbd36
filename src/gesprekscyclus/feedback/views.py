"""Feedback pages and the development scan. What anyone sees comes from
``services.feedback_visible_to``; the scan is the employee's own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.conversations.models import LOCKED_STATUSES, Conversation
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Employee

from . import services
from .models import Feedback, FeedbackStatus, QuestionSet, ScanResponse


def _employees_by_email(me: Employee, text: str) -> list[Employee]:
    emails = [line.strip().lower() for line in text.replace(",", "\n").splitlines() if line.strip()]
    found = {
        employee.email.lower(): employee
        for employee in Employee.objects.filter(organisation_id=me.organisation_id, email__in=emails)
    }
    unknown = [email for email in emails if email not in found]
    if unknown:
        raise forms.ValidationError(
            _("Not an e-mail address of a colleague: %(emails)s") % {"emails": ", ".join(unknown)}
        )
    return [found[email] for email in dict.fromkeys(emails)]


class RequestForm(forms.Form):
    givers = forms.CharField(
        label=gettext_lazy("Whom do you ask?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "E-mail addresses of colleagues, one per line (anywhere in the organisation)."
        ),
    )
    question_set = forms.ModelChoiceField(
        label=gettext_lazy("Questions of the organisation"),
        queryset=QuestionSet.objects.none(),
        required=False,
        help_text=gettext_lazy("Or write your own questions below."),
    )
    questions = forms.CharField(
        label=gettext_lazy("Your own questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One question per line."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer_by = forms.DateField(
        label=gettext_lazy("Answer by"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, me: Employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.me = me
        self.fields["question_set"].queryset = QuestionSet.objects.filter(organisation_id=me.organisation_id)

    def clean_givers(self):
        return _employees_by_email(self.me, self.cleaned_data["givers"])

    def clean(self):
        data = super().clean()
        questions = [line for line in (data.get("questions") or "").splitlines() if line.strip()]
        if data.get("question_set"):
            questions = list(data["question_set"].questions) + questions
        if not questions:
            raise forms.ValidationError(_("Choose the organisation's questions or write your own."))
        data["question_list"] = questions
        return data


class OfferForm(forms.Form):
    receiver = forms.CharField(label=gettext_lazy("To (e-mail address)"), max_length=254)
    text = forms.CharField(label=gettext_lazy("Your feedback"), widget=forms.Textarea(attrs={"rows": 4}))
    compliment = forms.BooleanField(label=gettext_lazy("This is a compliment"), required=False)

    def __init__(self, *args, me: Employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.me = me

    def clean_receiver(self):
        return _employees_by_email(self.me, self.cleaned_data["receiver"])[0]


def _me(request) -> Employee:
    actor = actor_for(request.user)
    if actor.employee_id is None:
        raise Http404
    return Employee.objects.select_related("organisation", "manager").get(pk=actor.employee_id)


@login_required
def overview(request):
    me = _me(request)
    request.navigation_section = "feedback"
    visible = services.feedback_visible_to(request.user).select_related("giver", "receiver")
    received = visible.filter(receiver=me, status=FeedbackStatus.GIVEN).order_by("-given_at")
    person = request.GET.get("van", "")
    if person.isdigit():
        received = received.filter(giver_id=int(person))
    givers = (
        Employee.objects.filter(feedback_given__receiver=me, feedback_given__status=FeedbackStatus.GIVEN)
        .distinct()
        .order_by("last_name")
    )
    return render(
        request,
        "feedback/overview.html",
        {
            "me": me,
            "to_answer": visible.filter(giver=me, status=FeedbackStatus.ASKED).order_by("answer_by"),
            "received": received,
            "waiting": visible.filter(receiver=me, status=FeedbackStatus.ASKED).order_by("answer_by"),
            "given": visible.filter(giver=me, status=FeedbackStatus.GIVEN).order_by("-given_at")[:50],
            "givers": givers,
            "person": int(person) if person.isdigit() else None,
        },
    )


@login_required
def ask(request):
    me = _me(request)
    request.navigation_section = "feedback"
    form = RequestForm(request.POST or None, me=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_request(
                givers=form.cleaned_data["givers"],
                questions=form.cleaned_data["question_list"],
                message=form.cleaned_data["message"],
                answer_by=form.cleaned_data["answer_by"],
                acting_user=request.user,
            )
            messages.success(request, _("Your request has been sent."))
            return redirect("feedback:overview")
        except Refused as error:
            form.add_error(None, str(error))
    return render(request, "feedback/ask.html", {"form": form})


@login_required
def give(request):
    me = _me(request)
    request.navigation_section = "feedback"
    form = OfferForm(request.POST or None, me=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_offer(
                receiver=form.cleaned_data["receiver"],
                text=form.cleaned_data["text"],
                compliment=form.cleaned_data["compliment"],
                acting_user=request.user,
            )
            messages.success(request, _("Your feedback has been given."))
            return redirect("feedback:overview")
        except Refused as error:
            form.add_error(None, str(error))
    return render(request, "feedback/give.html", {"form": form})


def _feedback(request, pk: int) -> Feedback:
    feedback = (
        services.feedback_visible_to(request.user).select_related("giver", "receiver").filter(pk=pk).first()
    )
    if feedback is None:
        raise Http404
    return feedback


@login_required
def detail(request, pk: int):
    feedback = _feedback(request, pk)
    me = _me(request)
    request.navigation_section = "feedback"
    context = {
        "feedback": feedback,
        "is_receiver": feedback.receiver_id == me.pk,
        "is_giver": feedback.giver_id == me.pk,
    }
    context["qa"] = list(
        zip(feedback.questions, feedback.answers or [""] * len(feedback.questions), strict=False)
    )
    if context["is_receiver"] and feedback.status == FeedbackStatus.GIVEN:
        selected = list(feedback.selections.select_related("conversation"))
        # Only where the report is not final can it be taken out again.
        context["selected"] = [item for item in selected if item.conversation.status not in LOCKED_STATUSES]
        context["final_selected"] = [item for item in selected if item.conversation.status in LOCKED_STATUSES]
        context["conversations"] = (
            Conversation.objects.filter(employee=me)
            .exclude(status__in=LOCKED_STATUSES)
            .exclude(pk__in=[selection.conversation_id for selection in selected])
            .order_by("-starts_at")
        )
    return render(request, "feedback/detail.html", context)


@login_required
@require_POST
def answer(request, pk: int):
    feedback = _feedback(request, pk)
    try:
        if "decline" in request.POST:
            services.feedback_decline(feedback, acting_user=request.user)
            messages.success(request, _("You declined the request."))
        else:
            answers = [request.POST.get(f"answer_{index}", "") for index in range(len(feedback.questions))]
            services.feedback_give(feedback, answers=answers, acting_user=request.user)
            messages.success(request, _("Thank you; your feedback has been given."))
    except Refused as error:
        messages.error(request, str(error))
        return redirect("feedback:detail", pk=pk)
    return redirect("feedback:overview")


@login_required
@require_POST
def bring_into(request, pk: int):
    feedback = _feedback(request, pk)
    conversation = Conversation.objects.filter(pk=request.POST.get("gesprek") or 0).first()
    try:
        if conversation is None:
            raise Refused(_("Choose a conversation."))
        if "withdraw" in request.POST:
            services.feedback_withdraw_from(feedback, conversation=conversation, acting_user=request.user)
            messages.success(request, _("The feedback is no longer part of that conversation."))
        else:
            services.feedback_bring_into(feedback, conversation=conversation, acting_user=request.user)
            messages.success(request, _("The feedback is part of the conversation's preparation now."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("feedback:detail", pk=pk)


# -- the development scan ------------------------------------------------------------------------


def _chart(report: list[dict]) -> list[dict]:
    """Bar geometry for the server-rendered SVG chart (averages on a 1..5 scale)."""
    bars = []
    for index, section in enumerate(report):
        average = section["average"] or 0
        bars.append(
            {
                "title": section["title"],
                "average": section["average"],
                "y": 10 + index * 40,
                "width": round(average / 5 * 300),
            }
        )
    return bars


@login_required
def scan(request):
    me = _me(request)
    request.navigation_section = "feedback"
    questionnaire = services.scan_questionnaire(me.organisation)
    current = ScanResponse.objects.filter(employee=me, completed_at__isnull=True).first()
    if request.method == "POST":
        answers = {
            key[2:]: int(value)
            for key, value in request.POST.items()
            if key.startswith("a_") and value.isdigit()
        }
        try:
            services.scan_save(
                answers=answers,
                reflection=request.POST.get("reflection", ""),
                complete="finish" in request.POST,
                acting_user=request.user,
            )
            messages.success(request, _("Your scan is saved. Only you see it unless you share it."))
        except Refused as error:
            messages.error(request, str(error))
        return redirect("feedback:scan")
    sections = current.sections if current else questionnaire.sections
    answers = current.answers if current else {}
    form_sections = [
        {
            "title": section["title"],
            "statements": [
                {"key": f"{s}.{n}", "text": statement, "value": answers.get(f"{s}.{n}")}
                for n, statement in enumerate(section["statements"])
            ],
        }
        for s, section in enumerate(sections)
    ]
    completed = list(ScanResponse.objects.filter(employee=me, completed_at__isnull=False)[:5])
    reports = [(done, services.scan_report(done)) for done in completed]
    return render(
        request,
        "feedback/scan.html",
        {
            "form_sections": form_sections,
            "reflection": current.reflection if current else "",
            "reports": [(done, report, _chart(report)) for done, report in reports],
            # 10 px margin plus 40 px per section, as _chart lays the bars out.
            "chart_height": 10 + 40 * len(sections),
            "scale": range(1, 6),
            "conversations": Conversation.objects.filter(employee=me)
            .exclude(status__in=LOCKED_STATUSES)
            .order_by("-starts_at"),
        },
    )


@login_required
@require_POST
def scan_share(request, pk: int):
    me = _me(request)
    scan = ScanResponse.objects.filter(pk=pk, employee=me).first()
    if scan is None:
        raise Http404
    conversation = Conversation.objects.filter(pk=request.POST.get("gesprek") or 0, employee=me).first()
    try:
        services.scan_share(
            scan,
            with_manager="manager" in request.POST,
            conversation=conversation,
            acting_user=request.user,
        )
        messages.success(request, _("Who sees your scan has been saved."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("feedback:scan")


def scan_visible_for(conversation: Conversation, user) -> list[tuple[ScanResponse, list]]:
    """Scans the employee brought into this conversation, for its participants."""
    if conversation.side_of(actor_for(user).employee_id) is None:
        return []
    return [
        (scan, services.scan_report(scan)) for scan in conversation.scans.filter(completed_at__isnull=False)
    ]


# -- configuration by the HR administrator -------------------------------------------------------


def _administered(request):
    from gesprekscyclus.access.shortcuts import require_permission
    from gesprekscyclus.organisations.models import Organisation

    require_permission(request.user, "organisations.import_organisation")
    organisation = Organisation.objects.filter(
        pk__in=actor_for(request.user).hr_admin_organisation_ids
    ).first()
    if organisation is None:
        raise Http404
    request.navigation_section = "admin"
    return organisation


@login_required
def question_sets(request):
    organisation = _administered(request)
    edit = QuestionSet.objects.filter(organisation=organisation, pk=request.GET.get("set") or 0).first()
    if request.method == "POST":
        edit = QuestionSet.objects.filter(organisation=organisation, pk=request.POST.get("set") or 0).first()
        try:
            services.question_set_save(
                organisation=organisation,
                name=request.POST.get("name", ""),
                questions=request.POST.get("questions", "").splitlines(),
                question_set=edit,
                acting_user=request.user,
            )
            messages.success(request, _("The question set is saved."))
            return redirect("feedback:question_sets")
        except Refused as error:
            messages.error(request, str(error))
    return render(
        request,
        "feedback/question_sets.html",
        {
            "sets": QuestionSet.objects.filter(organisation=organisation),
            "edit": edit,
            "questions_text": "\n".join(edit.questions) if edit else "",
        },
    )


@login_required
def scan_settings(request):
    organisation = _administered(request)
    questionnaire = services.scan_questionnaire(organisation)
    text = services.scan_text(questionnaire.sections)
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            services.scan_configure(organisation=organisation, text=text, acting_user=request.user)
            messages.success(request, _("The development scan is saved."))
            return redirect("feedback:scan_settings")
        except Refused as error:
            messages.error(request, str(error))
    return render(request, "feedback/scan_settings.html", {"text": text})
