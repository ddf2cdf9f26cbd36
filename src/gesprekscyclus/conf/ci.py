"""Settings for tests and CI: only environment defaults, then the one settings module."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("PLAIN_STATICFILES", "true")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Two-step verification for HR administrators is off in tests that do not ask for it
# (tests/accounts switch it on); production and the demo have it on.
os.environ.setdefault("TOTP_REQUIRED_FOR_HR_ADMINS", "false")
# The idle timeout is off too: browser tests move the clock by hours within one session
# (tests/accounts switch it on); the absolute lifetime of 8 hours stays.
os.environ.setdefault("SESSION_IDLE_TIMEOUT", "0")
# Background tasks run when they are enqueued (tests/jobs switch to the database queue).
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .settings import *  # noqa: F403

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
