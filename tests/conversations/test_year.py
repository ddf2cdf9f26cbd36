"""A whole Heemstede year through the pages: planning, progress and evaluation for one
employee and their manager, with the work plan and the agreements.

Everything happens as two people in two browsers: GET a page, fill in the form it shows,
post it. Time travels month by month (``time_machine``); the 2026 cycles are opened with
the ``open_cycles`` command on 5 January. Heemstede (``presets/heemstede.yaml``):

* planning: due 1 Dec 2025 .. 1 Feb 2026; the employee's initiative, the manager's after
  14 days (so from 15 December); the employee writes the report.
* progress: due 2 Jun .. 2 Aug 2026 (around 2 July); either side plans and writes.
* evaluation: due 30 Nov 2026 .. 31 Jan 2027; the employee's initiative, the manager's
  after 14 days; the employee writes; combinable with the next planning.
* the work plan: the employee writes it, the manager adds remarks, both agree after the
  planning conversation; reopened in a progress conversation.
"""

import datetime
import re

import icalendar
import pytest
from django.urls import reverse

from gesprekscyclus.accounts.models import User
from gesprekscyclus.agreements.models import Agreement, WorkPlan
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.organisations.models import Employee
from tests.conversations.pages_helpers import (
    agreement_links,
    agreement_page,
    approve,
    browser,
    detail_page,
    find_form,
    html,
    make_agreement,
    mark_held,
    messages_of,
    my_page,
    plan_links,
    plan_on_page,
    prepare,
    schedule_page,
    status_classes,
    submit,
    team_page,
    travel,
    work_plan_page,
    write_report,
)
from tests.cycles.helpers import load, open_cycles

EMPLOYEE_NAME = ("Eva", "Jansen")
MANAGER_NAME = ("Mark", "Bakker")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rename(person: Employee, first: str, last: str) -> None:
    """Names without characters HTML escapes, so they can be found in pages as they are."""
    Employee.objects.filter(pk=person.pk).update(first_name=first, last_name=last)
    User.objects.filter(pk=person.user_id).update(first_name=first, last_name=last)
    person.refresh_from_db()


@pytest.fixture
def year(cast, time_machine):
    """Heemstede in force; the 2026 cycles opened on 5 January 2026 (the current day)."""
    rename(cast.employee, *EMPLOYEE_NAME)
    rename(cast.manager, *MANAGER_NAME)
    load(cast.organisation, "heemstede")
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(period=2026, today=datetime.date(2026, 1, 5), organisation=cast.organisation.name)
    return cast


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour)


def calendar_of(message) -> icalendar.Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "uitnodiging.ics"
    return icalendar.Calendar.from_ical(content)


def versions_section(page: str) -> str:
    match = re.search(r'<section aria-labelledby="versions">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def row_of(response, person):
    return next(member for member in response.context["members"] if member["person"].pk == person.pk)


def test_a_heemstede_year_through_the_pages(
    year, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    cast = year
    employee = browser(cast.user("employee"))
    manager = browser(cast.user("manager"))
    cycle = Cycle.objects.get(employee=cast.employee, year=2026)
    employee_cycle_page = my_page()
    manager_cycle_page = schedule_page(cast.employee)

    # -- 5 January: the cycle is open; the planning conversation is the manager's to plan
    page = html(employee.get(employee_cycle_page))
    assert status_classes(page) == ["due", "not_yet", "not_yet"]
    # The window opened on 1 December; after 14 days the manager took over the initiative.
    assert set(plan_links(page)) == {"progress", "evaluation"}
    manager_page = html(manager.get(manager_cycle_page))
    assert set(plan_links(manager_page)) == {"planning", "progress"}
    assert work_plan_page(cycle.pk) in page

    # The employee writes the work plan before the planning conversation.
    response = submit(
        employee,
        work_plan_page(cycle.pk),
        button=("action", "save"),
        data={
            "item_expected_results": "Alle aanvragen bijzondere bijstand binnen acht weken afgehandeld.",
            "item_agreement_term": "Een jaar",
            "item_competences_to_develop": "Klantgerichtheid",
            "item_development_wishes": "Cursus Participatiewet",
        },
    )
    assert messages_of(response) == ["The work plan is saved."]
    assert "item_remarks" not in find_form(html(response), button=("action", "save")).names

    # The manager plans the planning conversation from the Plan button; both are invited.
    with django_capture_on_commit_callbacks(execute=True):
        planning = plan_on_page(manager, manager_cycle_page, "planning", moment(datetime.date(2026, 1, 19)))
    assert [message.to for message in mailoutbox] == [[cast.employee.email, cast.manager.email]]
    event = calendar_of(mailoutbox[0]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime.datetime(2026, 1, 19, 9, 0, tzinfo=datetime.UTC)
    assert str(event["location"]) == "Raadhuis, kamer 2.14"
    assert "planning" not in plan_links(html(manager.get(manager_cycle_page)))  # planned now

    # The manager adds remarks; the employee's text stays, read-only for the manager.
    response = submit(
        manager,
        work_plan_page(cycle.pk),
        button=("action", "save"),
        data={"item_remarks": "Goed plan; neem de werkvoorraad mee."},
    )
    assert messages_of(response) == ["The work plan is saved."]
    assert set(find_form(html(response), button=("action", "save")).names) == {
        "csrfmiddlewaretoken",
        "version",
        "item_remarks",
    }
    assert "Alle aanvragen bijzondere bijstand binnen acht weken afgehandeld." in html(response)
    # Agreeing before the conversation took place is refused.
    response = submit(manager, work_plan_page(cycle.pk), button=("action", "agree"))
    assert messages_of(response) == [
        "The work plan is established together, after the conversation about it has taken place."
    ]

    # -- 12 January: the employee prepares and shares; the manager then reads it ------
    travel(time_machine, datetime.date(2026, 1, 12), browsers=(employee, manager))
    before_sharing = prepare(employee, planning, share=False, topics="Werkdruk in het team")
    assert messages_of(before_sharing) == [
        "Your preparation is saved. Only you can see it until you share it."
    ]
    assert "Werkdruk in het team" not in html(manager.get(detail_page(planning)))
    response = prepare(
        employee,
        planning,
        topics="Werkdruk in het team",
        self_reflection="Het ging goed met de nieuwe werkwijze.",
    )
    assert messages_of(response) == ["Your preparation is saved and shared."]
    manager_view = html(manager.get(detail_page(planning)))
    assert "Werkdruk in het team" in manager_view
    assert "Het ging goed met de nieuwe werkwijze." in manager_view
    assert "gc-conversation--prepared" in manager_view

    # -- 19 January, after the conversation ---------------------------------------------
    travel(time_machine, datetime.date(2026, 1, 19), 11, 30, browsers=(employee, manager))
    response = mark_held(manager, planning, datetime.date(2026, 1, 19))
    assert messages_of(response) == ["The conversation is recorded as held. Now the report can be written."]
    # The manager does not write this report (Heemstede: the employee does).
    assert "report_form" not in manager.get(detail_page(planning)).context

    # Agreements are made in the planning conversation.
    make_agreement(
        employee,
        planning,
        kind="work_result",
        description="Aanvragen bijzondere bijstand binnen acht weken afhandelen",
        indicator="Maandrapportage werkvoorraad",
        target="95%",
        deadline=datetime.date(2026, 12, 31),
    )
    response = make_agreement(
        manager,
        planning,
        kind="development",
        description="Cursus Participatiewet afronden",
        deadline=datetime.date(2026, 9, 30),
    )
    assert messages_of(response) == ["The agreement is recorded."]
    agreements = agreement_links(html(response))
    assert list(agreements) == [  # by deadline
        "Cursus Participatiewet afronden",
        "Aanvragen bijzondere bijstand binnen acht weken afhandelen",
    ]
    first = agreements["Aanvragen bijzondere bijstand binnen acht weken afhandelen"]
    second = agreements["Cursus Participatiewet afronden"]

    # The employee writes the report on the work-plan form and finishes it.
    response = write_report(
        employee,
        planning,
        item_expected_results="Acht weken, 95% van de aanvragen.",
        item_competences_to_develop="Klantgerichtheid",
        text="Goed gesprek.",
    )
    assert messages_of(response) == ["The report is saved."]
    # The manager sees it waiting only once it is finished.
    assert row_of(manager.get(team_page()), cast.employee)["waiting"] == []
    response = write_report(employee, planning, finish=True)
    assert messages_of(response) == ["The report is finished. The other side reads it now."]
    team = manager.get(team_page())
    assert [c.pk for c in row_of(team, cast.employee)["waiting"]] == [planning]
    assert f'href="{detail_page(planning)}#report"' in html(team)
    manager_view = html(manager.get(detail_page(planning)))
    assert "Acht weken, 95% van de aanvragen." in manager_view
    response = approve(manager, planning)
    assert messages_of(response) == ["The report is ready for signing."]
    assert "gc-conversation--ready_for_signing" in html(response)
    assert row_of(manager.get(team_page()), cast.employee)["waiting"] == []

    # Both agree to the work plan: version 1, established in the planning conversation.
    response = submit(employee, work_plan_page(cycle.pk), button=("action", "agree"))
    assert messages_of(response) == ["You agreed to the work plan."]
    response = submit(manager, work_plan_page(cycle.pk), button=("action", "agree"))
    assert messages_of(response) == ["You agreed to the work plan."]
    versions = versions_section(html(response))
    assert "Version 1" in versions
    assert f'href="{detail_page(planning)}"' in versions
    assert "form" not in response.context or response.context["form"] is None  # established: read-only
    page = html(employee.get(employee_cycle_page))
    assert status_classes(page) == ["done", "not_yet", "not_yet"]
    assert "Established." in page

    # -- 15 June: the employee plans the progress conversation ------------------------
    travel(time_machine, datetime.date(2026, 6, 15), browsers=(employee, manager))
    page = html(employee.get(employee_cycle_page))
    assert status_classes(page) == ["done", "due", "not_yet"]
    progress = plan_on_page(employee, employee_cycle_page, "progress", moment(datetime.date(2026, 6, 29), 14))
    assert "progress" not in plan_links(html(manager.get(manager_cycle_page)))
    prepare(employee, progress, topics="De cursus loopt uit")
    response = prepare(manager, progress, share=False, notes="Werkvoorraad bespreken")
    assert (
        "self_reflection"
        not in find_form(html(response), action=reverse("conversations:preparation", args=[progress])).names
    )

    # -- 29 June, after the conversation ------------------------------------------------
    travel(time_machine, datetime.date(2026, 6, 29), 15, 30, browsers=(employee, manager))
    mark_held(employee, progress, datetime.date(2026, 6, 29))
    progress_page = html(manager.get(detail_page(progress)))
    # The open agreements are listed, linked for changing them in this conversation.
    assert f'href="{agreement_page(first, progress)}"' in progress_page
    assert f'href="{agreement_page(second, progress)}"' in progress_page

    # The first agreement is changed in the progress conversation.
    response = submit(
        manager,
        agreement_page(first, progress),
        having="description",
        data={"target": "90%", "deadline": "2026-12-31"},
    )
    assert messages_of(response) == ["The agreement is changed."]
    # The second one is on track.
    response = submit(
        employee, agreement_page(second, progress), having="status", data={"status": "on_track"}
    )
    assert messages_of(response) == ["The status is changed."]

    # The work plan is reopened in the progress conversation and established again.
    response = submit(
        manager, work_plan_page(cycle.pk), button=("action", "reopen"), data={"gesprek": str(progress)}
    )
    assert messages_of(response) == ["The work plan is open for revision."]
    submit(
        employee,
        work_plan_page(cycle.pk),
        button=("action", "save"),
        data={"item_expected_results": "Acht weken, 90% van de aanvragen."},
    )
    submit(
        manager,
        work_plan_page(cycle.pk),
        button=("action", "save"),
        data={"item_remarks": "Bijgesteld in het voortgangsgesprek."},
    )
    submit(manager, work_plan_page(cycle.pk), button=("action", "agree"))
    response = submit(employee, work_plan_page(cycle.pk), button=("action", "agree"))
    versions = versions_section(html(response))
    assert "Version 1" in versions and "Version 2" in versions
    assert f'href="{detail_page(progress)}"' in versions
    assert "<del>Alle aanvragen bijzondere bijstand binnen acht weken afgehandeld.</del>" in versions
    assert "<ins>Acht weken, 90% van de aanvragen.</ins>" in versions
    plan = WorkPlan.objects.get(cycle=cycle)
    assert (plan.status, [v.number for v in plan.versions.all()]) == ("established", [1, 2])

    # Either side writes the progress report (Heemstede); the manager does, the employee approves.
    response = write_report(
        manager,
        progress,
        finish=True,
        item_how_it_goes="Goed op weg; de cursus loopt uit.",
        item_changed_agreements="Doel bijgesteld naar 90%.",
    )
    assert messages_of(response) == ["The report is finished. The other side reads it now."]
    assert row_of(manager.get(team_page()), cast.employee)["waiting"] == []  # not for the writer
    response = approve(employee, progress)
    assert messages_of(response) == ["The report is ready for signing."]

    # The agreement's history shows who changed what, in which conversation.
    history = html(employee.get(agreement_page(first)))
    entries = re.findall(r"<li>\s*<p><strong>(.*?)</li>\s*(?=<li>|</ol>)", history, re.S)
    assert len(entries) == 2
    assert EMPLOYEE_NAME[0] in entries[0] and f'href="{detail_page(planning)}"' in entries[0]
    assert " ".join(MANAGER_NAME) in entries[1]
    assert f'href="{detail_page(progress)}"' in entries[1]
    assert "95% → 90%" in entries[1]
    assert "29 June 2026" in entries[1]

    # -- 1 December: the employee plans the evaluation -----------------------------------
    travel(time_machine, datetime.date(2026, 12, 1), browsers=(employee, manager))
    page = html(employee.get(employee_cycle_page))
    assert status_classes(page) == ["done", "done", "due"]
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = plan_on_page(
            employee,
            employee_cycle_page,
            "evaluation",
            moment(datetime.date(2026, 12, 10)),
            location="Kamer 3",
        )
    assert mailoutbox[-1].to == [cast.employee.email, cast.manager.email]
    prepare(employee, evaluation, self_reflection="Een goed jaar.")

    # -- 10 December, after the conversation: outcomes, the report --------------------
    travel(time_machine, datetime.date(2026, 12, 10), 11, 30, browsers=(employee, manager))
    mark_held(employee, evaluation, datetime.date(2026, 12, 10))
    for agreement, outcome in ((first, "achieved"), (second, "partly_achieved")):
        response = submit(
            manager, agreement_page(agreement, evaluation), having="status", data={"status": outcome}
        )
        assert messages_of(response) == ["The status is changed."]
    write_report(
        employee,
        evaluation,
        finish=True,
        item_realised="Ja, op de cursus na.",
        item_conclusions="Volgend jaar verder met de cursus.",
    )
    approve(manager, evaluation)

    # -- the end: every item held, nothing waiting ---------------------------------------
    page = html(employee.get(employee_cycle_page))
    assert status_classes(page) == ["done", "done", "done"]
    assert page.count("gc-status--done") == 3
    assert plan_links(page) == {}
    assert page.count("gc-conversation--ready_for_signing") == 3
    assert "gc-agreement--achieved" in page and "gc-agreement--partly_achieved" in page
    assert set(Conversation.objects.filter(employee=cast.employee).values_list("status", flat=True)) == {
        "ready_for_signing"
    }
    assert set(Agreement.objects.filter(employee=cast.employee).values_list("status", flat=True)) == {
        "achieved",
        "partly_achieved",
    }
    team = manager.get(team_page())
    row = row_of(team, cast.employee)
    assert (row["waiting"], row["upcoming"], row["at_risk"], row["next"]) == ([], None, 0, None)
    assert row["overdue"] == row["due"] == 0
    assert "#report" not in html(team)
    # Nothing planned either; only the three reports wait for their signatures.
    assert [conversation.kind for conversation in row["signing"]] == ["planning", "progress", "evaluation"]
    assert html(team).count("/gesprekken/gesprek/") == 3
    assert html(team).count("/ondertekenen/") == 3


@pytest.fixture
def combined(year, time_machine):
    """The employee plans the 2026 evaluation combined with the 2027 planning, on
    10 December 2026; the manager records it as held that day."""
    employee = browser(year.user("employee"))
    manager = browser(year.user("manager"))
    travel(time_machine, datetime.date(2026, 12, 1), browsers=(employee, manager))
    links = plan_links(html(employee.get(my_page())))
    assert "combined_with" in find_form(html(employee.get(links["evaluation"])), action="").names
    pk = plan_on_page(
        employee,
        my_page(),
        "evaluation",
        moment(datetime.date(2026, 12, 10)),
        extra={"combined_with": ["planning"]},
    )
    page = html(employee.get(detail_page(pk)))
    assert "Evaluation conversation" in page and "+ Planning conversation" in page
    travel(time_machine, datetime.date(2026, 12, 10), 11, 30, browsers=(employee, manager))
    mark_held(manager, pk, datetime.date(2026, 12, 10))
    return pk


def open_2027(cast, time_machine) -> Cycle:
    travel(time_machine, datetime.date(2027, 1, 4), 9)
    open_cycles(period=2027, today=datetime.date(2027, 1, 4), organisation=cast.organisation.name)
    return Cycle.objects.get(employee=cast.employee, year=2027)


def test_the_evaluation_combined_with_the_planning_settles_next_years_planning(year, combined, time_machine):
    """Heemstede: "Het plannings- en evaluatiegesprek kan ook in een gesprek worden
    gecombineerd". Held on 10 December, it counts as the 2027 planning."""
    open_2027(year, time_machine)
    employee = browser(year.user("employee"))
    page = html(employee.get(my_page()))
    assert status_classes(page)[0] == "done"
    assert "planning" not in plan_links(page)
    assert "10 Dec 2026" in page


def test_agreements_for_next_year_are_made_in_the_evaluation_combined_with_the_planning(year, combined):
    """The combined conversation *is* the planning conversation for next year: "eerst
    terugkijken met elkaar en vervolgens dit vertalen in afspraken naar de toekomst"."""
    manager = browser(year.user("manager"))
    response = make_agreement(
        manager,
        combined,
        kind="development",
        description="Leergang leidinggeven volgen",
        deadline=datetime.date(2027, 12, 1),
    )
    assert messages_of(response) == ["The agreement is recorded."]
    assert Agreement.objects.filter(employee=year.employee).count() == 1


def test_next_years_work_plan_is_established_after_the_combined_conversation(year, combined, time_machine):
    """The work plan is established in the planning conversation; when that planning was
    held combined with the evaluation, both sides can agree to next year's plan."""
    cycle_2027 = open_2027(year, time_machine)
    employee = browser(year.user("employee"))
    manager = browser(year.user("manager"))
    submit(
        employee,
        work_plan_page(cycle_2027.pk),
        button=("action", "save"),
        data={"item_expected_results": "Leergang leidinggeven."},
    )
    response = submit(employee, work_plan_page(cycle_2027.pk), button=("action", "agree"))
    assert messages_of(response) == ["You agreed to the work plan."]
    response = submit(manager, work_plan_page(cycle_2027.pk), button=("action", "agree"))
    assert "Version 1" in versions_section(html(response))
