"""Helpers for views: fetch an object only if the user may see it.

They ask the rules registry directly rather than ``user.has_perm``, so that Django's
"a superuser has every permission" shortcut never opens personnel data: a technical
administrator sees exactly what their employee role and assigned roles allow.

Both write to the audit log: a refusal (an object that exists but is not the user's to
see, a role-level page) as ``denied``; an object about a person that the user may see
as ``read``. During a request these are collected and stored in one INSERT at its end
(``audit.context.AuditContextMiddleware``), so a page costs one query more at most."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gesprekscyclus.audit.services import audit_denied, audit_read, subject_id_of


def get_permitted_or_404(user, permission: str, queryset: QuerySet, **lookup):
    """The object, or 404 when it does not exist *or* the user may not see it (so the
    existence of someone else's data is never revealed)."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if not rules.has_perm(permission, user, obj):
        audit_denied(actor=user, permission=permission, obj=obj)
        raise Http404
    if subject_id_of(obj) is not None:
        audit_read(actor=user, obj=obj, permission=permission)
    return obj


def require_permission(user, permission: str, obj=None) -> None:
    """For role-level pages (for example the import page): 403 when not allowed."""
    if not rules.has_perm(permission, user, obj):
        audit_denied(actor=user, permission=permission, obj=obj)
        raise PermissionDenied
