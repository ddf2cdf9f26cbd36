"""Login sessions: when they started, when they were last used, and ending them.

Each login records a ``UserSession`` and writes three times into the session itself:
when the user logged in (the absolute lifetime, ``SESSION_COOKIE_AGE``, counts from
there however active the user is), when they last authenticated (signing asks for a
recent one, see ``signatures.services``) and when they were last active (the idle
timeout, ``SESSION_IDLE_TIMEOUT``). ``SessionSecurityMiddleware`` enforces both limits.

Ending a session deletes it from the session store, so its next request is anonymous;
the ``UserSession`` row goes too, and a session whose row is gone is logged out the next
time its activity is recorded (within a minute), should the store keep it.
"""

from __future__ import annotations

import datetime as dt
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gesprekscyclus.audit.context import client_ip
from gesprekscyclus.audit.services import audit_record

from .models import User, UserSession

LOGIN_AT = "gc_login_at"
AUTHENTICATED_AT = "gc_authenticated_at"
LAST_SEEN = "gc_last_seen"
USER_SESSION = "gc_user_session"
SESSION_KEY_SEEN = "gc_session_key"
# Activity is written at most once a minute, so an ordinary page costs no extra writes.
TOUCH_EVERY_SECONDS = 60
# Requests under this path get the API's problem document instead of the login page.
API_PREFIX = "/api/"


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def record_authentication(request) -> None:
    """The user proved who they are just now (password, code or the identity provider)."""
    request.session[AUTHENTICATED_AT] = time.time()


def authenticated_at(request) -> dt.datetime | None:
    """When this session last proved who the user is (for signing)."""
    value = request.session.get(AUTHENTICATED_AT)
    return dt.datetime.fromtimestamp(value, tz=dt.UTC) if value else None


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    record_authentication(request)
    user_session, _created = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    request.session[USER_SESSION] = user_session.pk
    request.session[SESSION_KEY_SEEN] = request.session.session_key


def session_key_changed(request) -> None:
    """The session got a new key (Django does that after a password change): follow it."""
    session = request.session
    UserSession.objects.filter(pk=session.get(USER_SESSION), user=request.user).update(
        session_key=session.session_key
    )
    session[SESSION_KEY_SEEN] = session.session_key


def _delete_sessions(user_sessions) -> int:
    store = _store()
    count = 0
    for user_session in list(user_sessions):
        store().delete(user_session.session_key)
        user_session.delete()
        count += 1
    return count


@transaction.atomic
def user_sessions_end(user: User, *, acting_user, keep_session_key: str | None = None, reason: str) -> int:
    """End every session of ``user`` (except ``keep_session_key``); returns how many."""
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count = _delete_sessions(sessions)
    audit_record(
        action="account.sessions_ended",
        actor=acting_user,
        obj=user,
        details={"sessions": count, "reason": reason},
    )
    return count


@transaction.atomic
def user_session_end(user_session: UserSession, *, acting_user) -> None:
    _delete_sessions([user_session])
    audit_record(
        action="account.sessions_ended",
        actor=acting_user,
        obj=user_session.user,
        details={"sessions": 1, "reason": "ended_by_user"},
    )


def user_sessions_active(user: User):
    """The user's sessions that are still alive, most recently active first."""
    return UserSession.objects.filter(user=user).order_by("-last_seen_at")


@receiver(post_save, sender=User)
def _deactivated_user_loses_sessions(sender, instance: User, **kwargs):
    if not instance.is_active and UserSession.objects.filter(user=instance).exists():
        user_sessions_end(instance, acting_user=None, reason="deactivated")


class SessionSecurityMiddleware:
    """Log out sessions that were idle too long or are older than their absolute lifetime,
    with a message on the login page that says why (under ``/api/``: a 401 problem
    document that says why)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = time.time()
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN)
        if login_at is None or last_seen is None or USER_SESSION not in session:
            _session_started(None, request, request.user)  # a session from before these rules
            return None
        idle_minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        if now - login_at > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return self._logout(
                request,
                ngettext(
                    "You have been logged out because a session lasts at most %(hours)s hour. "
                    "Log in again to continue.",
                    "You have been logged out because a session lasts at most %(hours)s hours. "
                    "Log in again to continue.",
                    hours,
                )
                % {"hours": hours},
            )
        if idle_minutes and now - last_seen > idle_minutes * 60:
            return self._logout(
                request,
                ngettext(
                    "You have been logged out because you were inactive for more than %(minutes)s minute. "
                    "Log in again to continue.",
                    "You have been logged out because you were inactive for more than %(minutes)s minutes. "
                    "Log in again to continue.",
                    idle_minutes,
                )
                % {"minutes": idle_minutes},
            )
        if now - last_seen >= TOUCH_EVERY_SECONDS or session.get(SESSION_KEY_SEEN) != session.session_key:
            session[LAST_SEEN] = now
            session[SESSION_KEY_SEEN] = session.session_key
            updated = UserSession.objects.filter(pk=session.get(USER_SESSION), user=request.user).update(
                last_seen_at=timezone.now(), session_key=session.session_key
            )
            if not updated:
                return self._logout(request, _("Your session was ended. Log in again to continue."))
        return None

    def _logout(self, request, message: str):
        user_session = request.session.get(USER_SESSION)
        logout(request)
        UserSession.objects.filter(pk=user_session).delete()
        if request.path_info.startswith(API_PREFIX):
            return _api_not_authenticated(message)
        messages.warning(request, message)
        login_url = reverse(settings.LOGIN_URL)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            login_url = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(login_url)


def _api_not_authenticated(message: str):
    """401 in the API's one error shape (RFC 9457, ``api.problems``), not a redirect to the
    login page that an integration or the interactive docs cannot follow."""
    from gesprekscyclus.api.problems import rendered_problem

    return rendered_problem(401, message, headers={"WWW-Authenticate": 'Bearer realm="api"'})
