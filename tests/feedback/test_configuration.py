"""The HR administrator configures the organisation's feedback question sets and its
development scan; employees then use them."""

from html import unescape

import pytest
from django.urls import reverse

from gesprekscyclus.feedback.models import QuestionSet, ScanResponse
from gesprekscyclus.feedback.services import DEFAULT_SCAN, scan_questionnaire


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(response) -> str:
    return unescape(response.content.decode())


def test_a_question_set_the_hr_admin_adds_is_offered_when_asking_for_feedback(cast, login):
    admin = login(cast.user("hr_admin"))
    response = admin.post(
        reverse("feedback:question_sets"),
        {"name": "Drie vragen", "questions": "Wat gaat goed?\n\nWat kan beter?\n"},
        follow=True,
    )
    [question_set] = QuestionSet.objects.filter(organisation=cast.organisation)
    assert (question_set.name, question_set.questions) == (
        "Drie vragen",
        ["Wat gaat goed?", "Wat kan beter?"],
    )
    assert "Drie vragen" in page(response)

    employee = login(cast.user("employee"))
    form = employee.get(reverse("feedback:ask")).context["form"]
    assert list(form.fields["question_set"].queryset) == [question_set]


def test_a_question_set_is_changed_and_a_duplicate_name_is_refused(cast, login):
    admin = login(cast.user("hr_admin"))
    admin.post(reverse("feedback:question_sets"), {"name": "Kort", "questions": "Wat gaat goed?"})
    first = QuestionSet.objects.get(name="Kort")
    admin.post(reverse("feedback:question_sets"), {"set": first.pk, "name": "Kort", "questions": "Eén vraag"})
    first.refresh_from_db()
    assert first.questions == ["Eén vraag"]

    response = admin.post(
        reverse("feedback:question_sets"), {"name": "kort", "questions": "Nog een"}, follow=True
    )
    assert QuestionSet.objects.filter(organisation=cast.organisation).count() == 1
    assert "Er bestaat al een vragenset met deze naam." in page(response)


def test_the_scan_the_hr_admin_configures_is_the_one_employees_answer(cast, login):
    admin = login(cast.user("hr_admin"))
    assert admin.get(reverse("feedback:scan_settings")).status_code == 200  # shows the default
    admin.post(
        reverse("feedback:scan_settings"),
        {
            "text": "# Mijn werk\nIk ken mijn doelen.\nIk haal mijn doelen.\n\n"
            "# Mijn toekomst\nIk weet wat ik wil."
        },
    )
    assert scan_questionnaire(cast.organisation).sections == [
        {"title": "Mijn werk", "statements": ["Ik ken mijn doelen.", "Ik haal mijn doelen."]},
        {"title": "Mijn toekomst", "statements": ["Ik weet wat ik wil."]},
    ]
    employee_page = page(login(cast.user("employee")).get(reverse("feedback:scan")))
    assert "Ik haal mijn doelen." in employee_page
    assert DEFAULT_SCAN[0]["statements"][0] not in employee_page


def test_a_malformed_scan_is_refused_and_nothing_changes(cast, login):
    admin = login(cast.user("hr_admin"))
    before = scan_questionnaire(cast.organisation).sections
    for text in ("Ik ken mijn doelen.", "# Alleen een titel", ""):
        admin.post(reverse("feedback:scan_settings"), {"text": text})
        assert scan_questionnaire(cast.organisation).sections == before


def test_a_finished_scan_keeps_the_statements_it_was_answered_with(cast, login):
    employee = login(cast.user("employee"))
    questionnaire = scan_questionnaire(cast.organisation)
    answers = {
        f"a_{s}.{n}": "4"
        for s, section in enumerate(questionnaire.sections)
        for n, _statement in enumerate(section["statements"])
    }
    employee.post(reverse("feedback:scan"), {**answers, "finish": "1"})
    [done] = ScanResponse.objects.filter(employee=cast.employee, completed_at__isnull=False)

    login(cast.user("hr_admin")).post(reverse("feedback:scan_settings"), {"text": "# Nieuw\nEen stelling."})
    done.refresh_from_db()
    assert done.sections == DEFAULT_SCAN


@pytest.mark.parametrize("role", ["employee", "manager", "director", "hr_adviser"])
def test_only_the_hr_admin_configures_feedback_and_the_scan(cast, login, role):
    client = login(cast.user(role))
    for name in ("feedback:question_sets", "feedback:scan_settings"):
        assert client.get(reverse(name)).status_code == 403
        assert (
            client.post(reverse(name), {"name": "X", "questions": "Y", "text": "# A\nB"}).status_code == 403
        )
    assert not QuestionSet.objects.exists()
