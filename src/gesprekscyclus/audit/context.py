"""Where a request comes from, for the audit log: set once per request by
``AuditContextMiddleware`` and read by ``audit_record`` (a context variable, so it
follows the request through threads and async code and is empty outside requests)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str
    user_agent: str
    method: str
    path: str


current_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_request_origin", default=None)


def client_ip(request) -> str:
    """The client's address. Behind a TLS proxy (``BEHIND_TLS_PROXY``) the proxy's
    ``X-Forwarded-For`` is trusted for its last hop only, which the proxy itself set."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(
            RequestOrigin(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                method=request.method,
                path=request.path[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
