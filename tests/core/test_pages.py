"""The pages through the test client, for every role of the cast.

Assertions are on data that is not translated (names, unit names, URLs, personnel
numbers) and on status codes. The cast gets fixed, distinct names so that "X is not on
the page" cannot pass or fail by a chance collision of generated names."""

import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse

from gesprekscyclus.accounts.models import User
from gesprekscyclus.organisations.models import DepartmentPlan, Employee, OrgUnit
from tests.access.test_predicates import EMPLOYEES, ROLES, UNITS, VIEW_EMPLOYEE, VIEW_ORGUNIT, visible_in
from tests.factories import DepartmentPlanFactory

PASSWORD = "correct horse battery staple"  # what UserFactory sets

NAMES = {
    "employee": ("Eva", "Ermelo"),
    "colleague": ("Cor", "Coevorden"),
    "manager": ("Mila", "Maassluis"),
    "director": ("Dirk", "Doetinchem"),
    "secretary": ("Sara", "Sneek"),
    "other_director": ("Otto", "Oosterhout"),
    "other_manager": ("Olga", "Ommen"),
    "other_employee": ("Oscar", "Oldenzaal"),
    "hr_adviser": ("Hanna", "Harderwijk"),
    "hr_admin": ("Hugo", "Hengelo"),
    "foreign_employee": ("Frits", "Franeker"),
}
OUTSIDER_NAME = ("Ulla", "Urk")

MANAGER_OF = {
    "employee": "manager",
    "colleague": "manager",
    "manager": "director",
    "other_manager": "other_director",
    "director": "secretary",
    "other_director": "secretary",
    "hr_adviser": "secretary",
    "hr_admin": "secretary",
    "secretary": None,
}


def name(role: str) -> str:
    return " ".join(NAMES[role])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def named(cast):
    """The cast with fixed names (employee and user alike)."""
    for role, (first, last) in NAMES.items():
        person = getattr(cast, role)
        Employee.objects.filter(pk=person.pk).update(first_name=first, last_name=last)
        User.objects.filter(pk=person.user_id).update(first_name=first, last_name=last)
        person.first_name, person.last_name = first, last
    User.objects.filter(pk=cast.outsider.pk).update(first_name=OUTSIDER_NAME[0], last_name=OUTSIDER_NAME[1])
    return cast


def unit_by_name(cast, unit: str) -> OrgUnit:
    if unit == "staff":
        return OrgUnit.objects.get(organisation=cast.organisation, code="PO")
    if unit == "foreign_unit":
        return OrgUnit.objects.get(pk=cast.foreign_employee.unit_id)
    return getattr(cast, unit)


def html(response) -> str:
    return response.content.decode()


def linked_employee_pks(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/organisatie/medewerkers/(\d+)/"', html(response))}


# My overview.


@pytest.mark.parametrize("role", [role for role in ROLES if role != "outsider"])
def test_overview_shows_my_name_and_my_manager(named, login, role):
    client = login(named.user(role))
    response = client.get(reverse("core:overview"))
    assert response.status_code == 200
    page = html(response)
    assert name(role) in page
    assert getattr(named, role).personnel_number in page
    manager = MANAGER_OF[role]
    if manager is not None:
        assert name(manager) in page


def test_overview_of_a_manager_shows_the_team_and_no_one_else(named, login):
    response = login(named.user("manager")).get(reverse("core:overview"))
    page = html(response)
    assert name("employee") in page
    assert name("colleague") in page
    assert name("other_employee") not in page
    assert name("other_manager") not in page
    assert linked_employee_pks(response) == {named.employee.pk, named.colleague.pk}


def test_overview_of_a_director_shows_the_sector_units_and_not_the_other_sector(named, login):
    response = login(named.user("director")).get(reverse("core:overview"))
    page = html(response)
    assert "Sector Sociaal" in page
    assert "Team Inkomen" in page
    assert "Sector Fysiek" not in page
    assert "Team Vergunningen" not in page
    for unit in (named.sector, named.team):
        assert reverse("organisations:unit_detail", args=[unit.pk]) in page
    assert reverse("organisations:unit_detail", args=[named.other_sector.pk]) not in page
    # The director's own report is the manager of the team.
    assert linked_employee_pks(response) == {named.manager.pk}


def test_overview_of_an_hr_admin_links_to_the_administration(named, login):
    response = login(named.user("hr_admin")).get(reverse("core:overview"))
    page = html(response)
    assert reverse("organisations:admin_home") in page
    for unit in ("Sector Sociaal", "Team Inkomen", "Sector Fysiek", "Team Vergunningen", "Team P&amp;O"):
        assert unit in page
    assert "Gemeente Elders" not in page


@pytest.mark.parametrize("role", ["employee", "manager", "director", "hr_adviser", "secretary", "outsider"])
def test_overview_links_to_the_administration_only_for_hr_admins(named, login, role):
    page = html(login(named.user(role)).get(reverse("core:overview")))
    assert reverse("organisations:admin_home") not in page


def test_overview_of_an_employee_shows_no_team_no_units_and_nobody_but_the_manager(named, login):
    response = login(named.user("employee")).get(reverse("core:overview"))
    assert response.context["team"] == []
    assert response.context["units"] == []
    page = html(response)
    assert name("employee") in page
    assert name("manager") in page
    for other in NAMES:
        if other not in ("employee", "manager"):
            assert name(other) not in page, other
    assert "/organisatie/eenheden/" not in page
    assert linked_employee_pks(response) == set()


def test_overview_of_an_outsider_shows_nobody(named, login):
    response = login(named.outsider).get(reverse("core:overview"))
    assert response.status_code == 200
    assert response.context["me"] is None
    page = html(response)
    for role in NAMES:
        assert name(role) not in page, role
    assert "/organisatie/eenheden/" not in page


# Detail pages: 200 exactly when the permission matrix allows, otherwise 404 (never 403,
# so the existence of someone else's data is not revealed).


@pytest.mark.parametrize("role", ROLES)
def test_employee_page_opens_exactly_for_the_people_the_matrix_allows(named, login, role):
    client = login(named.user(role))
    allowed = visible_in(VIEW_EMPLOYEE, EMPLOYEES, role)
    statuses = {}
    for target in EMPLOYEES:
        response = client.get(reverse("organisations:employee_detail", args=[getattr(named, target).pk]))
        statuses[target] = response.status_code
        if response.status_code == 200:
            assert name(target) in html(response)
    assert statuses == {target: 200 if target in allowed else 404 for target in EMPLOYEES}


@pytest.mark.parametrize("role", ROLES)
def test_unit_page_opens_exactly_for_the_units_the_matrix_allows(named, login, role):
    client = login(named.user(role))
    allowed = visible_in(VIEW_ORGUNIT, UNITS, role)
    statuses = {}
    for target in UNITS:
        unit = unit_by_name(named, target)
        response = client.get(reverse("organisations:unit_detail", args=[unit.pk]))
        statuses[target] = response.status_code
        if response.status_code == 200:
            assert unit.code in html(response)
    assert statuses == {target: 200 if target in allowed else 404 for target in UNITS}


@pytest.mark.parametrize("url_name", ["organisations:employee_detail", "organisations:unit_detail"])
def test_detail_page_of_something_that_does_not_exist_is_404(named, login, url_name):
    response = login(named.user("hr_admin")).get(reverse(url_name, args=[987654]))
    assert response.status_code == 404


def test_unit_page_lists_only_the_people_the_viewer_may_see(named, login):
    response = login(named.user("manager")).get(reverse("organisations:unit_detail", args=[named.team.pk]))
    assert {p.pk for p in response.context["page"].object_list} == {
        named.manager.pk,
        named.employee.pk,
        named.colleague.pk,
    }
    # The secretary heads the root unit but directs nothing: of the units below, only the
    # one they head themselves (Team P&O) is listed, not the sectors.
    response = login(named.user("secretary")).get(reverse("organisations:unit_detail", args=[named.root.pk]))
    assert [unit.code for unit in response.context["children"]] == ["PO"]


# Employee search.


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("employee", 403),
        ("colleague", 403),
        ("manager", 403),
        ("other_manager", 403),
        ("secretary", 403),
        ("outsider", 403),
        ("director", 200),
        ("other_director", 200),
        ("hr_adviser", 200),
        ("hr_admin", 200),
    ],
)
def test_employee_search_is_for_directors_hr_advisers_and_hr_admins(named, login, role, status):
    assert login(named.user(role)).get(reverse("organisations:employee_list")).status_code == status


@pytest.mark.parametrize("role", ["director", "other_director", "hr_adviser", "hr_admin"])
def test_employee_search_lists_exactly_the_visible_people(named, login, role):
    response = login(named.user(role)).get(reverse("organisations:employee_list"))
    expected = {getattr(named, target).pk for target in visible_in(VIEW_EMPLOYEE, EMPLOYEES, role)}
    assert {person.pk for person in response.context["page"].object_list} == expected
    assert linked_employee_pks(response) == expected


def test_employee_search_by_name_finds_only_visible_people(named, login):
    client = login(named.user("director"))
    found = client.get(reverse("organisations:employee_list"), {"q": "Ermelo"})
    assert name("employee") in html(found)
    assert linked_employee_pks(found) == {named.employee.pk}
    hidden = client.get(reverse("organisations:employee_list"), {"q": "Ommen"})
    assert name("other_manager") not in html(hidden)
    assert linked_employee_pks(hidden) == set()


def test_employee_search_of_an_hr_admin_never_shows_another_organisation(named, login):
    client = login(named.user("hr_admin"))
    for query in ("Franeker", named.foreign_employee.personnel_number):
        response = client.get(reverse("organisations:employee_list"), {"q": query})
        assert name("foreign_employee") not in html(response)
        assert linked_employee_pks(response) == set()
    response = client.get(reverse("organisations:employee_list"), {"q": "Ommen"})
    assert linked_employee_pks(response) == {named.other_manager.pk}


def test_employee_search_answers_htmx_with_only_the_rows(named, login):
    response = login(named.user("director")).get(
        reverse("organisations:employee_list"), {"q": "Ermelo"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert linked_employee_pks(response) == {named.employee.pk}


# Anonymous visitors.

PUBLIC_URL_NAMES = {
    "core:home",
    "core:health",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:login_code",  # the second login step: it checks the half-finished login itself
    "accounts:oidc_start",  # single sign-on (404 while it is not configured)
    "accounts:oidc_callback",
}

# The objects need not exist: the login check comes before any lookup.
PROTECTED_URLS = [
    ("core:overview", {}),
    ("core:reference", {}),
    ("organisations:employee_list", {}),
    ("organisations:employee_detail", {"pk": 1}),
    ("organisations:unit_detail", {"pk": 1}),
    ("organisations:department_plan_add", {"unit_pk": 1}),
    ("organisations:department_plan_edit", {"unit_pk": 1, "year": 2026}),
    ("organisations:department_plan_download", {"pk": 1}),
    ("organisations:admin_home", {}),
    ("organisations:jobs_list", {}),
    ("organisations:roles", {"organisation_pk": 1}),
    ("organisations:role_revoke", {"organisation_pk": 1, "pk": 1}),
    ("organisations:import_upload", {}),
    ("organisations:import_preview", {"pk": 1}),
    ("organisations:import_confirm", {"pk": 1}),
    ("organisations:import_discard", {"pk": 1}),
    ("organisations:export_download", {"organisation_pk": 1, "file_format": "csv"}),
    ("organisations:job_profile", {"pk": 1}),
    ("organisations:competences", {}),
    ("organisations:competence_edit", {"pk": 1}),
    ("accounts:password_change", {}),
    ("accounts:password_change_done", {}),
    ("regulations:list", {"organisation_pk": 1}),
    ("regulations:version_detail", {"pk": 1}),
    ("regulations:version_activate", {"pk": 1}),
    ("regulations:version_discard", {"pk": 1}),
    ("cycles:my_schedule", {}),
    ("cycles:team_schedule", {}),
    ("compliance:dashboard", {}),
    ("compliance:export", {"file_format": "csv"}),
    ("cycles:employee_schedule", {"pk": 1}),
    ("conversations:plan", {"cycle_pk": 1, "kind": "planning"}),
    ("conversations:detail", {"pk": 1}),
    ("conversations:calendar", {"pk": 1}),
    ("conversations:reschedule", {"pk": 1}),
    ("conversations:cancel", {"pk": 1}),
    ("conversations:preparation", {"pk": 1}),
    ("conversations:held", {"pk": 1}),
    ("conversations:report", {"pk": 1}),
    ("conversations:report_send_back", {"pk": 1}),
    ("conversations:report_withhold", {"pk": 1}),
    ("conversations:report_approve", {"pk": 1}),
    ("conversations:attachment_add", {"pk": 1}),
    ("conversations:attachment", {"pk": 1, "attachment_pk": 1}),
    ("conversations:attachment_remove", {"pk": 1, "attachment_pk": 1}),
    ("agreements:create", {"conversation_pk": 1}),
    ("agreements:detail", {"pk": 1}),
    ("agreements:work_plan", {"cycle_pk": 1}),
    ("signatures:sign", {"pk": 1}),
    ("signatures:sign_post", {"pk": 1}),
    ("signatures:refuse", {"pk": 1}),
    ("signatures:record_refusal", {"pk": 1}),
    ("signatures:reopen", {"pk": 1}),
    ("assessments:detail", {"pk": 1}),
    ("assessments:save", {"pk": 1}),
    ("assessments:respond", {"pk": 1}),
    ("assessments:object", {"pk": 1}),
    ("assessments:hear", {"pk": 1, "objection_pk": 1}),
    ("assessments:decide", {"pk": 1, "objection_pk": 1}),
    ("assessments:request", {"cycle_pk": 1, "kind": "planning"}),
    ("disagreements:raise", {"pk": 1}),
    ("disagreements:detail", {"pk": 1}),
    ("disagreements:note", {"pk": 1}),
    ("disagreements:resolve", {"pk": 1}),
    ("disagreements:last_resort", {"pk": 1}),
    ("disagreements:delegations", {"employee_pk": 1}),
    ("disagreements:revoke", {"pk": 1}),
    ("dossiers:mine", {}),
    ("dossiers:export", {}),
    ("dossiers:employee", {"employee_pk": 1}),
    ("dossiers:entry_pdf", {"pk": 1}),
    ("dossiers:entry_json", {"pk": 1}),
    ("feedback:overview", {}),
    ("feedback:ask", {}),
    ("feedback:give", {}),
    ("feedback:detail", {"pk": 1}),
    ("feedback:answer", {"pk": 1}),
    ("feedback:bring_into", {"pk": 1}),
    ("feedback:scan", {}),
    ("feedback:scan_share", {"pk": 1}),
    ("feedback:question_sets", {}),
    ("feedback:scan_settings", {}),
    ("notifications:inbox", {}),
    ("notifications:mark_read", {}),
    ("notifications:preference", {}),
    ("api_tokens:list", {"organisation_pk": 1}),
    ("api_tokens:revoke", {"organisation_pk": 1, "pk": 1}),
    ("audit:search", {}),
    ("audit:export", {}),
    ("audit:mine", {}),
    ("privacy:mine", {}),
    ("privacy:my_export", {}),
    ("privacy:employee_export", {"employee_pk": 1}),
    ("privacy:admin", {}),
    ("privacy:pseudonymise", {"employee_pk": 1}),
    ("accounts:account", {}),
    ("accounts:session_end", {"pk": 1}),
    ("accounts:sessions_end_others", {}),
    ("accounts:employee_sessions_end", {"employee_pk": 1}),
    ("accounts:two_factor_setup", {}),
    ("accounts:recovery_codes_renew", {}),
    ("accounts:two_factor_disable", {}),
]


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif pattern.name and namespace:
            yield f"{namespace}{pattern.name}"


def test_every_page_of_the_application_is_either_public_or_checked_below():
    # Django's own admin, and the API, whose every operation tests/api/test_access_matrix.py checks.
    names = {n for n in _url_names(get_resolver()) if n.split(":")[0] not in ("admin", "api")}
    assert names == PUBLIC_URL_NAMES | {url_name for url_name, _ in PROTECTED_URLS}


@pytest.mark.parametrize(("url_name", "kwargs"), PROTECTED_URLS, ids=[u for u, _ in PROTECTED_URLS])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_the_login_page(db, client, url_name, kwargs, method):
    url = reverse(url_name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_visitor_of_the_start_page_ends_on_the_login_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200


# Logging in and out.


def test_login_page_renders(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="username"' in html(response)
    assert 'name="password"' in html(response)


def test_login_with_the_right_password_logs_in(cast, client):
    user = cast.user("employee")
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:overview")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("core:overview")).status_code == 200


def test_login_ignores_the_case_of_the_email_address(cast, client):
    user = cast.user("employee")
    client.post(reverse("accounts:login"), {"username": user.email.upper(), "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_login_with_a_wrong_password_shows_an_error_and_stays_logged_out(cast, client):
    user = cast.user("employee")
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong password!"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in html(response)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:overview")).status_code == 302


def test_login_of_an_inactive_user_is_refused(cast, client):
    user = cast.user("employee")
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_by_post_logs_out(cast, login):
    client = login(cast.user("employee"))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:overview")).status_code == 302


def test_logout_by_get_is_refused_and_keeps_the_session(cast, login):
    client = login(cast.user("employee"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("core:overview")).status_code == 200


# Password reset.


def reset_link(body: str) -> str:
    return re.search(r"https?://testserver(/account/wachtwoord-instellen/\S+/\S+/)", body).group(1)


def test_password_reset_mails_a_link_that_sets_a_new_password(cast, client):
    user = cast.user("employee")
    new_password = "Nieuw-wachtwoord-voor-de-cyclus-2026"
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = reset_link(message.body)

    response = client.get(link)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("/set-password/")
    assert client.get(set_password_url).status_code == 200

    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")

    user.refresh_from_db()
    assert user.check_password(new_password)
    assert not user.check_password(PASSWORD)
    client.post(reverse("accounts:login"), {"username": user.email, "password": new_password})
    assert client.session["_auth_user_id"] == str(user.pk)
    # The link works once.
    client.post(reverse("accounts:logout"))
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(db, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_refuses_a_short_new_password(cast, client):
    user = cast.user("employee")
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = reset_link(mail.outbox[0].body)
    set_password_url = client.get(link)["Location"]
    response = client.post(set_password_url, {"new_password1": "kort1", "new_password2": "kort1"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# Language.


def test_pages_are_dutch_by_default_and_english_after_switching(client):
    assert '<html lang="nl">' in html(client.get(reverse("accounts:login")))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert '<html lang="en">' in html(client.get(reverse("accounts:login")))
    client.post(reverse("set_language"), {"language": "nl", "next": reverse("accounts:login")})
    assert '<html lang="nl">' in html(client.get(reverse("accounts:login")))


def test_language_switch_keeps_a_logged_in_user_on_their_page(cast, login):
    client = login(cast.user("manager"))
    overview = reverse("core:overview")
    response = client.post(reverse("set_language"), {"language": "en", "next": overview})
    assert response["Location"] == overview
    assert '<html lang="en">' in html(client.get(overview))


# Health.


def test_health_answers_ok_without_login(db, client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# Department plan.


def test_head_of_a_unit_adds_a_department_plan(named, login):
    client = login(named.user("manager"))
    url = reverse("organisations:department_plan_add", args=[named.team.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2026, "text": "Alle aanvragen binnen acht weken."})
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:unit_detail", args=[named.team.pk])
    plan = DepartmentPlan.objects.get(unit=named.team, year=2026)
    assert plan.text == "Alle aanvragen binnen acht weken."
    assert plan.updated_by == named.user("manager")
    assert "Alle aanvragen binnen acht weken." in html(client.get(response["Location"]))


def test_head_of_a_unit_edits_the_plan_of_a_year(named, login):
    DepartmentPlanFactory(unit=named.team, year=2026, text="Oud plan")
    client = login(named.user("manager"))
    url = reverse("organisations:department_plan_edit", args=[named.team.pk, 2026])
    assert "Oud plan" in html(client.get(url))
    client.post(url, {"year": 2026, "text": "Nieuw plan"})
    assert DepartmentPlan.objects.get(unit=named.team, year=2026).text == "Nieuw plan"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("employee", 403),  # member: may read the plan, not change it
        ("colleague", 403),
        ("director", 403),  # director over the team, not its head
        ("hr_adviser", 403),
        ("other_manager", 404),  # may not even see the unit
        ("other_director", 404),
        ("outsider", 404),
    ],
)
def test_others_cannot_add_a_department_plan(named, login, role, status):
    client = login(named.user(role))
    url = reverse("organisations:department_plan_add", args=[named.team.pk])
    assert client.post(url, {"year": 2026, "text": "Niet van mij"}).status_code == status
    assert not DepartmentPlan.objects.filter(unit=named.team).exists()


def test_hr_admin_can_add_a_department_plan_for_any_unit_of_the_organisation(named, login):
    client = login(named.user("hr_admin"))
    url = reverse("organisations:department_plan_add", args=[named.other_team.pk])
    assert client.post(url, {"year": 2027, "text": "Door beheer"}).status_code == 302
    assert DepartmentPlan.objects.filter(unit=named.other_team, year=2027).exists()


def test_member_cannot_open_the_unit_page(named, login):
    client = login(named.user("employee"))
    assert client.get(reverse("organisations:unit_detail", args=[named.team.pk])).status_code == 404


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_member_can_download_the_attachment_of_the_plan_of_their_unit(named, login, media_root):
    plan = DepartmentPlanFactory(unit=named.team, attachment=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"))
    url = reverse("organisations:department_plan_download", args=[plan.pk])
    response = login(named.user("employee")).get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 plan"
    assert login(named.user("other_employee")).get(url).status_code == 404


def test_head_working_in_another_unit_can_download_the_plan_attachment_of_their_unit(
    named, login, media_root
):
    """The secretary heads the staff unit (Team P&O) but is employed in the root unit.
    They may open the unit page, add and edit its plans, and so must be able to download
    the attachment they see linked there."""
    staff = unit_by_name(named, "staff")
    plan = DepartmentPlanFactory(unit=staff, attachment=ContentFile(b"%PDF-1.4 po", name="po.pdf"))
    client = login(named.user("secretary"))
    unit_page = html(client.get(reverse("organisations:unit_detail", args=[staff.pk])))
    download = reverse("organisations:department_plan_download", args=[plan.pk])
    assert download in unit_page
    assert client.get(download).status_code == 200
