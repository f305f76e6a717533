"""The audit log holds what an auditor asks about: data taken out (exports), who may do what
(roles, permissions, company users), API keys made and revoked."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tandem.core.models import AuditEntry
from tandem.customers.models import ApiToken, CompanyRole
from tandem.customers.roles import staff_roles_sync
from tests.factories import make_company, make_company_user, make_user

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def superuser():
    return make_user("admin@shop.test", is_staff=True, is_superuser=True)


def test_exports_of_orders_invoices_and_prices_are_logged_with_their_size(client):
    company = make_company()
    buyer = make_company_user(company, email="buyer@acme.test")
    client.force_login(buyer)
    assert client.get("/account/orders/export.csv?status=placed").status_code == 200
    assert client.get("/api/v1/invoices/export.xlsx").status_code == 200
    assert client.get("/api/v1/catalog/price-list.csv").status_code == 200
    orders, invoices, prices = (
        entries("export.orders"),
        entries("export.invoices"),
        entries("export.price_list"),
    )
    assert orders[0].changes == {"rows": 0, "format": "csv", "filters": "status=placed"}
    assert orders[0].actor == buyer and invoices[0].changes["format"] == "xlsx"
    assert prices[0].changes == {"company_id": company.pk}

    Client().get("/api/v1/catalog/price-list.csv")  # a guest's public list: nothing to log
    assert len(entries("export.price_list")) == 1


def test_a_company_admin_changing_a_colleagues_role_is_logged(client):
    company = make_company()
    boss = make_company_user(company, CompanyRole.ADMIN, email="boss@acme.test")
    buyer = make_company_user(company, email="buyer@acme.test")
    client.force_login(boss)
    client.patch(
        f"/api/v1/account/company/users/{buyer.company_user.pk}",
        {"role": "approver"},
        content_type="application/json",
    )
    [entry] = entries("company_user.changed")
    assert entry.actor == boss and entry.object_id == str(buyer.pk)
    assert entry.changes["role"] == {"before": "buyer", "after": "approver"}


def test_staff_access_changes_in_the_admin_are_logged(client, superuser):
    staff_roles_sync()
    clerk = make_user("clerk@shop.test", is_staff=True)
    client.force_login(superuser)
    page = client.get(f"/admin/customers/user/{clerk.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "email": clerk.email,
            "groups": [Group.objects.get(name="Finance").pk],
            "user_permissions": [],
            "is_superuser": "",
            "date_joined_0": clerk.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": clerk.date_joined.strftime("%H:%M:%S"),
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        }
    )
    data = {key: value for key, value in data.items() if key not in ("last_login", "date_joined")}
    response = client.post(f"/admin/customers/user/{clerk.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [entry] = entries("user.access_changed")
    assert entry.changes == {"groups": {"before": [], "after": ["Finance"]}}

    role = Group.objects.get(name="Finance")
    permission = Permission.objects.get(codename="delete_company")
    current = list(role.permissions.values_list("pk", flat=True))
    client.post(
        f"/admin/auth/group/{role.pk}/change/", {"name": "Finance", "permissions": [*current, permission.pk]}
    )
    [entry] = entries("role.permissions_changed")
    assert entry.changes == {"added": ["customers.delete_company"], "removed": []}


def test_api_keys_made_revoked_and_deleted_in_the_admin_are_logged(client, superuser):
    owner = make_user("erp@shop.test")
    client.force_login(superuser)
    client.post(
        "/admin/customers/apitoken/add/",
        {"user": owner.pk, "name": "ERP sync", "scopes": ["orders:read"], "is_active": "on"},
    )
    token = ApiToken.objects.get()
    assert token.scopes == ["orders:read"]
    client.post(
        f"/admin/customers/apitoken/{token.pk}/change/",
        {"user": owner.pk, "name": "ERP sync", "scopes": ["orders:read"]},
    )
    token.refresh_from_db()
    assert not token.is_active
    client.post(f"/admin/customers/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.exists()
    actions = list(AuditEntry.objects.filter(action__startswith="api_token.").values_list("action", "actor"))
    assert actions == [
        ("api_token.deleted", superuser.pk),
        ("api_token.revoked", superuser.pk),
        ("api_token.created", superuser.pk),
    ]  # newest first, as the log lists them


def test_requiring_two_factor_of_a_company_in_the_admin_is_logged(client, superuser):
    company = make_company("ACME")
    client.force_login(superuser)
    page = client.get(f"/admin/customers/company/{company.pk}/change/")
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["adminform"].form.initial.items()
        if not isinstance(value, (list, bool)) and name != "logo"
    }
    for inline in page.context["inline_admin_formsets"]:  # empty inlines: their management forms
        data.update({f"{inline.formset.prefix}-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS")})
    data.update({"require_two_factor": "on", "is_active": "on"})
    response = client.post(f"/admin/customers/company/{company.pk}/change/", data)
    assert response.status_code == 302
    [entry] = entries("company.two_factor_required")
    assert entry.actor == superuser and entry.object_id == str(company.pk)
