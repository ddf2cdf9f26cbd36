"""The conversation page and its actions, through the web pages.

* Two browsers editing one report: the second save over a newer version is refused with a
  message naming who saved, for the normal form and for htmx autosave (409).
* Who may open the page, read the report, download the ``.ics`` and use the actions, for
  every role of the cast under Heemstede (the director reads reports; HR reads
  assessments only).
* Moving and cancelling mail both participants an updated invitation.

Heemstede is in force; the 2026 cycles were opened on 5 January. The planning
conversation is the manager's to plan in January (the employee's initiative passed to the
manager 14 days after the window opened on 1 December); the employee writes its report.
"""

import datetime
import re

import icalendar
import pytest
from django.urls import reverse

from gesprekscyclus.accounts.models import User
from gesprekscyclus.conversations.models import Conversation, Report
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.conversations.pages_helpers import (
    approve,
    browser,
    detail_action,
    detail_page,
    find_form,
    html,
    load_form,
    make_agreement,
    mark_held,
    messages_of,
    my_page,
    plan_links,
    plan_on_page,
    post_form,
    prepare,
    schedule_page,
    submit,
    travel,
    write_report,
)
from tests.cycles.helpers import load, open_cycles
from tests.factories import EmployeeFactory

PLANNING_DAY = datetime.date(2026, 1, 26)
NAMES = {"employee": ("Eva", "Jansen"), "manager": ("Mark", "Bakker"), "colleague": ("Sara", "Visser")}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rename(person: Employee, first: str, last: str) -> None:
    Employee.objects.filter(pk=person.pk).update(first_name=first, last_name=last)
    User.objects.filter(pk=person.user_id).update(first_name=first, last_name=last)
    person.refresh_from_db()


@pytest.fixture
def heemstede_cast(cast):
    """Heemstede in force for the cast's organisation; readable names."""
    for role, (first, last) in NAMES.items():
        rename(getattr(cast, role), first, last)
    load(cast.organisation, "heemstede")
    return cast


@pytest.fixture
def opened(heemstede_cast, time_machine):
    """The 2026 cycles opened on 5 January; today is 20 January."""
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(period=2026, today=datetime.date(2026, 1, 5), organisation=heemstede_cast.organisation.name)
    travel(time_machine, datetime.date(2026, 1, 20))
    return heemstede_cast


@pytest.fixture
def planned(opened):
    """The manager planned the planning conversation for 26 January, 10:00, from the Plan
    button on the employee's cycle page."""
    manager = browser(opened.user("manager"))
    return plan_on_page(
        manager, schedule_page(opened.employee), "planning", datetime.datetime(2026, 1, 26, 10)
    )


@pytest.fixture
def held(planned, opened, time_machine):
    """The planning conversation took place on 26 January; it is 11:30 that day."""
    travel(time_machine, PLANNING_DAY, 11, 30)
    mark_held(browser(opened.user("manager")), planned, PLANNING_DAY)
    return planned


def report_action(pk: int) -> str:
    return reverse("conversations:report", args=[pk])


def stale_message(name: str, time: str = "11:30") -> str:
    return (
        f"{name} changed the report meanwhile (at {time}). Your text was not saved: copy it, "
        "reload the page and add your changes."
    )


# -- two browsers, one report ----------------------------------------------------------


def test_the_writer_in_two_browsers_the_second_save_is_refused_and_names_who_saved(held, opened):
    first = browser(opened.user("employee"))
    second = browser(opened.user("employee"))
    first_form = load_form(first, detail_page(held), action=report_action(held))
    second_form = load_form(second, detail_page(held), action=report_action(held))
    assert first_form.data()["version"] == second_form.data()["version"] == "1"

    response = post_form(first, first_form, data={"item_expected_results": "Tekst uit het eerste venster."})
    assert messages_of(response) == ["The report is saved."]
    response = post_form(second, second_form, data={"item_expected_results": "Tekst uit het tweede venster."})

    assert response.status_code == 200
    assert messages_of(response) == [stale_message("Eva Jansen")]
    assert "gc-alert--error" in html(response)
    report = Report.objects.get(conversation_id=held)
    assert (report.answers, report.version) == ({"expected_results": "Tekst uit het eerste venster."}, 2)
    # Reloading shows the first text and the new version; saving from there works.
    reloaded = load_form(second, detail_page(held), action=report_action(held))
    assert reloaded.data()["item_expected_results"] == "Tekst uit het eerste venster."
    assert reloaded.data()["version"] == "2"
    response = post_form(second, reloaded, data={"text": "Aanvulling."})
    assert messages_of(response) == ["The report is saved."]


def test_finishing_from_a_stale_form_is_refused_too(held, opened):
    first = browser(opened.user("employee"))
    second = browser(opened.user("employee"))
    stale = load_form(second, detail_page(held), action=report_action(held))
    submit(first, detail_page(held), action=report_action(held), data={"text": "Eerste."})

    response = post_form(second, stale, data={"text": "Tweede."}, button=("finish", "1"))

    assert messages_of(response) == [stale_message("Eva Jansen")]
    assert Conversation.objects.get(pk=held).status == "held"
    assert Report.objects.get(conversation_id=held).text == "Eerste."


def test_autosave_answers_409_with_the_message_when_someone_saved_meanwhile(held, opened):
    first = browser(opened.user("employee"))
    second = browser(opened.user("employee"))
    first_form = load_form(first, detail_page(held), action=report_action(held))
    second_form = load_form(second, detail_page(held), action=report_action(held))
    htmx = {"HX-Request": "true"}

    saved = post_form(first, first_form, data={"text": "Eerste versie."}, headers=htmx, follow=False)
    assert saved.status_code == 200
    assert "Saved at 11:30." in html(saved)
    # The fragment swaps in the new version, so the next autosave of this browser goes on from it.
    assert re.search(r'name="version" value="2"[^>]*hx-swap-oob="true"', html(saved))

    conflict = post_form(second, second_form, data={"text": "Andere versie."}, headers=htmx, follow=False)
    assert conflict.status_code == 409
    assert 'role="alert"' in html(conflict)
    assert stale_message("Eva Jansen") in html(conflict)
    assert Report.objects.get(conversation_id=held).text == "Eerste versie."

    again = post_form(
        first,
        first_form,
        data={"text": "Eerste versie, aangevuld.", "version": "2"},
        headers=htmx,
        follow=False,
    )
    assert again.status_code == 200
    assert Report.objects.get(conversation_id=held).text == "Eerste versie, aangevuld."


@pytest.fixture
def held_progress(opened, time_machine):
    """The progress conversation (either side writes), planned by the employee on 15 June
    for 22 June and held; it is 22 June, 11:30."""
    employee = browser(opened.user("employee"))
    travel(time_machine, datetime.date(2026, 6, 15), browsers=(employee,))
    pk = plan_on_page(employee, my_page(), "progress", datetime.datetime(2026, 6, 22, 10))
    travel(time_machine, datetime.date(2026, 6, 22), 11, 30, browsers=(employee,))
    mark_held(employee, pk, datetime.date(2026, 6, 22))
    return pk


def test_when_either_side_writes_the_managers_stale_save_names_the_employee(held_progress, opened):
    employee = browser(opened.user("employee"))
    manager = browser(opened.user("manager"))
    employee_form = load_form(employee, detail_page(held_progress), action=report_action(held_progress))
    manager_form = load_form(manager, detail_page(held_progress), action=report_action(held_progress))

    response = post_form(employee, employee_form, data={"item_how_it_goes": "Goed, volgens de medewerker."})
    assert messages_of(response) == ["The report is saved."]
    refused = post_form(manager, manager_form, data={"item_how_it_goes": "Goed, volgens de leidinggevende."})
    assert messages_of(refused) == [stale_message("Eva Jansen")]
    autosave = post_form(
        manager,
        manager_form,
        data={"item_how_it_goes": "Goed, volgens de leidinggevende."},
        headers={"HX-Request": "true"},
        follow=False,
    )
    assert autosave.status_code == 409
    assert stale_message("Eva Jansen") in html(autosave)
    assert Report.objects.get(conversation_id=held_progress).answers == {
        "how_it_goes": "Goed, volgens de medewerker."
    }


def test_the_other_side_may_not_write_a_report_the_regulation_gives_to_the_employee(held, opened):
    manager = browser(opened.user("manager"))
    assert "report_form" not in manager.get(detail_page(held)).context
    response = manager.post(
        report_action(held), {"version": "1", "text": "Van de leidinggevende."}, follow=True
    )
    assert messages_of(response) == ["Under this regulation the other side writes the report."]
    autosave = manager.post(
        report_action(held), {"version": "1", "text": "x"}, headers={"HX-Request": "true"}
    )
    assert autosave.status_code == 403
    assert Report.objects.get(conversation_id=held).text == ""


def test_the_reader_sends_the_report_back_with_a_comment(held, opened):
    employee = browser(opened.user("employee"))
    manager = browser(opened.user("manager"))
    write_report(employee, held, finish=True, item_expected_results="Acht weken.")

    response = submit(
        manager,
        detail_page(held),
        action=detail_action(held, "report_send_back"),
        data={"comment": "Noem ook het percentage."},
    )

    assert messages_of(response) == ["The report has been sent back with your comment."]
    page = html(employee.get(detail_page(held)))
    assert "Noem ook het percentage." in page
    assert "gc-conversation--held" in page
    write_report(employee, held, finish=True, item_expected_results="Acht weken, 95%.")
    response = approve(manager, held)
    assert messages_of(response) == ["The report is ready for signing."]


# -- who sees what ---------------------------------------------------------------------


@pytest.fixture
def written(held, opened):
    """The employee finished the planning report; an agreement was made in it."""
    employee = browser(opened.user("employee"))
    write_report(employee, held, finish=True, item_expected_results="Verslagtekst van het planningsgesprek.")
    make_agreement(
        employee,
        held,
        kind="quality",
        description="Brieven in begrijpelijke taal",
        deadline=datetime.date(2026, 6, 1),
    )
    return held


PAGE_ACCESS = [
    # role, opens the page, reads the report, takes part (ics and actions)
    ("employee", True, True, True),
    ("manager", True, True, True),
    ("director", True, True, False),  # Heemstede: "ingezien door de directeur"
    ("colleague", False, False, False),
    ("other_manager", False, False, False),
    ("other_director", False, False, False),
    ("hr_adviser", False, False, False),  # Heemstede's HR adviser reads assessments only
    ("hr_admin", False, False, False),  # no preset gives functional administration content
    ("outsider", False, False, False),
    ("foreign_employee", False, False, False),
]


@pytest.mark.parametrize(
    ("role", "opens", "reads", "takes_part"), PAGE_ACCESS, ids=[row[0] for row in PAGE_ACCESS]
)
def test_the_conversation_page_for_every_role(written, opened, role, opens, reads, takes_part):
    client = browser(opened.user(role))

    response = client.get(detail_page(written))

    assert response.status_code == (200 if opens else 404)
    if opens:
        page = html(response)
        assert ("Verslagtekst van het planningsgesprek." in page) is reads
        assert "Brieven in begrijpelijke taal" in page  # agreements: [employee, manager, delegate, director]
        assert response.context["is_participant"] is takes_part
    assert client.get(reverse("conversations:calendar", args=[written])).status_code == (
        200 if takes_part else 404
    )


ACTIONS = [
    (
        "reschedule",
        {
            "move-date": "2026-02-02",
            "move-time": "10:00",
            "move-duration_minutes": "60",
            "move-location": "X",
        },
    ),
    ("cancel", {"cancel-reason": "Weg ermee"}),
    ("preparation", {"topics": "Iets", "share": "1"}),
    ("held", {"held_on": "2026-01-26"}),
    ("report", {"version": "1", "text": "Overschreven"}),
    ("report_send_back", {"comment": "Anders"}),
    ("report_approve", {}),
    ("attachment_add", {}),
]


@pytest.mark.parametrize(
    "role",
    ["director", "colleague", "other_manager", "hr_adviser", "hr_admin", "outsider", "foreign_employee"],
)
def test_nobody_but_the_participants_can_use_the_actions(written, opened, role):
    client = browser(opened.user(role))
    for name, data in ACTIONS:
        assert client.post(detail_action(written, name), data).status_code == 404, name
    response = client.post(
        reverse("agreements:create", args=[written]),
        {"kind": "quality", "description": "Ingeslopen", "deadline": "2026-06-01"},
    )
    assert response.status_code == 404
    conversation = Conversation.objects.get(pk=written)
    assert conversation.status == "report_written"
    assert conversation.agreements_made.count() == 1
    assert Report.objects.get(conversation=conversation).text == ""


def test_a_designated_person_conducts_and_sees_the_conversation(opened):
    """Heemstede: "met de directe leidinggevende of een door hem/haar aangewezen persoon"."""
    manager = browser(opened.user("manager"))
    colleague = browser(opened.user("colleague"))
    links = plan_links(html(manager.get(schedule_page(opened.employee))))
    form = find_form(html(manager.get(links["planning"])), action="")
    assert "conductor" in form.names
    pk = plan_on_page(
        manager,
        schedule_page(opened.employee),
        "planning",
        datetime.datetime(2026, 1, 27, 10),
        extra={"conductor": str(opened.colleague.pk)},
    )

    page = html(colleague.get(detail_page(pk)))
    assert "Sara Visser" in page
    assert "designated by the manager" in page
    assert colleague.get(reverse("conversations:calendar", args=[pk])).status_code == 200
    # The manager still sees it (the employee's manager); another colleague would not.
    assert manager.get(detail_page(pk)).status_code == 200
    assert browser(opened.user("other_manager")).get(detail_page(pk)).status_code == 404


def test_an_employee_cannot_designate_someone_else(opened, time_machine):
    """Only the manager designates; the employee's plan form has no such field."""
    employee = browser(opened.user("employee"))
    links = plan_links(html(employee.get(my_page())))
    assert "conductor" not in find_form(html(employee.get(links["progress"])), action="").names


@pytest.fixture
def assessment(heemstede_cast, time_machine):
    """A newcomer on probation since 1 January 2026 (until 1 January 2027). Heemstede: the
    progress conversation in April records improvement points; the assessment is then due
    three to four months before the probation ends and is held on 14 September. The
    manager writes it; its report is finished."""
    cast = heemstede_cast
    newcomer = EmployeeFactory(
        unit=cast.team,
        first_name="Noor",
        last_name="Smit",
        appointment="probation",
        employment_start=datetime.date(2026, 1, 1),
        probation_end=datetime.date(2027, 1, 1),
    )
    employees_refresh_managers(organisation=cast.organisation)
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(period=2026, today=datetime.date(2026, 1, 5), organisation=cast.organisation.name)
    manager = browser(cast.user("manager"))

    travel(time_machine, datetime.date(2026, 4, 6), browsers=(manager,))
    progress = plan_on_page(manager, schedule_page(newcomer), "progress", datetime.datetime(2026, 4, 8, 10))
    travel(time_machine, datetime.date(2026, 4, 8), 11, 30, browsers=(manager,))
    mark_held(manager, progress, datetime.date(2026, 4, 8))
    write_report(
        manager,
        progress,
        finish=True,
        item_how_it_goes="Wisselend.",
        item_improvement_points="Afspraken beter nakomen.",
        improvement_points="on",
    )

    travel(time_machine, datetime.date(2026, 9, 7), browsers=(manager,))
    pk = plan_on_page(manager, schedule_page(newcomer), "assessment", datetime.datetime(2026, 9, 14, 10))
    travel(time_machine, datetime.date(2026, 9, 14), 11, 30, browsers=(manager,))
    mark_held(manager, pk, datetime.date(2026, 9, 14))
    # An assessment is recorded on its own page: ratings per aspect, overall, motivation.
    response = manager.post(
        reverse("assessments:save", args=[pk]),
        {
            "version": "1",
            "aspect_performance": "3",
            "aspect_competences": "2",
            "aspect_development": "3",
            "overall": "3",
            "motivation": "De verbeterpunten zijn deels gehaald.",
            "show": "1",
        },
        follow=True,
    )
    assert messages_of(response) == ["The assessment is shown to the employee."]
    return pk


def test_the_hr_adviser_reads_the_assessment_under_heemstede(assessment, heemstede_cast):
    """Heemstede's ``visibility.assessment`` is [employee, manager, hr_adviser] ("HR advises
    on objections"): the HR adviser for the sector reads the assessment."""
    adviser = browser(heemstede_cast.user("hr_adviser"))
    assert adviser.get(detail_page(assessment)).status_code == 200
    response = adviser.get(reverse("assessments:detail", args=[assessment]))
    assert response.status_code == 200
    assert "De verbeterpunten zijn deels gehaald." in html(response)


def test_a_colleague_and_another_director_do_not_see_the_assessment(assessment, heemstede_cast):
    for name in ("colleague", "other_director"):
        person = browser(heemstede_cast.user(name))
        assert person.get(detail_page(assessment)).status_code == 404
        assert person.get(reverse("assessments:detail", args=[assessment])).status_code == 404


# -- the invitation ----------------------------------------------------------------------


def event_of(content: bytes):
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_ics_download_is_the_invitation_as_it_stands(planned, opened):
    employee = browser(opened.user("employee"))
    page = html(employee.get(detail_page(planned)))
    url = reverse("conversations:calendar", args=[planned])
    assert f'href="{url}"' in page

    response = employee.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="gesprek-{planned}.ics"'
    calendar, event = event_of(response.content)
    conversation = Conversation.objects.get(pk=planned)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"{conversation.ics_uid}@gesprekscyclus"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == datetime.datetime(2026, 1, 26, 9, 0, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2026, 1, 26, 10, 0, tzinfo=datetime.UTC)
    assert str(event["location"]) == "Raadhuis, kamer 2.14"
    attendees = sorted(str(attendee) for attendee in event["attendee"])
    assert attendees == sorted(f"mailto:{person.email}" for person in (opened.employee, opened.manager))
    assert browser(opened.user("manager")).get(url).status_code == 200


def test_moving_and_cancelling_mail_both_an_updated_invitation(
    planned, opened, mailoutbox, django_capture_on_commit_callbacks
):
    employee = browser(opened.user("employee"))
    manager = browser(opened.user("manager"))
    uid = f"{Conversation.objects.get(pk=planned).ics_uid}@gesprekscyclus"

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            employee,
            detail_page(planned),
            action=detail_action(planned, "reschedule"),
            data={
                "move-date": "2026-01-28",
                "move-time": "14:30",
                "move-duration_minutes": "45",
                "move-location": "",
                "move-online_url": "https://meet.example.org/planning",
            },
        )
    assert messages_of(response) == ["The conversation is moved. Both of you receive the updated invitation."]
    (moved,) = mailoutbox
    assert moved.to == [opened.employee.email, opened.manager.email]
    name, content, mimetype = moved.attachments[0]
    assert mimetype.startswith("text/calendar; method=REQUEST")
    calendar, event = event_of(content)
    assert (str(calendar["method"]), str(event["uid"]), event["sequence"]) == ("REQUEST", uid, 1)
    assert event.decoded("dtstart") == datetime.datetime(2026, 1, 28, 13, 30, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2026, 1, 28, 14, 15, tzinfo=datetime.UTC)
    assert str(event["url"]) == "https://meet.example.org/planning"
    # The download is the same updated event.
    _, downloaded = event_of(manager.get(reverse("conversations:calendar", args=[planned])).content)
    assert downloaded["sequence"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            manager,
            detail_page(planned),
            action=detail_action(planned, "cancel"),
            data={"cancel-reason": "Ziek"},
        )
    assert messages_of(response) == ["The conversation is cancelled; the invitation is withdrawn."]
    cancelled = mailoutbox[1]
    assert cancelled.to == [opened.employee.email, opened.manager.email]
    name, content, mimetype = cancelled.attachments[0]
    assert mimetype.startswith("text/calendar; method=CANCEL")
    calendar, event = event_of(content)
    assert (str(calendar["method"]), str(event["uid"]), event["sequence"]) == ("CANCEL", uid, 2)
    assert str(event["status"]) == "CANCELLED"
    assert "Ziek" in cancelled.body
    page = html(response)
    assert "gc-conversation--cancelled" in page
    assert "reschedule_form" not in response.context
    # A second cancel changes nothing and mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(detail_action(planned, "cancel"), {"cancel-reason": "Nog eens"})
    assert len(mailoutbox) == 2
    # The planning conversation can be planned again.
    assert "planning" in plan_links(html(manager.get(schedule_page(opened.employee))))


def test_a_move_without_a_place_or_link_is_refused_and_nobody_is_mailed(
    planned, opened, mailoutbox, django_capture_on_commit_callbacks
):
    employee = browser(opened.user("employee"))
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            employee,
            detail_page(planned),
            action=detail_action(planned, "reschedule"),
            data={
                "move-date": "2026-01-28",
                "move-time": "14:30",
                "move-location": "",
                "move-online_url": "",
            },
        )
    assert messages_of(response) == ["Give a place or an online link."]
    assert mailoutbox == []
    assert Conversation.objects.get(pk=planned).ics_sequence == 0


def test_the_preparation_is_private_until_shared(planned, opened):
    employee = browser(opened.user("employee"))
    manager = browser(opened.user("manager"))
    prepare(employee, planned, share=False, notes="Alleen voor mij", item_expected_results="Mijn concept")
    page = html(manager.get(detail_page(planned)))
    assert "Alleen voor mij" not in page and "Mijn concept" not in page
    prepare(employee, planned, notes="Alleen voor mij", item_expected_results="Mijn concept")
    page = html(manager.get(detail_page(planned)))
    assert "Alleen voor mij" in page and "Mijn concept" in page


def test_a_shared_preparation_is_shared_with_the_other_side_not_with_the_director(planned, opened):
    """Sharing is "with the other side" (the button, ``preparation_share``); the director
    may read reports under Heemstede, not the employee's notes and self-reflection."""
    employee = browser(opened.user("employee"))
    prepare(employee, planned, notes="Alleen voor Mark", self_reflection="Ik twijfel over mijn functie.")
    assert "Ik twijfel over mijn functie." in html(browser(opened.user("manager")).get(detail_page(planned)))

    page = html(browser(opened.user("director")).get(detail_page(planned)))

    assert "Alleen voor Mark" not in page
    assert "Ik twijfel over mijn functie." not in page


# -- robustness ------------------------------------------------------------------------------


def test_date_fields_carry_iso_dates_that_a_browsers_date_input_understands(planned, opened):
    """``<input type="date">`` only accepts ``yyyy-mm-dd``; any other value shows an empty
    field and is posted empty. In Dutch (the default language) the date fields must still
    carry ISO dates."""
    page = html(browser(opened.user("employee"), language="nl").get(detail_page(planned)))
    values = dict(re.findall(r'<input type="date" name="([\w-]+)" value="([^"]*)"', page))
    assert set(values) >= {"move-date", "held_on"}
    assert values == {
        name: value for name, value in values.items() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    }


def test_a_malformed_follow_up_parameter_does_not_break_the_plan_page(held, opened):
    manager = browser(opened.user("manager"))
    manager.raise_request_exception = False
    links = plan_links(html(manager.get(schedule_page(opened.employee))))
    response = manager.get(f"{links['progress']}?na=abc")
    assert response.status_code in (200, 404)


# -- klassiek: the planning guide's forms ------------------------------------------------------


@pytest.fixture
def klassiek_planned(cast, time_machine):
    """Klassiek (seed 003) in force from 2026; the manager planned the planning conversation
    for 26 January, 10:00; it is 20 January."""
    load(cast.organisation, "klassiek", in_force_from=datetime.date(2026, 1, 1))
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(period=2026, today=datetime.date(2026, 1, 5), organisation=cast.organisation.name)
    travel(time_machine, datetime.date(2026, 1, 20))
    manager = browser(cast.user("manager"))
    return plan_on_page(manager, schedule_page(cast.employee), "planning", datetime.datetime(2026, 1, 26, 10))


def test_a_date_answer_of_a_shared_preparation_reads_as_a_date(klassiek_planned, cast):
    """The agenda's follow-up appointment (a date item) is shown to the other side as a date
    in the reader's language, not as the stored ``2026-06-16`` (found by the klassiek year)."""
    prepare(browser(cast.user("employee")), klassiek_planned, item_follow_up="2026-06-16")

    section = html(browser(cast.user("manager"), language="nl").get(detail_page(klassiek_planned)))
    section = section[section.index('id="preparation-section"') :]

    assert "16 juni 2026" in section
    assert "2026-06-16" not in section


def test_the_improvement_points_box_only_where_the_regulation_needs_it(klassiek_planned, cast, time_machine):
    """The report's box 'Improvement points were discussed' serves Heemstede's probation rule
    (an assessment needs them recorded in a progress conversation); under klassiek no rule
    asks for it, so the planning form does not offer it (found by the klassiek year)."""
    travel(time_machine, datetime.date(2026, 1, 26), 11, 30)
    manager = browser(cast.user("manager"))
    mark_held(manager, klassiek_planned, datetime.date(2026, 1, 26))

    page = html(manager.get(detail_page(klassiek_planned)))

    assert 'name="item_volume"' in page  # the planning form is there
    assert 'name="improvement_points"' not in page


def test_heemstedes_progress_report_keeps_the_improvement_points_box(held_progress, opened):
    manager = browser(opened.user("manager"))
    page = html(manager.get(detail_page(held_progress)))
    assert 'name="improvement_points"' in page
