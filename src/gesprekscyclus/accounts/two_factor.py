"""Two-factor authentication: a TOTP authenticator app (django-otp) plus recovery codes.

* ``totp_device_pending`` makes (or reuses) an unconfirmed device for enrolment; the page
  shows its QR code and secret.
* ``totp_device_confirm`` confirms it once the user typed a code from the app, and
  returns ten recovery codes (a django-otp static device) to be shown once.
* ``code_verify`` checks a code at login: six digits against the app, anything else
  against the recovery codes (each works once). django-otp's own throttling slows down
  guessing; the login step also counts failures with django-axes.
* ``two_factor_required`` says whether the user must have it: HR administrators when
  ``TOTP_REQUIRED_FOR_HR_ADMINS`` is on.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record

RECOVERY_CODES = 10
APP_DEVICE_NAME = "authenticator-app"
RECOVERY_DEVICE_NAME = "recovery-codes"


def two_factor_required(user) -> bool:
    return bool(settings.TOTP_REQUIRED_FOR_HR_ADMINS and actor_for(user).hr_admin_organisation_ids)


def two_factor_enabled(user) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device_pending(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The QR code of the app configuration as inline SVG (no scripts, no styles)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, light="#fff", title=_("QR code to scan with your authenticator app")
    )


def _recovery_codes_new(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_device_confirm(device: TOTPDevice, *, code: str) -> list[str] | None:
    """Confirm the device when ``code`` is right; returns the new recovery codes, or None."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = _recovery_codes_new(device.user)
    audit_record(action="account.two_factor_enabled", actor=device.user, obj=device.user)
    return codes


@transaction.atomic
def recovery_codes_renew(user) -> list[str]:
    codes = _recovery_codes_new(user)
    audit_record(action="account.recovery_codes_renewed", actor=user, obj=user)
    return codes


@transaction.atomic
def two_factor_disable(user, *, acting_user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(action="account.two_factor_disabled", actor=acting_user, obj=user)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _digits(code: str) -> str:
    return "".join(code.split())


@transaction.atomic
def code_verify(user, code: str):
    """The device that accepts ``code`` (app or recovery code), or None."""
    code = _digits(code)
    if code.isdigit() and len(code) == 6:
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
        code = code.lower()
    for device in devices.select_for_update():
        if device.verify_token(code):
            return device
    return None


# Pages an HR administrator can reach before their second step is done.
_OPEN_VIEWS = {
    "accounts:login",
    "accounts:login_code",
    "accounts:logout",
    "accounts:two_factor_setup",
    "accounts:oidc_start",
    "accounts:oidc_callback",
    "set_language",
    "core:health",
}


class TwoFactorMiddleware:
    """HR administrators (when ``TOTP_REQUIRED_FOR_HR_ADMINS``) use nothing until their
    session is verified with a code: without an app they are sent to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TOTP_REQUIRED_FOR_HR_ADMINS or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in _OPEN_VIEWS or request.user.is_verified():
            return None
        if not two_factor_required(request.user):
            return None
        if request.path_info.startswith("/api/"):
            from gesprekscyclus.api.problems import rendered_problem

            return rendered_problem(
                403, _("Your session is not verified with a code yet. Log in with your two-step code first.")
            )
        next_query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        if two_factor_enabled(request.user):
            target = reverse("accounts:login_code")
        else:
            messages.info(
                request,
                _("As an HR administrator you use two-step verification. Set it up to continue."),
            )
            target = reverse("accounts:two_factor_setup")
        return redirect(f"{target}?{next_query}" if next_query else target)
