"""Persons authorised to collect goods, kept by the company admin in the client panel and
over the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.customers.models import CompanyRole, PickupPerson
from tandem.customers.pickup_persons import PickupPersonData, pickup_person_delete, pickup_person_save
from tests.factories import make_company, make_company_user

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def acme():
    return make_company("ACME")


@pytest.fixture
def admin(acme):
    return make_company_user(acme, CompanyRole.ADMIN)


def test_the_admin_adds_changes_and_removes_a_person(admin, acme):
    person = pickup_person_save(
        admin=admin,
        data=PickupPersonData(
            full_name="  Jan   Kowalski ", document_number="abc 123456", valid_until=TOMORROW, notes="van"
        ),
    )
    assert (person.company, person.full_name, person.document_number) == (acme, "Jan Kowalski", "ABC123456")
    pickup_person_save(
        admin=admin,
        person_id=person.pk,
        data=PickupPersonData(full_name="Jan Kowalski", document_number="XYZ1"),
    )
    person.refresh_from_db()
    assert (person.document_number, person.valid_until) == ("XYZ1", None)
    pickup_person_delete(admin=admin, person_id=person.pk)
    assert not PickupPerson.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PickupPersonData(full_name=" ", document_number="A1"), "full_name"),
        (PickupPersonData(full_name="Jan", document_number="\x00"), "document_number"),
        (
            PickupPersonData(
                full_name="Jan", document_number="A1", valid_until=timezone.localdate() - timedelta(1)
            ),
            "valid_until",
        ),
    ],
    ids=["no-name", "no-document", "already-expired"],
)
def test_bad_input_is_refused_with_the_field(admin, data, field):
    with pytest.raises(DomainError) as error:
        pickup_person_save(admin=admin, data=data)
    assert error.value.field == field and not PickupPerson.objects.exists()


@pytest.mark.parametrize("role", [CompanyRole.BUYER, CompanyRole.APPROVER, CompanyRole.ACCOUNTANT])
def test_only_the_admin_manages_them(acme, role):
    with pytest.raises(PermissionDenied):
        pickup_person_save(
            admin=make_company_user(acme, role), data=PickupPersonData(full_name="Jan", document_number="A1")
        )


def test_another_companys_person_is_not_found(admin):
    stranger = make_company_user(make_company("Other"), CompanyRole.ADMIN)
    person = pickup_person_save(admin=admin, data=PickupPersonData(full_name="Jan", document_number="A1"))
    with pytest.raises(NotFound):
        pickup_person_delete(admin=stranger, person_id=person.pk)
    with pytest.raises(NotFound):
        pickup_person_save(
            admin=stranger, person_id=person.pk, data=PickupPersonData(full_name="Eve", document_number="E1")
        )
    assert PickupPerson.objects.get().full_name == "Jan"


def test_the_panel_pages(admin, acme, client):
    client.force_login(admin)
    assert client.get("/account/company/pickup-persons/new/").status_code == 200
    response = client.post(
        "/account/company/pickup-persons/new/",
        {"full_name": "Anna Nowak", "document_number": "AB123", "valid_until": TOMORROW.isoformat()},
    )
    assert response.status_code == 302
    person = PickupPerson.objects.get()
    page = client.get("/account/company/")
    assert "Anna Nowak" in page.text and f"/account/company/pickup-persons/{person.pk}/" in page.text
    past = client.post(
        f"/account/company/pickup-persons/{person.pk}/",
        {"full_name": "Anna Nowak", "document_number": "AB123", "valid_until": "2001-01-01"},
    )
    assert past.status_code == 200 and "valid until today or later" in past.text
    client.post(f"/account/company/pickup-persons/{person.pk}/delete/")
    assert not PickupPerson.objects.exists()


def test_a_buyer_sees_the_persons_but_cannot_change_them(admin, acme, client):
    pickup_person_save(admin=admin, data=PickupPersonData(full_name="Anna Nowak", document_number="AB1"))
    client.force_login(make_company_user(acme, CompanyRole.BUYER))
    page = client.get("/account/company/")
    assert "Anna Nowak" in page.text and "/pickup-persons/new/" not in page.text
    response = client.post(
        "/account/company/pickup-persons/new/", {"full_name": "Eve", "document_number": "E"}
    )
    assert response.status_code == 302 and PickupPerson.objects.count() == 1
    api = client.post(
        "/api/v1/account/company/pickup-persons",
        {"full_name": "Eve", "document_number": "E"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert [item["full_name"] for item in client.get("/api/v1/account/company/pickup-persons").json()] == [
        "Anna Nowak"
    ]


def test_the_api(admin, client):
    client.force_login(admin)
    created = client.post(
        "/api/v1/account/company/pickup-persons",
        {"full_name": "Jan", "document_number": "A1", "valid_until": TOMORROW.isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["is_valid"] is True
    person_id = created.json()["id"]
    changed = client.put(
        f"/api/v1/account/company/pickup-persons/{person_id}",
        {"full_name": "Jan K", "document_number": "A2"},
        content_type="application/json",
    )
    assert changed.json()["document_number"] == "A2"
    bad = client.post(
        "/api/v1/account/company/pickup-persons",
        {"full_name": "", "document_number": "A"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "full_name"
    assert client.delete(f"/api/v1/account/company/pickup-persons/{person_id}").status_code == 204
    assert client.delete(f"/api/v1/account/company/pickup-persons/{person_id}").status_code == 404
