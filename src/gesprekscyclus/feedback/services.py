"""Asking, giving and using feedback, and the development scan.

Who sees what (``feedback_visible_to`` is the one place it is decided):

* the receiver: everything they received;
* the giver: what they gave (and requests waiting for them);
* the other participant of a conversation into which the receiver brought it: that
  selection, from that conversation's page;
* nobody else — not the manager, not HR, not a superuser.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.models import LOCKED_STATUSES, Conversation
from gesprekscyclus.conversations.notifications import _after_commit
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Employee

from .models import (
    Feedback,
    FeedbackKind,
    FeedbackSelection,
    FeedbackStatus,
    ScanQuestionnaire,
    ScanResponse,
)

MAX_QUESTIONS = 10
REMIND_DAYS_BEFORE = 2


def _me(user) -> Employee:
    actor = actor_for(user)
    if actor.employee_id is None:
        raise Refused(_("Only employees ask for and give feedback."))
    return Employee.objects.select_related("manager").get(pk=actor.employee_id)


def feedback_visible_to(user) -> QuerySet[Feedback]:
    actor = actor_for(user)
    if actor.employee_id is None:
        return Feedback.objects.none()
    me = actor.employee_id
    brought_in = FeedbackSelection.objects.filter(
        Q(conversation__employee_id=me) | Q(conversation__conductor_id=me)
    ).values("feedback_id")
    return Feedback.objects.filter(
        Q(receiver_id=me) | Q(giver_id=me) | Q(pk__in=brought_in, status=FeedbackStatus.GIVEN)
    )


@transaction.atomic
def feedback_request(
    *, givers: list[Employee], questions: list[str], message: str, answer_by: datetime.date, acting_user
) -> list[Feedback]:
    """Ask one or more people for feedback; each gets a task and an e-mail."""
    me = _me(acting_user)
    questions = [question.strip() for question in questions if question.strip()][:MAX_QUESTIONS]
    if not questions:
        raise Refused(_("Ask at least one question."))
    if not givers:
        raise Refused(_("Choose at least one person to ask."))
    if answer_by <= timezone.localdate():
        raise Refused(_("Give the people you ask at least until tomorrow."))
    created = []
    for giver in givers:
        if giver.pk == me.pk:
            raise Refused(_("You cannot ask yourself for feedback."))
        if giver.organisation_id != me.organisation_id:
            raise Refused(_("%(name)s works in another organisation.") % {"name": giver.full_name})
        created.append(
            Feedback.objects.create(
                organisation_id=me.organisation_id,
                receiver=me,
                giver=giver,
                kind=FeedbackKind.REQUESTED,
                status=FeedbackStatus.ASKED,
                message=message.strip(),
                questions=questions,
                answer_by=answer_by,
            )
        )
    audit_record(
        action="feedback.requested",
        actor=acting_user,
        organisation=me.organisation,
        details={"givers": len(created), "answer_by": answer_by.isoformat()},
    )
    for feedback in created:
        _after_commit(_mail_request, feedback)
    return created


def _mail(to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


def _mail_request(feedback: Feedback) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(name)s asks you for feedback, by %(date)s.")
            % {"name": feedback.receiver.full_name, "date": feedback.answer_by.strftime("%d-%m-%Y")},
            "",
            *[f"- {question}" for question in feedback.questions],
            "",
            feedback.message,
            "",
            _("Answer it in Gesprekscyclus under Feedback."),
        ]
        _mail(
            feedback.giver.email,
            _("Feedback asked by %(name)s") % {"name": feedback.receiver.full_name},
            "\n".join(lines),
        )


@transaction.atomic
def feedback_give(feedback: Feedback, *, answers: list[str], acting_user) -> Feedback:
    """The person asked answers the questions."""
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("giver", "receiver")
        .get(pk=feedback.pk)
    )
    if _me(acting_user).pk != feedback.giver_id:
        raise Refused(_("Only the person asked can answer."))
    if feedback.status != FeedbackStatus.ASKED:
        raise Refused(_("This request has already been answered or declined."))
    answers = [answer.strip() for answer in answers][: len(feedback.questions)]
    if not any(answers):
        raise Refused(_("Answer at least one question."))
    feedback.answers = answers + [""] * (len(feedback.questions) - len(answers))
    feedback.status = FeedbackStatus.GIVEN
    feedback.given_at = timezone.now()
    feedback.save(update_fields=["answers", "status", "given_at"])
    _after_commit(_mail_given, feedback)
    return feedback


def _mail_given(feedback: Feedback) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _mail(
            feedback.receiver.email,
            _("%(name)s gave you feedback") % {"name": feedback.giver.full_name},
            _(
                "Read it in Gesprekscyclus under Feedback. "
                "Only you see it, unless you bring it into a conversation."
            ),
        )


@transaction.atomic
def feedback_decline(feedback: Feedback, *, acting_user) -> Feedback:
    feedback = Feedback.objects.select_for_update(of=("self",)).get(pk=feedback.pk)
    if _me(acting_user).pk != feedback.giver_id:
        raise Refused(_("Only the person asked can decline."))
    if feedback.status == FeedbackStatus.ASKED:
        feedback.status = FeedbackStatus.DECLINED
        feedback.save(update_fields=["status"])
    return feedback


@transaction.atomic
def feedback_offer(*, receiver: Employee, text: str, compliment: bool = False, acting_user) -> Feedback:
    """Unasked feedback or a compliment to a colleague; to one's own manager it is upward
    feedback (the manager's functioning can be discussed too)."""
    me = _me(acting_user)
    if receiver.pk == me.pk:
        raise Refused(_("You cannot give feedback to yourself."))
    if receiver.organisation_id != me.organisation_id:
        raise Refused(_("%(name)s works in another organisation.") % {"name": receiver.full_name})
    if not text.strip():
        raise Refused(_("Write your feedback."))
    if compliment:
        kind = FeedbackKind.COMPLIMENT
    elif me.manager_id == receiver.pk:
        kind = FeedbackKind.UPWARD
    else:
        kind = FeedbackKind.UNASKED
    feedback = Feedback.objects.create(
        organisation_id=me.organisation_id,
        receiver=receiver,
        giver=me,
        kind=kind,
        status=FeedbackStatus.GIVEN,
        text=text.strip(),
        given_at=timezone.now(),
    )
    _after_commit(_mail_given, feedback)
    return feedback


@transaction.atomic
def feedback_bring_into(feedback: Feedback, *, conversation: Conversation, acting_user) -> FeedbackSelection:
    """The receiver brings feedback into a conversation they take part in; the other
    participant then sees it there."""
    me = _me(acting_user)
    if feedback.receiver_id != me.pk:
        raise Refused(_("Only the person who received the feedback decides where it is used."))
    if feedback.status != FeedbackStatus.GIVEN:
        raise Refused(_("Only feedback that was given can be brought into a conversation."))
    if conversation.side_of(me.pk) is None:
        raise Refused(_("Bring it into a conversation you take part in."))
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("The report of that conversation is final."))
    selection, _created = FeedbackSelection.objects.get_or_create(
        feedback=feedback, conversation=conversation
    )
    return selection


@transaction.atomic
def feedback_withdraw_from(feedback: Feedback, *, conversation: Conversation, acting_user) -> None:
    me = _me(acting_user)
    if feedback.receiver_id != me.pk:
        raise Refused(_("Only the person who received the feedback decides where it is used."))
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("The report of that conversation is final."))
    FeedbackSelection.objects.filter(feedback=feedback, conversation=conversation).delete()


def feedback_remind(*, today: datetime.date) -> int:
    """Remind the people asked, once, two days before the answer-by date."""
    due = Feedback.objects.filter(
        status=FeedbackStatus.ASKED,
        reminded_at__isnull=True,
        answer_by__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        answer_by__gte=today,
    ).select_related("giver", "receiver")
    count = 0
    for feedback in due:
        with transaction.atomic():
            # Claim the reminder first, so a second run at the same time sends nothing.
            claimed = Feedback.objects.filter(pk=feedback.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            _after_commit(_mail_reminder, feedback)
            count += 1
    return count


def _mail_reminder(feedback: Feedback) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _mail(
            feedback.giver.email,
            _("Reminder: feedback for %(name)s by %(date)s")
            % {"name": feedback.receiver.full_name, "date": feedback.answer_by.strftime("%d-%m-%Y")},
            _("%(name)s asked you for feedback. Answer it in Gesprekscyclus under Feedback.")
            % {"name": feedback.receiver.full_name},
        )


# -- the development scan --------------------------------------------------------------------

DEFAULT_SCAN = [
    {
        "title": "Wie ben ik?",
        "statements": [
            "Ik weet waar ik goed in ben.",
            "Ik weet wat mij energie geeft in mijn werk.",
            "Ik ken mijn valkuilen.",
            "Ik vraag regelmatig om feedback.",
        ],
    },
    {
        "title": "Wat wil ik?",
        "statements": [
            "Ik weet welk werk ik over drie jaar wil doen.",
            "Ik wil mij verder ontwikkelen in mijn huidige functie.",
            "Ik sta open voor ander werk binnen de organisatie.",
            "Mijn werk en privéleven zijn in balans.",
        ],
    },
    {
        "title": "Wat kan ik?",
        "statements": [
            "Ik beheers de vaardigheden die mijn functie vraagt.",
            "Ik leer snel nieuwe dingen.",
            "Ik kan mijn kennis overdragen aan anderen.",
            "Ik houd mijn vakkennis bij.",
        ],
    },
]


def scan_questionnaire(organisation) -> ScanQuestionnaire:
    questionnaire, _created = ScanQuestionnaire.objects.get_or_create(
        organisation=organisation, defaults={"sections": DEFAULT_SCAN}
    )
    return questionnaire


def scan_save(*, answers: dict[str, int], reflection: str, complete: bool, acting_user) -> ScanResponse:
    """Save the answers (always, as a draft); finishing needs every statement answered."""
    me = _me(acting_user)
    questionnaire = scan_questionnaire(me.organisation)
    scan = ScanResponse.objects.filter(employee=me, completed_at__isnull=True).first()
    if scan is None:
        scan = ScanResponse(employee=me, sections=questionnaire.sections)
    keys = {
        f"{s}.{n}"
        for s, section in enumerate(scan.sections)
        for n, _statement in enumerate(section["statements"])
    }
    clean = {key: int(value) for key, value in answers.items() if key in keys and value in (1, 2, 3, 4, 5)}
    scan.answers = clean
    scan.reflection = reflection.strip()
    missing = len(keys) - len(clean)
    if complete and not missing:
        scan.completed_at = timezone.now()
    scan.save()
    if complete and missing:
        raise Refused(
            _("Your answers are saved. Answer every statement before finishing (%(count)d open).")
            % {"count": missing}
        )
    return scan


def scan_report(scan: ScanResponse) -> list[dict]:
    """Per section: its statements with answers and the average, for the report and chart."""
    report = []
    for s, section in enumerate(scan.sections):
        rows = [
            (statement, scan.answers.get(f"{s}.{n}")) for n, statement in enumerate(section["statements"])
        ]
        values = [value for _statement, value in rows if value]
        report.append(
            {
                "title": section["title"],
                "rows": rows,
                "average": round(sum(values) / len(values), 1) if values else None,
            }
        )
    return report


@transaction.atomic
def scan_share(
    scan: ScanResponse, *, with_manager: bool, conversation: Conversation | None, acting_user
) -> ScanResponse:
    me = _me(acting_user)
    if scan.employee_id != me.pk:
        raise Refused(_("Only you decide who sees your scan."))
    if conversation is not None and conversation.side_of(me.pk) is None:
        raise Refused(_("Bring it into a conversation you take part in."))
    scan.shared_with_manager = with_manager
    scan.conversation = conversation
    scan.save(update_fields=["shared_with_manager", "conversation"])
    return scan


# -- what the organisation configures ----------------------------------------------------------


@transaction.atomic
def question_set_save(*, organisation, name: str, questions: list[str], question_set=None, acting_user=None):
    from .models import QuestionSet

    name = name.strip()
    questions = [question.strip() for question in questions if question.strip()][:MAX_QUESTIONS]
    if not name or not questions:
        raise Refused(_("Give the set a name and at least one question."))
    clash = QuestionSet.objects.filter(organisation=organisation, name__iexact=name)
    if question_set is not None:
        clash = clash.exclude(pk=question_set.pk)
    if clash.exists():
        raise Refused(_("A question set with this name already exists."))
    question_set = question_set or QuestionSet(organisation=organisation)
    question_set.name, question_set.questions = name, questions
    question_set.save()
    audit_record(
        action="feedback.question_set_saved", actor=acting_user, organisation=organisation, obj=question_set
    )
    return question_set


def parse_scan_text(text: str) -> list[dict]:
    """``# Section`` lines start a section; the lines below it are its statements."""
    sections: list[dict] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            sections.append({"title": line.lstrip("#").strip(), "statements": []})
        elif not sections:
            raise Refused(_("Start with a section title on a line beginning with #."))
        else:
            sections[-1]["statements"].append(line)
    if not sections or any(not section["title"] or not section["statements"] for section in sections):
        raise Refused(_("Every section needs a title and at least one statement."))
    return sections


def scan_text(sections: list[dict]) -> str:
    return "\n".join(
        line for section in sections for line in (f"# {section['title']}", *section["statements"], "")
    ).strip()


@transaction.atomic
def scan_configure(*, organisation, text: str, acting_user=None) -> ScanQuestionnaire:
    """Change the organisation's development scan; scans already answered keep the
    questions they were answered with."""
    questionnaire = scan_questionnaire(organisation)
    questionnaire.sections = parse_scan_text(text)
    questionnaire.save(update_fields=["sections"])
    audit_record(
        action="feedback.scan_configured", actor=acting_user, organisation=organisation, obj=questionnaire
    )
    return questionnaire
