"""Asking for feedback: the employee asks colleagues anywhere in the organisation; each
person asked gets a task on their Feedback page and one e-mail; answering marks the
request given and mails the one who asked. What cannot be asked is refused with a message
that says why, on the page as well as in the service.

The clock stands still on Monday 2 March 2026 (``standing_still``)."""

import datetime

import pytest
from django.utils import translation

from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.feedback.models import Feedback, FeedbackKind, FeedbackStatus, QuestionSet
from gesprekscyclus.feedback.services import feedback_give, feedback_request
from tests.conversations.pages_helpers import (
    browser,
    find_form,
    html,
    load_form,
    messages_of,
    post_form,
    submit,
)
from tests.feedback.conftest import TODAY, feedback_page, text_of

ASK_PAGE = "/feedback/vragen/"
ANSWER_BY = datetime.date(2026, 3, 20)
QUESTIONS = ["Wat gaat goed in onze samenwerking?", "Wat kan ik beter doen in het casusoverleg?"]
MESSAGE = "Ik bereid mijn planningsgesprek voor."
ANSWER = "Je bent altijd goed voorbereid; laat anderen vaker uitpraten."


def ask_on_page(client, **fields):
    """Fill in the request form like the employee does and send it."""
    data = {
        "questions": "\n".join(QUESTIONS),
        "message": MESSAGE,
        "answer_by": ANSWER_BY.isoformat(),
    } | fields
    return submit(client, ASK_PAGE, action="", data=data)


@pytest.fixture
def asked(named, teammate, standing_still):
    """The employee asked the colleague and the teammate (through the service)."""
    return feedback_request(
        givers=[named.colleague, teammate],
        questions=QUESTIONS,
        message=MESSAGE,
        answer_by=ANSWER_BY,
        acting_user=named.user("employee"),
    )


def test_asking_several_colleagues_gives_each_one_task_and_one_mail(
    named, teammate, standing_still, django_capture_on_commit_callbacks, mailoutbox
):
    employee = browser(named.user("employee"))
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_on_page(
            employee,
            # Anyone in the organisation, the manager too; a repeated address counts once.
            givers="cor.coevorden@teststad.nl\ntom.tiel@teststad.nl, Oscar.Oldenzaal@teststad.nl\n"
            "mila.maassluis@teststad.nl\ncor.coevorden@teststad.nl",
        )

    assert messages_of(response) == ["Your request has been sent."]
    requests = Feedback.objects.filter(receiver=named.employee)
    assert sorted(requests.values_list("giver__email", flat=True)) == [
        "cor.coevorden@teststad.nl",
        "mila.maassluis@teststad.nl",
        "oscar.oldenzaal@teststad.nl",
        "tom.tiel@teststad.nl",
    ]
    assert {(r.kind, r.status, r.answer_by) for r in requests} == {
        (FeedbackKind.REQUESTED, FeedbackStatus.ASKED, ANSWER_BY)
    }
    assert all(r.questions == QUESTIONS for r in requests)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "cor.coevorden@teststad.nl",
        "mila.maassluis@teststad.nl",
        "oscar.oldenzaal@teststad.nl",
        "tom.tiel@teststad.nl",
    ]
    assert all(len(message.to) == 1 for message in mailoutbox)
    mail = next(message for message in mailoutbox if message.to == ["cor.coevorden@teststad.nl"])
    assert mail.subject == "Feedbackverzoek van Eva Ermelo"  # mails are in the installation's language
    assert "Eva Ermelo vraagt u om feedback, uiterlijk op 20-03-2026." in mail.body
    for question in QUESTIONS:
        assert f"- {question}" in mail.body
    assert MESSAGE in mail.body

    # Each person asked has a task on their Feedback page; the employee sees who is left.
    for user in (named.user("colleague"), teammate.user, named.user("other_employee"), named.user("manager")):
        overview = text_of(browser(user).get("/feedback/"))
        assert "Eva Ermelo asks for feedback, by 20 March 2026" in overview
    assert "Nothing to answer." in text_of(browser(named.user("director")).get("/feedback/"))
    waiting = text_of(employee.get("/feedback/"))
    assert "Still waiting for:" in waiting
    assert "Cor Coevorden (20 Mar)" in waiting


def test_the_organisations_question_set_can_be_used_with_own_questions(named, standing_still):
    QuestionSet.objects.create(
        organisation=named.organisation,
        name="Samenwerking",
        questions=["Hoe werk ik samen?", "Wat moet ik blijven doen?"],
    )
    employee = browser(named.user("employee"))
    form = load_form(employee, ASK_PAGE, action="")
    question_set = QuestionSet.objects.get(name="Samenwerking")
    response = post_form(
        employee,
        form,
        data={
            "givers": "cor.coevorden@teststad.nl",
            "question_set": str(question_set.pk),
            "questions": "Wat valt je op aan mijn adviezen?",
            "answer_by": ANSWER_BY.isoformat(),
        },
    )
    assert messages_of(response) == ["Your request has been sent."]
    assert Feedback.objects.get().questions == [
        "Hoe werk ik samen?",
        "Wat moet ik blijven doen?",
        "Wat valt je op aan mijn adviezen?",
    ]


def test_answering_marks_the_request_given_and_mails_the_one_who_asked(
    named, asked, django_capture_on_commit_callbacks, mailoutbox
):
    request = next(r for r in asked if r.giver_id == named.colleague.pk)
    colleague = browser(named.user("colleague"))

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            colleague,
            feedback_page(request.pk),
            action=f"{feedback_page(request.pk)}beantwoorden/",
            data={"answer_0": ANSWER, "answer_1": "  "},
        )

    assert messages_of(response) == ["Thank you; your feedback has been given."]
    request.refresh_from_db()
    assert request.status == FeedbackStatus.GIVEN
    assert request.given_at is not None
    assert request.answers == [ANSWER, ""]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["eva.ermelo@teststad.nl"], "Cor Coevorden heeft u feedback gegeven")
    ]
    assert ANSWER not in mailoutbox[0].body
    # The colleague's task is done; the employee reads the answer.
    assert "Nothing to answer." in text_of(colleague.get("/feedback/"))
    employee_page = text_of(browser(named.user("employee")).get(feedback_page(request.pk)))
    assert ANSWER in employee_page
    assert "Feedback from Cor Coevorden" in employee_page


def test_a_request_is_answered_once_and_only_by_the_person_asked(named, asked, english):
    request = next(r for r in asked if r.giver_id == named.colleague.pk)
    with pytest.raises(Refused, match="Only the person asked can answer."):
        feedback_give(request, answers=[ANSWER], acting_user=named.user("employee"))
    with pytest.raises(Refused, match="Answer at least one question."):
        feedback_give(request, answers=["", " "], acting_user=named.user("colleague"))
    feedback_give(request, answers=[ANSWER], acting_user=named.user("colleague"))
    with pytest.raises(Refused, match="already been answered or declined"):
        feedback_give(request, answers=["Nog iets"], acting_user=named.user("colleague"))
    request.refresh_from_db()
    assert request.answers == [ANSWER, ""]


def test_declining_through_the_page_mails_nobody(
    named, asked, django_capture_on_commit_callbacks, mailoutbox
):
    request = next(r for r in asked if r.giver_id == named.colleague.pk)
    colleague = browser(named.user("colleague"))
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(colleague, feedback_page(request.pk), button=("decline", "1"), data={})
    assert messages_of(response) == ["You declined the request."]
    request.refresh_from_db()
    assert request.status == FeedbackStatus.DECLINED
    assert mailoutbox == []
    overview = text_of(browser(named.user("employee")).get("/feedback/"))
    assert "Still waiting for: Tom Tiel (20 Mar)" in overview
    assert "Cor Coevorden" not in overview


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("yourself", "You cannot ask yourself for feedback."),
        ("another organisation", "Frits Franeker works in another organisation."),
        ("yesterday", "Give the people you ask at least until tomorrow."),
        ("today", "Give the people you ask at least until tomorrow."),
        ("no questions", "Ask at least one question."),
        ("blank questions", "Ask at least one question."),
        ("nobody", "Choose at least one person to ask."),
    ],
)
def test_what_cannot_be_asked_is_refused_by_the_service(
    named, standing_still, django_capture_on_commit_callbacks, mailoutbox, case, error
):
    givers = {
        "yourself": [named.colleague, named.employee],  # the colleague first: nothing is kept
        "another organisation": [named.colleague, named.foreign_employee],
        "nobody": [],
    }.get(case, [named.colleague])
    questions = {"no questions": [], "blank questions": ["  ", ""]}.get(case, QUESTIONS)
    answer_by = {"yesterday": TODAY - datetime.timedelta(days=1), "today": TODAY}.get(case, ANSWER_BY)

    with (
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused) as refusal,
    ):
        feedback_request(
            givers=givers,
            questions=questions,
            message=MESSAGE,
            answer_by=answer_by,
            acting_user=named.user("employee"),
        )

    assert str(refusal.value) == error
    assert not Feedback.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("case", "fields", "error"),
    [
        ("yourself", {"givers": "eva.ermelo@teststad.nl"}, "You cannot ask yourself for feedback."),
        (
            "another organisation",
            {"givers": "cor.coevorden@teststad.nl\nfrits.franeker@elders.nl"},
            "Not an e-mail address of a colleague: frits.franeker@elders.nl",
        ),
        (
            "a past date",
            {"answer_by": (TODAY - datetime.timedelta(days=1)).isoformat()},
            "Give the people you ask at least until tomorrow.",
        ),
        ("no questions", {"questions": "\n  \n"}, "Choose the organisation's questions or write your own."),
        (
            "unknown addresses",
            {"givers": "cor.coevorden@teststad.nl\nnobody@teststad.nl, cor.coevordn@teststad.nl"},
            "Not an e-mail address of a colleague: nobody@teststad.nl, cor.coevordn@teststad.nl",
        ),
    ],
)
def test_what_cannot_be_asked_is_refused_on_the_page(
    named, standing_still, django_capture_on_commit_callbacks, mailoutbox, case, fields, error
):
    employee = browser(named.user("employee"))
    values = {"givers": "cor.coevorden@teststad.nl"} | fields
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_on_page(employee, **values)

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = text_of(response)
    assert "Please correct the following:" in page
    assert error in page
    assert not Feedback.objects.exists()
    assert mailoutbox == []
    # What the employee typed is still there to correct.
    form = find_form(html(response), action="")
    assert dict(form.fields)["givers"] == values["givers"]


def test_someone_without_an_employee_cannot_ask(named, standing_still):
    outsider = browser(named.outsider)
    assert outsider.get(ASK_PAGE).status_code == 404
    with pytest.raises(Refused, match="Only employees ask for and give feedback."):
        feedback_request(
            givers=[named.colleague],
            questions=QUESTIONS,
            message="",
            answer_by=ANSWER_BY,
            acting_user=named.outsider,
        )
