"""Companies from the merchant's ERP: upserted by its customer number, linked by VAT ID when
they registered in the shop first, read back through the changes feed."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from tandem.billing.models import PaymentTerms
from tandem.core.models import AuditEntry
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import Company, CustomerGroup
from tests.factories import make_company, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def erp(staff_admin):
    CustomerGroup.objects.create(code="wholesale", name="Wholesale")
    PaymentTerms.objects.get_or_create(code="net-60", defaults={"name": "Net 60", "net_days": 60})
    _token, key = api_token_create(user=staff_admin, name="ERP", scopes=["customers:read", "customers:write"])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _company(number: int, **fields) -> dict:
    return {
        "external_id": f"K-{number}",
        "name": f"Hurtownia {number} Sp. z o.o.",
        "vat_id": "PL 774-000-14-54",
        "country": "PL",
        "street": "Długa 1",
        "postal_code": "00-001",
        "city": "Warszawa",
        "customer_group": "wholesale",
        "payment_terms": "net-60",
        "credit_limit": "25000.00",
        **fields,
    }


def _put(client, items, headers, **body):
    return client.put(
        "/api/v1/companies", {"items": items, **body}, content_type="application/json", **headers
    )


def test_the_erp_creates_companies_with_their_terms_and_nothing_twice(client, erp):
    response = _put(client, [_company(1)], erp)

    assert response.status_code == 200, response.content
    company = Company.objects.get(external_id="K-1")
    assert (
        company.vat_id,
        company.customer_group.code,
        company.payment_terms.code,
        company.credit_limit,
    ) == (
        "PL7740001454",
        "wholesale",
        "net-60",
        Decimal("25000.00"),
    )
    audit = AuditEntry.objects.filter(action="company.upserted").count()
    assert _put(client, [_company(1)], erp).json()["items"][0]["status"] == "unchanged"
    assert AuditEntry.objects.filter(action="company.upserted").count() == audit

    changed = _put(client, [{"external_id": "K-1", "credit_limit": "30000"}], erp).json()
    assert changed["items"][0]["status"] == "updated"
    company.refresh_from_db()
    assert (company.credit_limit, company.name) == (Decimal("30000.00"), "Hurtownia 1 Sp. z o.o.")
    entry = AuditEntry.objects.filter(action="company.upserted").latest("pk")
    assert entry.changes["changed"]["K-1"]["credit_limit"] == ["25000.00", "30000"]


def test_a_company_registered_in_the_shop_is_linked_by_its_vat_id(client, erp):
    registered = make_company("Registered")  # takes PL5260001246
    response = _put(client, [_company(2, vat_id="5260001246", name="Registered (ERP name)")], erp)
    assert response.json()["items"][0] == {
        "index": 0,
        "key": "K-2",
        "status": "updated",
        "id": registered.pk,
        "errors": [],
    }
    registered.refresh_from_db()
    assert (registered.external_id, registered.name) == ("K-2", "Registered (ERP name)")


def test_bad_companies_are_named_and_nothing_is_written(client, erp):
    make_company("Owner", external_id="OWNER-1")  # PL5260001246, already the ERP's
    items = [
        _company(3, vat_id="PL5260001247"),  # a wrong check digit
        _company(4, vat_id="PL5260001246", customer_group="nope"),  # another company's, a group unknown
        {"external_id": "K-5", "name": "Half"},
        _company(6),
    ]

    response = _put(client, items, erp)

    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert "items.0.vat_id" in {name for name, _code in fields}  # the check digit
    assert {
        ("items.1.vat_id", "vat_id_taken"),
        ("items.1.customer_group", "customer_group_unknown"),
    } <= fields
    assert ("items.2.vat_id", "required") in fields and ("items.2.city", "required") in fields
    assert not Company.objects.filter(external_id__startswith="K-").exists()
    assert _put(client, items, erp, mode="per_item").json()["created"] == 1


def test_terms_need_their_own_permission_and_the_feed_serves_changes(client, erp, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    clerk = make_user("clerk@shop.test", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_company", "change_company", "view_company", "act_for_all_customers"]
        )
    )
    _token, key = api_token_create(user=clerk, name="CRM", scopes=["customers:read", "customers:write"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert _put(client, [_company(7)], headers).status_code == 403  # credit limit, terms: not theirs
    plain = {
        k: v for k, v in _company(7).items() if k not in ("customer_group", "payment_terms", "credit_limit")
    }
    assert _put(client, [plain], headers).status_code == 200

    body = client.get("/api/v1/companies/changes", **headers).json()
    assert [item["external_id"] for item in body["items"]] == ["K-7"]
    assert body["items"][0]["vat_id"] == "PL7740001454"
    assert (
        client.get(f"/api/v1/companies/changes?cursor={body['next_cursor']}", **headers).json()["items"] == []
    )
    _put(client, [{"external_id": "K-7", "phone": "+48 22 000 00 00"}], headers)
    again = client.get(f"/api/v1/companies/changes?cursor={body['next_cursor']}", **headers).json()["items"]
    assert [item["phone"] for item in again] == ["+48 22 000 00 00"]


def test_the_erp_keeps_the_ship_to_addresses_and_the_feed_shows_them(client, erp, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    ship_to = {
        "external_id": "ST-1",
        "kind": "delivery",
        "recipient": "Magazyn Łódź",
        "street": "Fabryczna 3",
        "postal_code": "90-001",
        "city": "Łódź",
        "country": "PL",
        "is_default": True,
    }
    other = {
        **ship_to,
        "external_id": "ST-2",
        "recipient": "Magazyn Kraków",
        "city": "Kraków",
        "is_default": False,
    }
    assert (
        _put(client, [_company(1, addresses=[ship_to, other])], erp).json()["items"][0]["status"] == "created"
    )
    company = Company.objects.get(external_id="K-1")
    assert sorted(company.addresses.values_list("external_id", "is_default")) == [
        ("ST-1", True),
        ("ST-2", False),
    ]
    assert (
        _put(client, [_company(1, addresses=[ship_to, other])], erp).json()["items"][0]["status"]
        == "unchanged"
    )

    moved = _put(
        client, [{"external_id": "K-1", "addresses": [{"external_id": "ST-2", "is_default": True}]}], erp
    )
    assert moved.json()["items"][0]["status"] == "updated"
    assert dict(company.addresses.values_list("external_id", "is_default")) == {"ST-1": False, "ST-2": True}

    half = _put(
        client, [{"external_id": "K-1", "addresses": [{"external_id": "ST-3", "city": "Gdańsk"}]}], erp
    )
    assert {e["field"] for e in half.json()["errors"]} >= {
        "items.0.addresses.0.street",
        "items.0.addresses.0.kind",
    }

    feed = client.get("/api/v1/companies/changes", **erp).json()["items"]
    assert sorted(address["external_id"] for address in feed[0]["addresses"]) == ["ST-1", "ST-2"]


def test_customer_groups_by_code(client, erp):
    body = {
        "items": [
            {"code": "installers", "name": "Installers", "translations": {"pl": {"name": "Instalatorzy"}}}
        ]
    }
    put = lambda: client.put("/api/v1/customer-groups", body, content_type="application/json", **erp)  # noqa: E731
    assert put().json()["items"][0]["status"] == "created"
    assert put().json()["items"][0]["status"] == "unchanged"
    assert CustomerGroup.objects.get(code="installers").tr("name", "pl") == "Instalatorzy"
    body["items"][0]["name"] = "Installers and fitters"
    assert put().json()["items"][0]["status"] == "updated"


def test_the_erp_keeps_the_company_users_members_change_and_new_ones_are_invited(client, erp, mailoutbox):
    from tandem.customers.models import CompanyRole, Invitation
    from tests.factories import make_company_user

    _put(client, [_company(1)], erp)
    company = Company.objects.get(external_id="K-1")
    admin = make_company_user(company, CompanyRole.ADMIN, email="boss@k1.test")
    buyer = make_company_user(company, CompanyRole.BUYER, email="buyer@k1.test")

    def users(items):
        return client.put(
            "/api/v1/companies/K-1/users", {"items": items}, content_type="application/json", **erp
        )

    response = users(
        [
            {"email": "buyer@k1.test", "spending_limit_per_order": "5000.00"},
            {"email": "New.Person@K1.test", "role": "approver"},
        ]
    )

    assert [item["status"] for item in response.json()["items"]] == ["updated", "created"]
    from tandem.customers.models import CompanyUser

    member = CompanyUser.objects.get(user=buyer)
    assert (member.role, member.spending_limit_per_order) == ("buyer", Decimal("5000.00"))  # the role stays
    invitation = Invitation.objects.get(email="new.person@k1.test")
    assert invitation.role == "approver" and invitation.company == company
    assert [
        item["status"]
        for item in users([{"email": "new.person@k1.test", "role": "approver"}]).json()["items"]
    ] == ["unchanged"]  # invited already
    last_admin = users(
        [{"email": "boss@k1.test", "is_active": False}, {"email": "x@k1.test", "role": "buyer"}]
    )
    assert last_admin.status_code == 422 and last_admin.json()["errors"][0]["code"] == "last_admin"
    assert not Invitation.objects.filter(email="x@k1.test").exists()  # the batch was undone
    assert CompanyUser.objects.get(user=admin).is_active
    assert (
        client.put(
            "/api/v1/companies/NOPE/users",
            {"items": [{"email": "a@b.cd"}]},
            content_type="application/json",
            **erp,
        ).status_code
        == 404
    )


def test_a_customer_group_s_translations_are_checked_like_the_catalogue_s(client, erp):
    body = {"items": [{"code": "installers", "name": "Installers", "translations": {"xx": {"name": "?"}}}]}
    response = client.put("/api/v1/customer-groups", body, content_type="application/json", **erp)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items.0.translations.xx"
    assert not CustomerGroup.objects.filter(code="installers").exists()
