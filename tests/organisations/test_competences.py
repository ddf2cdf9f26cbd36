"""The competence library and job profiles (HR administrator only), and competences where
employees meet them: the job's profile on the conversation page, an agreement that names
the competences it develops, and the competences the employee picks in the work plan.

Conversations come from ``tests/conversations/conftest.py`` (Heemstede in force, the 2026
cycles open, the planning conversation of 12 January 2026 held by the manager)."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.organisations.models import Competence, Employee, Role
from gesprekscyclus.organisations.services import competence_save, job_profile_set
from tests.conversations import conftest as conversations
from tests.conversations.pages_helpers import (
    browser,
    detail_page,
    find_form,
    html,
    load_form,
    messages_of,
    post_form,
    submit,
    work_plan_page,
)
from tests.factories import CompetenceFactory, JobFactory, OrganisationFactory, RoleAssignmentFactory

# The conversation fixtures, shared (pytest finds fixtures by name in this module).
cycle = conversations.cycle
english = conversations.english
fast_password_hashing = conversations.fast_password_hashing
heemstede = conversations.heemstede
held_planning = conversations.held_planning
hold = conversations.hold
plan = conversations.plan
planning = conversations.planning

LIBRARY = reverse("organisations:competences")
JOBS = reverse("organisations:jobs_list")

NAME = "Klantgerichtheid"
DESCRIPTION = "Onderzoekt wensen en behoeften van inwoners en handelt daarnaar."
LEVEL_1 = ["Vraagt door naar de vraag achter de vraag.", "Houdt inwoners op de hoogte."]
LEVEL_2 = ["Stemt de dienstverlening af op de situatie van de inwoner."]
LEVEL_3 = ["Verbetert werkprocessen vanuit het perspectief van de inwoner."]


def edit_page(competence) -> str:
    return reverse("organisations:competence_edit", args=[competence.pk])


def profile_page(job) -> str:
    return reverse("organisations:job_profile", args=[job.pk])


def text_of(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert match, name
    return unescape(match.group(1))


@pytest.fixture
def hr_admin(cast):
    return browser(cast.user("hr_admin"))


@pytest.fixture
def job(cast):
    """The employee's job."""
    job = JobFactory(organisation=cast.organisation, title="Consulent werk en inkomen")
    Employee.objects.filter(pk=cast.employee.pk).update(job=job)
    return job


def add_on_page(client, **fields):
    data = {"name": NAME, "description": DESCRIPTION, "level_1": "\n".join(LEVEL_1)} | fields
    return submit(client, LIBRARY, action="", data=data)


# -- the library -----------------------------------------------------------------------------


def test_the_hr_admin_adds_a_competence_with_indicators_per_level(cast, hr_admin):
    response = add_on_page(
        hr_admin,
        level_1="\n".join(LEVEL_1) + "\n\n",
        level_2="\n".join(LEVEL_2),
        level_3="  " + "\n".join(LEVEL_3),
    )

    assert messages_of(response) == ["The competence is saved."]
    competence = Competence.objects.get(organisation=cast.organisation)
    assert (competence.name, competence.description) == (NAME, DESCRIPTION)
    assert competence.level_indicators == {"1": LEVEL_1, "2": LEVEL_2, "3": LEVEL_3}
    assert competence.levels == [("basic", LEVEL_1), ("advanced", LEVEL_2), ("expert", LEVEL_3)]
    library = html(hr_admin.get(LIBRARY))
    assert f'<a href="{edit_page(competence)}">{NAME}</a>' in library


def test_the_hr_admin_edits_a_competence(cast, hr_admin):
    competence = competence_save(
        organisation=cast.organisation,
        name=NAME,
        description=DESCRIPTION,
        levels={"1": LEVEL_1, "3": LEVEL_3},
    )
    page = html(hr_admin.get(edit_page(competence)))
    assert textarea(page, "level_1") == "\n".join(LEVEL_1)
    assert textarea(page, "level_2") == ""
    assert textarea(page, "level_3") == "\n".join(LEVEL_3)

    response = submit(
        hr_admin,
        edit_page(competence),
        action="",
        data={
            "name": "Klantgerichtheid en empathie",
            "level_2": "\n".join(LEVEL_2),
            "level_3": "",
        },
    )

    assert messages_of(response) == ["The competence is saved."]
    competence.refresh_from_db()
    assert competence.name == "Klantgerichtheid en empathie"
    assert competence.description == DESCRIPTION
    assert competence.level_indicators == {"1": LEVEL_1, "2": LEVEL_2}
    assert Competence.objects.count() == 1


def test_a_duplicate_name_is_refused_with_a_message(cast, hr_admin):
    CompetenceFactory(organisation=cast.organisation, name=NAME)

    response = add_on_page(hr_admin, name="klantgerichtheid ")

    assert response.status_code == 200
    page = text_of(response)
    assert "Please correct the following:" in page
    assert "A competence with this name already exists." in page
    assert Competence.objects.filter(organisation=cast.organisation).count() == 1


def test_renaming_to_an_existing_name_is_refused_but_keeping_ones_own_name_is_fine(cast, hr_admin):
    CompetenceFactory(organisation=cast.organisation, name=NAME)
    other = CompetenceFactory(organisation=cast.organisation, name="Samenwerken")

    response = submit(hr_admin, edit_page(other), action="", data={"name": NAME.upper()})
    assert "A competence with this name already exists." in text_of(response)
    other.refresh_from_db()
    assert other.name == "Samenwerken"

    response = submit(hr_admin, edit_page(other), action="", data={"description": "Werkt goed samen."})
    assert messages_of(response) == ["The competence is saved."]


def test_the_same_name_is_fine_in_another_organisation(cast, english):
    elsewhere = OrganisationFactory(name="Gemeente Elders")
    CompetenceFactory(organisation=elsewhere, name=NAME)
    competence = competence_save(organisation=cast.organisation, name=NAME, description="", levels={})
    assert competence.organisation == cast.organisation
    with pytest.raises(ValidationError, match="already exists"):
        competence_save(organisation=cast.organisation, name=NAME.lower(), description="", levels={})


# -- job profiles ----------------------------------------------------------------------------


def test_the_hr_admin_sets_a_job_profile(cast, hr_admin, job):
    wanted = CompetenceFactory(organisation=cast.organisation, name=NAME, description=DESCRIPTION)
    CompetenceFactory(organisation=cast.organisation, name="Samenwerken")
    form = load_form(hr_admin, profile_page(job), action="")
    assert form.names >= {"competences"}

    response = post_form(hr_admin, form, data={"competences": str(wanted.pk)})

    assert messages_of(response) == ["The competence profile is saved."]
    assert list(job.competences.all()) == [wanted]
    jobs = html(hr_admin.get(JOBS))
    assert f"<li><strong>{NAME}</strong>: {DESCRIPTION}</li>" in jobs
    assert "Samenwerken" not in jobs
    # Reopened, the profile shows what is in it.
    ticked = find_form(html(hr_admin.get(profile_page(job))), action="").data()
    assert ticked["competences"] == str(wanted.pk)


def test_a_job_profile_only_takes_competences_of_its_own_organisation(cast, hr_admin, job, english):
    foreign = CompetenceFactory(organisation=OrganisationFactory(name="Gemeente Elders"), name="Vreemd")
    ours = CompetenceFactory(organisation=cast.organisation, name=NAME)

    with pytest.raises(ValidationError, match="its own organisation"):
        job_profile_set(job=job, competences=[ours, foreign])
    assert not job.competences.exists()

    # Through the page a foreign competence is simply not taken.
    hr_admin.post(profile_page(job), {"competences": [str(ours.pk), str(foreign.pk)]})
    assert list(job.competences.all()) == [ours]


def test_the_conversation_page_shows_the_jobs_profile(cast, hr_admin, job, planning):
    add_on_page(hr_admin, level_2="\n".join(LEVEL_2))
    competence = Competence.objects.get(name=NAME)
    submit(hr_admin, profile_page(job), action="", data={"competences": str(competence.pk)})
    # The HR administrator sharpens the description later.
    submit(hr_admin, edit_page(competence), action="", data={"description": "Stelt de inwoner centraal."})

    for role in ("employee", "manager"):
        page = text_of(browser(cast.user(role)).get(detail_page(planning.pk)))
        assert "Competence profile of the job Consulent werk en inkomen" in page, role
        assert NAME in page, role
        assert "Stelt de inwoner centraal." in page, role
        assert DESCRIPTION not in page, role


def test_the_conversation_page_shows_the_indicators_per_level(cast, hr_admin, job, planning):
    """The library keeps indicators per level (``Competence.level_indicators``); the job
    profile on the conversation page should show them."""
    add_on_page(hr_admin, level_2="\n".join(LEVEL_2), level_3="\n".join(LEVEL_3))
    competence = Competence.objects.get(name=NAME)
    submit(hr_admin, profile_page(job), action="", data={"competences": str(competence.pk)})

    page = text_of(browser(cast.user("employee")).get(detail_page(planning.pk)))

    for indicator in LEVEL_1 + LEVEL_2 + LEVEL_3:
        assert indicator in page, indicator


# -- who may maintain them ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "manager", "director", "hr_adviser", "outsider"])
def test_only_the_hr_admin_maintains_competences_and_profiles(cast, job, role):
    competence = CompetenceFactory(organisation=cast.organisation, name=NAME)
    client = browser(cast.user(role))

    for url in (LIBRARY, edit_page(competence), profile_page(job)):
        assert client.get(url).status_code == 403, url
    assert client.post(LIBRARY, {"name": "Sneaky"}).status_code == 403
    assert client.post(edit_page(competence), {"name": "Sneaky"}).status_code == 403
    assert client.post(profile_page(job), {"competences": [str(competence.pk)]}).status_code == 403

    competence.refresh_from_db()
    assert competence.name == NAME
    assert not Competence.objects.filter(name="Sneaky").exists()
    assert not job.competences.exists()


def test_the_hr_admin_of_another_organisation_cannot_reach_ours(cast, job):
    competence = CompetenceFactory(organisation=cast.organisation, name=NAME)
    foreign = cast.foreign_employee
    RoleAssignmentFactory(user=foreign.user, organisation=foreign.organisation, role=Role.HR_ADMIN, unit=None)
    client = browser(foreign.user)

    assert client.get(LIBRARY).status_code == 200
    assert NAME not in text_of(client.get(LIBRARY))
    assert client.get(edit_page(competence)).status_code == 404
    assert client.get(profile_page(job)).status_code == 404
    assert client.post(profile_page(job), {"competences": [str(competence.pk)]}).status_code == 404
    assert not job.competences.exists()


# -- agreements and the work plan ---------------------------------------------------------------


def test_an_agreement_made_with_competences_shows_them_on_its_page(cast, held_planning):
    ours = CompetenceFactory(organisation=cast.organisation, name=NAME)
    CompetenceFactory(organisation=cast.organisation, name="Samenwerken")
    CompetenceFactory(organisation=OrganisationFactory(name="Gemeente Elders"), name="Vreemd")
    employee = browser(cast.user("employee"))
    form = load_form(employee, detail_page(held_planning.pk), having="description")
    offered = set(
        re.findall(r'name="competences" value="(\d+)"', html(employee.get(detail_page(held_planning.pk))))
    )
    assert offered == {str(c.pk) for c in Competence.objects.filter(organisation=cast.organisation)}

    response = post_form(
        employee,
        form,
        data={
            "kind": "development",
            "description": "Training gesprekstechnieken volgen",
            "deadline": "2026-06-30",
            "competences": str(ours.pk),
        },
    )

    assert messages_of(response) == ["The agreement is recorded."]
    agreement = Agreement.objects.get()
    assert list(agreement.competences.all()) == [ours]
    for role in ("employee", "manager"):
        page = text_of(browser(cast.user(role)).get(reverse("agreements:detail", args=[agreement.pk])))
        assert "Competences to develop" in page, role
        assert NAME in page, role
        assert "Samenwerken" not in page, role
    assert agreement.changes.get().changes["competences"] == [None, [NAME]]


def test_an_agreement_without_competences_shows_none(cast, held_planning):
    employee = browser(cast.user("employee"))
    CompetenceFactory(organisation=cast.organisation, name=NAME)
    submit(
        employee,
        detail_page(held_planning.pk),
        having="description",
        data={"kind": "development", "description": "Cursus Wmo volgen", "deadline": "2026-06-30"},
    )
    agreement = Agreement.objects.get()
    page = text_of(employee.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "Competences to develop" not in page
    assert NAME not in page


def test_the_employee_picks_competences_in_the_work_plan(cast, cycle):
    ours = CompetenceFactory(organisation=cast.organisation, name=NAME)
    CompetenceFactory(organisation=cast.organisation, name="Samenwerken")
    employee = browser(cast.user("employee"))
    form = load_form(employee, work_plan_page(cycle.pk), button=("action", "save"))
    assert "competences" in form.names

    response = post_form(employee, form, data={"competences": str(ours.pk)}, button=("action", "save"))

    assert messages_of(response) == ["The work plan is saved."]
    assert list(cycle.work_plan.competences.all()) == [ours]
    # The manager writes remarks only; the choice of competences is the employee's.
    manager_form = load_form(
        browser(cast.user("manager")), work_plan_page(cycle.pk), button=("action", "save")
    )
    assert "competences" not in manager_form.names


def test_the_manager_sees_which_competences_the_employee_picked_in_the_work_plan(cast, cycle):
    """Both agree to the work plan, so the manager must be able to read the competences
    the employee chose in it."""
    ours = CompetenceFactory(organisation=cast.organisation, name=NAME)
    employee = browser(cast.user("employee"))
    submit(
        employee,
        work_plan_page(cycle.pk),
        button=("action", "save"),
        data={"competences": str(ours.pk)},
    )
    assert list(cycle.work_plan.competences.all()) == [ours]

    page = text_of(browser(cast.user("manager")).get(work_plan_page(cycle.pk)))

    assert NAME in page
