"""Issuing and revoking API tokens (the HR administrator's page and ``manage.py api_token``)."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.access.shortcuts import require_permission
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Organisation

from .authentication import TOKEN_PREFIX
from .models import ApiToken, Scope, hash_secret


@transaction.atomic
def api_token_issue(
    *,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    expires_on: datetime.date | None = None,
    acting_user,
) -> tuple[ApiToken, str]:
    """A new token held by ``acting_user`` (an HR administrator of ``organisation``).
    Returns the token and its secret, which is shown once and stored only as a hash."""
    require_permission(acting_user, "organisations.import_organisation", organisation)
    name = name.strip()
    if not name:
        raise Refused(_("Give the token a name that says what it is for."))
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise Refused(
            _("Choose at least one of the scopes: %(scopes)s.") % {"scopes": ", ".join(Scope.values)}
        )
    if expires_on is not None and expires_on <= timezone.localdate():
        raise Refused(_("The expiry date must lie in the future."))
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    expires_at = (
        timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
        if expires_on is not None
        else None
    )
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=sorted(set(scopes)),
        created_by=acting_user,
        expires_at=expires_at,
    )
    audit_record(
        action="api_token.issue",
        actor=acting_user,
        organisation=organisation,
        obj=token,
        details={"name": name, "scopes": token.scopes, "prefix": prefix},
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(token: ApiToken, *, acting_user) -> ApiToken:
    """Revoke at once: the next request with the token is refused. Idempotent."""
    require_permission(acting_user, "organisations.import_organisation", token.organisation)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = acting_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        action="api_token.revoke",
        actor=acting_user,
        organisation=token.organisation,
        obj=token,
        details={"name": token.name, "prefix": token.prefix},
    )
    return token
