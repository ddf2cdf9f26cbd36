from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.organisations.models import Job, OrgUnit

from .loader import RegulationError, preset_ids
from .services import Scope, read_regulation_source, regulation_from_text

MAX_REGULATION_BYTES = 512 * 1024


class RegulationUploadForm(forms.Form):
    """Upload a regulation file, or pick a preset, and say where and from when it applies."""

    preset = forms.ChoiceField(
        label=_("Preset"),
        required=False,
        help_text=_("Start from one of the shipped regulations, or upload your own file below."),
    )
    file = forms.FileField(
        label=_("Regulation file (YAML)"),
        required=False,
        help_text=_("The format is described in docs/regulations.md; at most 512 KB."),
    )
    in_force_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Cycles opened for periods from this date on use this version."),
    )
    unit = forms.ModelChoiceField(
        label=_("Only for this unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Leave empty for the whole organisation. A unit's version also applies below it."),
    )
    job_group = forms.CharField(
        label=_("Or only for this job group"),
        required=False,
        max_length=200,
        help_text=_("A name for the group, such as 'Brandweer'; choose its jobs below."),
    )
    jobs = forms.ModelMultipleChoiceField(
        label=_("Jobs in the job group"),
        queryset=Job.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["preset"].choices = [("", _("— upload a file instead —"))] + [
            (preset, preset) for preset in preset_ids()
        ]
        self.fields["unit"].queryset = OrgUnit.objects.filter(organisation=organisation).order_by("path")
        self.fields["jobs"].queryset = Job.objects.filter(organisation=organisation).order_by("title")
        self.fields["in_force_from"].initial = timezone.localdate()
        self.regulation_errors: list[str] = []

    def clean(self):
        data = super().clean()
        preset, upload = data.get("preset"), data.get("file")
        if bool(preset) == bool(upload):
            raise forms.ValidationError(_("Choose a preset or upload a file (one of the two)."))
        if data.get("unit") and (data.get("job_group") or data.get("jobs")):
            raise forms.ValidationError(_("A version applies to a unit or to a job group, not to both."))
        if bool(data.get("job_group")) != bool(data.get("jobs")):
            raise forms.ValidationError(_("A job group needs a name and at least one job."))
        if preset:
            filename, text = read_regulation_source(preset)
        else:
            if upload.size > MAX_REGULATION_BYTES:
                raise forms.ValidationError(_("The file is larger than 512 KB."))
            filename = upload.name
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        try:
            regulation_from_text(text, filename)
        except RegulationError as error:
            self.regulation_errors = error.lines()
            raise forms.ValidationError(
                _("%(file)s is not a valid regulation: %(count)d problem(s), listed below.")
                % {"file": filename, "count": len(error.problems)}
            ) from error
        data["filename"], data["text"] = filename, text
        return data

    @property
    def scope(self) -> Scope:
        data = self.cleaned_data
        if data.get("unit"):
            return Scope(unit=data["unit"])
        if data.get("job_group"):
            return Scope(job_group=data["job_group"], jobs=tuple(data["jobs"]))
        return Scope()
