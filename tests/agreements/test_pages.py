"""The agreement page /gesprekken/afspraken/<id>/ and the pages listing agreements.

* The employee reports an agreement at risk, with an explanation: the manager is mailed
  (the duty to inform in time). Without an explanation the page says why and nothing
  changes. The history lists who, when and in which conversation.
* The pages cost the same number of queries with fifteen agreements (and an agreement
  with a long history) as with one.

Heemstede is in force; the 2026 cycles were opened on 5 January. On 20 January the manager
planned the planning conversation for 8:00 that day from the employee's cycle page and
recorded it as held; the agreements were made in it; the employee planned the progress
conversation for 22 June. The pages are used at 11:30.
"""

import datetime
import re

import pytest

from gesprekscyclus.accounts.models import User
from gesprekscyclus.agreements.models import Agreement, AgreementChange
from gesprekscyclus.organisations.models import Employee
from tests.conversations.pages_helpers import (
    agreement_links,
    agreement_page,
    assert_same_query_counts,
    browser,
    detail_page,
    find_form,
    html,
    load_form,
    make_agreement,
    mark_held,
    messages_of,
    my_page,
    plan_on_page,
    post_form,
    queries_of,
    schedule_page,
    submit,
    team_page,
    travel,
)
from tests.cycles.helpers import load, open_cycles

TODAY = datetime.date(2026, 1, 20)
EXPLANATION = "De nieuwe wet vraagt meer tijd per aanvraag."
AT_RISK_REFUSED = "Explain what puts the agreement at risk, so that it can be discussed in time."


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rename(person: Employee, first: str, last: str) -> None:
    Employee.objects.filter(pk=person.pk).update(first_name=first, last_name=last)
    User.objects.filter(pk=person.user_id).update(first_name=first, last_name=last)
    person.refresh_from_db()


@pytest.fixture
def year(cast, time_machine):
    """Heemstede in force, the 2026 cycles open; the planning conversation held today and
    the progress conversation planned (see the module docstring). ``year.planning`` and
    ``year.progress`` are their ids."""
    rename(cast.employee, "Eva", "Jansen")
    rename(cast.manager, "Mark", "Bakker")
    load(cast.organisation, "heemstede")
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(today=datetime.date(2026, 1, 5), organisation=cast.organisation.name)
    travel(time_machine, TODAY, 8)
    manager = browser(cast.user("manager"))
    employee = browser(cast.user("employee"))
    cast.planning = plan_on_page(
        manager, schedule_page(cast.employee), "planning", datetime.datetime(2026, 1, 20, 8)
    )
    travel(time_machine, TODAY, 11, 30, browsers=(manager, employee))
    mark_held(manager, cast.planning, TODAY)
    cast.progress = plan_on_page(employee, my_page(), "progress", datetime.datetime(2026, 6, 22, 10))
    return cast


def agree(cast, count: int, *, first: int = 1) -> list[int]:
    """``count`` agreements made in the planning conversation, through its page."""
    manager = browser(cast.user("manager"))
    for number in range(first, first + count):
        make_agreement(
            manager,
            cast.planning,
            kind="work_result",
            description=f"Afspraak {number:02d}: aanvragen binnen acht weken",
            indicator="Maandrapportage",
            target=f"{80 + number}%",
            deadline=datetime.date(2026, 12, 1) - datetime.timedelta(days=number),
        )
    return list(agreement_links(html(manager.get(detail_page(cast.planning)))).values())


@pytest.fixture
def agreement(year) -> int:
    (pk,) = agree(year, 1)
    return pk


def options_of(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def history_entries(page: str) -> list[str]:
    section = re.search(r'<section aria-labelledby="history">(.*?)</section>', page, re.S).group(1)
    return re.split(r"<li>\s*<p><strong>", section)[1:]


# -- at risk ---------------------------------------------------------------------------


def test_the_employee_reports_an_agreement_at_risk_and_the_manager_is_mailed(
    year, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    employee = browser(year.user("employee"))
    form = load_form(employee, agreement_page(agreement), having="status")
    assert "gesprek" not in form.names  # outside a conversation
    assert "Let your manager know in time" in html(employee.get(agreement_page(agreement)))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(employee, form, data={"status": "at_risk", "explanation": EXPLANATION})

    assert messages_of(response) == ["The status is changed."]
    assert 'gc-agreement--at_risk">at risk' in html(response)
    (mail,) = mailoutbox
    assert mail.to == [year.manager.email]
    assert "Eva Jansen" in mail.subject
    assert EXPLANATION in mail.body
    assert "Afspraak 01: aanvragen binnen acht weken" in mail.body
    # The history: who, when, outside a conversation, with the explanation.
    entries = history_entries(html(response))
    assert len(entries) == 2
    assert entries[1].startswith("20 January 2026 11:30</strong> — Eva Jansen</p>")
    assert "in the conversation of" not in entries[1]
    # Read as a person reads it: the field's label and the status by its name, not its code.
    assert "<li>Status: open → at risk</li>" in entries[1]
    assert "at_risk" not in entries[1]
    assert EXPLANATION in entries[1]
    # The manager sees it on the team page.
    manager = browser(year.user("manager"))
    team = manager.get(team_page())
    row = next(member for member in team.context["members"] if member["person"].pk == year.employee.pk)
    assert row["at_risk"] == 1
    assert 'gc-agreement--at_risk">1</span>' in html(team)


def test_without_an_explanation_the_page_shows_the_error_and_nothing_changes(
    year, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    employee = browser(year.user("employee"))

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            employee,
            agreement_page(agreement),
            having="status",
            data={"status": "at_risk", "explanation": "  "},
        )

    assert response.status_code == 200
    assert messages_of(response) == [AT_RISK_REFUSED]
    assert "gc-alert--error" in html(response)
    assert 'gc-agreement--open">open' in html(response)
    saved = Agreement.objects.get(pk=agreement)
    assert (saved.status, saved.version) == ("open", 1)
    assert AgreementChange.objects.filter(agreement=saved).count() == 1  # only its creation
    assert len(history_entries(html(response))) == 1
    assert mailoutbox == []


def test_the_manager_setting_at_risk_mails_nobody(
    year, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    manager = browser(year.user("manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            manager,
            agreement_page(agreement),
            having="status",
            data={"status": "at_risk", "explanation": "Drukte"},
        )
    assert messages_of(response) == ["The status is changed."]
    assert mailoutbox == []


def test_the_history_shows_who_changed_what_in_which_conversation(year, agreement, time_machine):
    employee = browser(year.user("employee"))
    manager = browser(year.user("manager"))
    travel(time_machine, datetime.date(2026, 6, 22), 11, browsers=(employee, manager))
    mark_held(employee, year.progress, datetime.date(2026, 6, 22))
    # Listed on the progress conversation with a link for changing it there.
    assert f'href="{agreement_page(agreement, year.progress)}"' in html(
        manager.get(detail_page(year.progress))
    )
    response = submit(
        manager,
        agreement_page(agreement, year.progress),
        having="description",
        data={"target": "75%", "deadline": "2026-12-31"},
    )
    assert messages_of(response) == ["The agreement is changed."]

    entries = history_entries(html(employee.get(agreement_page(agreement))))

    assert len(entries) == 2
    made, changed = entries
    assert made.startswith("20 January 2026 11:30</strong> — Mark Bakker, in the conversation of")
    assert f'<a href="{detail_page(year.planning)}">20 January 2026</a>' in made
    assert "<li>Agreement: Afspraak 01: aanvragen binnen acht weken</li>" in made
    assert "<li>Kind: work result (quantity)</li>" in made
    assert changed.startswith("22 June 2026 11:00</strong> — Mark Bakker, in the conversation of")
    assert f'<a href="{detail_page(year.progress)}">22 June 2026</a>' in changed
    assert "<li>Target: 81% → 75%</li>" in changed
    assert "<li>Deadline: 30 November 2026 → 31 December 2026</li>" in changed
    assert "Agreement:" not in changed  # only what changed


def test_outside_a_conversation_only_on_track_and_at_risk_can_be_chosen(year, agreement):
    employee = browser(year.user("employee"))
    page = html(employee.get(agreement_page(agreement)))
    assert options_of(page, "status") == ["on_track", "at_risk"]
    assert find_form(page, having="status").names == {
        "csrfmiddlewaretoken",
        "version",
        "status",
        "explanation",
    }
    # Posting an outcome anyway is refused; changing the content needs a conversation.
    response = employee.post(agreement_page(agreement), {"status": "achieved", "version": "1"}, follow=True)
    assert messages_of(response) == ["Choose a status."]
    response = employee.post(
        agreement_page(agreement),
        {"kind": "quality", "description": "Iets anders", "deadline": "2026-12-01", "version": "1"},
    )
    assert response.status_code == 404
    assert Agreement.objects.get(pk=agreement).status == "open"
    assert Agreement.objects.get(pk=agreement).description == "Afspraak 01: aanvragen binnen acht weken"


def test_a_stale_status_form_is_refused_and_names_who_changed_it(year, agreement):
    employee = browser(year.user("employee"))
    manager = browser(year.user("manager"))
    employee_form = load_form(employee, agreement_page(agreement), having="status")
    manager_form = load_form(manager, agreement_page(agreement), having="status")
    post_form(employee, employee_form, data={"status": "at_risk", "explanation": EXPLANATION})

    response = post_form(manager, manager_form, data={"status": "on_track"})

    assert messages_of(response) == [
        "Eva Jansen changed this agreement meanwhile. Reload the page to see the change."
    ]
    assert Agreement.objects.get(pk=agreement).status == "at_risk"


@pytest.mark.parametrize(
    ("role", "status", "may_change"),
    [
        ("employee", 200, True),
        ("manager", 200, True),
        ("director", 200, False),  # Heemstede: agreements [employee, manager, delegate, director]
        ("colleague", 404, False),
        ("other_manager", 404, False),
        ("other_director", 404, False),
        ("hr_adviser", 404, False),
        ("hr_admin", 404, False),
        ("outsider", 404, False),
        ("foreign_employee", 404, False),
    ],
)
def test_who_opens_the_agreement_page_and_who_may_change_its_status(
    year, agreement, role, status, may_change
):
    client = browser(year.user(role))
    response = client.get(agreement_page(agreement))
    assert response.status_code == status
    if status == 200:
        assert (response.context["status_form"] is not None) is may_change
    if not may_change:
        response = client.post(
            agreement_page(agreement), {"status": "at_risk", "explanation": "Ingeslopen", "version": "1"}
        )
        assert response.status_code in (302, 404)
        assert Agreement.objects.get(pk=agreement).status == "open"


def test_the_evaluation_decides_the_outcome(year, agreement, time_machine):
    employee = browser(year.user("employee"))
    manager = browser(year.user("manager"))
    travel(time_machine, datetime.date(2026, 12, 1), browsers=(employee, manager))
    evaluation = plan_on_page(employee, my_page(), "evaluation", datetime.datetime(2026, 12, 8, 10))
    travel(time_machine, datetime.date(2026, 12, 8), 11, browsers=(employee, manager))
    mark_held(employee, evaluation, datetime.date(2026, 12, 8))
    page = html(manager.get(agreement_page(agreement, evaluation)))
    assert options_of(page, "status") == [
        "open",
        "on_track",
        "at_risk",
        "achieved",
        "partly_achieved",
        "not_achieved",
        "withdrawn",
    ]

    response = submit(
        manager, agreement_page(agreement, evaluation), having="status", data={"status": "achieved"}
    )

    assert messages_of(response) == ["The status is changed."]
    assert Agreement.objects.get(pk=agreement).status == "achieved"
    (made, decided) = history_entries(html(employee.get(agreement_page(agreement))))
    assert f'<a href="{detail_page(evaluation)}">8 December 2026</a>' in decided
    assert "<li>Status: open → achieved</li>" in decided


def test_the_evaluation_offers_no_content_change_that_the_regulation_refuses(year, agreement, time_machine):
    """Heemstede lets agreements change only in the planning and progress conversations
    (``work_plan.established_in``/``revised_in``). In the evaluation the agreement page
    should not offer "Change the agreement in this conversation": saving it is always
    refused."""
    employee = browser(year.user("employee"))
    travel(time_machine, datetime.date(2026, 12, 1), browsers=(employee,))
    evaluation = plan_on_page(employee, my_page(), "evaluation", datetime.datetime(2026, 12, 8, 10))
    travel(time_machine, datetime.date(2026, 12, 8), 11, browsers=(employee,))
    mark_held(employee, evaluation, datetime.date(2026, 12, 8))

    response = employee.get(agreement_page(agreement, evaluation))

    assert response.context["status_form"] is not None
    assert response.context["edit_form"] is None, (
        "offered, but saving says: "
        + messages_of(
            submit(
                employee, agreement_page(agreement, evaluation), having="description", data={"target": "1%"}
            )
        )[0]
    )


# -- queries ---------------------------------------------------------------------------


def pages(cast, agreement_pk: int) -> dict[str, tuple[str, str]]:
    return {
        "employee: own cycle page": ("employee", my_page()),
        "manager: the employee's cycle page": ("manager", schedule_page(cast.employee)),
        "manager: team page": ("manager", team_page()),
        "manager: the planning conversation": ("manager", detail_page(cast.planning)),
        "manager: the progress conversation": ("manager", detail_page(cast.progress)),
        "director: the planning conversation": ("director", detail_page(cast.planning)),
        "employee: the agreement": ("employee", agreement_page(agreement_pk)),
        "manager: the agreement in the progress conversation": (
            "manager",
            agreement_page(agreement_pk, cast.progress),
        ),
        "director: the agreement": ("director", agreement_page(agreement_pk)),
    }


def measure(cast, agreement_pk: int) -> dict[str, list[str]]:
    clients = {}
    return {
        name: queries_of(clients.setdefault(role, browser(cast.user(role))), url)
        for name, (role, url) in pages(cast, agreement_pk).items()
    }


def test_pages_use_as_many_queries_for_fifteen_agreements_as_for_one(year):
    (first,) = agree(year, 1)
    before = measure(year, first)

    agree(year, 14, first=2)
    # The first agreement gets a long history: on track and at risk, back and forth.
    employee = browser(year.user("employee"))
    for index in range(14):
        status = "at_risk" if index % 2 == 0 else "on_track"
        submit(
            employee,
            agreement_page(first),
            having="status",
            data={"status": status, "explanation": f"Stand {index}"},
        )
    after = measure(year, first)

    assert_same_query_counts(before, after)
    # The growth really reaches the pages.
    assert len(agreement_links(html(employee.get(my_page())))) == 15
    assert len(history_entries(html(employee.get(agreement_page(first))))) == 15
    manager = browser(year.user("manager"))
    assert len(agreement_links(html(manager.get(detail_page(year.progress))))) == 15


def test_in_a_conversation_the_status_and_change_forms_have_ids_of_their_own(year, agreement):
    """Both forms on the agreement page carry a hidden 'version'; with Django's default ids
    both were id="id_version" (found by the Wierden year scenario)."""
    manager = browser(year.user("manager"))
    page = html(manager.get(agreement_page(agreement, year.planning)))

    assert 'name="description"' in page and 'name="explanation"' in page  # both forms are there
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_designated_person_opens_the_agreement_from_the_conversation_they_conduct(year, agreement):
    """The conversation page lists the open agreements for the person the manager designated
    to conduct it (visibility.agreements includes delegate); the link must open, and only
    from that conversation."""
    from gesprekscyclus.conversations.models import Conversation

    Conversation.objects.filter(pk=year.progress).update(conductor=year.colleague)
    client = browser(year.user("colleague"))
    from_conversation = f"{agreement_page(agreement)}?gesprek={year.progress}"
    assert from_conversation in html(client.get(detail_page(year.progress)))

    assert client.get(from_conversation).status_code == 200
    assert client.get(agreement_page(agreement)).status_code == 404
    assert client.get(f"{agreement_page(agreement)}?gesprek={year.planning}").status_code == 404
