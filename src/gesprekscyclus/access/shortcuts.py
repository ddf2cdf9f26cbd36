"""Helpers for views: fetch an object only if the user may see it.

They ask the rules registry directly rather than ``user.has_perm``, so that Django's
"a superuser has every permission" shortcut never opens personnel data: a technical
administrator sees exactly what their employee role and assigned roles allow."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404


def get_permitted_or_404(user, permission: str, queryset: QuerySet, **lookup):
    """The object, or 404 when it does not exist *or* the user may not see it (so the
    existence of someone else's data is never revealed)."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not rules.has_perm(permission, user, obj):
        raise Http404
    return obj


def require_permission(user, permission: str, obj=None) -> None:
    """For role-level pages (for example the import page): 403 when not allowed."""
    if not rules.has_perm(permission, user, obj):
        raise PermissionDenied
