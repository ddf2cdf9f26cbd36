"""Signing, refusing and voiding report versions.

* ``version_for_signing`` freezes what is shown into a ``ReportVersion`` (once per
  round); the page shows exactly that content and posts its hash back.
* ``signature_sign`` asks for a fresh authentication (sole control: the password again,
  or for an account without a password, one that logs in through single sign-on, a
  login at the provider at most ``SIGNING_FRESH_AUTH_MINUTES`` ago), the hash (what was
  shown is what is signed) and the role, under a lock on the version, so a double click
  or a second tab never gives two signatures.
* ``signature_refuse`` (by the signer) and ``signature_record_refusal`` (by the manager,
  when the employee refuses outside the system) complete a role with a reason.
* When every required role is there the version is complete, the conversation is
  ``completed`` and the report is archived in the personnel file, in one transaction.
* ``report_reopen`` takes a report that awaits signatures back for changes: the open
  version is void (both sides are told) and a new one is made next time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import Refused

from .content import canonical, report_content, sha256_text
from .models import ReportVersion, Signature, VersionState
from .notifications import send_signatures_void


def _lock_conversation(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related(
            "cycle__regulation_version", "employee__manager__user", "conductor__user", "organisation"
        )
        .get(pk=conversation.pk)
    )


def required_signatures(conversation: Conversation):
    return conversation.cycle.regulation_version.regulation().kind(conversation.kind).signatures


def signer_user(conversation: Conversation, role: str):
    """The user who signs as ``role``: the employee, the manager, or the designated person."""
    if role == "employee":
        return conversation.employee.user
    if role == "manager":
        manager = conversation.employee.manager
        return manager.user if manager else None
    return conversation.conductor.user  # delegate


def roles_of(conversation: Conversation, user) -> list[str]:
    return [
        signature.role
        for signature in required_signatures(conversation)
        if (signer := signer_user(conversation, signature.role)) is not None and signer.pk == user.pk
    ]


@transaction.atomic
def version_for_signing(conversation: Conversation) -> ReportVersion:
    """The open version of a report that is ready for signing (made on first use)."""
    conversation = _lock_conversation(conversation)
    if conversation.status not in (Status.READY_FOR_SIGNING, Status.COMPLETED):
        raise Refused(_("The report is not ready for signing."))
    current = conversation.report_versions.exclude(state=VersionState.VOID).order_by("-number").first()
    if current is not None:
        return current
    content = report_content(conversation)
    text = canonical(content)
    last = conversation.report_versions.order_by("-number").first()
    version = ReportVersion.objects.create(
        conversation=conversation,
        number=(last.number + 1) if last else 1,
        content=content,
        canonical=text,
        content_hash=sha256_text(text),
    )
    return version


def report_complete_unsigned(conversation: Conversation, *, acting_user) -> ReportVersion:
    """A report of a kind the regulation asks no signatures on is final once approved: its
    version is complete at once (and archived when the regulation's ``archiving`` says so)."""
    version = version_for_signing(conversation)
    _complete_if_done(version, conversation, acting_user=acting_user)
    return version


class AuthenticationNotFresh(Refused):
    """The signer has no password and last authenticated too long ago: log in again at the
    identity provider (the signing page offers it) and sign then."""


def _check_password(user, password: str) -> None:
    if not password or not user.check_password(password):
        raise Refused(_("The password is not correct. Your signature was not placed."))


def authentication_is_fresh(authenticated_at: dt.datetime | None) -> bool:
    if authenticated_at is None:
        return False
    age = timezone.now() - authenticated_at
    return (
        dt.timedelta(0) - dt.timedelta(minutes=1)
        <= age
        <= dt.timedelta(minutes=settings.SIGNING_FRESH_AUTH_MINUTES)
    )


def _check_fresh_authentication(user, password: str, authenticated_at: dt.datetime | None) -> None:
    """Whoever signs proves again that they are who they are: the password, or without
    one (single sign-on) a login at the provider a few minutes ago."""
    if user.has_usable_password():
        _check_password(user, password)
        return
    if not authentication_is_fresh(authenticated_at):
        raise AuthenticationNotFresh(
            _(
                "To sign, log in again at %(provider)s first (your last login was more than "
                "%(minutes)s minutes ago). Your signature was not placed."
            )
            % {"provider": settings.OIDC_PROVIDER_NAME, "minutes": settings.SIGNING_FRESH_AUTH_MINUTES}
        )


def _lock_version(version: ReportVersion) -> ReportVersion:
    return ReportVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)


def _check_open(version: ReportVersion, expected_hash: str) -> None:
    if version.state == VersionState.VOID:
        raise Refused(_("The report was changed after you opened it; read the new version and sign that."))
    if version.state == VersionState.COMPLETE:
        raise Refused(_("This report is already fully signed."))
    if expected_hash != version.content_hash:
        raise Refused(_("What you saw is not what is now to be signed; reload the page and read it again."))


def _add(version: ReportVersion, conversation: Conversation, role: str, user, **fields) -> Signature:
    statement = next(s.statement for s in required_signatures(conversation) if s.role == role)
    existing = version.signatures.filter(role=role).first()
    if existing is not None:
        if existing.refused != bool(fields.get("refused")):
            raise Refused(_("This version was already signed or refused for this role; that stands."))
        return existing  # a double click or a second tab: the first signature stands
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                version=version,
                role=role,
                statement=statement,
                signer=user,
                signer_name=user.get_full_name() or user.email,
                content_hash=version.content_hash,
                **fields,
            )
    except IntegrityError:
        return version.signatures.get(role=role)
    audit_record(
        action="report.refused" if fields.get("refused") else "report.signed",
        actor=fields.get("recorded_by") or user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"version": version.number, "role": role, "content_hash": version.content_hash},
    )
    _complete_if_done(version, conversation, acting_user=fields.get("recorded_by") or user)
    return signature


def _complete_if_done(version: ReportVersion, conversation: Conversation, *, acting_user) -> None:
    needed = {signature.role for signature in required_signatures(conversation)}
    have = set(version.signatures.values_list("role", flat=True))
    if not needed <= have:
        return
    from gesprekscyclus.dossiers.tasks import archive_report_version_task
    from gesprekscyclus.jobs.queue import enqueue

    version.state = VersionState.COMPLETE
    version.completed_at = timezone.now()
    version.save(update_fields=["state", "completed_at"])
    conversation.status = Status.COMPLETED
    conversation.save(update_fields=["status", "updated_at"])
    # Rendering and sealing the PDF is background work, on the queue when this commits
    # (at once with the immediate backend: the entry exists when signing returns).
    enqueue(archive_report_version_task, version.pk, acting_user.pk if acting_user else None)


@transaction.atomic
def signature_sign(
    version: ReportVersion,
    *,
    user,
    password: str,
    expected_hash: str,
    remark: str = "",
    authenticated_at: dt.datetime | None = None,
) -> Signature:
    """Sign as every role ``user`` has on the version. ``password`` is checked for an account
    with a password; ``authenticated_at`` (when the session last authenticated) for one
    without (single sign-on)."""
    conversation = _lock_conversation(version.conversation)
    version = _lock_version(version)
    _check_open(version, expected_hash)
    roles = [
        role for role in roles_of(conversation, user) if not version.signatures.filter(role=role).exists()
    ]
    if not roles and not roles_of(conversation, user):
        raise Refused(_("Your signature is not required on this report."))
    _check_fresh_authentication(user, password, authenticated_at)
    if not roles:
        return version.signatures.get(role=roles_of(conversation, user)[0])
    signature = None
    for role in roles:
        signature = _add(version, conversation, role, user, remark=remark.strip())
    return signature


@transaction.atomic
def signature_refuse(
    version: ReportVersion,
    *,
    user,
    password: str,
    expected_hash: str,
    reason: str,
    authenticated_at: dt.datetime | None = None,
) -> Signature:
    conversation = _lock_conversation(version.conversation)
    version = _lock_version(version)
    _check_open(version, expected_hash)
    roles = roles_of(conversation, user)
    if not roles:
        raise Refused(_("Your signature is not required on this report."))
    if not reason.strip():
        raise Refused(_("Give the reason why you do not sign; it goes into the personnel file."))
    _check_fresh_authentication(user, password, authenticated_at)
    return _add(version, conversation, roles[0], user, refused=True, refusal_reason=reason.strip())


@transaction.atomic
def signature_record_refusal(version: ReportVersion, *, role: str, reason: str, acting_user) -> Signature:
    """The manager records that the employee refused to sign, so the conversation completes."""
    conversation = _lock_conversation(version.conversation)
    version = _lock_version(version)
    _check_open(version, version.content_hash)
    actor = actor_for(acting_user)
    if actor.employee_id not in (conversation.employee.manager_id, conversation.conductor_id):
        raise Refused(_("Only the manager or the person who conducted the conversation records a refusal."))
    if role != "employee" or role not in {s.role for s in required_signatures(conversation)}:
        raise Refused(_("Only the employee's refusal can be recorded by someone else."))
    if not reason.strip():
        raise Refused(_("Give the reason the employee gave for not signing."))
    employee_user = conversation.employee.user
    if employee_user is None:
        raise Refused(_("The employee has no account."))
    return _add(
        version,
        conversation,
        role,
        employee_user,
        refused=True,
        refusal_reason=reason.strip(),
        recorded_by=acting_user,
    )


@transaction.atomic
def report_reopen(conversation: Conversation, *, reason: str, acting_user) -> Conversation:
    """Back to the writer for changes: the open version and its signatures become void."""
    conversation = _lock_conversation(conversation)
    if conversation.side_of(actor_for(acting_user).employee_id) is None:
        raise Refused(_("Only the employee and the person conducting the conversation can do this."))
    if conversation.status == Status.COMPLETED:
        raise Refused(_("A fully signed report never changes."))
    if conversation.status != Status.READY_FOR_SIGNING:
        raise Refused(_("Only a report that awaits signatures can be reopened."))
    if not reason.strip():
        raise Refused(_("Say what should change in the report."))
    version = conversation.report_versions.filter(state=VersionState.OPEN).first()
    had_signatures = False
    if version is not None:
        version = _lock_version(version)
        had_signatures = version.signatures.exists()
        version.state = VersionState.VOID
        version.voided_at = timezone.now()
        version.void_reason = reason.strip()[:500]
        version.save(update_fields=["state", "voided_at", "void_reason"])
    report = conversation.report
    report.returned_comment = reason.strip()
    report.written_at = None
    report.save(update_fields=["returned_comment", "written_at", "updated_at"])
    conversation.status = Status.HELD
    conversation.save(update_fields=["status", "updated_at"])
    audit_record(
        action="report.reopened",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"version": version.number if version else None, "signatures_voided": had_signatures},
    )
    if version is not None:
        send_signatures_void(
            conversation, version=version, reason=reason.strip(), had_signatures=had_signatures
        )
    return conversation
