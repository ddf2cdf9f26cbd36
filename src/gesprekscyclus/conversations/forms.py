import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.agreements.models import AgreementKind, AgreementStatus
from gesprekscyclus.organisations.models import Competence, Employee
from gesprekscyclus.regulations.reasons import label_text
from gesprekscyclus.regulations.regulation import Form

text_of = label_text  # a regulation label in the active language


def form_item_fields(form: Form | None, *, prefix: str = "item_", only: set[str] | None = None) -> dict:
    """Django fields for the items of a regulation form, keyed ``item_<id>``, with the
    section as ``section`` attribute so templates can group them."""
    fields = {}
    if form is None:
        return fields
    for section in form.sections:
        for item in section.items:
            if only is not None and item.id not in only:
                continue
            common = {"label": text_of(item.label), "required": False, "help_text": text_of(item.help)}
            if item.type == "long_text":
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
            elif item.type == "date":
                field = forms.DateField(
                    widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), **common
                )
            elif item.type == "boolean":
                field = forms.BooleanField(**common)
            else:
                field = forms.CharField(max_length=1000, **common)
            field.section = text_of(section.label)
            field.section_help = text_of(section.help)
            field.item_required = item.required
            fields[f"{prefix}{item.id}"] = field
    return fields


def answers_from(cleaned_data: dict, prefix: str = "item_") -> dict[str, str]:
    answers = {}
    for key, value in cleaned_data.items():
        if key.startswith(prefix) and value not in (None, "", False):
            answers[key[len(prefix) :]] = (
                value.isoformat() if isinstance(value, datetime.date) else str(value)
            )
    return answers


def initial_from(answers: dict, prefix: str = "item_") -> dict:
    return {f"{prefix}{key}": value for key, value in answers.items()}


class WhenWhereForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For a video call; give a place, a link or both."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("location") and not data.get("online_url"):
            raise forms.ValidationError(_("Give a place or an online link."))
        if data.get("date") and data.get("time"):
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        return data


class PlanForm(WhenWhereForm):
    conductor = forms.ModelChoiceField(
        label=_("Conducted by"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=_("You, or someone you designate."),
    )
    combined_with = forms.MultipleChoiceField(
        label=_("Also covers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One conversation and one report for both, where the regulation allows it."),
    )

    def __init__(self, *args, conductors=None, combinable=(), **kwargs):
        super().__init__(*args, **kwargs)
        if conductors is None:
            del self.fields["conductor"]
        else:
            self.fields["conductor"].queryset = conductors
        if combinable:
            self.fields["combined_with"].choices = combinable
        else:
            del self.fields["combined_with"]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class HeldForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class PreparationForm(forms.Form):
    topics = forms.CharField(
        label=_("Topics I want to discuss"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(label=_("My notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    self_reflection = forms.CharField(
        label=_("Self-reflection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How did the period go, what went well, what would you do differently?"),
    )

    def __init__(self, *args, agenda: Form | None = None, is_employee: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_employee:
            del self.fields["self_reflection"]
        self.fields.update(form_item_fields(agenda))


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    improvement_points = forms.BooleanField(
        label=_("Improvement points were discussed and are recorded in this report"),
        required=False,
        help_text=_("Needed before an assessment at the end of probation can take place."),
    )

    def __init__(self, *args, form: Form | None = None, free_text: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(form_item_fields(form))
        if form is not None and not free_text:
            self.fields["text"].label = _("Other remarks")


class SendBackForm(forms.Form):
    comment = forms.CharField(label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add an attachment"),
        help_text=_("PDF, an Office document or an image."),
        allow_empty_file=True,  # the upload check names an empty file itself
    )


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    description = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 2}))
    indicator = forms.CharField(
        label=_("On track when"),
        max_length=500,
        required=False,
        help_text=_("How do we see it is going well?"),
    )
    target = forms.CharField(label=_("Target"), max_length=200, required=False)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("A week, a month, a quarter or at most a year."),
    )
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences to develop"),
        queryset=Competence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation_id is None:
            del self.fields["competences"]
        else:
            self.fields["competences"].queryset = Competence.objects.filter(organisation_id=organisation_id)


class AgreementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the agreement is at risk."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, in_conversation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_conversation:
            self.fields["status"].choices = [
                (AgreementStatus.ON_TRACK, AgreementStatus.ON_TRACK.label),
                (AgreementStatus.AT_RISK, AgreementStatus.AT_RISK.label),
            ]
