"""Who manages punchout connections: the company admin their own company's, a rep their
customers'; a buyer and another company get nothing of them."""

import pytest
from django.contrib.auth.models import Permission

from tandem.punchout.models import PunchoutCredential
from tests.punchout.conftest import connect

pytestmark = pytest.mark.django_db


def _rep_with_rights(shop):
    shop.rep.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="punchout",
            codename__in=["view_punchoutcredential", "add_punchoutcredential", "change_punchoutcredential"],
        )
    )


def test_the_company_admin_adds_a_connection_and_sees_the_secret_once(client, shop):
    client.force_login(shop.admin)

    response = client.post(
        "/account/company/punchout/",
        {
            "name": "Coupa",
            "protocol": "cxml",
            "identity": "ACME-COUPA",
            "domain": "",
            "buyer_user_id": shop.buyer.pk,
        },
    )
    first, again = client.get("/account/company/punchout/"), client.get("/account/company/punchout/")

    assert response.status_code == 302
    credential = PunchoutCredential.objects.get()
    assert (credential.domain, credential.buyer.user_id) == ("NetworkID", shop.buyer.pk)
    assert b'data-testid="new-punchout-secret"' in first.content
    assert b'data-testid="new-punchout-secret"' not in again.content


def test_a_buyer_is_sent_back_from_the_panel(client, shop):
    client.force_login(shop.buyer)

    assert client.get("/account/company/punchout/").status_code == 302


def test_the_api_lists_only_the_callers_company(client, shop):
    connect(shop, protocol="oci", identity="acme-sap")
    connect(shop, protocol="oci", identity="other-sap", buyer=shop.other_buyer)

    client.force_login(shop.admin)
    acme = client.get("/api/v1/punchout/credentials").json()
    client.force_login(shop.other_admin)
    other = client.get("/api/v1/punchout/credentials").json()
    client.force_login(shop.buyer)
    buyer = client.get("/api/v1/punchout/credentials")

    assert [row["identity"] for row in acme] == ["acme-sap"]
    assert [row["identity"] for row in other] == ["other-sap"]
    assert buyer.status_code == 403


def test_another_company_cannot_rotate_or_switch_off_this_companys_connection(client, shop):
    credential, _secret = connect(shop, protocol="oci", identity="acme-sap")
    client.force_login(shop.other_admin)

    rotate = client.post(f"/api/v1/punchout/credentials/{credential.pk}/rotate")
    delete = client.delete(f"/api/v1/punchout/credentials/{credential.pk}")

    assert (rotate.status_code, delete.status_code) == (404, 404)
    assert PunchoutCredential.objects.get().is_active


def test_a_rep_manages_their_customers_connections_only(client, shop):
    _rep_with_rights(shop)
    connect(shop, protocol="oci", identity="acme-sap")
    connect(shop, protocol="oci", identity="other-sap", buyer=shop.other_buyer)
    client.force_login(shop.rep)

    listed = client.get("/api/v1/punchout/credentials").json()
    made = client.post(
        "/api/v1/punchout/credentials",
        {
            "name": "Ariba",
            "protocol": "cxml",
            "identity": "AN9",
            "buyer_user_id": shop.buyer.pk,
            "company_id": shop.acme.pk,
        },
        content_type="application/json",
    )
    foreign = client.post(
        "/api/v1/punchout/credentials",
        {
            "name": "X",
            "protocol": "oci",
            "identity": "x",
            "buyer_user_id": shop.other_buyer.pk,
            "company_id": shop.other.pk,
        },
        content_type="application/json",
    )

    assert [row["identity"] for row in listed] == ["acme-sap"]
    assert made.status_code == 201 and made.json()["secret"]
    assert foreign.status_code == 404


def test_a_create_with_an_idempotency_key_makes_one_connection(client, shop):
    client.force_login(shop.admin)
    body = {"name": "SAP", "protocol": "oci", "identity": "acme-sap", "buyer_user_id": shop.buyer.pk}

    first = client.post(
        "/api/v1/punchout/credentials", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        "/api/v1/punchout/credentials", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert PunchoutCredential.objects.count() == 1


def test_a_rotated_secret_replaces_the_old_one(client, shop):
    credential, old = connect(shop, protocol="oci", identity="acme-sap")
    client.force_login(shop.admin)

    new = client.post(f"/api/v1/punchout/credentials/{credential.pk}/rotate").json()["secret"]
    client.logout()
    hook = "https://sap.acme.example/hook"

    assert (
        client.get("/punchout/oci/", {"USERNAME": "acme-sap", "PASSWORD": old, "HOOK_URL": hook}).status_code
        == 401
    )
    assert (
        client.get("/punchout/oci/", {"USERNAME": "acme-sap", "PASSWORD": new, "HOOK_URL": hook}).status_code
        == 302
    )


def test_the_logs_show_a_refused_order_with_its_reason(client, shop):
    from tandem.punchout.models import OrderStatus, PunchoutOrder

    credential, _secret = connect(shop, protocol="cxml", identity="AN1")
    PunchoutOrder.objects.create(
        credential=credential, payload_id="p1", status=OrderStatus.FAILED, error="Credit limit exceeded"
    )
    client.force_login(shop.admin)

    page = client.get("/account/company/punchout/").content.decode()
    api = client.get("/api/v1/punchout/orders").json()

    assert "Credit limit exceeded" in page
    assert [(row["payload_id"], row["status"], row["error"]) for row in api] == [
        ("p1", "failed", "Credit limit exceeded")
    ]


def test_the_admin_refuses_an_inactive_buyer_on_the_form_not_with_a_500(client, shop):
    from tests.factories import make_user

    superuser = make_user("root@shop.test", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    membership = shop.buyer.company_user
    membership.is_active = False
    membership.save()

    response = client.post(
        "/admin/punchout/punchoutcredential/add/",
        {
            "company": shop.acme.pk,
            "name": "SAP",
            "protocol": "oci",
            "domain": "",
            "identity": "acme-sap",
            "buyer": membership.pk,
            "vendor_number": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "Choose an active user of the company who may order." in response.content.decode()
