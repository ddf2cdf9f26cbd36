import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IP_PREFIX = re.compile(r"^[0-9A-Fa-f:.]{1,45}$")


class AuditSearchForm(forms.Form):
    """The HR administrator's filters (all optional, combined with AND)."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE)
    actor = forms.CharField(
        label=_("By (name or e-mail address)"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    subject = forms.CharField(
        label=_("About (name or personnel number)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Category.choices]
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Part of the stored action, for example conversation.held or read:"),
    )
    ip = forms.CharField(
        label=_("IP address"),
        required=False,
        max_length=45,
        help_text=_("The whole address or its beginning."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "gc-input")

    def clean_ip(self) -> str:
        value = self.cleaned_data["ip"].strip()
        if value and not IP_PREFIX.match(value):
            raise forms.ValidationError(_("Enter an IP address or its beginning (digits, dots, colons)."))
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
            self.add_error("date_to", _("The end of the period lies before its start."))
        return cleaned
