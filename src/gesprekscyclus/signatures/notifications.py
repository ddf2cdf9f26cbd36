"""Telling both sides that signatures were voided because the report changed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from gesprekscyclus.conversations.notifications import _after_commit, kind_label


def send_signatures_void(conversation, *, version, reason: str, had_signatures: bool) -> None:
    _after_commit(_send, conversation, version, reason, had_signatures)


def _send(conversation, version, reason: str, had_signatures: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        label = kind_label(conversation)
        lines = [
            _("The report of the %(conversation)s with %(employee)s has been reopened for changes.")
            % {"conversation": label, "employee": conversation.employee.full_name},
            _("Reason: %(reason)s") % {"reason": reason},
            "",
        ]
        if had_signatures:
            lines.append(
                _(
                    "The signatures already placed on version %(number)s are void; "
                    "the new version must be signed again."
                )
                % {"number": version.number}
            )
        EmailMessage(
            subject=_("Report reopened: %(conversation)s") % {"conversation": label},
            body="\n".join(lines),
            to=[conversation.employee.email, conversation.conductor.email],
        ).send()
