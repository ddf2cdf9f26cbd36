from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    action: str,
    actor=None,
    organisation=None,
    obj: models.Model | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log (inside the caller's transaction, so a
    rolled-back change leaves no event behind)."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
    )
