"""Every API error in one shape: RFC 9457 problem details (``application/problem+json``).

    {"type": "https://gesprekscyclus.nl/problems/validation", "title": "The request is not valid.",
     "status": 400, "detail": "...", "errors": [{"field": "email", "message": "..."}]}

``errors`` is there for validation problems only; for a bulk upsert each error also
names the ``row`` (1-based, as sent). The types are listed in docs/api.md."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from gesprekscyclus.conversations.services import Refused, StaleEdit

PROBLEM_BASE = "https://gesprekscyclus.nl/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


class Conflict(exceptions.APIException):
    """The request cannot be carried out in the object's current state."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class RowErrors(exceptions.APIException):
    """Validation problems of an upsert, each pointing at its row and field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(_("The request is not valid."))


def _flatten(detail, field: str = "") -> list[dict]:
    """DRF's nested error dict/list into ``[{"field": "a.b", "message": ...}]``."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = field if key == "non_field_errors" else (f"{field}.{key}" if field else str(key))
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                out.extend(_flatten(value, f"{field}.{index}" if field else str(index)))
            else:
                out.extend(_flatten(value, field))
        return out
    return [{"field": field, "message": str(detail)}]


TITLES = {
    400: ("validation", lambda: _("The request is not valid.")),
    401: ("not-authenticated", lambda: _("You are not signed in, or the token is not valid.")),
    403: ("forbidden", lambda: _("You may not do this.")),
    404: ("not-found", lambda: _("Not found, or not yours to see.")),
    405: ("method-not-allowed", lambda: _("This method is not allowed here.")),
    406: ("not-acceptable", lambda: _("This response format is not available.")),
    409: ("conflict", lambda: _("This cannot be done in the current state.")),
    412: ("precondition-failed", lambda: _("Someone else changed this in the meantime.")),
    415: ("unsupported-media-type", lambda: _("Send JSON (Content-Type: application/json).")),
    429: ("throttled", lambda: _("Too many requests.")),
}


def problem_response(status_code: int, detail: str, *, errors: list[dict] | None = None, headers=None):
    slug, title = TITLES.get(status_code, ("error", lambda: _("The request failed.")))
    body = {"type": PROBLEM_BASE + slug, "title": str(title()), "status": status_code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    return response


def rendered_problem(status_code: int, detail: str, *, headers=None):
    """A problem document answered outside DRF's views (by a middleware under ``/api/``), so an
    integration or the interactive docs get the API's one error shape, not a redirect to a page."""
    from rest_framework.renderers import JSONRenderer

    response = problem_response(status_code, detail, headers=headers)
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = JSONRenderer.media_type
    response.renderer_context = {}
    return response.render()


def problem_exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        return problem_response(412, str(exc))
    if isinstance(exc, Refused):
        return problem_response(409, str(exc))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {
        key: value for key, value in response.items() if key in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    if isinstance(exc, RowErrors):
        return problem_response(exc.status_code, str(exc.detail), errors=exc.errors, headers=headers)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        return problem_response(response.status_code, detail, errors=errors, headers=headers)
    if isinstance(exc, exceptions.NotFound):
        detail = str(exc.detail)
        if detail == str(exceptions.NotFound.default_detail):
            detail = _("Not found, or not yours to see.")
        return problem_response(404, detail, headers=headers)
    return problem_response(response.status_code, str(exc.detail), headers=headers)
