"""The calendar invitation as Outlook or Google Calendar reads it: the ``.ics`` attached
to the mails, parsed with icalendar. One conversation is one event for its whole life
(same UID), every change raises SEQUENCE, a cancellation is METHOD:CANCEL."""

import datetime
import email
from email import policy

import pytest
from icalendar import Calendar

from gesprekscyclus.conversations.ics import conversation_calendar
from gesprekscyclus.conversations.services import conversation_cancel, conversation_reschedule
from gesprekscyclus.organisations.models import Employee
from tests.conversations.conftest import BEFORE_TAKEOVER, PLANNING_DAY, PROGRESS_DAY, at

UTC = datetime.UTC


def calendar_of(message) -> Calendar:
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics")
    return Calendar.from_ical(content)


def event_of(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


def attendees(event) -> dict[str, str]:
    found = event.get("ATTENDEE")
    found = found if isinstance(found, list) else [found]
    return {str(address): str(address.params["CN"]) for address in found}


@pytest.fixture
def invited(cast, cycle, plan, mailoutbox, django_capture_on_commit_callbacks):
    """The planning conversation as planned by the employee, and its invitation."""
    with django_capture_on_commit_callbacks(execute=True):
        conversation = plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, duration_minutes=75)
    [message] = mailoutbox
    return conversation, message


def test_the_invitation_is_a_request_for_one_event(cast, invited):
    conversation, message = invited

    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    event = event_of(calendar)
    assert str(event["UID"]) == f"{conversation.ics_uid}@gesprekscyclus"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    # 10:00 in Amsterdam in winter is 09:00 UTC; 75 minutes.
    assert event.decoded("DTSTART") == datetime.datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime.datetime(2026, 1, 12, 10, 15, tzinfo=UTC)
    assert event.decoded("DTSTART") == conversation.starts_at
    assert str(event["LOCATION"]) == "Raadhuis, kamer 2.14"
    assert "Planningsgesprek" in str(event["SUMMARY"])
    assert attendees(event) == {
        f"mailto:{cast.employee.email}": cast.employee.full_name,
        f"mailto:{cast.manager.email}": cast.manager.full_name,
    }
    organizer = event["ORGANIZER"]
    assert str(organizer).startswith("mailto:")
    assert str(organizer) not in attendees(event)


def test_the_mail_part_says_it_is_a_calendar_request_once(invited):
    _conversation, message = invited

    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    [part] = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "uitnodiging.ics"
    # BUG: the attachment is added with the mimetype "text/calendar; method=REQUEST;
    # charset=UTF-8" and Django adds its own charset, so the header carries charset twice:
    #   Content-Type: text/calendar; method="REQUEST"; charset="utf-8"; charset="utf-8"
    raw = email.message_from_bytes(message.message().as_bytes())  # compat32 keeps repeats
    [raw_part] = [part for part in raw.walk() if part.get_content_type() == "text/calendar"]
    names = [name.lower() for name, _value in raw_part.get_params()]
    assert names.count("charset") == 1, raw_part["Content-Type"]


def test_names_with_accents_reach_the_calendar_intact(
    cast, cycle, plan, mailoutbox, django_capture_on_commit_callbacks
):
    Employee.objects.filter(pk=cast.employee.pk).update(first_name="Zoë", last_name="Çelik-Brontë")
    with django_capture_on_commit_callbacks(execute=True):
        plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY)

    [message] = mailoutbox
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    [part] = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    event = event_of(Calendar.from_ical(part.get_payload(decode=True)))
    assert attendees(event)[f"mailto:{cast.employee.email}"] == "Zoë Çelik-Brontë"


def test_an_online_conversation_has_the_link_as_place_and_url(
    cycle, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(
            cycle,
            "progress",
            on=datetime.date(2026, 6, 2),
            starts=PROGRESS_DAY,
            location="",
            online_url="https://teams.example.org/meet/42",
        )

    event = event_of(calendar_of(mailoutbox[0]))
    assert str(event["LOCATION"]) == "https://teams.example.org/meet/42"
    assert str(event["URL"]) == "https://teams.example.org/meet/42"
    # Summer time: 10:00 in Amsterdam is 08:00 UTC.
    assert event.decoded("DTSTART") == datetime.datetime(2026, 6, 15, 8, 0, tzinfo=UTC)


def test_moving_keeps_the_event_and_raises_its_sequence(
    cast, invited, mailoutbox, django_capture_on_commit_callbacks
):
    conversation, first = invited

    with django_capture_on_commit_callbacks(execute=True):
        conversation_reschedule(
            conversation,
            starts_at=at(PLANNING_DAY + datetime.timedelta(days=2), 14, 30),
            duration_minutes=60,
            location="",
            online_url="https://teams.example.org/meet/7",
            acting_user=cast.user("manager"),
        )

    assert len(mailoutbox) == 2
    before, after = event_of(calendar_of(first)), event_of(calendar_of(mailoutbox[1]))
    assert str(calendar_of(mailoutbox[1])["METHOD"]) == "REQUEST"
    assert str(after["UID"]) == str(before["UID"])
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after.decoded("DTSTART") == datetime.datetime(2026, 1, 14, 13, 30, tzinfo=UTC)
    assert after.decoded("DTEND") == datetime.datetime(2026, 1, 14, 14, 30, tzinfo=UTC)
    assert str(after["LOCATION"]) == "https://teams.example.org/meet/7"


def test_cancelling_cancels_the_same_event_once(
    cast, invited, mailoutbox, django_capture_on_commit_callbacks
):
    conversation, first = invited

    with django_capture_on_commit_callbacks(execute=True):
        conversation_reschedule(
            conversation,
            starts_at=at(PLANNING_DAY, 15),
            duration_minutes=60,
            location="Raadhuis",
            online_url="",
            acting_user=cast.user("employee"),
        )
        conversation_cancel(conversation, reason="Ziek", acting_user=cast.user("manager"))
    with django_capture_on_commit_callbacks(execute=True) as second_cancel:
        conversation_cancel(conversation, reason="Nog eens", acting_user=cast.user("employee"))

    assert second_cancel == []
    assert len(mailoutbox) == 3
    cancellation = calendar_of(mailoutbox[2])
    assert str(cancellation["METHOD"]) == "CANCEL"
    event = event_of(cancellation)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(event_of(calendar_of(first))["UID"])
    assert event["SEQUENCE"] == 2
    assert set(attendees(event)) == {f"mailto:{cast.employee.email}", f"mailto:{cast.manager.email}"}
    assert mailoutbox[2].attachments[0][2].replace(" ", "").startswith("text/calendar;method=CANCEL")


def test_two_conversations_are_two_events(cast, cycle, plan):
    first = plan(cycle, "progress", on=datetime.date(2026, 6, 2), starts=PROGRESS_DAY)
    second = plan(cycle, "progress", on=datetime.date(2026, 6, 2), starts=PROGRESS_DAY)

    assert first.ics_uid != second.ics_uid


def test_the_organizer_is_the_plain_sender_address(settings, planning, time_machine):
    settings.DEFAULT_FROM_EMAIL = "Gesprekscyclus Teststad <noreply@teststad.example.org>"
    time_machine.move_to(datetime.datetime(2025, 12, 5, 9, 30, tzinfo=UTC), tick=False)

    ics = conversation_calendar(planning, title="Planningsgesprek", description="Tot dan")

    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    event = event_of(Calendar.from_ical(ics))
    assert str(event["ORGANIZER"]) == "mailto:noreply@teststad.example.org"
    assert event.decoded("DTSTAMP") == datetime.datetime(2025, 12, 5, 9, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Planningsgesprek"
    assert str(event["DESCRIPTION"]) == "Tot dan"


def test_the_same_state_gives_the_same_calendar(planning, time_machine):
    time_machine.move_to(datetime.datetime(2025, 12, 5, 9, 30, tzinfo=UTC), tick=False)

    first = conversation_calendar(planning, title="Planningsgesprek", description="")
    second = conversation_calendar(planning, title="Planningsgesprek", description="")
    cancelled = conversation_calendar(planning, title="Planningsgesprek", description="", cancel=True)

    assert first == second
    assert b"METHOD:CANCEL" in cancelled
    assert b"STATUS:CANCELLED" in cancelled
    assert event_of(Calendar.from_ical(cancelled))["UID"] == event_of(Calendar.from_ical(first))["UID"]
