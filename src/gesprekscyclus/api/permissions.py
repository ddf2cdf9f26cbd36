"""The API's one role-independent permission: signed in, and a token used within its
scopes. What a person may see of which object is decided by ``gesprekscyclus.access``
in the querysets and object lookups of the views, exactly as on the pages."""

from rest_framework import permissions

from .models import ApiToken, Scope


def required_scope(request, view) -> str:
    if request.method in permissions.SAFE_METHODS:
        return Scope.READ
    return getattr(view, "write_scope", Scope.WRITE)


class TokenScope(permissions.BasePermission):
    message = "This token does not have the scope this operation needs."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if isinstance(token, ApiToken):
            scope = required_scope(request, view)
            self.message = f"This token does not have the scope '{scope}' this operation needs."
            return token.has_scope(scope)
        return True
