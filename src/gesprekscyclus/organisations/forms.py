from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.accounts.models import User

from .models import DepartmentPlan, OrgUnit, Role

IMPORT_SUFFIXES = {".csv", ".xlsx"}
PLAN_SUFFIXES = {".pdf", ".docx", ".doc", ".odt", ".xlsx", ".pptx", ".png", ".jpg", ".jpeg"}


def _check_upload(upload, suffixes: set[str], max_bytes: int):
    suffix = Path(upload.name).suffix.lower()
    if suffix not in suffixes:
        raise forms.ValidationError(
            _("%(name)s: this type of file is not accepted; use %(types)s.")
            % {"name": upload.name, "types": ", ".join(sorted(suffixes))}
        )
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": max_bytes // (1024 * 1024)}
        )
    return upload


class OrganisationImportForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The exact name of the organisation; a new name creates a new organisation."),
    )
    units_file = forms.FileField(
        label=_("Units file"),
        help_text=_("CSV or XLSX with the columns code, name, parent_code, head_personnel_number."),
    )
    employees_file = forms.FileField(
        label=_("Employees file"), help_text=_("CSV or XLSX with the employee columns described below.")
    )

    def __init__(self, *args, organisation_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_names = organisation_names
        if len(organisation_names) == 1:
            self.fields["organisation"].initial = organisation_names[0]

    def clean_organisation(self):
        name = self.cleaned_data["organisation"].strip()
        if name not in self.organisation_names:
            raise forms.ValidationError(_("You can only import into an organisation you administer."))
        return name

    def clean_units_file(self):
        return _check_upload(
            self.cleaned_data["units_file"], IMPORT_SUFFIXES, settings.IMPORT_MAX_UPLOAD_BYTES
        )

    def clean_employees_file(self):
        return _check_upload(
            self.cleaned_data["employees_file"], IMPORT_SUFFIXES, settings.IMPORT_MAX_UPLOAD_BYTES
        )


class DepartmentPlanForm(forms.ModelForm):
    class Meta:
        model = DepartmentPlan
        fields = ["year", "text", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            _check_upload(upload, PLAN_SUFFIXES, 20 * 1024 * 1024)
        return upload


class RoleAssignmentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit_code = forms.CharField(
        label=_("Unit code"),
        required=False,
        max_length=50,
        help_text=_(
            "Required for a director or HR adviser: the role covers this unit and everything below it."
        ),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        cleaned = super().clean()
        email, role, code = cleaned.get("email"), cleaned.get("role"), cleaned.get("unit_code", "").strip()
        if email:
            cleaned["user"] = User.objects.filter(
                email__iexact=email, employee__organisation=self.organisation
            ).first()
            if cleaned["user"] is None:
                self.add_error("email", _("No employee of this organisation has this e-mail address."))
        cleaned["unit"] = None
        if role and role != Role.HR_ADMIN:
            if not code:
                self.add_error("unit_code", _("A director or HR adviser needs a unit."))
            else:
                cleaned["unit"] = OrgUnit.objects.filter(organisation=self.organisation, code=code).first()
                if cleaned["unit"] is None:
                    self.add_error("unit_code", _("Unknown unit code %(code)s.") % {"code": code})
        return cleaned


class CompetenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level_1 = forms.CharField(
        label=_("Indicators at the basic level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Observable behaviour, one indicator per line."),
    )
    level_2 = forms.CharField(
        label=_("Indicators at the advanced level"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level_3 = forms.CharField(
        label=_("Indicators at the expert level"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def levels(self) -> dict[str, list[str]]:
        return {
            key: [line.strip() for line in self.cleaned_data[f"level_{key}"].splitlines() if line.strip()]
            for key in ("1", "2", "3")
            if self.cleaned_data[f"level_{key}"].strip()
        }
