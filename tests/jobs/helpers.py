import io

from django.core.management import call_command

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend", "QUEUES": []}}


def run_worker(*args: str) -> str:
    """``manage.py run_worker --batch``: run what is due, return what it printed."""
    out = io.StringIO()
    call_command("run_worker", "--batch", "--interval", "0", *args, stdout=out)
    return out.getvalue()
