"""The dashboard follows the conversations: when one of a cycle's conversations changes,
or a signed report lands in the personnel file, that cycle's progress is recomputed
once the transaction commits (the daily ``send_reminders`` recomputes every open cycle,
because dates move on by themselves)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.dossiers.models import DossierEntry

from .services import progress_refresh

_PENDING_ATTRIBUTE = "_gesprekscyclus_progress_pending"


def _refresh_on_commit(cycle_id: int | None) -> None:
    """Refresh the cycle after commit; several saves in one transaction cost one refresh
    (the first callback takes every pending cycle, the others find nothing left). A cycle
    left pending by a rolled-back transaction is refreshed with the next commit, which
    does no harm: it only recomputes what is stored."""
    if cycle_id is None:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, _PENDING_ATTRIBUTE, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING_ATTRIBUTE, pending)
    pending.add(cycle_id)

    def refresh():
        cycle_ids = set(pending)
        pending.clear()
        if cycle_ids:
            progress_refresh(today=timezone.localdate(), cycle_ids=cycle_ids)

    transaction.on_commit(refresh)


@receiver(post_save, sender=Conversation, dispatch_uid="compliance.conversation_saved")
def conversation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_on_commit(instance.cycle_id)


@receiver(post_save, sender=DossierEntry, dispatch_uid="compliance.dossier_entry_saved")
def dossier_entry_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.conversation_id:
        _refresh_on_commit(
            Conversation.objects.filter(pk=instance.conversation_id)
            .values_list("cycle_id", flat=True)
            .first()
        )
