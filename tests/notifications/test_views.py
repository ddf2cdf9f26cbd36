"""The inbox at /meldingen/: one's own notifications only, mark as read, the preference."""

import pytest
from django.urls import reverse

from gesprekscyclus.notifications.models import Delivery, Notification, NotificationPreference


@pytest.fixture
def notifications(cast):
    mine = Notification.objects.create(
        user=cast.employee.user,
        reason_key="conversation:1:annual:1:open:employee",
        subject="Plan het goede gesprek",
        reason="Het goede gesprek is nu aan de orde.",
        url="/gesprekken/",
    )
    theirs = Notification.objects.create(
        user=cast.colleague.user,
        reason_key="conversation:2:annual:1:open:employee",
        subject="Geheim onderwerp van de collega",
        reason="Alleen voor de collega.",
        url="/gesprekken/medewerkers/999/",
    )
    return mine, theirs


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    for name, method in (("inbox", client.get), ("mark_read", client.post), ("preference", client.post)):
        response = method(reverse(f"notifications:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login")), name


def test_the_inbox_lists_only_my_notifications(login, cast, notifications):
    mine, theirs = notifications
    response = login(cast.employee.user).get("/meldingen/")
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.subject in page
    assert mine.url in page
    assert theirs.subject not in page
    assert theirs.reason not in page


def test_mark_read_marks_only_my_notifications(login, cast, notifications):
    mine, theirs = notifications
    client = login(cast.employee.user)
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    response = client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302
    assert response.url == reverse("notifications:inbox")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None
    assert "gc-badge" not in client.get(reverse("notifications:inbox")).content.decode()


def test_the_preference_is_saved_and_nonsense_ignored(login, cast):
    client = login(cast.employee.user)
    client.post(reverse("notifications:preference"), {"delivery": "digest"})
    assert NotificationPreference.objects.get(user=cast.employee.user).delivery == Delivery.DIGEST
    client.post(reverse("notifications:preference"), {"delivery": "hourly"})
    assert NotificationPreference.objects.get(user=cast.employee.user).delivery == Delivery.DIGEST
    assert not NotificationPreference.objects.filter(user=cast.colleague.user).exists()
