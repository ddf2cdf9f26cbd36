"""Pseudonymising a former employee whose retention has ended: their name, e-mail and
personnel number are gone from the whole database, the text about them is erased, the
account is closed, the dashboard's figures stay, the audit log keeps pointing at the
(pseudonymised) employee; only after the retention, once, and a dry run changes nothing."""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from gesprekscyclus.accounts.models import User
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.compliance.models import CycleProgress, UnitProgress
from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.conversations.models import Attachment, Conversation, Report
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.privacy.models import Pseudonymisation
from gesprekscyclus.privacy.selectors import leavers_due_for_pseudonymisation, retention_of
from gesprekscyclus.privacy.services import Refused, leaver_pseudonymise
from tests.conversations.pages_helpers import browser
from tests.privacy.conftest import (
    COLLEAGUE_TEXT,
    DUE_DAY,
    EMAIL,
    EMPLOYMENT_END,
    MARKERS,
    NAME,
    RETENTION_ENDS,
    leaves,
)

FULL_NAME = " ".join(NAME)


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", "--all", stdout=out)
    return out.getvalue()


def figures(organisation) -> list:
    progress_refresh(today=DUE_DAY, cycle_ids=Cycle.objects.values_list("pk", flat=True))
    return [
        sorted(
            CycleProgress.objects.values_list("cycle_id", "unit_id", "planned", "held", "signed", "archived")
        ),
        sorted(
            UnitProgress.objects.values_list("unit_id", "year", "employees", "held", "signed", "archived")
        ),
    ]


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_the_retention_ends_two_years_after_the_employment_per_the_regulation(cast, scenario):
    leaver = leaves(scenario.employee)
    retention = retention_of(leaver)

    assert retention.months_after_employment == 24
    assert retention.ends_on == RETENTION_ENDS
    assert not retention.expired(RETENTION_ENDS)
    assert retention.expired(DUE_DAY)
    assert leavers_due_for_pseudonymisation(cast.organisation, RETENTION_ENDS) == []
    assert [item.employee for item in leavers_due_for_pseudonymisation(cast.organisation, DUE_DAY)] == [
        leaver
    ]


def test_the_longer_of_the_setting_and_the_regulation_counts(cast, scenario, settings):
    leaver = leaves(scenario.employee)
    settings.PRIVACY_MINIMUM_MONTHS_AFTER_EMPLOYMENT = 12
    assert retention_of(leaver).ends_on == RETENTION_ENDS  # the regulation's two years
    settings.PRIVACY_MINIMUM_MONTHS_AFTER_EMPLOYMENT = 84
    assert retention_of(leaver).ends_on == datetime.date(2033, 6, 30)
    assert leavers_due_for_pseudonymisation(cast.organisation, DUE_DAY) == []


def test_a_personnel_file_document_kept_longer_holds_it_back(cast, scenario):
    from tests.dossiers.conftest import append

    leaver = leaves(scenario.employee)
    append(
        leaver, "Beoordeling", datetime.date(2026, 5, 1), retention_after="completion", retention_months=60
    )

    assert retention_of(leaver).ends_on == datetime.date(2031, 5, 1)
    assert leavers_due_for_pseudonymisation(cast.organisation, DUE_DAY) == []


def test_before_the_retention_ends_it_is_refused_and_nothing_changes(cast, scenario, english):
    leaver = leaves(scenario.employee)
    before = dump()

    with pytest.raises(Refused, match="has not ended yet: it ends on 30-06-2028. Nothing was changed."):
        leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=RETENTION_ENDS)
    with pytest.raises(Refused, match="is still employed"):
        leaver_pseudonymise(cast.colleague, acting_user=cast.user("hr_admin"), today=DUE_DAY)

    assert dump() == before


def test_afterwards_the_name_and_e_mail_occur_nowhere_in_the_database(cast, scenario):
    leaver = leaves(scenario.employee)
    personnel_number = leaver.personnel_number
    assert FULL_NAME in dump() and EMAIL in dump()

    outcome = leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=DUE_DAY)

    assert outcome.changed
    everything = dump()
    assert FULL_NAME not in everything
    assert NAME[1] not in everything
    assert EMAIL not in everything
    assert not re.search(rf'"personnel_number": "{personnel_number}"', everything)
    for key, marker in MARKERS.items():
        if key != "feedback_given":
            assert marker not in everything, marker
    # other people's records are theirs: the colleague's report, feedback given to someone else
    assert COLLEAGUE_TEXT in everything
    assert MARKERS["feedback_given"] in everything
    pseudonymised = Employee.objects.get(pk=leaver.pk)
    token = outcome.record.pseudonym
    assert re.fullmatch(r"[0-9A-F]{6}", token)
    assert pseudonymised.full_name == f"Pseudoniem {token}"
    assert pseudonymised.personnel_number == f"PSEUDO-{token}"
    assert pseudonymised.email == f"{token.lower()}@pseudoniem.invalid"
    # the manager's reminder now names the pseudonym
    assert f"Plan het gesprek met Pseudoniem {token}" in everything


def test_the_account_is_closed_and_the_files_are_gone(cast, scenario, media):
    leaver = leaves(scenario.employee)
    path = scenario.attachment.file.path

    leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=DUE_DAY)

    user = User.objects.get(pk=leaver.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@pseudoniem.invalid")
    assert "192.0.2.7" not in dump()  # the login session ended with the account
    if apps.is_installed("django_otp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        assert not TOTPDevice.objects.filter(user=user).exists()
    assert not Attachment.objects.filter(conversation__employee=leaver).exists()
    assert not (media / path).exists()
    entry = DossierEntry.objects.get(employee=leaver)
    assert entry.is_purged and bytes(entry.pdf) == b""
    response = browser(user, language=None).get(reverse("privacy:mine"))
    assert response.status_code == 302  # logged out: an inactive account has no session


def test_the_skeleton_and_the_dashboard_figures_stay(cast, scenario):
    leaver = leaves(scenario.employee)
    before = figures(cast.organisation)
    conversations = list(
        Conversation.objects.filter(employee=leaver).values_list("pk", "kind", "status", "held_on")
    )

    leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=DUE_DAY)

    assert figures(cast.organisation) == before
    assert list(
        Conversation.objects.filter(employee=leaver).values_list("pk", "kind", "status", "held_on")
    ) == (conversations)
    assert Report.objects.get(conversation=scenario.planning).text == ""
    # feedback the leaver gave stays with its receiver, under the pseudonym
    given = Feedback.objects.get(giver=leaver)
    assert given.text == MARKERS["feedback_given"]
    assert given.giver.full_name.startswith("Pseudoniem ")


def test_the_audit_log_is_kept_and_records_the_pseudonymisation(cast, scenario):
    leaver = leaves(scenario.employee)
    events = list(AuditEvent.objects.values_list("pk", "action", "object_type", "object_id", "details"))

    outcome = leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=DUE_DAY)

    kept = list(
        AuditEvent.objects.filter(pk__in=[event[0] for event in events]).values_list(
            "pk", "action", "object_type", "object_id", "details"
        )
    )
    assert sorted(kept) == sorted(events)
    event = AuditEvent.objects.get(action="privacy.pseudonymise")
    assert (event.actor, event.organisation, event.object_type, event.object_id) == (
        cast.user("hr_admin"),
        cast.organisation,
        "organisations.employee",
        str(leaver.pk),
    )
    assert event.details["pseudonym"] == outcome.record.pseudonym
    assert event.details["retention_ended_on"] == "2028-06-30"


def test_a_second_time_changes_nothing(cast, scenario):
    leaver = leaves(scenario.employee)
    first = leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=DUE_DAY)
    after_first = dump()

    second = leaver_pseudonymise(leaver, acting_user=cast.user("hr_admin"), today=DUE_DAY)

    assert not second.changed and second.record == first.record
    assert dump() == after_first
    assert AuditEvent.objects.filter(action="privacy.pseudonymise").count() == 1
    assert leavers_due_for_pseudonymisation(cast.organisation, DUE_DAY) == []


def test_the_command_dry_run_changes_nothing_then_the_run_pseudonymises(cast, scenario):
    leaver = leaves(scenario.employee)
    number = leaver.personnel_number
    before = dump()
    stdout = StringIO()

    call_command("pseudonymise_leavers", "--today", "2028-07-01", "--dry-run", stdout=stdout)

    assert stdout.getvalue().splitlines() == [
        f"Gemeente Teststad {number}: due (employment ended 2026-06-30, retention ended 2028-06-30)",
        "1 former employees due; nothing changed (dry run).",
    ]
    assert dump() == before

    stdout, stderr = StringIO(), StringIO()
    call_command(
        "pseudonymise_leavers",
        "--organisation",
        "Gemeente Teststad",
        "--today",
        "2028-07-01",
        stdout=stdout,
        stderr=stderr,
    )
    token = Pseudonymisation.objects.get().pseudonym
    assert stdout.getvalue().splitlines() == [
        f"Gemeente Teststad {number}: pseudonymised as PSEUDO-{token}",
        "1 former employees pseudonymised; 0 refused.",
    ]
    assert "pseudonymise: 1/1 (100%)" in stderr.getvalue()

    stdout = StringIO()
    call_command("pseudonymise_leavers", "--today", "2028-07-01", "--no-progress", stdout=stdout)
    assert stdout.getvalue().splitlines() == ["0 former employees pseudonymised; 0 refused."]


def test_the_command_before_the_retention_end_does_nothing(cast, scenario):
    leaves(scenario.employee)
    stdout = StringIO()
    call_command("pseudonymise_leavers", "--today", "2028-06-30", "--no-progress", stdout=stdout)
    assert stdout.getvalue().splitlines() == ["0 former employees pseudonymised; 0 refused."]
    assert not Pseudonymisation.objects.exists()


def test_the_command_refuses_a_bad_day_or_organisation(cast):
    with pytest.raises(CommandError, match="--today '1-7-2028': expected YYYY-MM-DD."):
        call_command("pseudonymise_leavers", "--today", "1-7-2028")
    with pytest.raises(CommandError, match="No organisation named 'Gemeente Nergens'."):
        call_command("pseudonymise_leavers", "--organisation", "Gemeente Nergens")


def test_a_leaver_of_another_organisation_is_left_alone(cast, scenario):
    leaves(scenario.employee)
    foreign = leaves(cast.foreign_employee, datetime.date(2020, 1, 31))

    call_command(
        "pseudonymise_leavers",
        "--organisation",
        "Gemeente Teststad",
        "--today",
        "2028-07-01",
        "--no-progress",
        stdout=StringIO(),
    )

    assert Employee.objects.get(pk=foreign.pk).full_name == foreign.full_name
    assert [item.employee for item in leavers_due_for_pseudonymisation(None, DUE_DAY)] == [foreign]
    assert EMPLOYMENT_END < DUE_DAY
