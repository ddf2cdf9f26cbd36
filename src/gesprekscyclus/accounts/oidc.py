"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when ``OIDC_RP_CLIENT_ID``
is set (docs/security.md).

* Only existing, active accounts log in: matched by e-mail address (any case) or by a
  personnel-number claim (``OIDC_MATCH_CLAIM``). A personnel number is unique only
  within an organisation, so ``OIDC_ORGANISATION`` (its name or number) says whose
  personnel numbers the provider's are. Nobody is ever created; when nobody matches, the
  login page says so, and when more than one account matches nobody is logged in: the
  login page says the account cannot be matched unambiguously and the audit log records
  the attempt.
* The ID token's signature (the provider's JWKS), nonce, audience (our client id) and,
  when ``OIDC_OP_ISSUER`` is set, issuer are checked.
* The time the provider authenticated the person (``auth_time``, or now) is kept in the
  session: signing a report asks for a recent one, and ``?reauth=1`` sends the person to
  the provider with ``prompt=login`` to get one.
* A person with two-step verification still enters their code afterwards.
"""

from __future__ import annotations

import logging
import time

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from gesprekscyclus.audit.services import audit_auth
from gesprekscyclus.organisations.models import Organisation

from .sessions import AUTHENTICATED_AT

LOGGER = logging.getLogger(__name__)
NO_MATCH = "no_match"
AMBIGUOUS = "ambiguous"
FAILED = "failed"


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def oidc_organisation() -> Organisation | None:
    """The organisation ``OIDC_ORGANISATION`` names (its number, or its name in any case);
    ``None`` when the setting is empty. A name that matches nothing is a configuration
    error, not "nobody matches": every personnel-number login would fail."""
    value = str(getattr(settings, "OIDC_ORGANISATION", "") or "").strip()
    if not value:
        return None
    organisations = Organisation.objects.all()
    found = organisations.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or organisations.filter(name__iexact=value).first()
    if found is None:
        raise ImproperlyConfigured(f"OIDC_ORGANISATION={value!r} names no organisation (its number or name)")
    return found


class OIDCBackend(OIDCAuthenticationBackend):
    """Match the provider's person to an existing account; never create one."""

    def _claim(self, claims) -> str:
        value = claims.get(settings.OIDC_MATCH_CLAIM)
        return str(value).strip() if value not in (None, "") else ""

    def verify_claims(self, claims) -> bool:
        return bool(self._claim(claims))

    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.filter(is_active=True)
        value = self._claim(claims)
        if not value:
            return users.none()
        if settings.OIDC_MATCH_CLAIM == "email":
            return users.filter(email__iexact=value)  # an e-mail address is one account
        users = users.filter(employee__personnel_number=value)
        organisation = oidc_organisation()
        if organisation is not None:
            users = users.filter(employee__organisation=organisation)
        return users

    def describe_user_by_claims(self, claims) -> str:
        return f"{settings.OIDC_MATCH_CLAIM}={self._claim(claims)!r}"

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is always False
        raise SuspiciousOperation("Gesprekscyclus never creates accounts from single sign-on")

    def update_user(self, user, claims):
        return user

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as error:  # expired, not yet valid, malformed
            raise SuspiciousOperation(f"The ID token is not valid: {error}") from error
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not meant for this client")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer")
        if "exp" not in payload:
            raise SuspiciousOperation("The ID token has no expiry")
        self.request.oidc_auth_time = payload.get("auth_time")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The one active account the claims name, or ``None`` (with the reason in
        ``request.oidc_failure``). Never picks one of several."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        try:
            users = list(self.filter_users_by_claims(claims).order_by("pk"))
        except ImproperlyConfigured as error:
            LOGGER.error("single sign-on refused: %s", error)
            raise SuspiciousOperation(str(error)) from error
        if len(users) == 1:
            return self.update_user(users[0], claims)
        if users:
            self.request.oidc_failure = AMBIGUOUS
            LOGGER.warning(
                "single sign-on refused: %s matches %d accounts",
                self.describe_user_by_claims(claims),
                len(users),
            )
            audit_auth(
                "auth.login_failed",
                actor=None,
                request=self.request,
                details={
                    "reason": "sso_ambiguous",
                    "claim": settings.OIDC_MATCH_CLAIM,
                    "value": self._claim(claims)[:100],
                    "accounts": [user.pk for user in users],
                },
            )
            return None
        self.request.oidc_failure = NO_MATCH
        return None


class StartView(OIDCAuthenticationRequestView):
    """To the provider. ``?reauth=1`` asks it to authenticate the person again."""

    def get_extra_params(self, request):
        params = dict(super().get_extra_params(request))
        if request.GET.get("reauth"):
            params["prompt"] = "login"
            params["max_age"] = "0"
        return params


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            LOGGER.warning("single sign-on refused: %s", error)
            request.oidc_failure = FAILED
            return self.login_failure()

    def login_failure(self):
        failure = getattr(self.request, "oidc_failure", None)
        if failure == AMBIGUOUS:
            messages.error(
                self.request,
                _(
                    "%(provider)s confirmed who you are, but your account in Gesprekscyclus "
                    "cannot be matched unambiguously: more than one account has your personnel "
                    "number. Contact HR to have this resolved."
                )
                % {"provider": settings.OIDC_PROVIDER_NAME},
            )
        elif failure == NO_MATCH:
            messages.error(
                self.request,
                _(
                    "%(provider)s confirmed who you are, but there is no active account in "
                    "Gesprekscyclus for you. Ask your HR administrator to check your e-mail "
                    "address or personnel number."
                )
                % {"provider": settings.OIDC_PROVIDER_NAME},
            )
        else:
            messages.error(
                self.request,
                _("Logging in through %(provider)s did not succeed. Try again or log in with your password.")
                % {"provider": settings.OIDC_PROVIDER_NAME},
            )
        return redirect("accounts:login")

    def login_success(self):
        from .two_factor import two_factor_enabled
        from .views import second_step_start

        auth_time = getattr(self.request, "oidc_auth_time", None)
        request_user = self.request.user
        same_user = request_user.is_authenticated and request_user.pk == self.user.pk
        if not same_user and two_factor_enabled(self.user):
            second_step_start(self.request, self.user, next_url=self.success_url)
            return redirect("accounts:login_code")
        response = super().login_success()
        now = time.time()
        self.request.session[AUTHENTICATED_AT] = min(now, float(auth_time)) if auth_time else now
        return response


def _only_when_enabled(view):
    def wrapped(request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


start = _only_when_enabled(StartView.as_view())
callback = _only_when_enabled(CallbackView.as_view())
