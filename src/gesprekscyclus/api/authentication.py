"""``Authorization: Bearer gc_<prefix>_<secret>`` for integrations."""

import datetime
import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from gesprekscyclus.audit.services import audit_auth

from .models import ApiToken, hash_secret

TOKEN_PREFIX = "gc_"  # noqa: S105  (a marker, not a secret)
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def split_token(raw: str) -> tuple[str, str] | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    return (prefix, secret) if prefix and secret else None


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Bearer <token>'."))
        parts = split_token(header[1])
        token = (
            ApiToken.objects.select_related("created_by", "organisation").filter(prefix=parts[0]).first()
            if parts
            else None
        )
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(parts[1])):
            self._refuse(request, None, parts[0] if parts else "", _("This token is not known."))
        now = timezone.now()
        if not token.is_usable(now):
            self._refuse(request, token, token.prefix, _("This token has been revoked or has expired."))
        if not token.created_by.is_active:
            self._refuse(request, token, token.prefix, _("The holder of this token can no longer log in."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            # Recorded at most every few minutes per token, like its "last used" on the page.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            audit_auth("auth.token_used", user=token.created_by, details={"token": token.prefix})
        return token.created_by, token

    @staticmethod
    def _refuse(request, token, prefix: str, message: str):
        audit_auth(
            "auth.token_failed",
            user=token.created_by if token is not None else None,
            details={"token": prefix[:12], "reason": str(message)},
        )
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued by an HR administrator (Administration → API tokens).",
        }
