"""Where a request comes from, for the audit log: set once per request by
``AuditContextMiddleware`` and read by ``audit_record`` (a context variable, so it
follows the request through threads and async code and is empty outside requests).

The middleware also collects the request's reads, refusals and authentication events
(``pending_events``) and stores them in one INSERT when the response is ready."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str
    user_agent: str
    method: str
    path: str


current_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_request_origin", default=None)
pending_events: ContextVar[list | None] = ContextVar("audit_pending_events", default=None)
current_user: ContextVar[object | None] = ContextVar("audit_request_user", default=None)


def client_ip(request) -> str:
    """The client's address. Behind a TLS proxy (``BEHIND_TLS_PROXY``) the proxy's
    ``X-Forwarded-For`` is trusted for its last hop only, which the proxy itself set."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def origin_of(request) -> RequestOrigin:
    return RequestOrigin(
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        method=getattr(request, "method", "") or "",
        path=getattr(request, "path", "")[:300],
    )


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = origin_of(request)
        tokens = (
            current_origin.set(origin),
            pending_events.set([]),
            current_user.set(getattr(request, "user", None)),
        )
        try:
            return self.get_response(request)
        finally:
            events = pending_events.get()
            current_user.reset(tokens[2])
            pending_events.reset(tokens[1])
            current_origin.reset(tokens[0])
            if events:
                from .services import write_pending

                write_pending(events, method=origin.method)
