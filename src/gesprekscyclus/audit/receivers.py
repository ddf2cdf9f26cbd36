"""Authentication events into the audit log (connected in ``AuditConfig.ready``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from .context import current_user
from .services import audit_auth


def logged_in(sender, request=None, user=None, **kwargs):
    audit_auth("auth.login", user=user, request=request)


def logged_out(sender, request=None, user=None, **kwargs):
    if user is not None:  # logging out without being logged in
        audit_auth("auth.logout", user=user, request=request)


def login_failed(sender, credentials=None, request=None, **kwargs):
    """Only the name tried is kept (Django masks the password; we do not even look)."""
    credentials = credentials or {}
    attempted = credentials.get("username") or credentials.get("email") or ""
    audit_auth("auth.login_failed", email=str(attempted), actor=None, request=request)


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked the name and address out (sent again for every attempt while
    locked). Axes does not always pass the name; the credentials it kept have it."""
    if not username:
        credentials = getattr(request, "axes_credentials", None) or {}
        username = credentials.get("username") or credentials.get("email") or ""
    audit_auth("auth.locked_out", email=str(username), actor=None, request=request)


def password_saved(sender, instance, created=False, raw=False, **kwargs):
    """``set_password()`` keeps the new password in ``_password`` until ``save()`` has
    passed it to the password validators, which happens after ``post_save``; a hash
    upgrade on log-in clears it first. So this sees exactly the real changes: by the
    person themselves (``how: self``), by someone else logged in, such as an
    administrator (``other``, the actor), or with nobody logged in: a reset link or a
    command (``without_login``, no actor)."""
    if created or raw or getattr(instance, "_password", None) is None:
        return
    by = current_user.get()
    by = by if by is not None and getattr(by, "is_authenticated", False) else None
    if by is None:
        how = "without_login"
    else:
        how = "self" if by.pk == instance.pk else "other"
    audit_auth("auth.password_changed", user=instance, actor=by, details={"how": how})


def connect() -> None:
    user_logged_in.connect(logged_in, dispatch_uid="audit.logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="audit.logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="audit.login_failed")
    post_save.connect(password_saved, sender=get_user_model(), dispatch_uid="audit.password_saved")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover — axes is a dependency, but keep the log working without it
        return
    user_locked_out.connect(locked_out, dispatch_uid="audit.locked_out")
