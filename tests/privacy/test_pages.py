"""The privacy administration: the HR administrator sees the former employees due for
pseudonymisation and pseudonymises one after a confirmation step (POST with CSRF); nobody
else reaches these pages."""

import pytest
from django.test import Client
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.privacy.models import Pseudonymisation
from tests.conversations.pages_helpers import browser, messages_of, travel
from tests.privacy.conftest import DUE_DAY, NAME, RETENTION_ENDS, leaves

FULL_NAME = " ".join(NAME)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("hr_admin", 200),
        ("employee", 403),
        ("manager", 403),
        ("director", 403),
        ("hr_adviser", 403),
        ("outsider", 403),
    ],
)
def test_only_hr_administrators_see_the_privacy_page(cast, who, status):
    assert browser(cast.user(who)).get(reverse("privacy:admin")).status_code == status


@pytest.mark.parametrize("who", ["employee", "manager", "director", "hr_adviser", "colleague", "outsider"])
def test_nobody_else_reaches_the_confirmation(cast, who):
    url = reverse("privacy:pseudonymise", args=[cast.employee.pk])
    client = browser(cast.user(who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"bevestig": "ja"}).status_code == 404


def test_the_due_leaver_is_listed_and_pseudonymised_after_confirmation(cast, scenario, time_machine):
    leaver = leaves(scenario.employee)
    hr_admin = browser(cast.user("hr_admin"))
    travel(time_machine, DUE_DAY, browsers=[hr_admin])

    page = hr_admin.get(reverse("privacy:admin")).content.decode()
    confirm_url = reverse("privacy:pseudonymise", args=[leaver.pk])
    assert FULL_NAME in page and confirm_url in page

    confirmation = hr_admin.get(confirm_url)
    assert confirmation.status_code == 200
    assert "I understand that this cannot be undone." in confirmation.content.decode()

    # without ticking the box nothing happens
    refused = hr_admin.post(confirm_url, {})
    assert refused.status_code == 400
    assert "Confirm that you understand this cannot be undone." in refused.content.decode()
    assert not Pseudonymisation.objects.exists()

    done = hr_admin.post(confirm_url, {"bevestig": "ja"}, follow=True)
    token = Pseudonymisation.objects.get().pseudonym
    assert messages_of(done) == [f"The data of the former employee were pseudonymised as Pseudoniem {token}."]
    assert Employee.objects.get(pk=leaver.pk).full_name == f"Pseudoniem {token}"
    assert AuditEvent.objects.get(action="privacy.pseudonymise").actor == cast.user("hr_admin")
    assert FULL_NAME not in done.content.decode()

    again = hr_admin.post(confirm_url, {"bevestig": "ja"}, follow=True)
    assert messages_of(again) == ["This former employee was pseudonymised before; nothing was changed."]
    assert Pseudonymisation.objects.count() == 1


def test_before_the_retention_end_the_page_says_so_and_a_post_is_refused(cast, scenario, time_machine):
    leaver = leaves(scenario.employee)
    hr_admin = browser(cast.user("hr_admin"))
    travel(time_machine, RETENTION_ENDS, browsers=[hr_admin])
    confirm_url = reverse("privacy:pseudonymise", args=[leaver.pk])

    assert FULL_NAME not in hr_admin.get(reverse("privacy:admin")).content.decode()
    page = hr_admin.get(confirm_url).content.decode()
    assert "The retention has not ended yet" in page
    assert 'name="bevestig"' not in page

    response = hr_admin.post(confirm_url, {"bevestig": "ja"}, follow=True)
    assert messages_of(response) == [
        f"The retention of the data of {FULL_NAME} has not ended yet: it ends on 30-06-2028. "
        "Nothing was changed."
    ]
    assert not Pseudonymisation.objects.exists()


def test_the_confirmation_needs_the_csrf_token(cast, scenario):
    leaver = leaves(scenario.employee)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user("hr_admin"))

    response = client.post(reverse("privacy:pseudonymise", args=[leaver.pk]), {"bevestig": "ja"})

    assert response.status_code == 403
    assert not Pseudonymisation.objects.exists()


def test_the_pages_speak_dutch(cast, scenario, time_machine):
    leaver = leaves(scenario.employee)
    hr_admin = browser(cast.user("hr_admin"), language="nl")
    travel(time_machine, RETENTION_ENDS, browsers=[hr_admin])

    assert (
        "<h1>Mijn gegevens</h1>"
        in browser(cast.user("colleague"), language="nl").get(reverse("privacy:mine")).content.decode()
    )
    assert (
        "Er hoeft niemand gepseudonimiseerd te worden."
        in hr_admin.get(reverse("privacy:admin")).content.decode()
    )
    page = hr_admin.get(reverse("privacy:pseudonymise", args=[leaver.pk])).content.decode()
    assert "24 maanden" in page and "De bewaartermijn is nog niet verstreken" in page
    response = hr_admin.post(
        reverse("privacy:pseudonymise", args=[leaver.pk]), {"bevestig": "ja"}, follow=True
    )
    assert messages_of(response) == [
        f"De bewaartermijn van de gegevens van {FULL_NAME} is nog niet verstreken: "
        "die eindigt op 30-06-2028. Er is niets gewijzigd."
    ]


PRIVACY_URLS = [
    ("privacy:mine", {}),
    ("privacy:my_export", {}),
    ("privacy:employee_export", {"employee_pk": 1}),
    ("privacy:admin", {}),
    ("privacy:pseudonymise", {"employee_pk": 1}),
]


@pytest.mark.parametrize(("url_name", "kwargs"), PRIVACY_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_the_login_page(db, client, url_name, kwargs, method):
    url = reverse(url_name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
