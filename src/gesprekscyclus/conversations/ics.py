"""Calendar invitations for a conversation (RFC 5545 / iTIP), built with icalendar.

One conversation is one event for its whole life: the UID never changes, SEQUENCE goes
up with every change, and cancelling sends METHOD:CANCEL with STATUS:CANCELLED. Outlook
and Google Calendar then update or remove the event they already have.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//Gesprekscyclus//Gesprekscyclus//NL"


def _address(email: str, name: str, *, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    if role:
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("FALSE")
    return address


def conversation_calendar(
    conversation, *, title: str, description: str, cancel: bool = False, attendee=None
) -> bytes:
    """The ``.ics`` for the conversation's current state (REQUEST), or its cancellation;
    with ``attendee``, a cancellation for that one person only (they no longer take part)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")

    event = Event()
    event.add("uid", f"{conversation.ics_uid}@gesprekscyclus")
    event.add("sequence", conversation.ics_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", conversation.starts_at.astimezone(datetime.UTC))
    event.add("dtend", conversation.ends_at.astimezone(datetime.UTC))
    event.add("summary", title)
    event.add("description", description)
    location = conversation.location or conversation.online_url
    if location:
        event.add("location", location)
    if conversation.online_url:
        event.add("url", conversation.online_url)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer_email = settings.DEFAULT_FROM_EMAIL
    event.add("organizer", _address(_plain_address(organizer_email), "Gesprekscyclus"))
    people = (attendee,) if attendee is not None else (conversation.employee, conversation.conductor)
    for person in people:
        event.add("attendee", _address(person.email, person.full_name, role="REQ-PARTICIPANT"))
    calendar.add_component(event)
    return calendar.to_ical()


def _plain_address(value: str) -> str:
    """``Name <a@b>`` -> ``a@b``."""
    if "<" in value and value.endswith(">"):
        return value[value.index("<") + 1 : -1]
    return value
