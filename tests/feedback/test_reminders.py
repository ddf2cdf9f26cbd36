"""``manage.py send_feedback_reminders``: the people asked are reminded once, two days before
the answer-by date; requests that were answered or declined get nothing, and two runs
never both send.

Requests are made on Monday 2 March 2026 with answer-by Friday 20 March; the command is
run with ``--today``."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gesprekscyclus.feedback import services
from gesprekscyclus.feedback.services import (
    feedback_decline,
    feedback_give,
    feedback_remind,
    feedback_request,
)

ANSWER_BY = datetime.date(2026, 3, 20)
TWO_DAYS_BEFORE = datetime.date(2026, 3, 18)


def remind(today: datetime.date) -> str:
    out = StringIO()
    call_command("send_feedback_reminders", "--today", today.isoformat(), stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def requests(named, teammate, standing_still):
    """The employee asked the colleague, the teammate and the manager; ``dict`` by role."""
    made = feedback_request(
        givers=[named.colleague, teammate, named.manager],
        questions=["Wat kan ik beter doen?"],
        message="",
        answer_by=ANSWER_BY,
        acting_user=named.user("employee"),
    )
    return dict(zip(["colleague", "teammate", "manager"], made, strict=True))


def test_two_days_before_the_date_each_person_asked_is_reminded_once(
    requests, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(TWO_DAYS_BEFORE) == "3 reminder(s) sent."

    assert sorted(message.to[0] for message in mailoutbox) == [
        "cor.coevorden@teststad.nl",
        "mila.maassluis@teststad.nl",
        "tom.tiel@teststad.nl",
    ]
    # Mails go out in the installation's language (Dutch).
    assert {message.subject for message in mailoutbox} == {
        "Herinnering: feedback voor Eva Ermelo, uiterlijk op 20-03-2026"
    }
    assert "Eva Ermelo heeft u om feedback gevraagd." in mailoutbox[0].body

    # A second run that day, and the runs of the days after, send nothing more.
    for day in (TWO_DAYS_BEFORE, TWO_DAYS_BEFORE + datetime.timedelta(days=1), ANSWER_BY):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind(day) == "0 reminder(s) sent."
    assert len(mailoutbox) == 3


def test_earlier_than_two_days_before_and_after_the_date_nobody_is_reminded(
    requests, django_capture_on_commit_callbacks, mailoutbox
):
    for day in (
        datetime.date(2026, 3, 2),
        TWO_DAYS_BEFORE - datetime.timedelta(days=1),
        ANSWER_BY + datetime.timedelta(days=1),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind(day) == "0 reminder(s) sent.", day
    assert mailoutbox == []


def test_answered_and_declined_requests_get_no_reminder(
    named, teammate, requests, django_capture_on_commit_callbacks, mailoutbox
):
    feedback_give(requests["colleague"], answers=["Prima samenwerking."], acting_user=named.user("colleague"))
    feedback_decline(requests["teammate"], acting_user=teammate.user)

    with django_capture_on_commit_callbacks(execute=True):
        assert remind(TWO_DAYS_BEFORE) == "1 reminder(s) sent."

    assert [message.to for message in mailoutbox] == [["mila.maassluis@teststad.nl"]]


def test_two_runs_at_the_same_time_never_both_send(
    requests, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    """A second run starts while the first is between reading the due requests and
    sending: each reminder is still sent exactly once."""
    original = services._after_commit
    interrupted = []

    def after_commit_with_a_second_run(send, *args):
        if not interrupted:
            interrupted.append(True)
            assert feedback_remind(today=TWO_DAYS_BEFORE) == 2  # the other two
        original(send, *args)

    monkeypatch.setattr(services, "_after_commit", after_commit_with_a_second_run)

    with django_capture_on_commit_callbacks(execute=True):
        first = feedback_remind(today=TWO_DAYS_BEFORE)

    assert first == 1
    assert sorted(message.to[0] for message in mailoutbox) == [
        "cor.coevorden@teststad.nl",
        "mila.maassluis@teststad.nl",
        "tom.tiel@teststad.nl",
    ]


def test_a_malformed_day_is_refused(db):
    with pytest.raises(CommandError, match="expected YYYY-MM-DD"):
        call_command("send_feedback_reminders", "--today", "18-03-2026", stdout=StringIO())
