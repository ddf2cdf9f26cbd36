"""When an employee gets another manager, their planned conversations move with them."""

from django.dispatch import receiver

from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.organisations.signals import managers_changed

from .models import UPCOMING_STATUSES, Conversation
from .notifications import send_invitation, send_withdrawal


@receiver(managers_changed)
def move_planned_conversations(sender, organisation, changes, **kwargs):
    """A planned conversation the old manager was to conduct goes to the new manager (the
    invitation is updated); held conversations keep who conducted them, and signatures
    still to be placed as ``manager`` are asked of the new manager."""
    moves = {employee_id: (old, new) for employee_id, old, new in changes if old and new}
    if not moves:
        return
    conversations = Conversation.objects.filter(
        employee_id__in=moves, status__in=UPCOMING_STATUSES
    ).select_related("cycle__regulation_version", "employee", "conductor")
    for conversation in conversations:
        old, new = moves[conversation.employee_id]
        if conversation.conductor_id != old:
            continue  # a designated person keeps the conversation
        send_withdrawal(conversation, person=conversation.conductor)
        conversation.conductor_id = new
        conversation.ics_sequence += 1
        conversation.save(update_fields=["conductor", "ics_sequence", "updated_at"])
        conversation.refresh_from_db(fields=["conductor"])
        audit_record(
            action="conversation.manager_changed",
            organisation=organisation,
            obj=conversation,
            details={"from_manager": old, "to_manager": new},
        )
        send_invitation(conversation, change="rescheduled")
