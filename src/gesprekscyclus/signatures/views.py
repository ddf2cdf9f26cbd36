"""The signing page of a report and its POST endpoints."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import get_permitted_or_404
from gesprekscyclus.accounts.oidc import oidc_enabled
from gesprekscyclus.accounts.sessions import authenticated_at
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.cycles.presenters import SIGNER_LABELS, STATEMENT_LABELS, label_text

from . import services
from .forms import RecordRefusalForm, RefuseForm, ReopenForm, SignForm
from .models import VersionState


def _day(text: str | None) -> datetime.date | None:
    """A date of the signed content (ISO text in the canonical JSON), to show as a date."""
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


CONVERSATIONS = Conversation.objects.select_related(
    "cycle__regulation_version",
    "employee__manager__user",
    "employee__user",
    "conductor__user",
    "organisation",
)


def _conversation(request, pk: int) -> Conversation:
    return get_permitted_or_404(request.user, "conversations.read_report", CONVERSATIONS, pk=pk)


def _back(conversation):
    return redirect("signatures:sign", pk=conversation.pk)


def _open_version(request, conversation: Conversation):
    """The version to sign, or None with the reason as a message (the report is not up for
    signing: a form posted from an old page, or by someone who may only read it)."""
    try:
        return services.version_for_signing(conversation)
    except Refused as error:
        messages.error(request, str(error))
        return None


@login_required
def sign(request, pk: int):
    conversation = _conversation(request, pk)
    request.navigation_section = "conversations"
    if conversation.status not in (Status.READY_FOR_SIGNING, Status.COMPLETED):
        messages.info(request, _("The report is not ready for signing yet."))
        return redirect("conversations:detail", pk=conversation.pk)
    version = services.version_for_signing(conversation)
    regulation = conversation.cycle.regulation_version.regulation()
    signed = {signature.role: signature for signature in version.signatures.select_related("recorded_by")}
    my_roles = services.roles_of(conversation, request.user)
    required = [
        {
            "role": requirement.role,
            "role_label": SIGNER_LABELS[requirement.role],
            "statement_label": STATEMENT_LABELS[requirement.statement],
            "declaration": label_text(requirement.declaration) if requirement.declaration else "",
            "signer": services.signer_user(conversation, requirement.role),
            "signature": signed.get(requirement.role),
        }
        for requirement in services.required_signatures(conversation)
    ]
    open_version = version.state == VersionState.OPEN
    actor = actor_for(request.user)
    is_manager = actor.employee_id in (conversation.employee.manager_id, conversation.conductor_id)
    must_sign = open_version and any(role not in signed for role in my_roles)
    needs_password = request.user.has_usable_password()
    fresh = needs_password or services.authentication_is_fresh(authenticated_at(request))
    reauth_url = ""
    if must_sign and not fresh and oidc_enabled():
        reauth_url = f"{reverse('accounts:oidc_start')}?{urlencode({'reauth': 1, 'next': request.path})}"
    return render(
        request,
        "signatures/sign.html",
        {
            "conversation": conversation,
            "version": version,
            "content": version.content,
            "held_on": _day(version.content.get("conversation", {}).get("held_on")),
            "label": label_text(regulation.kind(conversation.kind).label),
            "required": required,
            # Four forms on one page: each gets its own ids so labels point at the right field.
            "sign_form": SignForm(
                initial={"expected_hash": version.content_hash},
                auto_id="sign_%s",
                password_required=needs_password,
            )
            if must_sign and fresh
            else None,
            "refuse_form": RefuseForm(
                initial={"expected_hash": version.content_hash},
                auto_id="refuse_%s",
                password_required=needs_password,
            )
            if must_sign and fresh
            else None,
            "must_sign": must_sign,
            "needs_password": needs_password,
            "reauth_url": reauth_url,
            "fresh_minutes": settings.SIGNING_FRESH_AUTH_MINUTES,
            "record_refusal_form": RecordRefusalForm(auto_id="record_%s")
            if open_version
            and is_manager
            and "employee" not in signed
            and any(r["role"] == "employee" for r in required)
            else None,
            "reopen_form": ReopenForm(auto_id="reopen_%s")
            if open_version and conversation.side_of(actor.employee_id) is not None
            else None,
            "void_versions": conversation.report_versions.filter(state=VersionState.VOID).order_by("number"),
        },
    )


@login_required
@require_POST
def sign_post(request, pk: int):
    conversation = _conversation(request, pk)
    form = SignForm(request.POST, password_required=request.user.has_usable_password())
    version = _open_version(request, conversation)
    if version is None:
        return redirect("conversations:detail", pk=conversation.pk)
    if not form.is_valid():
        messages.error(request, _("Enter your password to sign."))
        return _back(conversation)
    try:
        services.signature_sign(
            version,
            user=request.user,
            password=form.cleaned_data.get("password", ""),
            expected_hash=form.cleaned_data["expected_hash"],
            remark=form.cleaned_data["remark"],
            authenticated_at=authenticated_at(request),
        )
        messages.success(request, _("You have signed the report."))
    except Refused as error:
        messages.error(request, str(error))
    return _back(conversation)


@login_required
@require_POST
def refuse(request, pk: int):
    conversation = _conversation(request, pk)
    form = RefuseForm(request.POST, password_required=request.user.has_usable_password())
    version = _open_version(request, conversation)
    if version is None:
        return redirect("conversations:detail", pk=conversation.pk)
    if not form.is_valid():
        messages.error(request, _("Give your reason and your password."))
        return _back(conversation)
    try:
        services.signature_refuse(
            version,
            user=request.user,
            password=form.cleaned_data.get("password", ""),
            expected_hash=form.cleaned_data["expected_hash"],
            reason=form.cleaned_data["reason"],
            authenticated_at=authenticated_at(request),
        )
        messages.success(request, _("Your refusal and its reason are recorded."))
    except Refused as error:
        messages.error(request, str(error))
    return _back(conversation)


@login_required
@require_POST
def record_refusal(request, pk: int):
    conversation = _conversation(request, pk)
    form = RecordRefusalForm(request.POST)
    version = _open_version(request, conversation)
    if version is None:
        return redirect("conversations:detail", pk=conversation.pk)
    try:
        if not form.is_valid():
            raise Refused(_("Give the reason the employee gave for not signing."))
        services.signature_record_refusal(
            version, role="employee", reason=form.cleaned_data["reason"], acting_user=request.user
        )
        messages.success(request, _("The employee's refusal is recorded."))
    except Refused as error:
        messages.error(request, str(error))
    return _back(conversation)


@login_required
@require_POST
def reopen(request, pk: int):
    conversation = _conversation(request, pk)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Say what should change in the report."))
        services.report_reopen(conversation, reason=form.cleaned_data["reason"], acting_user=request.user)
        messages.success(
            request, _("The report is open for changes again; signatures placed so far are void.")
        )
    except Refused as error:
        messages.error(request, str(error))
        return _back(conversation)
    return redirect("conversations:detail", pk=conversation.pk)
