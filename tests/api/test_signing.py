"""Reports and signatures through the API: the same rules as the signing page (password
again, the hash that was read), and a second click signs nothing twice."""

import pytest
import time_machine

from gesprekscyclus.signatures.models import Signature, VersionState
from tests.signatures import flow

PROBLEM = "application/problem+json"


@pytest.fixture
def ready(cast):
    flow.load_kampen(cast.organisation)
    return flow.ready_for_signing(cast, flow.open_cycle(cast))


@pytest.fixture(autouse=True)
def signing_day():
    with time_machine.travel(flow.at(flow.PLANNING_DAY, 15), tick=False):
        yield


def report(client, conversation):
    response = client.get(f"/api/v1/conversations/{conversation.pk}/report/")
    assert response.status_code == 200, response.content
    return response.json()


def sign(client, conversation, **body):
    return client.post(f"/api/v1/conversations/{conversation.pk}/sign/", body, format="json")


def test_the_employee_reads_the_open_version_and_signs_it(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    versions = report(client, ready)
    assert [v["state"] for v in versions] == [VersionState.OPEN]
    content_hash = versions[0]["content_hash"]
    assert flow.RESULTS in str(versions[0]["content"])
    response = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD, remark="Akkoord")
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "employee" and response.json()["remark"] == "Akkoord"
    assert report(client, ready)[0]["signatures"][0]["signer_name"] == cast.employee.full_name


def test_a_wrong_password_places_no_signature(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    content_hash = report(client, ready)[0]["content_hash"]
    response = sign(client, ready, expected_hash=content_hash, password="not my password")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert not Signature.objects.exists()


def test_a_changed_report_is_not_signed(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    response = sign(client, ready, expected_hash="0" * 64, password=flow.PASSWORD)
    assert response.status_code in (409, 412)
    assert not Signature.objects.exists()


def test_signing_twice_signs_once_and_answers_with_the_signature_that_stands(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    content_hash = report(client, ready)[0]["content_hash"]
    first = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD)
    second = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    assert Signature.objects.count() == 1


def test_both_signatures_complete_the_report(cast, ready, as_user):
    employee, manager = as_user(cast.user("employee")), as_user(cast.user("manager"))
    content_hash = report(employee, ready)[0]["content_hash"]
    assert sign(employee, ready, expected_hash=content_hash, password=flow.PASSWORD).status_code == 201
    assert sign(manager, ready, expected_hash=content_hash, password=flow.PASSWORD).status_code == 201
    assert report(manager, ready)[0]["state"] == VersionState.COMPLETE
    entries = employee.get(f"/api/v1/dossier-entries/?employee={cast.employee.pk}").json()["results"]
    assert len(entries) == 1 and entries[0]["has_pdf"] is True
    pdf = employee.get(f"/api/v1/dossier-entries/{entries[0]['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf).startswith(b"%PDF")


def test_refusing_needs_a_reason(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    content_hash = report(client, ready)[0]["content_hash"]
    response = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD, refuse=True)
    assert response.status_code == 409
    response = sign(
        client, ready, expected_hash=content_hash, password=flow.PASSWORD, refuse=True, reason="Klopt niet"
    )
    assert response.status_code == 201 and response.json()["refused"] is True


@pytest.mark.parametrize("role", ["colleague", "other_manager", "hr_adviser"])
def test_others_cannot_read_or_sign_the_report(cast, ready, as_user, role):
    client = as_user(cast.user(role))
    assert client.get(f"/api/v1/conversations/{ready.pk}/report/").status_code == 404
    assert sign(client, ready, expected_hash="x", password=flow.PASSWORD).status_code == 404
    assert not Signature.objects.exists()
