"""E-mails about conversations. Sent after the transaction commits, so a rolled-back
change never mails anyone; a mail server that is down is logged and does not undo or
break the change itself."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gesprekscyclus.regulations.reasons import label_text

from .ics import conversation_calendar

logger = logging.getLogger(__name__)


def _after_commit(send, *args) -> None:
    def run():
        try:
            send(*args)
        except OSError:
            logger.exception("could not send the e-mail (%s)", send.__name__)

    transaction.on_commit(run)


def kind_label(conversation) -> str:
    return label_text(conversation.cycle.regulation_version.regulation().kind(conversation.kind).label)


def _when(conversation) -> str:
    return date_format(localtime(conversation.starts_at), "l j F Y, H:i")


def send_invitation(conversation, *, change: str) -> None:
    """``change`` is ``planned``, ``rescheduled`` or ``cancelled``."""
    _after_commit(_send_invitation, conversation, change)


def _send_invitation(conversation, change: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        label = kind_label(conversation)
        employee, conductor = conversation.employee, conversation.conductor
        title = _("%(conversation)s: %(employee)s and %(conductor)s") % {
            "conversation": label,
            "employee": employee.full_name,
            "conductor": conductor.full_name,
        }
        subjects = {
            "planned": _("Invitation: %(title)s"),
            "rescheduled": _("Changed: %(title)s"),
            "cancelled": _("Cancelled: %(title)s"),
        }
        place = conversation.location or conversation.online_url or _("to be agreed")
        lines = [
            {
                "planned": _("A conversation has been planned."),
                "rescheduled": _("The conversation has been moved or changed."),
                "cancelled": _("The conversation has been cancelled."),
            }[change],
            "",
            _("Conversation: %(label)s") % {"label": label},
            _("When: %(when)s") % {"when": _when(conversation)},
            _("Where: %(place)s") % {"place": place},
        ]
        if change == "cancelled" and conversation.cancel_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": conversation.cancel_reason})
        else:
            lines += ["", _("Prepare it in Gesprekscyclus under My conversations.")]
        body = "\n".join(lines)
        cancel = change == "cancelled"
        manager = employee.manager
        message = EmailMessage(
            subject=subjects[change] % {"title": title},
            body=body,
            to=[employee.email, conductor.email],
            # A designated person conducts: the manager is kept informed.
            cc=[manager.email] if manager is not None and manager.pk != conductor.pk else [],
        )
        method = "CANCEL" if cancel else "REQUEST"
        message.attach(
            "uitnodiging.ics",
            conversation_calendar(conversation, title=title, description=body, cancel=cancel),
            f"text/calendar; method={method}",  # Django adds the charset
        )
        message.send()


def send_withdrawal(conversation, *, person) -> None:
    """Someone no longer takes part (another person conducts now): cancel the event in
    their calendar only. Built before the change, so it carries the current SEQUENCE."""
    body = conversation_calendar(
        conversation, title=kind_label(conversation), description="", cancel=True, attendee=person
    )
    _after_commit(_send_withdrawal, conversation, person, body)


def _send_withdrawal(conversation, person, calendar: bytes) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=_("No longer yours: %(conversation)s with %(employee)s")
            % {"conversation": kind_label(conversation), "employee": conversation.employee.full_name},
            body=_("Someone else conducts this conversation now; it is removed from your calendar."),
            to=[person.email],
        )
        message.attach("uitnodiging.ics", calendar, "text/calendar; method=CANCEL")
        message.send()


def send_agreement_at_risk(agreement, *, explanation: str, manager) -> None:
    _after_commit(_send_agreement_at_risk, agreement, explanation, manager)


def _send_agreement_at_risk(agreement, explanation: str, manager) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n".join(
            [
                _("%(employee)s reports that an agreement is at risk.")
                % {"employee": agreement.employee.full_name},
                "",
                _("Agreement: %(description)s") % {"description": agreement.description},
                _("Deadline: %(date)s") % {"date": date_format(agreement.deadline, "j F Y")},
                _("Explanation: %(explanation)s") % {"explanation": explanation},
                "",
                _("Discuss it in time; you find it under My team in Gesprekscyclus."),
            ]
        )
        EmailMessage(
            subject=_("Agreement at risk: %(employee)s") % {"employee": agreement.employee.full_name},
            body=body,
            to=[manager.email],
        ).send()
