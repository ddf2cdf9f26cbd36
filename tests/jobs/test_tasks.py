"""The application's background work on the database queue: archiving on signing, the
large import, the daily commands. Each task is idempotent."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.dossiers.tasks import archive_report_version_task
from gesprekscyclus.jobs.queue import enqueue
from gesprekscyclus.organisations.models import Employee, ImportStatus
from gesprekscyclus.organisations.tasks import apply_import_task
from gesprekscyclus.signatures.models import VersionState
from tests.jobs.helpers import run_worker
from tests.organisations.test_import_pages import make_upload
from tests.signatures import flow


def test_signing_queues_the_archiving_and_the_worker_files_the_report_once(cast, ready, database_queue):
    version = flow.sign_by_both(cast, ready)

    assert version.state == VersionState.COMPLETE
    assert not DossierEntry.objects.filter(employee=cast.employee).exists()  # waits for the worker
    task = DBTaskResult.objects.get()
    assert task.task_path == "gesprekscyclus.dossiers.tasks.archive_report_version_task"

    run_worker()
    entry = DossierEntry.objects.get(employee=cast.employee)
    assert entry.conversation == ready

    # The same task again (a retry, or a worker killed after filing): still one entry.
    enqueue(archive_report_version_task, version.pk, cast.user("manager").pk)
    run_worker()
    assert DossierEntry.objects.filter(employee=cast.employee).count() == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_with_the_immediate_backend_the_report_is_filed_when_signing_returns(cast, ready):
    flow.sign_by_both(cast, ready)

    assert DossierEntry.objects.filter(employee=cast.employee).count() == 1
    assert not DBTaskResult.objects.exists()


@pytest.fixture
def large_import(settings, cast):
    """Every import counts as large: it is applied by the worker."""
    settings.IMPORT_BACKGROUND_ROWS = 0
    return make_upload(cast)


def test_a_large_import_is_queued_and_the_page_shows_it_applied_after_the_worker_ran(
    cast, login, database_queue, large_import
):
    client = login(cast.hr_admin.user)
    employees = cast.organisation.employees.count()
    page = reverse("organisations:import_preview", args=[large_import.pk])

    response = client.post(reverse("organisations:import_confirm", args=[large_import.pk]), follow=True)

    assert response.redirect_chain[-1][0] == page
    content = response.content.decode()
    assert "wacht" in content and "op de achtergrond" in content
    assert "in de wachtrij" in content
    assert cast.organisation.employees.count() == employees  # nothing changed yet
    large_import.refresh_from_db()
    assert large_import.status == ImportStatus.QUEUED

    output = run_worker()

    assert "apply_import_task" in output
    large_import.refresh_from_db()
    assert large_import.status == ImportStatus.APPLIED
    assert cast.organisation.employees.count() == employees + 1
    assert Employee.objects.get(pk=cast.employee.pk).last_name == "Nieuwenaam"
    content = client.get(page).content.decode()
    assert "De import is doorgevoerd." in content
    assert reverse("organisations:import_confirm", args=[large_import.pk]) not in content

    # Run again (a retry after a lost worker): the applied import is left alone.
    enqueue(apply_import_task, large_import.pk, cast.hr_admin.user.pk)
    run_worker()
    assert cast.organisation.employees.count() == employees + 1


def test_a_large_import_that_no_longer_fits_the_organisation_fails_and_the_page_says_so(
    cast, login, database_queue, large_import
):
    client = login(cast.hr_admin.user)
    client.post(reverse("organisations:import_confirm", args=[large_import.pk]))
    large_import.refresh_from_db()
    large_import.employees_content = b"personnel_number;nonsense\n1;2\n"
    large_import.save()
    employees = cast.organisation.employees.count()

    run_worker()

    large_import.refresh_from_db()
    assert large_import.status == ImportStatus.FAILED
    assert cast.organisation.employees.count() == employees
    content = client.get(reverse("organisations:import_preview", args=[large_import.pk])).content.decode()
    assert "De import is mislukt" in content
    assert "er is niets gewijzigd" in content


def test_a_large_import_with_the_immediate_backend_is_applied_at_once(cast, login, large_import):
    client = login(cast.hr_admin.user)

    response = client.post(reverse("organisations:import_confirm", args=[large_import.pk]), follow=True)

    large_import.refresh_from_db()
    assert large_import.status == ImportStatus.APPLIED
    assert "De import is doorgevoerd." in response.content.decode()


def test_open_cycles_enqueue_leaves_the_work_to_the_worker(cast, kampen, database_queue):
    out = io.StringIO()
    call_command("open_cycles", "--period", "2026", "--today", "2025-11-20", "--enqueue", stdout=out)

    assert "queued" in out.getvalue()
    assert not Cycle.objects.exists()
    run_worker()
    opened = Cycle.objects.filter(year=2026).count()
    assert opened == cast.organisation.employees.count()

    call_command(
        "open_cycles", "--period", "2026", "--today", "2025-11-20", "--enqueue", stdout=io.StringIO()
    )
    run_worker()  # idempotent: a second run opens nothing
    assert Cycle.objects.filter(year=2026).count() == opened


def test_run_daily_queues_the_days_work_and_opens_the_next_period_from_november(cast, kampen, database_queue):
    out = io.StringIO()
    call_command("run_daily", "--today", "2025-11-20", stdout=out)

    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths.count("gesprekscyclus.cycles.tasks.open_cycles_task") == 2  # 2025 and 2026
    assert "gesprekscyclus.notifications.tasks.send_reminders_task" in paths
    assert "gesprekscyclus.feedback.tasks.send_feedback_reminders_task" in paths
    assert "queued for the workers" in out.getvalue()

    run_worker()

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Cycle.objects.filter(employee=cast.employee, year=2026).exists()


def test_run_daily_in_spring_opens_only_the_current_period(cast, kampen):
    call_command("run_daily", "--today", "2026-03-02", stdout=io.StringIO())

    assert Cycle.objects.filter(employee=cast.employee, year=2026).exists()
    assert not Cycle.objects.filter(year=2027).exists()


def test_send_reminders_enqueue(cast, database_queue):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-01-05", "--enqueue", stdout=out)

    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == ["2026-01-05"]
    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
