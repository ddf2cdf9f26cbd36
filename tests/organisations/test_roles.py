"""The HR administrator assigns and revokes roles, on the web page and the command line."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gesprekscyclus.organisations.models import Role, RoleAssignment


def roles_url(cast):
    return reverse("organisations:roles", args=[cast.organisation.pk])


def test_hr_admin_assigns_a_director_who_then_sees_the_unit(cast, login, client):
    login(cast.hr_admin.user)
    response = client.post(
        roles_url(cast),
        {"email": cast.colleague.email, "role": Role.DIRECTOR, "unit_code": cast.other_team.code},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=cast.colleague.user, role=Role.DIRECTOR, unit=cast.other_team
    ).exists()
    client.force_login(cast.colleague.user)
    assert client.get(reverse("organisations:unit_detail", args=[cast.other_team.pk])).status_code == 200


def test_director_role_without_unit_or_with_unknown_person_is_refused(cast, login, client):
    login(cast.hr_admin.user)
    response = client.post(
        roles_url(cast), {"email": cast.colleague.email, "role": Role.DIRECTOR, "unit_code": ""}
    )
    assert response.status_code == 200
    assert "unit_code" in response.context["form"].errors
    response = client.post(roles_url(cast), {"email": cast.foreign_employee.email, "role": Role.HR_ADMIN})
    assert "email" in response.context["form"].errors
    assert not RoleAssignment.objects.filter(
        user__in=[cast.colleague.user, cast.foreign_employee.user]
    ).exists()


def test_revoking_twice_is_harmless_and_own_admin_role_cannot_be_revoked(cast, login, client):
    login(cast.hr_admin.user)
    assignment = RoleAssignment.objects.get(user=cast.director.user, role=Role.DIRECTOR)
    url = reverse("organisations:role_revoke", args=[cast.organisation.pk, assignment.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    own = RoleAssignment.objects.get(user=cast.hr_admin.user, role=Role.HR_ADMIN)
    client.post(reverse("organisations:role_revoke", args=[cast.organisation.pk, own.pk]))
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("role", ["employee", "manager", "director", "hr_adviser", "outsider"])
def test_only_the_hr_admin_may_manage_roles(cast, login, client, role):
    login(cast.user(role))
    assert client.get(roles_url(cast)).status_code == 403
    assignment = RoleAssignment.objects.get(user=cast.director.user, role=Role.DIRECTOR)
    response = client.post(reverse("organisations:role_revoke", args=[cast.organisation.pk, assignment.pk]))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_assign_role_command_assigns_and_revokes(cast):
    args = ["--organisation", cast.organisation.name, "--email", cast.colleague.email, "--role", "hr_adviser"]
    call_command("assign_role", *args, "--unit", cast.team.code)
    assert RoleAssignment.objects.filter(
        user=cast.colleague.user, role=Role.HR_ADVISER, unit=cast.team
    ).exists()
    call_command("assign_role", *args, "--unit", cast.team.code, "--revoke")
    assert not RoleAssignment.objects.filter(user=cast.colleague.user).exists()
    with pytest.raises(CommandError, match="unit_code"):
        call_command("assign_role", *args, "--unit", "NOPE")


def test_department_plan_attachment_of_a_refused_type_is_rejected_and_nothing_saved(cast, login, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gesprekscyclus.organisations.models import DepartmentPlan

    login(cast.manager.user)
    url = reverse("organisations:department_plan_add", args=[cast.team.pk])
    script = SimpleUploadedFile("plan.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(url, {"year": 2027, "text": "Plan", "attachment": script})
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert not DepartmentPlan.objects.filter(unit=cast.team).exists()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.7", content_type="application/pdf")
    assert client.post(url, {"year": 2027, "text": "Plan", "attachment": pdf}).status_code == 302
    assert DepartmentPlan.objects.get(unit=cast.team, year=2027).attachment.name.endswith(".pdf")
