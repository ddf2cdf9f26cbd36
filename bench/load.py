"""Load benchmark: the application as production runs it, under concurrent signed-in users.

    .venv/bin/python bench/load.py                    # the installation of bench/generate.py
    .venv/bin/python bench/load.py --seconds 10 --phases reference,overview

It starts gunicorn with the production settings (``DEBUG`` off, static files collected
and served by WhiteNoise, persistent database connections, ``--workers`` synchronous
workers, default 2) on the benchmark database, signs people in through the login form
(employees, team heads, directors of an afdeling of about 2,000 people, the HR
administrator; the API with an HR administrator's token), and drives it with locust,
headless, one phase after another:

- ``reference``: the reference page (three indexed queries and a template, ``/referentie/``);
- one phase per page: each of ``--users`` simulated users (default 2, one per worker)
  requests the page again as soon as the previous answer came, as a different person
  each (round robin over the actors), for ``--seconds`` after a warm-up;
- ``mixed``: ``--mixed-users`` users (default 80, in the proportions of ``POPULATION``:
  70 employees, 7 team heads, a director, an HR administrator and an integration) who
  each wait 0.2–1.0 s between pages and open what their role opens (employees: overview,
  conversation, personnel file; team heads: their team and overview; directors and HR:
  the dashboard; the integration, with the HR administrator's token: the API lists of
  employees and cycles).

For every phase it records p50/p95/p99 latency (ms), requests per second and failures,
and the ratio of the page's p95 to the reference's p95 of the same run; and, in-process,
the number of database queries of one request of each page. Figures are appended to
``bench/results.jsonl``; ``bench/report.py`` turns the latest into docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DATABASE_URL, ORGANISATION, ROOT, setup_django
from generate import HR_ADMIN_EMAIL, PASSWORD, TODAY

PAGES = {
    "reference": "Reference page (3 indexed queries + template)",
    "overview": "Mijn overzicht (employee)",
    "team": "Mijn team (team head)",
    "conversation": "A conversation (employee)",
    "personnel_file": "Personnel file (employee, own file)",
    "dashboard_director": "HR dashboard, director of an afdeling",
    "dashboard_organisation": "HR dashboard, whole organisation (HR administrator)",
    "api_employees": "API GET /api/v1/employees/ (HR token)",
    "api_cycles": "API GET /api/v1/cycles/ (HR token)",
    "api_conversations": "API GET /api/v1/conversations/ (team head)",
    "api_agreements": "API GET /api/v1/agreements/ (team head)",
}
ACTORS_PER_ROLE = 30


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=2, help="Concurrent users in each page phase.")
    parser.add_argument("--mixed-users", type=int, default=80)
    parser.add_argument("--seconds", type=int, default=20, help="Measured seconds per phase.")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--phases", default=",".join([*PAGES, "mixed"]))
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.jsonl"))
    return parser.parse_args()


def _server_environment(arguments, static_root: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "gesprekscyclus.conf.settings",
        "DATABASE_URL": arguments.database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: in production TLS ends at the load balancer.
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        # The second login step of HR administrators is a login-time cost; pages after it cost the same.
        "TOTP_REQUIRED_FOR_HR_ADMINS": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STATIC_ROOT": static_root,
        "BIND": f"127.0.0.1:{arguments.port}",
        "WEB_CONCURRENCY": str(arguments.workers),
        "GUNICORN_ACCESS_LOG": "",
        "TASKS_BACKEND": "database",
    }


def _start_server(arguments, environment: dict, log) -> subprocess.Popen:
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=environment, check=True
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "python:gesprekscyclus.conf.gunicorn",
            "gesprekscyclus.conf.wsgi",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=log,
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{arguments.port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer on /health/ within a minute; see the log.")


def _sign_in(base: str, email: str) -> str:
    """Sign in through the login form, as a browser does; returns the session cookie."""
    import requests

    session = requests.Session()
    page = session.get(f"{base}/account/inloggen/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/account/inloggen/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"Could not sign in as {email}: {answer.status_code}")
    return session.cookies["sessionid"]


def _actors() -> dict[str, list[dict]]:
    """People of the generated installation and the pages they open, per role."""
    from django.urls import reverse

    from gesprekscyclus.accounts.models import User
    from gesprekscyclus.api.services import api_token_issue
    from gesprekscyclus.conversations.models import Conversation, Status
    from gesprekscyclus.dossiers.models import DossierHead
    from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit, Role, RoleAssignment

    organisation = Organisation.objects.get(name=ORGANISATION)
    chooser = random.Random(7)
    with_files = list(DossierHead.objects.order_by("employee_id").values_list("employee_id", flat=True))
    employees = []
    for employee_id in chooser.sample(with_files, min(ACTORS_PER_ROLE, len(with_files))):
        employee = Employee.objects.select_related("user").get(pk=employee_id)
        conversation = (
            Conversation.objects.filter(employee=employee, status=Status.COMPLETED)
            .order_by("-starts_at")
            .first()
        )
        employees.append(
            {
                "email": employee.user.email,
                "urls": {
                    "reference": reverse("core:reference"),
                    "overview": reverse("core:overview"),
                    "conversation": reverse("conversations:detail", args=[conversation.pk]),
                    "personnel_file": reverse("dossiers:mine"),
                },
            }
        )
    teams = OrgUnit.objects.filter(organisation=organisation, code__startswith="T", head__isnull=False)
    heads = list(teams.order_by("pk").values_list("head__user__email", flat=True))
    managers = [
        {
            "email": email,
            "urls": {
                "team": reverse("cycles:team_schedule"),
                "overview": reverse("core:overview"),
                "api_conversations": "/api/v1/conversations/",
                "api_agreements": "/api/v1/agreements/",
            },
        }
        for email in chooser.sample(heads, min(ACTORS_PER_ROLE, len(heads)))
    ]
    dashboard = reverse("compliance:dashboard") + f"?period={TODAY.year}"
    directors = [
        {"email": email, "urls": {"dashboard_director": dashboard}}
        for email in RoleAssignment.objects.filter(
            organisation=organisation, role=Role.DIRECTOR, unit__code__startswith="A"
        )
        .order_by("unit__code")
        .values_list("user__email", flat=True)[:5]
    ]
    admin = User.objects.get(email=HR_ADMIN_EMAIL)
    _token, secret = api_token_issue(
        organisation=organisation, name=f"benchmark {time.time():.0f}", scopes=["read"], acting_user=admin
    )
    hr = [
        {"email": HR_ADMIN_EMAIL, "urls": {"dashboard_organisation": dashboard}},
        {
            "email": HR_ADMIN_EMAIL,
            "token": secret,
            "urls": {"api_employees": "/api/v1/employees/", "api_cycles": "/api/v1/cycles/"},
        },
    ]
    return {"employees": employees, "managers": managers, "directors": directors, "hr": hr}


def _query_counts(actors: dict) -> dict[str, int]:
    """Database queries of one request of each page, counted in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gesprekscyclus.accounts.models import User

    counts = {}
    for group in actors.values():
        for actor in group:
            for page, url in actor["urls"].items():
                if page in counts:
                    continue
                client = Client()
                headers = {}
                if actor.get("token"):
                    headers["HTTP_AUTHORIZATION"] = f"Bearer {actor['token']}"
                else:
                    client.force_login(User.objects.get(email=actor["email"]))
                client.get(url, **headers)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, **headers)
                counts[page] = len(queries.captured_queries) if response.status_code == 200 else None
    return counts


def _phase(arguments, name: str, actors: list[dict], *, users: int, wait, workdir: Path) -> dict:
    scenario = workdir / f"{name}.json"
    pool = [
        {
            "email": actor["email"],
            "session": actor.get("session"),
            "token": actor.get("token"),
            "urls": [(page, url) for page, url in actor["urls"].items() if name == "mixed" or page == name],
        }
        for actor in actors
    ]
    pool = [actor for actor in pool if actor["urls"]]
    scenario.write_text(json.dumps({"actors": pool, "wait": wait}), encoding="utf-8")
    prefix = workdir / name
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{arguments.warmup + arguments.seconds}s",
        "--host",
        f"http://127.0.0.1:{arguments.port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]
    samples_file = workdir / f"{name}-samples.json"
    environment = {
        **os.environ,
        "BENCH_SCENARIO": str(scenario),
        "BENCH_WARMUP": str(arguments.warmup),
        "BENCH_SAMPLES": str(samples_file),
    }
    subprocess.run(command, env=environment, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    samples = json.loads(samples_file.read_text(encoding="utf-8"))
    times = [milliseconds for _name, milliseconds, _failed in samples]
    failures = [page for page, _milliseconds, failed in samples if failed]
    figures = {
        "requests": len(samples),
        "failures": len(failures),
        "requests_per_second": round(len(samples) / arguments.seconds, 1),
        **_percentiles(times),
        "users": users,
    }
    if name == "mixed":
        figures["pages"] = {
            page: {"requests": len(page_times), **_percentiles(page_times)}
            for page in sorted({sample[0] for sample in samples})
            for page_times in [[ms for sample_page, ms, _f in samples if sample_page == page]]
        }
    failures_file = Path(f"{prefix}_failures.csv")
    if failures and failures_file.exists():
        figures["failure_examples"] = failures_file.read_text(encoding="utf-8").splitlines()[1:4]
    return figures


# Who is online in the mixed load, per 80 users: as in the organisation, mostly employees
# (a team head leads 16 of them; directors and HR staff are a few hundred in 200,000),
# plus one integration reading the API with a token.
POPULATION = {"employees": 70, "managers": 7, "directors": 1, "hr_dashboard": 1, "hr_api": 1}


def _population(actors: dict, arguments) -> list[dict]:
    """The mixed phase's users, one actor each, in the proportions of ``POPULATION``
    scaled to ``--mixed-users``; shuffled so that they start in a mixed order."""
    scale = arguments.mixed_users / sum(POPULATION.values())
    groups = {
        "employees": actors["employees"],
        "managers": actors["managers"],
        "directors": actors["directors"],
        "hr_dashboard": [actor for actor in actors["hr"] if not actor.get("token")],
        "hr_api": [actor for actor in actors["hr"] if actor.get("token")],
    }
    people = []
    for group, share in POPULATION.items():
        count = max(1, round(share * scale))
        people += [groups[group][index % len(groups[group])] for index in range(count)]
    random.Random(3).shuffle(people)
    return people


def _mixed_urls(actor: dict) -> dict:
    """What a person opens in the mixed load: their pages, not the reference; the API lists
    only for the integration that holds a token (people use the pages)."""
    return {
        page: url
        for page, url in actor["urls"].items()
        if page != "reference" and (actor.get("token") or not page.startswith("api_"))
    }


def _percentiles(times: list[float]) -> dict:
    if len(times) < 2:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1)}


def main() -> int:
    arguments = _arguments()
    phases = [phase for phase in arguments.phases.split(",") if phase]
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    setup_django(arguments.database_url)
    from django.db import connection

    actors = _actors()
    counts = _query_counts(actors)
    connection.close()
    workdir = Path(tempfile.mkdtemp(prefix="gesprekscyclus-load-"))
    environment = _server_environment(arguments, str(workdir / "static"))
    base = f"http://127.0.0.1:{arguments.port}"
    log_path = workdir / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = _start_server(arguments, environment, log)
        try:
            sessions = {}
            for group in actors.values():
                for actor in group:
                    if not actor.get("token"):
                        if actor["email"] not in sessions:
                            sessions[actor["email"]] = _sign_in(base, actor["email"])
                        actor["session"] = sessions[actor["email"]]
            print(f"{len(sessions)} people signed in; phases: {', '.join(phases)}", file=sys.stderr)
            every = [actor for group in actors.values() for actor in group]
            results = {}
            for phase in phases:
                if phase == "mixed":
                    mixed = [dict(actor, urls=_mixed_urls(actor)) for actor in _population(actors, arguments)]
                    random.Random(3).shuffle(mixed)
                    figures = _phase(
                        arguments,
                        "mixed",
                        mixed,
                        users=arguments.mixed_users,
                        wait=[0.2, 1.0],
                        workdir=workdir,
                    )
                else:
                    figures = _phase(
                        arguments, phase, every, users=arguments.users, wait=None, workdir=workdir
                    )
                    figures["queries"] = counts.get(phase)
                results[phase] = figures
                print(
                    f"{phase:24} p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  "
                    f"p99 {figures['p99_ms']} ms  {figures['requests_per_second']} req/s  "
                    f"failures {figures['failures']}",
                    file=sys.stderr,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    reference = results.get("reference", {}).get("p95_ms")
    for phase, figures in results.items():
        if reference and figures.get("p95_ms") and phase not in ("reference", "mixed"):
            figures["p95_ratio_to_reference"] = round(figures["p95_ms"] / reference, 2)
    setup_django(arguments.database_url)
    from gesprekscyclus.organisations.models import Employee

    record = {
        "benchmark": "load",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if arguments.database_url.startswith("postgres") else "sqlite",
        "employees": Employee.objects.count(),
        "server": f"gunicorn, {arguments.workers} sync workers, DEBUG off",
        "seconds_per_phase": arguments.seconds,
        "phases": results,
        "targets": {"p95_ratio_to_reference": 3, "mixed_requests_per_second": 100, "mixed_p95_ms": 100},
        "machine": _machine(),
    }
    with open(arguments.results, "a", encoding="utf-8") as output:
        output.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=2))
    return 0


def _machine() -> str:
    model = ""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):  # noqa: SIM115
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{platform.machine()} {os.cpu_count()} cpu ({model}), {memory:.0f} GiB, Python {python}"


if __name__ == "__main__":
    sys.exit(main())
