"""Background tasks of the organisation: applying a large import.

Idempotent: the import is applied in one transaction under a lock on its
``OrganisationImport`` row, and only while that row is queued or running; an import that
was applied (or failed, or discarded) is left alone."""

from __future__ import annotations

import logging

from django.db import transaction

from gesprekscyclus.jobs.queue import durable_task

logger = logging.getLogger(__name__)


def import_failed(import_id: int, acting_user_id: int | None = None) -> None:
    """The last attempt failed: the import page says so (nothing was written)."""
    from .models import ImportStatus, OrganisationImport

    OrganisationImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.FAILED)


@durable_task(retries=2, on_give_up=import_failed)
def apply_import_task(import_id: int, acting_user_id: int | None = None) -> dict:
    """Apply a confirmed import (``OrganisationImport`` in status queued)."""
    from gesprekscyclus.accounts.models import User

    from .importer import organisation_import_apply, organisation_import_plan_stored
    from .models import ImportStatus, OrganisationImport

    # Shown on the import page while the (long) transaction below runs.
    OrganisationImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    with transaction.atomic():
        upload = OrganisationImport.objects.select_for_update(of=("self",)).filter(pk=import_id).first()
        if upload is None or upload.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            logger.info("Import %s is %s; nothing to apply", import_id, upload.status if upload else "gone")
            return {"skipped": upload.status if upload else "gone"}
        plan = organisation_import_plan_stored(upload)
        if plan.errors:
            # The organisation changed since the preview: nothing is written.
            upload.status = ImportStatus.FAILED
            upload.summary = plan.summary()
            upload.save(update_fields=["status", "summary"])
            return {"failed": len(plan.errors)}
        acting_user = User.objects.filter(pk=acting_user_id).first() if acting_user_id else None
        organisation_import_apply(plan=plan, acting_user=acting_user)
        upload.status = ImportStatus.APPLIED
        upload.summary = plan.summary()
        upload.save(update_fields=["status", "summary"])
    return {"applied": upload.summary}
