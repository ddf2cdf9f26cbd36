"""The document selectors (database filters) agree with the document predicates, over a
world with two regulations of different ``visibility`` in one organisation and a third
in another (``tests/api/world.py``):

* ``conversations_visible_to``   <-> ``conversations.view_conversation``
* ``reports_readable_by``        <-> ``conversations.read_report``
* ``agreements_visible_to``      <-> ``agreements.view_agreement``
* ``dossier_entries_visible_to`` <-> ``dossiers.read_entry``

for every account of the cast, without duplicates; and both are pinned to an explicit
table, so that agreement cannot pass by both being wrong the same way."""

import pytest
from django.contrib.auth.models import AnonymousUser

from gesprekscyclus.access.selectors import (
    agreements_visible_to,
    conversations_visible_to,
    dossier_entries_visible_to,
    reports_readable_by,
)
from gesprekscyclus.accounts.models import User
from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.dossiers.models import DossierEntry
from tests.access.test_selectors import CAST_USERS
from tests.api.world import World, build_world

# Everybody with an account in the world: the cast and the other organisation's manager.
USERS = (*CAST_USERS, "foreign_manager")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(cast) -> World:
    """The rich world of ``tests/api/world.py`` on top of the cast."""
    return build_world(cast)


def fresh_user(world: World, name: str) -> User:
    return User.objects.get(pk=world.user(name).pk)


CONVERSATIONS = Conversation.objects.select_related(
    "employee__unit", "employee__manager", "conductor", "cycle__regulation_version"
)
AGREEMENTS = Agreement.objects.select_related(
    "employee__unit", "employee__manager", "cycle__regulation_version"
)
ENTRIES = DossierEntry.objects.select_related(
    "employee__unit", "employee__manager", "conversation__cycle__regulation_version"
).defer("pdf", "content_json")

# (selector, permission, queryset of every object)
FAMILIES = {
    "conversations": (conversations_visible_to, "conversations.view_conversation", CONVERSATIONS),
    "reports": (reports_readable_by, "conversations.read_report", CONVERSATIONS),
    "agreements": (agreements_visible_to, "agreements.view_agreement", AGREEMENTS),
    "dossier_entries": (dossier_entries_visible_to, "dossiers.read_entry", ENTRIES),
}


def by_predicate(user, permission: str, queryset) -> set[int]:
    return {obj.pk for obj in queryset.all() if user.has_perm(permission, obj)}


def by_selector(selector, user) -> list[int]:
    return list(selector(user).values_list("pk", flat=True))


@pytest.mark.parametrize("family", list(FAMILIES))
def test_selector_is_exactly_what_the_predicate_allows_for_everybody(world, family):
    selector, permission, queryset = FAMILIES[family]
    assert queryset.count() >= 5, "the world should hold several objects of this kind"
    problems = []
    for name in USERS:
        user = fresh_user(world, name)
        listed = by_selector(selector, user)
        if len(listed) != len(set(listed)):
            problems.append(
                f"{name}: listed twice: {sorted(pk for pk in set(listed) if listed.count(pk) > 1)}"
            )
        expected = by_predicate(user, permission, queryset)
        if set(listed) != expected:
            only_listed, only_allowed = sorted(set(listed) - expected), sorted(expected - set(listed))
            problems.append(f"{name}: selector only {only_listed}, predicate only {only_allowed}")
    assert not problems, f"{family} ({permission}):\n" + "\n".join(problems)


# -- the explicit policy --------------------------------------------------------------------------
# World conversations (see tests/api/world.py): EP employee_planning, EPR employee_progress
# (conducted by other_manager), EA employee_assessment, CP colleague_planning, CPR
# colleague_progress (conducted by the director, the HR adviser mediates), MP
# manager_planning (conducted by the director) under Heemstede; OP, OPR other_employee's
# planning and progress, OMP other_manager_planning (conducted by other_director), HP
# hr_adviser_planning (conducted by the secretary) under Kampen; FA foreign_annual (Wierden).
ABBREVIATIONS = {
    "EP": "employee_planning",
    "EPR": "employee_progress",
    "EA": "employee_assessment",
    "CP": "colleague_planning",
    "CPR": "colleague_progress",
    "MP": "manager_planning",
    "OP": "other_employee_planning",
    "OPR": "other_employee_progress",
    "OMP": "other_manager_planning",
    "HP": "hr_adviser_planning",
    "FA": "foreign_annual",
}

# Who opens which conversation. Reading the report is the same set in this world (every
# preset lets the manager read the report), so one table serves both permissions.
# Heemstede lets the director read reports but not assessments; the HR adviser reads the
# assessment (and mediates CPR) but no report; Kampen lets nobody but the pair read, so
# other_director (skip-level manager of other_employee) sees only the conversation they
# conduct; the HR administrator reads no conversation at all.
CONVERSATIONS_SEEN = {
    "employee": "EP EPR EA",
    "colleague": "CP CPR",
    "manager": "EP EPR EA CP CPR MP",
    "other_manager": "EPR OP OPR OMP",
    "director": "EP EPR CP CPR MP",
    "other_director": "OMP",
    "hr_adviser": "EA CPR HP",
    "hr_admin": "",
    "secretary": "HP",
    "outsider": "",
    "other_employee": "OP OPR",
    "foreign_employee": "FA",
    "foreign_manager": "FA",
}

# Agreements: the employee's two and the colleague's one in Heemstede planning conversations;
# other_employee's two (planning, progress) under Kampen. The director reads Heemstede's
# agreements; a delegate does not (agreements are not the delegate's conversation).
AGREEMENTS_SEEN = {
    "employee": "employee_results employee_course",
    "colleague": "colleague_results",
    "manager": "employee_results employee_course colleague_results",
    "other_manager": "other_employee_results other_employee_progress",
    "director": "employee_results employee_course colleague_results",
    "other_director": "",
    "hr_adviser": "",
    "hr_admin": "",
    "secretary": "",
    "outsider": "",
    "other_employee": "other_employee_results other_employee_progress",
    "foreign_employee": "",
    "foreign_manager": "",
}

# Personnel-file entries: the archived employee_planning report and employee_assessment
# (Heemstede), other_employee_planning report (Kampen), and loose entries without a
# conversation (read by their employee only).
ENTRIES_SEEN = {
    "employee": "employee_loose employee_planning:report employee_assessment:assessment",
    "colleague": "",
    "manager": "employee_planning:report employee_assessment:assessment",
    "other_manager": "other_employee_planning:report",
    "director": "employee_planning:report",
    "other_director": "",
    "hr_adviser": "employee_assessment:assessment",
    "hr_admin": "",
    "secretary": "",
    "outsider": "",
    "other_employee": "other_employee_loose other_employee_planning:report",
    "foreign_employee": "foreign_loose",
    "foreign_manager": "",
}


def test_the_policy_tables_cover_everybody():
    for table in (CONVERSATIONS_SEEN, AGREEMENTS_SEEN, ENTRIES_SEEN):
        assert set(table) == set(USERS)


def _ids(mapping: dict, names: str) -> set[int]:
    return {mapping[name].pk for name in names.split()}


def _expected_conversations(world, role) -> set[int]:
    return _ids(world.conversations, " ".join(ABBREVIATIONS[a] for a in CONVERSATIONS_SEEN[role].split()))


def test_selectors_and_predicates_follow_the_explicit_policy(world):
    problems = []
    for role in USERS:
        user = fresh_user(world, role)
        checks = (
            ("conversations", conversations_visible_to, "conversations.view_conversation", CONVERSATIONS,
             _expected_conversations(world, role)),
            ("reports", reports_readable_by, "conversations.read_report", CONVERSATIONS,
             _expected_conversations(world, role)),
            ("agreements", agreements_visible_to, "agreements.view_agreement", AGREEMENTS,
             _ids(world.agreements, AGREEMENTS_SEEN[role])),
            ("dossier_entries", dossier_entries_visible_to, "dossiers.read_entry", ENTRIES,
             _ids(world.entries, ENTRIES_SEEN[role])),
        )  # fmt: skip
        for family, selector, permission, queryset, expected in checks:
            listed = set(by_selector(selector, user))
            allowed = by_predicate(user, permission, queryset)
            if listed != expected:
                problems.append(f"{role} {family}: selector {sorted(listed)} != policy {sorted(expected)}")
            if allowed != expected:
                problems.append(f"{role} {family}: predicate {sorted(allowed)} != policy {sorted(expected)}")
    assert not problems, "\n".join(problems)


def test_the_director_reads_reports_only_where_the_regulation_says_so(world):
    """Heemstede (sector SOC) lets the director read reports, Kampen (sector FYS) does not."""
    director, other_director = fresh_user(world, "director"), fresh_user(world, "other_director")
    soc_report = world.conversations["employee_planning"]
    fys_report = world.conversations["other_employee_planning"]
    assert world.heemstede.regulation().visibility.may_read("director", "report")
    assert not world.kampen.regulation().visibility.may_read("director", "report")
    assert reports_readable_by(director).filter(pk=soc_report.pk).exists()
    assert director.has_perm("conversations.read_report", soc_report)
    assert not reports_readable_by(other_director).filter(pk=fys_report.pk).exists()
    assert not other_director.has_perm("conversations.read_report", fys_report)
    # ... and not the assessment, whose readers are the pair and the HR adviser.
    assessment = world.conversations["employee_assessment"]
    assert not reports_readable_by(director).filter(pk=assessment.pk).exists()
    assert reports_readable_by(fresh_user(world, "hr_adviser")).filter(pk=assessment.pk).exists()


def test_a_mediator_reads_that_conversation_and_no_other(world):
    hr_adviser = fresh_user(world, "hr_adviser")
    mediated = world.conversations["colleague_progress"]
    assert world.disagreement.mediator_id == world.cast.hr_adviser.pk
    assert reports_readable_by(hr_adviser).filter(pk=mediated.pk).exists()
    assert (
        not reports_readable_by(hr_adviser).filter(pk=world.conversations["colleague_planning"].pk).exists()
    )


def test_a_delegate_reads_the_conversation_they_conduct_but_not_the_employees_file(world):
    other_manager = fresh_user(world, "other_manager")
    delegated = world.conversations["employee_progress"]
    assert delegated.conductor_id == world.cast.other_manager.pk
    assert conversations_visible_to(other_manager).filter(pk=delegated.pk).exists()
    assert (
        not conversations_visible_to(other_manager)
        .filter(pk=world.conversations["employee_planning"].pk)
        .exists()
    )
    assert not dossier_entries_visible_to(other_manager).filter(employee=world.cast.employee).exists()


def test_anonymous_and_inactive_users_read_no_document(world):
    User.objects.filter(pk=world.cast.manager.user_id).update(is_active=False)
    for user in (AnonymousUser(), fresh_user(world, "manager")):
        for family, (selector, permission, queryset) in FAMILIES.items():
            assert not selector(user).exists(), family
            assert not by_predicate(user, permission, queryset), family
