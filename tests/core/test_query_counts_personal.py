"""The employee's own pages (feedback, reminders, personnel file) cost the same number of
queries with a few items or with many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gesprekscyclus.dossiers.services import dossier_append
from gesprekscyclus.feedback.models import Feedback, FeedbackKind, FeedbackStatus
from gesprekscyclus.notifications.models import Notification
from tests.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def add_feedback(cast, count: int) -> None:
    """``count`` colleagues each give the employee feedback, are asked for some, and get
    some from the employee."""
    for index in range(count):
        colleague = EmployeeFactory(organisation=cast.organisation, unit=cast.team)
        common = {"organisation": cast.organisation, "questions": ["Wat gaat goed?"], "answers": ["Veel."]}
        Feedback.objects.create(
            receiver=cast.employee,
            giver=colleague,
            kind=FeedbackKind.REQUESTED,
            status=FeedbackStatus.GIVEN,
            given_at=timezone.now(),
            **common,
        )
        Feedback.objects.create(
            receiver=colleague,
            giver=cast.employee,
            kind=FeedbackKind.COMPLIMENT,
            status=FeedbackStatus.GIVEN,
            text=f"Dank {index}",
            given_at=timezone.now(),
            organisation=cast.organisation,
        )
        Feedback.objects.create(
            receiver=colleague,
            giver=cast.employee,
            kind=FeedbackKind.REQUESTED,
            status=FeedbackStatus.ASKED,
            answer_by=datetime.date(2030, 1, 1),
            **common,
        )


def add_notifications(cast, count: int) -> None:
    user = cast.user("employee")
    start = Notification.objects.filter(user=user).count()
    for index in range(start, start + count):
        Notification.objects.create(
            user=user, reason_key=f"test:{index}", subject=f"Herinnering {index}", reason="Reden", url="/"
        )


def add_entries(cast, count: int) -> None:
    for index in range(count):
        dossier_append(
            employee=cast.employee,
            document="report",
            title=f"Verslag {index}",
            document_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            content_json="{}",
            pdf=b"%PDF-1.7 test",
            retention_after="employment_end",
            retention_months=24,
        )


PAGES = [
    ("feedback", "feedback:overview", add_feedback),
    ("notifications", "notifications:inbox", add_notifications),
    ("personnel file", "dossiers:mine", add_entries),
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("name", "url_name", "add"), PAGES, ids=[name for name, _, _ in PAGES])
def test_the_page_costs_the_same_with_many_items(cast, login, django_assert_num_queries, name, url_name, add):
    client = login(cast.user("employee"))
    url = reverse(url_name)
    add(cast, 2)
    client.get(url)  # warm up anything cached per process
    few = count_queries(client, url)
    add(cast, 25)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


def test_the_items_really_show(cast, login):
    """Guard for the test above: the pages list what was added."""
    add_feedback(cast, 3)
    add_notifications(cast, 3)
    add_entries(cast, 3)
    client = login(cast.user("employee"))
    assert len(client.get(reverse("feedback:overview")).context["received"]) == 3
    assert len(client.get(reverse("notifications:inbox")).context["notifications"]) == 3
    assert len(client.get(reverse("dossiers:mine")).context["entries"]) == 3
