from django import forms
from django.utils.translation import gettext_lazy as _


class _PasswordOptional:
    """An account without a password (single sign-on) signs after a fresh login at the
    provider instead: its forms have no password field."""

    def __init__(self, *args, password_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not password_required:
            del self.fields["password"]


class SignForm(_PasswordOptional, forms.Form):
    expected_hash = forms.CharField(widget=forms.HiddenInput)
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("You sign by entering your password again: only you can place your signature."),
    )


class RefuseForm(_PasswordOptional, forms.Form):
    expected_hash = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why do you not sign?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class RecordRefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("The reason the employee gave"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_("Signatures already placed become void; both of you are told."),
    )
