"""The reference page the load benchmark measures every page against (docs/performance.md)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_reference_page_does_three_queries_and_shows_who_is_signed_in(cast, login):
    client = login(cast.employee.user)
    client.get(reverse("core:reference"))  # the first request after login writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:reference"))
    assert response.status_code == 200
    assert cast.employee.personnel_number in response.content.decode()
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["SELECT"] * 3, [
        query["sql"] for query in queries.captured_queries
    ]


def test_reference_page_asks_for_login(client):
    response = client.get(reverse("core:reference"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
