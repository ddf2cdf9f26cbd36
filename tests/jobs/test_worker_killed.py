"""A worker killed (SIGKILL) in the middle of a task: the task is not lost. Real
processes on a real database file: ``run_worker`` claims the task and is killed while it
runs; a second worker, started once the first one's heartbeat is stale, hands the task
back to the queue and runs it to the end."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(environment: dict, *arguments: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        **options,
    )


def wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} did not appear within {seconds} s"
        time.sleep(0.05)


def test_a_task_whose_worker_is_killed_is_run_again_by_another_worker(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gesprekscyclus.conf.ci",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "TASKS_BACKEND": "database",
        "TASKS_STALE_AFTER_SECONDS": "2",
        "TASKS_HEARTBEAT_SECONDS": "1",
    }
    manage(environment, "migrate", "--noinput")
    task_id = manage(
        environment,
        "shell",
        "-c",
        "from gesprekscyclus.jobs.queue import enqueue; from tests.jobs.sample_tasks import wait_for_go; "
        f"print(enqueue(wait_for_go, {str(work)!r}).id)",
    ).stdout.splitlines()[-1]  # after the shell's own line about its imports

    first = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(work / "started")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert not (work / "done").exists()

    time.sleep(2.5)  # the killed worker's heartbeat goes stale
    (work / "go").touch()
    second = manage(environment, "run_worker", "--batch")

    assert (work / "done").exists(), second.stdout + second.stderr
    assert (work / "runs").read_text() == "2"
    status = (
        manage(
            environment,
            "shell",
            "-c",
            "from django_tasks_db.models import DBTaskResult; "
            f"row = DBTaskResult.objects.get(id={task_id!r}); print(row.status, len(row.worker_ids))",
        )
        .stdout.splitlines()[-1]
        .split()
    )
    assert status == ["SUCCESSFUL", "2"]
