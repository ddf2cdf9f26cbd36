"""Account pages beyond Django's own: the two-step login, sessions, two-factor
authentication, single sign-on."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from gesprekscyclus.access.shortcuts import get_permitted_or_404, require_permission
from gesprekscyclus.organisations.models import Employee

from . import two_factor
from .forms import CodeForm, ConfirmDeviceForm, DisableTwoFactorForm, LoginForm
from .models import User, UserSession
from .oidc import oidc_enabled
from .sessions import (
    record_authentication,
    session_key_changed,
    user_session_end,
    user_sessions_active,
    user_sessions_end,
)

PENDING_LOGIN = "gc_pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def second_step_start(request, user, *, next_url: str) -> None:
    """The password (or the identity provider) was right; the code comes next. Nobody is
    logged in until it is: the session only remembers whose code it asks for."""
    request.session[PENDING_LOGIN] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.two_factor_enabled(user):
            second_step_start(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:login_code")
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """After a new password, every other session of the user ends (Django would refuse
    them anyway; this also clears them from "My sessions")."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        session_key_changed(self.request)
        user_sessions_end(
            self.request.user,
            acting_user=self.request.user,
            keep_session_key=self.request.session.session_key,
            reason="password_changed",
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_sessions_end(self.user, acting_user=None, reason="password_reset")
        return response


def _locked_out(request):
    return render(request, "accounts/locked_out.html", status=429)


def login_code(request):
    """The second step of logging in: a code from the authenticator app or a recovery code.
    Also asked of a logged-in user whose session has not been verified yet."""
    pending = request.session.get(PENDING_LOGIN)
    if request.user.is_authenticated:
        user = request.user
        next_url = _safe_next(request, request.GET.get("next"))
        if request.user.is_verified() or not two_factor.two_factor_enabled(user):
            return redirect(next_url)
    elif pending and time.time() - pending["at"] < PENDING_LOGIN_SECONDS:
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        next_url = _safe_next(request, pending["next"])
        if user is None:
            request.session.pop(PENDING_LOGIN, None)
            return redirect("accounts:login")
    else:
        if request.session.pop(PENDING_LOGIN, None):
            messages.warning(request, _("Entering the code took too long. Log in again."))
        return redirect("accounts:login")
    credentials = {"username": user.email}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_LOGIN, None)
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.code_verify(user, form.cleaned_data["code"])
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if not AxesProxyHandler.is_allowed(request, credentials):
                request.session.pop(PENDING_LOGIN, None)
                return _locked_out(request)
            form.add_error("code", _("This code is not correct. Check the time on your phone and try again."))
        else:
            if not request.user.is_authenticated:
                request.session.pop(PENDING_LOGIN, None)
                auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            record_authentication(request)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)s is left. Make new ones on your account page.",
                        "You used a recovery code; %(count)s are left. Make new ones on your account page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form})


def _recovery_codes_page(request, codes: list[str]):
    response = render(request, "accounts/recovery_codes.html", {"codes": codes})
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


@login_required
def two_factor_setup(request):
    """Enrolment: scan the QR code (or type the secret), then confirm with a code."""
    if two_factor.two_factor_enabled(request.user):
        messages.info(request, _("Two-step verification is already on."))
        return redirect("accounts:account")
    device = two_factor.totp_device_pending(request.user)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(device, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            record_authentication(request)
            messages.success(request, _("Two-step verification is on."))
            return _recovery_codes_page(request, codes)
        form.add_error(
            "code", _("This code is not correct. Scan the QR code again or check the time on your phone.")
        )
    response = render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.two_factor_required(request.user),
        },
    )
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


@login_required
@require_POST
def recovery_codes_renew(request):
    if not two_factor.two_factor_enabled(request.user):
        return redirect("accounts:two_factor_setup")
    return _recovery_codes_page(request, two_factor.recovery_codes_renew(request.user))


@login_required
@require_POST
def two_factor_disable(request):
    if two_factor.two_factor_required(request.user):
        messages.error(request, _("As an HR administrator you must use two-step verification."))
        return redirect("accounts:account")
    form = DisableTwoFactorForm(request.POST, auto_id="disable_%s")
    if form.is_valid() and two_factor.code_verify(request.user, form.cleaned_data["code"]) is not None:
        two_factor.two_factor_disable(request.user, acting_user=request.user)
        messages.success(request, _("Two-step verification is off."))
    else:
        messages.error(request, _("The code is not correct; two-step verification is still on."))
    return redirect("accounts:account")


@login_required
def account(request):
    """My account: password, two-factor authentication, and where I am logged in."""
    return render(
        request,
        "accounts/account.html",
        {
            "sessions": user_sessions_active(request.user),
            "current_key": request.session.session_key,
            "has_usable_password": request.user.has_usable_password(),
            "two_factor_enabled": two_factor.two_factor_enabled(request.user),
            "two_factor_required": two_factor.two_factor_required(request.user),
            "recovery_codes_left": two_factor.recovery_codes_left(request.user),
            "disable_form": DisableTwoFactorForm(auto_id="disable_%s"),
        },
    )


@login_required
@require_POST
def session_end(request, pk: int):
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    if user_session.session_key == request.session.session_key:
        messages.error(request, _("To end this session, log out."))
        return redirect("accounts:account")
    user_session_end(user_session, acting_user=request.user)
    messages.success(request, _("The session has been ended."))
    return redirect("accounts:account")


@login_required
@require_POST
def sessions_end_others(request):
    count = user_sessions_end(
        request.user,
        acting_user=request.user,
        keep_session_key=request.session.session_key,
        reason="ended_by_user",
    )
    messages.success(
        request,
        ngettext(
            "%(count)s other session has been ended.", "%(count)s other sessions have been ended.", count
        )
        % {"count": count},
    )
    return redirect("accounts:account")


@login_required
def employee_sessions_end(request, employee_pk: int):
    """An HR administrator ends every session of an employee of their organisation
    (a lost laptop, a suspicion of misuse). GET asks for confirmation, POST does it."""
    employee = get_permitted_or_404(
        request.user,
        "organisations.view_employee",
        Employee.objects.select_related("user", "organisation", "unit"),
        pk=employee_pk,
    )
    require_permission(request.user, "organisations.assign_roles", employee)
    if employee.user is None:
        messages.error(request, _("This employee has no account."))
        return redirect("organisations:employee_detail", pk=employee.pk)
    active = user_sessions_active(employee.user).count()
    if request.method == "POST":
        count = user_sessions_end(
            employee.user,
            acting_user=request.user,
            keep_session_key=request.session.session_key,
            reason="ended_by_administrator",
        )
        messages.success(
            request,
            ngettext(
                "%(count)s session of %(name)s has been ended.",
                "%(count)s sessions of %(name)s have been ended.",
                count,
            )
            % {"count": count, "name": employee.full_name},
        )
        return redirect("organisations:employee_detail", pk=employee.pk)
    return render(
        request, "accounts/employee_sessions_end.html", {"employee": employee, "active_count": active}
    )
