"""Who sees a piece of feedback: the receiver, the giver and — once the receiver brings it
into a conversation — the other participant of that conversation. Nobody else: not the
manager otherwise, not HR, not the director, not a superuser.

Every row of the matrix is checked three ways, as a user would meet it: the rule itself
(``feedback_visible_to``), the feedback's own page (``/feedback/<pk>/``: 200 or 404) and the
conversation page (the feedback's text is there or not).
"""

import pytest

from gesprekscyclus.accounts.models import User
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.feedback.models import FeedbackKind, FeedbackSelection, FeedbackStatus
from gesprekscyclus.feedback.services import (
    feedback_bring_into,
    feedback_decline,
    feedback_request,
    feedback_visible_to,
    feedback_withdraw_from,
)
from tests.conversations.conftest import BEFORE_TAKEOVER, PLANNING_DAY, cycle_of
from tests.conversations.pages_helpers import browser, find_form, html, messages_of, submit
from tests.feedback.conftest import TODAY, conversation_page, feedback_page, offer, text_of, user_of

FEEDBACK = "Je legt ingewikkelde regelingen helder uit aan inwoners aan de balie."
QUESTION = "Hoe ervaar jij mijn rol in het casusoverleg?"
REQUEST_MESSAGE = "Ik bereid mijn planningsgesprek voor en hoor graag je eerlijke mening."
UPWARD = "Je geeft ons veel ruimte, maar de teamoverleggen lopen vaak uit."

# Who may see the colleague's feedback to the employee, before and after the employee
# brought it into the planning conversation (the employee with the manager conducting).
MATRIX_ROLES = [
    "colleague",  # the giver
    "employee",  # the receiver
    "manager",  # the receiver's manager and the conversation's other participant
    "teammate",  # another colleague in the same team
    "other_employee",  # a colleague in another team
    "hr_admin",
    "hr_adviser",
    "director",
    "outsider",  # an account without an employee
]
SEES = {
    False: {"colleague", "employee"},
    True: {"colleague", "employee", "manager"},
}
ON_THE_CONVERSATION_PAGE = {
    False: set(),
    True: {"employee", "manager"},
}


@pytest.fixture
def given(named, teammate):
    """The colleague gave the employee unasked feedback."""
    return offer(named, "colleague", "employee", FEEDBACK)


def sees(user, feedback) -> bool:
    return feedback_visible_to(user).filter(pk=feedback.pk).exists()


@pytest.mark.parametrize("brought_in", [False, True], ids=["not brought in", "brought in"])
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_who_sees_feedback_a_colleague_gave(named, teammate, given, planning, role, brought_in):
    if brought_in:
        feedback_bring_into(given, conversation=planning, acting_user=named.user("employee"))
    user = user_of(named, role, teammate)
    may = role in SEES[brought_in]

    assert sees(user, given) is may

    page = browser(user).get(feedback_page(given.pk))
    assert page.status_code == (200 if may else 404)
    assert (FEEDBACK in text_of(page)) is may

    conversation = browser(user).get(conversation_page(planning.pk))
    assert conversation.status_code in (200, 404)
    assert (FEEDBACK in text_of(conversation)) is (role in ON_THE_CONVERSATION_PAGE[brought_in])


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_feedback_is_listed_only_for_its_receiver_and_its_giver(named, teammate, given, planning, role):
    feedback_bring_into(given, conversation=planning, acting_user=named.user("employee"))
    user = user_of(named, role, teammate)
    overview = browser(user).get("/feedback/")
    if role == "outsider":
        assert overview.status_code == 404
        return
    assert overview.status_code == 200
    assert (feedback_page(given.pk) in html(overview)) is (role in {"colleague", "employee"})


def test_a_superuser_who_is_not_involved_sees_no_feedback(named, given, planning):
    feedback_bring_into(given, conversation=planning, acting_user=named.user("employee"))
    User.objects.filter(pk=named.hr_admin.user_id).update(is_superuser=True, is_staff=True)
    superuser = User.objects.get(pk=named.hr_admin.user_id)

    assert not sees(superuser, given)
    assert browser(superuser).get(feedback_page(given.pk)).status_code == 404
    assert FEEDBACK not in text_of(browser(superuser).get(conversation_page(planning.pk)))


def test_the_employee_brings_feedback_in_from_its_page_and_the_manager_reads_it_there(named, given, planning):
    employee = browser(named.user("employee"))
    manager = browser(named.user("manager"))
    assert FEEDBACK not in text_of(manager.get(conversation_page(planning.pk)))

    response = submit(employee, feedback_page(given.pk), having="gesprek", data={"gesprek": str(planning.pk)})

    assert messages_of(response) == ["The feedback is part of the conversation's preparation now."]
    manager_view = text_of(manager.get(conversation_page(planning.pk)))
    assert FEEDBACK in manager_view
    assert "Feedback from Cor Coevorden" in manager_view
    assert FEEDBACK in text_of(employee.get(conversation_page(planning.pk)))


def test_feedback_taken_out_again_is_no_longer_seen_by_the_manager(named, given, planning):
    employee = browser(named.user("employee"))
    manager = browser(named.user("manager"))
    feedback_bring_into(given, conversation=planning, acting_user=named.user("employee"))
    assert manager.get(feedback_page(given.pk)).status_code == 200

    response = submit(employee, feedback_page(given.pk), button=("withdraw", "1"), data={})

    assert messages_of(response) == ["The feedback is no longer part of that conversation."]
    assert not FeedbackSelection.objects.filter(feedback=given).exists()
    assert not sees(named.user("manager"), given)
    assert manager.get(feedback_page(given.pk)).status_code == 404
    assert FEEDBACK not in text_of(manager.get(conversation_page(planning.pk)))
    # The receiver and the giver still have it.
    assert sees(named.user("employee"), given)
    assert sees(named.user("colleague"), given)


def test_only_the_receiver_brings_feedback_in_and_only_into_their_own_conversation(
    named, teammate, given, planning, plan, cycle, english
):
    with pytest.raises(Refused, match="Only the person who received the feedback"):
        feedback_bring_into(given, conversation=planning, acting_user=named.user("colleague"))
    # The manager cannot pull it into the conversation either, even after seeing it there.
    feedback_bring_into(given, conversation=planning, acting_user=named.user("employee"))
    with pytest.raises(Refused, match="Only the person who received the feedback"):
        feedback_withdraw_from(given, conversation=planning, acting_user=named.user("manager"))
    # A conversation of someone else: the colleague's own planning conversation.
    colleagues = plan(
        cycle_of(named.colleague), "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, by="colleague"
    )
    with pytest.raises(Refused, match="Bring it into a conversation you take part in"):
        feedback_bring_into(given, conversation=colleagues, acting_user=named.user("employee"))
    assert FEEDBACK not in text_of(browser(named.user("colleague")).get(conversation_page(colleagues.pk)))


@pytest.mark.parametrize("answered", ["asked", "declined"])
def test_requested_feedback_that_was_not_given_is_never_shown_to_others(
    named, teammate, planning, standing_still, answered, english
):
    (request,) = feedback_request(
        givers=[named.colleague],
        questions=[QUESTION],
        message=REQUEST_MESSAGE,
        answer_by=TODAY.replace(day=20),
        acting_user=named.user("employee"),
    )
    if answered == "declined":
        feedback_decline(request, acting_user=named.user("colleague"))
    with pytest.raises(Refused, match="Only feedback that was given"):
        feedback_bring_into(request, conversation=planning, acting_user=named.user("employee"))

    # Through the page: no form to bring it in, and posting anyway is refused.
    employee = browser(named.user("employee"))
    page = html(employee.get(feedback_page(request.pk)))
    assert 'name="gesprek"' not in page
    response = employee.post(
        f"{feedback_page(request.pk)}gebruiken/", {"gesprek": str(planning.pk)}, follow=True
    )
    assert messages_of(response) == ["Only feedback that was given can be brought into a conversation."]
    assert not FeedbackSelection.objects.exists()

    for role in ("manager", "teammate", "other_employee", "hr_admin", "hr_adviser", "director", "outsider"):
        user = user_of(named, role, teammate)
        assert not sees(user, request), role
        assert browser(user).get(feedback_page(request.pk)).status_code == 404, role
        conversation = text_of(browser(user).get(conversation_page(planning.pk)))
        assert QUESTION not in conversation, role
        assert REQUEST_MESSAGE not in conversation, role
    # The person asked sees the request; the one who asked sees it is waiting.
    for role in ("colleague", "employee"):
        page = browser(named.user(role)).get(feedback_page(request.pk))
        assert page.status_code == 200
        assert QUESTION in text_of(page)


def test_upward_feedback_is_the_managers_and_not_their_managers(named, teammate):
    upward = offer(named, "employee", "manager", UPWARD)
    assert upward.kind == FeedbackKind.UPWARD
    assert upward.status == FeedbackStatus.GIVEN

    manager = browser(named.user("manager"))
    assert sees(named.user("manager"), upward)
    page = manager.get(feedback_page(upward.pk))
    assert page.status_code == 200
    assert UPWARD in text_of(page)
    assert "Feedback from Eva Ermelo" in text_of(page)
    assert feedback_page(upward.pk) in html(manager.get("/feedback/"))

    for role in ("director", "secretary", "colleague", "teammate", "hr_admin", "hr_adviser"):
        user = teammate.user if role == "teammate" else named.user(role)
        assert not sees(user, upward), role
        assert browser(user).get(feedback_page(upward.pk)).status_code == 404, role


def test_feedback_to_someone_who_is_not_ones_manager_is_not_upward(named):
    assert offer(named, "colleague", "employee", FEEDBACK).kind == FeedbackKind.UNASKED
    # The director is the manager's manager, not the employee's.
    assert offer(named, "employee", "director", UPWARD).kind == FeedbackKind.UNASKED
    assert offer(named, "employee", "manager", "Dank voor je steun!", compliment=True).kind == (
        FeedbackKind.COMPLIMENT
    )


def test_giving_feedback_through_the_page(named, django_capture_on_commit_callbacks, mailoutbox):
    colleague = browser(named.user("colleague"))
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            colleague,
            "/feedback/geven/",
            action="",
            data={"receiver": "Eva.Ermelo@teststad.nl", "text": FEEDBACK},
        )
    assert messages_of(response) == ["Your feedback has been given."]
    assert [message.to for message in mailoutbox] == [["eva.ermelo@teststad.nl"]]
    assert FEEDBACK not in mailoutbox[0].body  # the mail says where to read it, not what
    employee_overview = html(browser(named.user("employee")).get("/feedback/"))
    assert "Cor Coevorden" in employee_overview


@pytest.mark.parametrize(
    ("receiver", "error"),
    [
        ("cor.coevorden@teststad.nl", "You cannot give feedback to yourself."),
        ("frits.franeker@elders.nl", "Not an e-mail address of a colleague: frits.franeker@elders.nl"),
    ],
)
def test_giving_feedback_to_oneself_or_outside_the_organisation_is_refused(named, receiver, error):
    colleague = browser(named.user("colleague"))
    response = submit(colleague, "/feedback/geven/", action="", data={"receiver": receiver, "text": FEEDBACK})
    assert response.status_code == 200
    assert error in text_of(response)
    assert not named.colleague.feedback_given.exists()


def test_the_bring_in_form_offers_the_receivers_open_conversations_only(named, given, planning):
    page = html(browser(named.user("employee")).get(feedback_page(given.pk)))
    form = find_form(page, having="gesprek")
    assert dict(form.fields)["gesprek"] == str(planning.pk)
    # The giver has no such form on the same page.
    assert 'name="gesprek"' not in html(browser(named.user("colleague")).get(feedback_page(given.pk)))
