"""Regulation versions per organisation: ``manage.py load_regulation``, which version
applies to whom (job group > nearest unit > organisation default, latest in-force date
not after the day), activating and discarding, and the HR administrator's pages."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycle_schedule, cycles_open
from gesprekscyclus.organisations.models import Employee, Role
from gesprekscyclus.regulations.loader import preset_path
from gesprekscyclus.regulations.models import RegulationVersion, VersionStatus
from gesprekscyclus.regulations.services import (
    ORGANISATION_WIDE,
    RegulationResolver,
    Scope,
    read_regulation_source,
    regulation_load,
    regulation_version_activate,
    regulation_version_discard,
    regulation_version_for,
    regulation_version_upload,
)
from tests.factories import EmployeeFactory, JobFactory, RoleAssignmentFactory

ORGANISATION = "Gemeente Teststad"
HEEMSTEDE = "Heemstede — Cyclus van jaargesprekken"
KAMPEN = "Kampen — Resultaatgerichte afspraken / POP en voortgangsgesprekken"
JAN_2026 = datetime.date(2026, 1, 1)
DAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast sets a password for every account; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(organisation, preset="heemstede", *, in_force_from=JAN_2026, scope=ORGANISATION_WIDE):
    """Upload and activate a preset; the version."""
    filename, text = read_regulation_source(preset)
    return regulation_load(
        organisation=organisation, filename=filename, text=text, in_force_from=in_force_from, scope=scope
    ).version


def upload(organisation, preset="heemstede", *, in_force_from=JAN_2026, scope=ORGANISATION_WIDE):
    """Upload a preset as a draft."""
    filename, text = read_regulation_source(preset)
    return regulation_version_upload(
        organisation=organisation, filename=filename, text=text, in_force_from=in_force_from, scope=scope
    )


def version_for(employee, day=DAY):
    fresh = Employee.objects.select_related("unit").get(pk=employee.pk)
    return regulation_version_for(fresh, day)


def broken_heemstede() -> str:
    """Heemstede's text with a wrong anchor in the second kind and an unknown key in the third."""
    text = preset_path("heemstede").read_text(encoding="utf-8")
    broken = text.replace("anchor: period_midpoint", "anchor: ergens_halverwege").replace(
        "  - id: evaluation\n",
        "  - id: evaluation\n    colour: blauw\n",
        1,  # the kind, not the form
    )
    assert broken.count("ergens_halverwege") == 1 and broken.count("colour: blauw") == 1
    return broken


# -- manage.py load_regulation -------------------------------------------------------


def load_command(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("load_regulation", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_load_regulation_puts_a_preset_in_force_for_the_organisation(cast):
    stdout, _ = load_command("heemstede", "--organisation", ORGANISATION)

    version = RegulationVersion.objects.get()
    assert version.organisation == cast.organisation
    assert (version.regulation_id, version.version, version.name) == ("heemstede", "2013.1", HEEMSTEDE)
    assert version.status == VersionStatus.ACTIVE
    # Without --from: the regulation's own effective date (001: "met ingang van 1 oktober 2013").
    assert version.in_force_from == datetime.date(2013, 10, 1)
    assert version.scope_kind == "organisation"
    assert version.source_filename == "heemstede.yaml"
    assert version.text == preset_path("heemstede").read_text(encoding="utf-8")
    assert f"{HEEMSTEDE} 2013.1 is in force for Gemeente Teststad" in stdout
    assert "from 2013-10-01." in stdout
    assert version_for(cast.employee) == version


def test_loading_the_same_preset_again_changes_nothing(cast):
    load_command("heemstede", "--organisation", ORGANISATION, "--from", "2026-01-01")
    first = RegulationVersion.objects.get()

    stdout, _ = load_command("heemstede", "--organisation", ORGANISATION, "--from", "2026-01-01")

    assert "was already in force for Gemeente Teststad" in stdout
    assert "nothing changed" in stdout
    assert list(RegulationVersion.objects.all()) == [first]
    assert RegulationVersion.objects.get().status == VersionStatus.ACTIVE
    assert AuditEvent.objects.filter(action="regulation.activated").count() == 1


def test_loading_the_same_preset_from_another_date_adds_a_version(cast):
    load_command("heemstede", "--organisation", ORGANISATION)
    load_command("heemstede", "--organisation", ORGANISATION, "--from", "2026-01-01")

    dates = set(
        RegulationVersion.objects.filter(status=VersionStatus.ACTIVE).values_list("in_force_from", flat=True)
    )
    assert dates == {datetime.date(2013, 10, 1), JAN_2026}


def test_load_regulation_for_one_unit(cast):
    stdout, _ = load_command(
        "kampen", "--organisation", ORGANISATION, "--unit", "INK", "--from", "2026-01-01"
    )

    version = RegulationVersion.objects.get()
    assert version.scope_unit == cast.team
    assert version.scope_job_group == ""
    assert version.status == VersionStatus.ACTIVE
    assert "(Team Inkomen (INK)) from 2026-01-01" in stdout
    # The same file for the whole organisation is another scope: a second version.
    load_command("kampen", "--organisation", ORGANISATION, "--from", "2026-01-01")
    assert RegulationVersion.objects.count() == 2


def test_load_regulation_for_a_job_group(cast):
    handhaver = JobFactory(organisation=cast.organisation, title="Handhaver")
    boa = JobFactory(organisation=cast.organisation, title="Boa")
    JobFactory(organisation=cast.organisation, title="Consulent")

    stdout, _ = load_command(
        "wierden",
        "--organisation",
        ORGANISATION,
        "--job-group",
        "Handhaving",
        "--job",
        "Handhaver",
        "--job",
        "Boa",
        "--from",
        "2026-01-01",
    )

    version = RegulationVersion.objects.get()
    assert version.scope_job_group == "Handhaving"
    assert set(version.scope_jobs.all()) == {handhaver, boa}
    assert version.scope_unit is None
    assert version.status == VersionStatus.ACTIVE
    assert "(Handhaving) from 2026-01-01" in stdout
    stdout, _ = load_command(
        "wierden",
        "--organisation",
        ORGANISATION,
        "--job-group",
        "Handhaving",
        "--job",
        "Boa",
        "--job",
        "Handhaver",
        "--from",
        "2026-01-01",
    )
    assert "nothing changed" in stdout
    assert RegulationVersion.objects.count() == 1


def test_reloading_a_job_group_is_idempotent_when_the_group_name_is_also_used_for_other_jobs(cast):
    """Two active versions share the group name "Handhaving" (one for Handhaver, one for
    Handhaver and Boa). Loading the first again must change nothing, whichever of the two
    the database returns first."""
    JobFactory(organisation=cast.organisation, title="Handhaver")
    JobFactory(organisation=cast.organisation, title="Boa")
    common = ["wierden", "--organisation", ORGANISATION, "--job-group", "Handhaving", "--from", "2026-01-01"]
    load_command(*common, "--job", "Handhaver")
    load_command(*common, "--job", "Handhaver", "--job", "Boa")
    before = set(RegulationVersion.objects.values_list("pk", "status"))

    stdout, _ = load_command(*common, "--job", "Handhaver")

    assert "nothing changed" in stdout
    assert set(RegulationVersion.objects.values_list("pk", "status")) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nowhere/regeling.yaml", "--organisation", ORGANISATION], "1 problem"),
        (["heemstede", "--organisation", ORGANISATION, "--unit", "NOPE"], "--unit 'NOPE': no such unit"),
        # The unit code of the other organisation.
        (["heemstede", "--organisation", ORGANISATION, "--unit", "X"], "--unit 'X': no such unit"),
        (["heemstede", "--organisation", "Gemeente Nergens"], "No organisation named 'Gemeente Nergens'"),
        (
            ["heemstede", "--organisation", ORGANISATION, "--unit", "INK", "--job-group", "Handhaving"],
            "not both",
        ),
        (
            ["heemstede", "--organisation", ORGANISATION, "--unit", "INK", "--job", "Handhaver"],
            "not both",
        ),
        (["heemstede", "--organisation", ORGANISATION, "--job-group", "Handhaving"], "at least one --job"),
        (
            ["heemstede", "--organisation", ORGANISATION, "--job-group", "Handhaving", "--job", "Astronaut"],
            "no such job in Gemeente Teststad: Astronaut",
        ),
        (
            ["heemstede", "--organisation", ORGANISATION, "--from", "1-1-2026"],
            "expected a date as YYYY-MM-DD",
        ),
    ],
)
def test_load_regulation_refuses_bad_arguments_and_writes_nothing(cast, args, message):
    JobFactory(organisation=cast.organisation, title="Handhaver")
    with pytest.raises(CommandError, match=message):
        load_command(*args)
    assert not RegulationVersion.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="regulation.").exists()


def test_a_path_that_is_no_file_is_named_in_the_error(cast):
    stderr = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command(
            "load_regulation", "/nowhere/regeling.yaml", "--organisation", ORGANISATION, stderr=stderr
        )
    # The message itself is in the active language; the path and the presets are not.
    assert stderr.getvalue().startswith("/nowhere/regeling.yaml: ")
    assert "heemstede, kampen, klassiek, wierden, zaanstad" in stderr.getvalue()


def test_an_invalid_regulation_file_names_the_file_and_each_key_path(cast, tmp_path):
    path = tmp_path / "heemstede-kapot.yaml"
    path.write_text(broken_heemstede(), encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError, match="2 problem\\(s\\); nothing was loaded"):
        call_command(
            "load_regulation", str(path), "--organisation", ORGANISATION, stdout=stdout, stderr=stderr
        )

    lines = stderr.getvalue().splitlines()
    assert len(lines) == 2
    assert any(
        line.startswith("heemstede-kapot.yaml: conversation_kinds[1].due.anchor: expected one of:")
        and "'ergens_halverwege'" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("heemstede-kapot.yaml: conversation_kinds[2].colour: unknown key") for line in lines
    ), lines
    assert stdout.getvalue() == ""
    assert not RegulationVersion.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_file_that_is_not_yaml_is_refused(cast, tmp_path):
    path = tmp_path / "dubbel.yaml"
    path.write_text("id: een\nid: twee\n", encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_regulation", str(path), "--organisation", ORGANISATION, stderr=stderr)
    assert "dubbel.yaml: invalid YAML: duplicate key 'id'" in stderr.getvalue()
    assert not RegulationVersion.objects.exists()


# -- which version applies -----------------------------------------------------------


@pytest.fixture
def handhaver(cast):
    return JobFactory(organisation=cast.organisation, title="Handhaver")


def give_job(employee, job):
    Employee.objects.filter(pk=employee.pk).update(job=job)


def test_without_other_versions_the_organisation_default_applies_to_everyone(cast):
    default = load(cast.organisation)
    for person in ("secretary", "director", "manager", "employee", "other_employee", "hr_admin"):
        assert version_for(getattr(cast, person)) == default, person
    assert version_for(cast.foreign_employee) is None


def test_a_unit_version_applies_to_the_unit_and_below_it_not_to_siblings(cast):
    default = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    social = load(cast.organisation, "kampen", scope=Scope(unit=cast.sector))

    assert version_for(cast.director) == social  # works in the sector itself
    assert version_for(cast.manager) == social  # team Inkomen, below the sector
    assert version_for(cast.employee) == social
    assert version_for(cast.other_director) == default  # the sibling sector
    assert version_for(cast.other_employee) == default
    assert version_for(cast.secretary) == default  # above the sector
    assert version_for(cast.hr_admin) == default


def test_the_nearest_unit_wins_over_a_unit_higher_up(cast):
    load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    social = load(cast.organisation, "kampen", scope=Scope(unit=cast.sector))
    income = load(cast.organisation, "klassiek", scope=Scope(unit=cast.team))

    assert version_for(cast.employee) == income
    assert version_for(cast.director) == social


def test_a_job_group_version_wins_over_the_unit(cast, handhaver):
    default = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    social = load(cast.organisation, "kampen", scope=Scope(unit=cast.sector))
    enforcement = load(cast.organisation, "wierden", scope=Scope(job_group="Handhaving", jobs=(handhaver,)))
    give_job(cast.employee, handhaver)  # in team Inkomen, under the sector's version
    give_job(cast.other_employee, handhaver)  # in the other sector

    assert version_for(cast.employee) == enforcement
    assert version_for(cast.other_employee) == enforcement
    assert version_for(cast.colleague) == social
    assert version_for(cast.other_manager) == default


def test_a_later_version_applies_only_from_its_in_force_date(cast):
    old = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    new = load(cast.organisation, "kampen", in_force_from=datetime.date(2027, 1, 1))

    assert version_for(cast.employee, datetime.date(2026, 12, 31)) == old
    assert version_for(cast.employee, datetime.date(2027, 1, 1)) == new
    assert version_for(cast.employee, datetime.date(2013, 9, 30)) is None
    assert old.status == new.status == VersionStatus.ACTIVE


def test_a_narrower_version_not_yet_in_force_leaves_the_next_scope_down_in_charge(cast, handhaver):
    default = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    social = load(
        cast.organisation, "kampen", in_force_from=datetime.date(2027, 1, 1), scope=Scope(unit=cast.sector)
    )
    enforcement = load(
        cast.organisation,
        "wierden",
        in_force_from=datetime.date(2027, 7, 1),
        scope=Scope(job_group="Handhaving", jobs=(handhaver,)),
    )
    give_job(cast.employee, handhaver)

    assert version_for(cast.employee, datetime.date(2026, 12, 31)) == default
    assert version_for(cast.employee, datetime.date(2027, 1, 1)) == social
    assert version_for(cast.employee, datetime.date(2027, 7, 1)) == enforcement


def test_a_draft_never_applies(cast, handhaver):
    default = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    upload(cast.organisation, "kampen", in_force_from=datetime.date(2020, 1, 1))
    upload(
        cast.organisation, "klassiek", in_force_from=datetime.date(2020, 1, 1), scope=Scope(unit=cast.team)
    )
    upload(cast.organisation, "wierden", scope=Scope(job_group="Handhaving", jobs=(handhaver,)))
    give_job(cast.employee, handhaver)

    assert version_for(cast.employee) == default
    assert version_for(cast.other_employee) == default


def test_an_organisation_with_only_drafts_has_no_regulation(cast):
    upload(cast.organisation)
    assert version_for(cast.employee) is None
    assert not RegulationResolver(cast.organisation.pk).has_any


def test_a_withdrawn_version_never_applies(cast):
    default = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    replaced = load(cast.organisation, "kampen", in_force_from=datetime.date(2020, 1, 1))
    replacement = upload(cast.organisation, "klassiek", in_force_from=datetime.date(2020, 1, 1))
    regulation_version_activate(replacement)
    replaced.refresh_from_db()
    assert replaced.status == VersionStatus.WITHDRAWN
    assert version_for(cast.employee) == replacement

    # Withdrawn without a replacement of the same date (only the default is left).
    RegulationVersion.objects.filter(pk=replacement.pk).update(status=VersionStatus.WITHDRAWN)
    assert version_for(cast.employee) == default


def test_cycles_open_under_the_version_that_applies_to_each_person(cast, handhaver):
    default = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    social = load(cast.organisation, "kampen", scope=Scope(unit=cast.sector))
    enforcement = load(cast.organisation, "wierden", scope=Scope(job_group="Handhaving", jobs=(handhaver,)))
    give_job(cast.colleague, handhaver)

    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 1, 5))

    version_of = dict(Cycle.objects.values_list("employee_id", "regulation_version_id"))
    assert version_of[cast.employee.pk] == social.pk
    assert version_of[cast.colleague.pk] == enforcement.pk
    assert version_of[cast.other_employee.pk] == default.pk


# -- activating and discarding -------------------------------------------------------


def test_activating_twice_activates_once(cast):
    version = upload(cast.organisation)

    assert regulation_version_activate(version) is True
    version.refresh_from_db()
    activated_at = version.activated_at
    assert version.status == VersionStatus.ACTIVE

    assert regulation_version_activate(version) is False
    version.refresh_from_db()
    assert version.activated_at == activated_at
    assert AuditEvent.objects.filter(action="regulation.activated").count() == 1


def test_a_new_version_for_the_same_scope_and_date_withdraws_the_old_one(cast):
    old = load(cast.organisation)
    new = upload(cast.organisation, "kampen")

    regulation_version_activate(new)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == VersionStatus.WITHDRAWN
    assert new.status == VersionStatus.ACTIVE
    assert version_for(cast.employee) == new
    with pytest.raises(ValueError, match="withdrawn"):
        regulation_version_activate(old)


@pytest.mark.parametrize(
    "other",
    [
        {"in_force_from": datetime.date(2027, 1, 1)},
        {"scope": "unit"},
        {"scope": "job_group"},
    ],
    ids=["another-date", "a-unit", "a-job-group"],
)
def test_a_new_version_for_another_scope_or_date_keeps_the_old_one(cast, handhaver, other):
    old = load(cast.organisation)
    scopes = {
        "unit": Scope(unit=cast.team),
        "job_group": Scope(job_group="Handhaving", jobs=(handhaver,)),
    }
    new = upload(
        cast.organisation,
        "kampen",
        in_force_from=other.get("in_force_from", JAN_2026),
        scope=scopes.get(other.get("scope"), ORGANISATION_WIDE),
    )

    regulation_version_activate(new)

    old.refresh_from_db()
    assert old.status == VersionStatus.ACTIVE


def test_a_job_group_version_replaces_only_the_version_for_the_same_jobs(cast, handhaver):
    boa = JobFactory(organisation=cast.organisation, title="Boa")
    same = load(cast.organisation, scope=Scope(job_group="Handhaving", jobs=(handhaver,)))
    wider = load(cast.organisation, scope=Scope(job_group="Handhaving", jobs=(handhaver, boa)))
    replacement = upload(cast.organisation, "kampen", scope=Scope(job_group="Handhaving", jobs=(handhaver,)))

    regulation_version_activate(replacement)

    same.refresh_from_db()
    wider.refresh_from_db()
    assert same.status == VersionStatus.WITHDRAWN
    assert wider.status == VersionStatus.ACTIVE


def test_a_cycle_keeps_the_version_it_opened_with(cast):
    old = load(cast.organisation)
    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 1, 5))
    cycle = Cycle.objects.get(employee=cast.employee)
    new = upload(cast.organisation, "kampen")

    regulation_version_activate(new)
    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 2, 1))

    cycle.refresh_from_db()
    assert cycle.regulation_version == old
    # Its schedule still follows Heemstede: planning, progress and an evaluation.
    kinds = [item.kind for item in cycle_schedule(cycle, datetime.date(2026, 2, 1))]
    assert kinds == ["planning", "progress", "evaluation"]
    # Someone who joins now opens under the new version.
    joiner = EmployeeFactory(unit=cast.team, employment_start=datetime.date(2026, 2, 1))
    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 2, 2))
    assert Cycle.objects.get(employee=joiner).regulation_version == new


def test_only_a_draft_can_be_discarded(cast):
    draft = upload(cast.organisation)
    regulation_version_discard(draft)
    assert not RegulationVersion.objects.filter(pk=draft.pk).exists()

    active = load(cast.organisation)
    with pytest.raises(ValueError, match="only a draft"):
        regulation_version_discard(active)
    assert RegulationVersion.objects.filter(pk=active.pk).exists()


def test_a_version_used_by_a_cycle_cannot_be_deleted_from_under_it(cast):
    from django.db.models import ProtectedError

    version = load(cast.organisation)
    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 1, 5))
    with pytest.raises(ProtectedError):
        version.delete()


# -- the pages -----------------------------------------------------------------------


@pytest.fixture
def on_a_fixed_day(time_machine):
    """The pages fill in and preview with ``timezone.localdate()``: 20 January 2026."""
    time_machine.move_to(
        datetime.datetime(2026, 1, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")), tick=False
    )


@pytest.fixture
def admin(cast, login, on_a_fixed_day):
    return login(cast.user("hr_admin"))


def list_url(cast):
    return reverse("regulations:list", args=[cast.organisation.pk])


def html(response) -> str:
    return response.content.decode()


def flashed(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in messages.get_messages(response.wsgi_request)]


def test_list_page_shows_the_versions_of_the_organisation(cast, admin):
    active = load(cast.organisation, in_force_from=datetime.date(2013, 10, 1))
    draft = upload(cast.organisation, "kampen", scope=Scope(unit=cast.team))
    foreign = load(cast.foreign_employee.organisation)

    response = admin.get(list_url(cast))

    assert response.status_code == 200
    assert list(response.context["versions"]) == [draft, active]  # newest in-force date first
    page = html(response)
    assert HEEMSTEDE in page
    assert KAMPEN in page
    assert "Team Inkomen (INK)" in page
    assert reverse("regulations:version_detail", args=[active.pk]) in page
    assert reverse("regulations:version_detail", args=[draft.pk]) in page
    assert reverse("regulations:version_detail", args=[foreign.pk]) not in page


def test_the_administration_page_links_to_the_regulations(cast, admin):
    assert list_url(cast) in html(admin.get(reverse("organisations:admin_home")))


def test_uploading_a_preset_makes_a_draft_and_shows_its_preview(cast, admin):
    on_probation = EmployeeFactory(
        unit=cast.team, on_probation=True, employment_start=datetime.date(2026, 1, 2)
    )

    response = admin.post(list_url(cast), {"preset": "heemstede", "in_force_from": "2026-01-01"})

    version = RegulationVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("regulations:version_detail", args=[version.pk])
    assert version.status == VersionStatus.DRAFT
    assert (version.regulation_id, version.in_force_from, version.scope_kind) == (
        "heemstede",
        JAN_2026,
        "organisation",
    )
    assert version.uploaded_by == cast.user("hr_admin")
    assert version_for(cast.employee) is None  # a draft is not in force

    preview = admin.get(response["Location"])

    assert preview.status_code == 200
    page = html(preview)
    for label in ("Planningsgesprek", "Voortgangsgesprek", "Evaluatiegesprek", "Beoordelingsgesprek"):
        assert label in page
    assert reverse("regulations:version_activate", args=[version.pk]) in page
    assert reverse("regulations:version_discard", args=[version.pk]) in page
    # Two example schedules for 2026: one person with a permanent appointment, one on probation.
    samples = preview.context["samples"]
    assert len(samples) == 2
    assert samples[1]["person"] == on_probation
    for sample in samples:
        assert escape(sample["person"].full_name) in page  # names such as "van 't Erve"
        assert [row.item.kind for row in sample["rows"]] == ["planning", "progress", "evaluation"]
    permanent, probation = samples
    assert (permanent["period"].start, permanent["period"].end) == (JAN_2026, datetime.date(2026, 12, 31))
    assert probation["period"].start == datetime.date(2026, 1, 2)  # the probation period starts on day one
    assert [row.status for row in permanent["rows"]] == ["due", "not_yet", "not_yet"]


def test_uploading_a_file_for_one_unit(cast, admin):
    text = preset_path("kampen").read_text(encoding="utf-8").encode()
    data = {
        "file": SimpleUploadedFile("onze-regeling.yaml", text),
        "in_force_from": "2026-01-01",
        "unit": cast.team.pk,
    }

    response = admin.post(list_url(cast), data)

    version = RegulationVersion.objects.get()
    assert response.status_code == 302
    assert version.source_filename == "onze-regeling.yaml"
    assert version.scope_unit == cast.team
    assert version.text == text.decode()
    assert version.status == VersionStatus.DRAFT


def test_uploading_for_a_job_group(cast, admin, handhaver):
    data = {
        "preset": "wierden",
        "in_force_from": "2026-01-01",
        "job_group": "Handhaving",
        "jobs": [handhaver.pk],
    }

    admin.post(list_url(cast), data)

    version = RegulationVersion.objects.get()
    assert version.scope_job_group == "Handhaving"
    assert list(version.scope_jobs.all()) == [handhaver]


def test_uploading_a_broken_file_shows_each_problem_with_its_key_path_and_stores_nothing(cast, admin):
    data = {
        "file": SimpleUploadedFile("kapot.yaml", broken_heemstede().encode()),
        "in_force_from": "2026-01-01",
    }

    response = admin.post(list_url(cast), data)

    assert response.status_code == 200
    lines = response.context["form"].regulation_errors
    assert len(lines) == 2
    page = html(response)
    assert "kapot.yaml: conversation_kinds[1].due.anchor: expected one of:" in page
    assert "kapot.yaml: conversation_kinds[2].colour: unknown key" in page
    assert not RegulationVersion.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="regulation.").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"in_force_from": "2026-01-01"},  # neither preset nor file
        {"preset": "heemstede"},  # no date
        {"preset": "heemstede", "in_force_from": "2026-01-01", "job_group": "Handhaving"},  # no jobs
    ],
    ids=["no-regulation", "no-date", "job-group-without-jobs"],
)
def test_an_incomplete_upload_is_refused(cast, admin, data):
    response = admin.post(list_url(cast), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not RegulationVersion.objects.exists()


def test_uploading_for_a_unit_and_a_job_group_at_once_is_refused(cast, admin, handhaver):
    data = {
        "preset": "heemstede",
        "in_force_from": "2026-01-01",
        "unit": cast.team.pk,
        "job_group": "Handhaving",
        "jobs": [handhaver.pk],
    }
    response = admin.post(list_url(cast), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not RegulationVersion.objects.exists()


def test_a_unit_of_another_organisation_cannot_be_chosen(cast, admin):
    foreign_unit = cast.foreign_employee.unit
    data = {"preset": "heemstede", "in_force_from": "2026-01-01", "unit": foreign_unit.pk}
    response = admin.post(list_url(cast), data)
    assert "unit" in response.context["form"].errors
    assert not RegulationVersion.objects.exists()


def test_activating_on_the_page_puts_the_draft_in_force_and_a_second_click_changes_nothing(cast, admin):
    draft = upload(cast.organisation)
    url = reverse("regulations:version_activate", args=[draft.pk])
    detail = reverse("regulations:version_detail", args=[draft.pk])

    response = admin.post(url)

    assert response.status_code == 302
    assert response["Location"] == detail
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ACTIVE
    assert draft.activated_by == cast.user("hr_admin")
    assert [level for level, _ in flashed(response)] == [messages.SUCCESS]
    activated_at = draft.activated_at
    assert version_for(cast.employee) == draft
    assert reverse("regulations:version_activate", args=[draft.pk]) not in html(admin.get(detail))

    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    again = admin.post(url)

    assert again.status_code == 302
    assert again["Location"] == detail
    assert flashed(again) == [(messages.INFO, "This version was already active.")]
    draft.refresh_from_db()
    assert draft.activated_at == activated_at
    assert AuditEvent.objects.filter(action="regulation.activated").count() == 1


def test_activating_a_withdrawn_version_on_the_page_is_refused(cast, admin):
    old = load(cast.organisation)
    regulation_version_activate(upload(cast.organisation, "kampen"))

    response = admin.post(reverse("regulations:version_activate", args=[old.pk]))

    assert response.status_code == 302
    assert [level for level, _ in flashed(response)] == [messages.ERROR]
    old.refresh_from_db()
    assert old.status == VersionStatus.WITHDRAWN


def test_activate_needs_post(cast, admin):
    draft = upload(cast.organisation)
    assert admin.get(reverse("regulations:version_activate", args=[draft.pk])).status_code == 405
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_discarding_a_draft_on_the_page(cast, admin):
    draft = upload(cast.organisation)

    response = admin.post(reverse("regulations:version_discard", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == list_url(cast)
    assert not RegulationVersion.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="regulation.discarded").count() == 1


def test_an_active_version_cannot_be_discarded_on_the_page(cast, admin):
    active = load(cast.organisation)

    response = admin.post(reverse("regulations:version_discard", args=[active.pk]))

    assert response.status_code == 302
    assert [level for level, _ in flashed(response)] == [messages.ERROR]
    active.refresh_from_db()
    assert active.status == VersionStatus.ACTIVE


# Who may use the pages: the HR administrators of the organisation. The list page is a
# role-level page (``require_permission``: 403); a version is an object, fetched with
# ``get_permitted_or_404`` (404, so its existence is not revealed).

OTHER_ROLES = [
    "employee",
    "colleague",
    "manager",
    "director",
    "other_director",
    "hr_adviser",
    "secretary",
    "outsider",
]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_nobody_but_the_hr_admin_gets_the_list_or_can_upload(cast, login, on_a_fixed_day, role):
    client = login(cast.user(role))
    assert client.get(list_url(cast)).status_code == 403
    response = client.post(list_url(cast), {"preset": "heemstede", "in_force_from": "2026-01-01"})
    assert response.status_code == 403
    assert not RegulationVersion.objects.exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_nobody_but_the_hr_admin_sees_activates_or_discards_a_version(cast, login, on_a_fixed_day, role):
    draft = upload(cast.organisation)
    client = login(cast.user(role))

    assert client.get(reverse("regulations:version_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("regulations:version_activate", args=[draft.pk])).status_code == 404
    assert client.post(reverse("regulations:version_discard", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_hr_admin_of_another_organisation_gets_nothing(cast, login, on_a_fixed_day):
    elders = cast.foreign_employee.organisation
    RoleAssignmentFactory(user=cast.foreign_employee.user, organisation=elders, role=Role.HR_ADMIN, unit=None)
    draft = upload(cast.organisation)
    client = login(cast.user("foreign_employee"))

    assert client.get(reverse("regulations:list", args=[elders.pk])).status_code == 200  # their own
    assert client.get(list_url(cast)).status_code == 403
    assert (
        client.post(list_url(cast), {"preset": "heemstede", "in_force_from": "2026-01-01"}).status_code == 403
    )
    assert client.get(reverse("regulations:version_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("regulations:version_activate", args=[draft.pk])).status_code == 404
    assert client.post(reverse("regulations:version_discard", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert list(RegulationVersion.objects.all()) == [draft]


def test_the_hr_admin_cannot_open_a_version_of_another_organisation(cast, admin):
    foreign = upload(cast.foreign_employee.organisation)
    assert admin.get(reverse("regulations:version_detail", args=[foreign.pk])).status_code == 404
    assert admin.post(reverse("regulations:version_activate", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == VersionStatus.DRAFT


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("regulations:list", {"organisation_pk": 1}),
        ("regulations:version_detail", {"pk": 1}),
        ("regulations:version_activate", {"pk": 1}),
        ("regulations:version_discard", {"pk": 1}),
    ],
)
def test_anonymous_visitor_is_sent_to_the_login_page(db, client, url_name, kwargs):
    url = reverse(url_name, kwargs=kwargs)
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
