"""A technical administrator (Django superuser) gets no access to personnel data from
being a superuser: only the roles of the permission model count."""

from django.urls import reverse

from tests.factories import UserFactory


def test_superuser_without_roles_cannot_open_employee_unit_or_import_pages(cast, login, client):
    login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    assert client.get(reverse("organisations:employee_detail", args=[cast.employee.pk])).status_code == 404
    assert client.get(reverse("organisations:unit_detail", args=[cast.team.pk])).status_code == 404
    assert client.get(reverse("organisations:import_upload")).status_code == 403
