"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when ``OIDC_RP_CLIENT_ID``
is set (docs/security.md).

* Only existing, active accounts log in: matched by e-mail address (any case) or by a
  personnel-number claim (``OIDC_MATCH_CLAIM``). Nobody is ever created; when nobody
  matches, the login page says so.
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
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .sessions import AUTHENTICATED_AT

LOGGER = logging.getLogger(__name__)
NO_MATCH = "no_match"
FAILED = "failed"


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


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
            return users.filter(email__iexact=value)
        return users.filter(employee__personnel_number=value)

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
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self.request.oidc_failure = NO_MATCH
        return user


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
        if getattr(self.request, "oidc_failure", None) == NO_MATCH:
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
