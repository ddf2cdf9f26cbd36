"""Recording and delivering: once per notification, under overlapping runs, after a crash,
and as a digest."""

from collections import Counter
from unittest import mock

import pytest

from gesprekscyclus.notifications import services
from gesprekscyclus.notifications.models import Delivery, Notification, NotificationPreference
from tests.notifications.conftest import AFTER_TAKEOVER, send


def fingerprints(outbox):
    return Counter((tuple(m.to), m.subject, m.body) for m in outbox)


def assert_each_mailed_once(outbox):
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert len(outbox) == Notification.objects.count()
    assert max(fingerprints(outbox).values()) == 1
    for notification in Notification.objects.select_related("user"):
        assert (
            sum(
                1
                for m in outbox
                if m.to == [notification.user.email]
                and notification.url in m.body
                and m.subject == notification.subject
            )
            == 1
        ), notification.reason_key


def test_two_overlapping_runs_mail_each_notification_once(wierden, mailoutbox):
    # both runs record what is due before either delivers
    first = services.record(services.due_reminders(AFTER_TAKEOVER))
    second = services.record(services.due_reminders(AFTER_TAKEOVER))
    assert first == Notification.objects.count() > 3
    assert second == 0

    real_mail = services._mail
    sent_by_second = []

    def mail_then_let_the_other_run_deliver(user, notifications, **kwargs):
        real_mail(user, notifications, **kwargs)
        if not sent_by_second:
            sent_by_second.append(None)
            sent_by_second.append(services.deliver())  # the second run, in the middle of the first

    with mock.patch.object(services, "_mail", side_effect=mail_then_let_the_other_run_deliver):
        sent_by_first = services.deliver()

    # The first run claimed its batch before mailing; the second run, started while the
    # first was mailing, finds nothing left to claim. Between them every reminder goes
    # out exactly once.
    assert sent_by_first + sent_by_second[1] == first == len(mailoutbox)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert_each_mailed_once(mailoutbox)


def test_a_second_run_takes_over_what_the_first_did_not_claim_yet(wierden, mailoutbox, monkeypatch):
    """With small batches, a run that starts while another is mailing its first batch
    takes the later batches; nobody gets a reminder twice."""
    monkeypatch.setattr(services, "DELIVERY_BATCH", 1)
    first = services.record(services.due_reminders(AFTER_TAKEOVER))
    real_mail = services._mail
    sent_by_second = []

    def mail_then_let_the_other_run_deliver(user, notifications, **kwargs):
        real_mail(user, notifications, **kwargs)
        if not sent_by_second:
            sent_by_second.append(None)  # only once: the second run's own mails go straight out
            sent_by_second.append(services.deliver())

    with mock.patch.object(services, "_mail", side_effect=mail_then_let_the_other_run_deliver):
        sent_by_first = services.deliver()

    assert sent_by_first == 1
    assert sent_by_second == [None, first - 1]
    assert_each_mailed_once(mailoutbox)


def test_a_crash_halfway_releases_the_failed_one_and_a_rerun_sends_the_rest(wierden, mailoutbox):
    real_mail = services._mail
    calls = []
    failing_at = 3

    def fail_on_the_third(user, notifications, **kwargs):
        calls.append([n.pk for n in notifications])
        if len(calls) == failing_at:
            raise ConnectionError("SMTP server went away")
        real_mail(user, notifications, **kwargs)

    with mock.patch.object(services, "_mail", side_effect=fail_on_the_third), pytest.raises(ConnectionError):
        send(AFTER_TAKEOVER)

    total = Notification.objects.count()
    assert total > failing_at
    assert len(mailoutbox) == failing_at - 1
    mailed = [pk for group in calls[: failing_at - 1] for pk in group]
    assert set(Notification.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True)) == set(
        mailed
    )
    [failed] = calls[failing_at - 1]
    assert Notification.objects.get(pk=failed).emailed_at is None

    out = send(AFTER_TAKEOVER)

    assert out.startswith(f"0 new reminder(s); {total - (failing_at - 1)} e-mail(s)")
    assert_each_mailed_once(mailoutbox)


def test_a_digest_user_gets_one_mail_with_all_reminders(wierden, mailoutbox):
    secretary = wierden.secretary.user  # heads the root and staff units: five reminders
    NotificationPreference.objects.create(user=secretary, delivery=Delivery.DIGEST)

    send(AFTER_TAKEOVER)

    own = list(Notification.objects.filter(user=secretary))
    assert len(own) >= 2
    [digest] = [m for m in mailoutbox if m.to == [secretary.email]]
    for notification in own:
        assert notification.subject in digest.body
        assert notification.url in digest.body
        assert notification.emailed_at is not None
    assert str(len(own)) in digest.subject
    # others still get one mail per reminder
    manager = wierden.manager.user
    assert (
        len([m for m in mailoutbox if m.to == [manager.email]])
        == Notification.objects.filter(user=manager).count()
    )
    assert len(mailoutbox) == Notification.objects.count() - len(own) + 1


def test_a_digest_claimed_in_part_by_another_run_is_not_lost(wierden, mailoutbox):
    """Two overlapping runs with a digest user: run A listed two pending reminders, run B
    (started later) listed three. A claims and mails its two; B's claim of the three then
    only gets the third. B must not leave that third one marked as e-mailed without
    sending it (it should release it or send it)."""
    secretary = wierden.secretary.user
    NotificationPreference.objects.create(user=secretary, delivery=Delivery.DIGEST)
    services.record(services.due_reminders(AFTER_TAKEOVER))
    Notification.objects.exclude(user=secretary).delete()
    first, second, *rest = Notification.objects.filter(user=secretary).order_by("pk")
    assert rest
    real_claim = services._claim

    def run_a_claims_its_two_first(notifications):
        # B has listed all of them; between B's listing and B's claim, run A (which had
        # listed only the first two) claims those two and mails them.
        if len(notifications) > 2:
            assert len(real_claim([first, second])) == 2
        return real_claim(notifications)

    with mock.patch.object(services, "_claim", side_effect=run_a_claims_its_two_first):
        sent = services.deliver()  # run B claims all and gets only part of them

    third_and_later = Notification.objects.filter(pk__in=[n.pk for n in rest])
    mailed_bodies = "\n".join(m.body for m in mailoutbox)
    lost = [n.reason_key for n in third_and_later if n.emailed_at and n.url not in mailed_bodies]
    assert lost == [], f"marked as e-mailed but never mailed (sent={sent})"
