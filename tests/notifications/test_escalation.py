"""Reminders derived from Wierden's annual conversation: the employee first, the manager
after the takeover (their own key), each sent once, none once the conversation is planned."""

import datetime
import zoneinfo

from django.core import mail

from gesprekscyclus.conversations.services import conversation_plan
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.notifications.models import Notification
from tests.cycles.helpers import load
from tests.notifications.conftest import AFTER_TAKEOVER, BEFORE_TAKEOVER, send

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def keys_for(cycle):
    return set(
        Notification.objects.filter(reason_key__startswith=f"conversation:{cycle.pk}:").values_list(
            "user_id", "reason_key"
        )
    )


def mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_before_the_takeover_only_the_employee_is_reminded(wierden, cycle, mailoutbox):
    send(BEFORE_TAKEOVER)

    employee, manager = wierden.employee, wierden.manager
    assert keys_for(cycle) == {(employee.user_id, f"conversation:{cycle.pk}:annual:1:open:employee")}
    notification = Notification.objects.get(
        user=employee.user, reason_key__startswith=f"conversation:{cycle.pk}:"
    )
    assert notification.url.startswith("/gesprekken/")
    assert notification.emailed_at is not None
    [message] = mails_to(employee.user.email)
    assert message.subject == notification.subject
    assert notification.url in message.body
    # the manager has no reminder about this employee (only their own conversation)
    assert not Notification.objects.filter(user=manager.user, reason_key__contains=":manager").exists()


def test_after_the_takeover_the_manager_gets_their_own_reminder(wierden, cycle, mailoutbox):
    send(BEFORE_TAKEOVER)
    mailoutbox.clear()

    out = send(AFTER_TAKEOVER)

    employee, manager = wierden.employee, wierden.manager
    assert keys_for(cycle) == {
        (employee.user_id, f"conversation:{cycle.pk}:annual:1:open:employee"),
        (manager.user_id, f"conversation:{cycle.pk}:annual:1:open:manager"),
    }
    reminder = Notification.objects.get(reason_key=f"conversation:{cycle.pk}:annual:1:open:manager")
    assert reminder.user_id == manager.user_id
    assert reminder.url == f"/gesprekken/medewerkers/{employee.pk}/"
    assert employee.full_name in reminder.subject
    assert any(m.subject == reminder.subject and reminder.url in m.body for m in mails_to(manager.user.email))
    # the employee's reminder was sent on the earlier day and is not repeated
    assert mails_to(employee.user.email) == []
    assert f"{len(mailoutbox)} e-mail(s) sent" in out

    # the same day again: nothing new, nothing mailed
    mailoutbox.clear()
    count = Notification.objects.count()
    assert send(AFTER_TAKEOVER).startswith("0 new reminder(s); 0 e-mail(s)")
    assert Notification.objects.count() == count
    assert mailoutbox == []


def test_the_first_run_after_the_takeover_reminds_both_parties_once(wierden, cycle, mailoutbox):
    """Without an earlier run the employee's step is still recorded with the manager's."""
    send(AFTER_TAKEOVER)
    parties = {key.rsplit(":", 1)[1] for _, key in keys_for(cycle)}
    assert "manager" in parties
    total = Notification.objects.count()
    assert len(mailoutbox) == total
    send(AFTER_TAKEOVER)
    assert len(mailoutbox) == total


def test_no_more_reminders_once_the_conversation_is_planned(wierden, cycle, mailoutbox):
    send(BEFORE_TAKEOVER)
    conversation_plan(
        cycle=cycle,
        kind="annual",
        starts_at=datetime.datetime(2026, 11, 20, 10, 0, tzinfo=AMSTERDAM),
        location="Raadhuis",
        acting_user=wierden.employee.user,
        today=datetime.date(2026, 10, 20),
    )
    before = keys_for(cycle)

    for day in (AFTER_TAKEOVER, datetime.date(2026, 12, 1), datetime.date(2026, 12, 28)):
        send(day)

    assert keys_for(cycle) == before
    # other employees' conversations still get the later steps (the run did work)
    assert Notification.objects.filter(reason_key__endswith=":before30:manager").exists()


def test_later_steps_and_escalation_to_the_skip_level_manager(wierden, cycle, mailoutbox):
    send(datetime.date(2026, 12, 1))  # 30 days before the deadline
    assert (wierden.manager.user_id, f"conversation:{cycle.pk}:annual:1:before30:manager") in keys_for(cycle)

    send(datetime.date(2027, 1, 30))  # 30 days overdue: escalate to the director
    keys = keys_for(cycle)
    assert (wierden.manager.user_id, f"conversation:{cycle.pk}:annual:1:after7:manager") in keys
    assert (wierden.director.user_id, f"conversation:{cycle.pk}:annual:1:escalate") in keys
    assert len(mailoutbox) == Notification.objects.count()


def test_an_abbreviation_in_the_label_keeps_its_capitals(cast, mailoutbox):
    """Kampen's planning conversation is the 'Resultaatgerichte afspraken / POP-gesprek': the
    reminder reads '... / POP-gesprek', not '... / pop-gesprek'."""
    load(cast.organisation, "kampen", in_force_from=datetime.date(2012, 7, 12))
    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 1, 5))
    send(datetime.date(2026, 1, 5))

    cycle = Cycle.objects.get(employee=cast.employee, year=2026)
    reminder = Notification.objects.get(
        user=cast.manager.user, reason_key__startswith=f"conversation:{cycle.pk}:planning:"
    )
    assert "resultaatgerichte afspraken / POP-gesprek" in reminder.subject
    assert "pop-gesprek" not in reminder.subject + reminder.reason
