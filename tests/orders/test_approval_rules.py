"""The company admin keeps the approval rules in the client panel and over the API."""

from decimal import Decimal

import pytest

from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.customers.models import CompanyRole
from tandem.orders.approvals import approval_rule_add, approval_rule_delete
from tandem.orders.models import ApprovalRule
from tests.factories import make_category, make_company, make_company_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return make_company("ACME")


@pytest.fixture
def admin(acme):
    return make_company_user(acme, CompanyRole.ADMIN)


def test_the_admin_adds_rules_on_totals_and_categories(admin, acme):
    tools = make_category("Tools")
    approval_rule_add(admin=admin, min_total=Decimal("5000"), role="approver")
    approval_rule_add(admin=admin, min_total=Decimal("0"), role="admin", category_id=tools.pk)
    assert sorted((rule.min_total, rule.role, rule.category_id) for rule in acme.approval_rules.all()) == [
        (Decimal("0.00"), "admin", tools.pk),
        (Decimal("5000.00"), "approver", None),
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"min_total": Decimal("0"), "role": "approver"}, "min_total"),  # every order, even 0.01
        ({"min_total": Decimal("-1"), "role": "approver"}, "min_total"),
        ({"min_total": Decimal("10"), "role": "buyer"}, "role"),
        ({"min_total": Decimal("10"), "role": "approver", "category_id": 999999}, "category_id"),
    ],
    ids=["zero-without-category", "negative", "buyer-decides", "unknown-category"],
)
def test_bad_rules_are_refused_with_the_field(admin, fields, field):
    with pytest.raises(DomainError) as error:
        approval_rule_add(admin=admin, **fields)
    assert error.value.field == field and not ApprovalRule.objects.exists()


def test_the_same_rule_twice_is_refused(admin):
    approval_rule_add(admin=admin, min_total=Decimal("100"), role="approver")
    with pytest.raises(DomainError) as error:
        approval_rule_add(admin=admin, min_total=Decimal("100.00"), role="approver")
    assert error.value.code == "rule_exists"


@pytest.mark.parametrize("role", [CompanyRole.BUYER, CompanyRole.APPROVER, CompanyRole.ACCOUNTANT])
def test_only_the_admin_changes_the_rules(acme, admin, role):
    rule = approval_rule_add(admin=admin, min_total=Decimal("100"), role="approver")
    member = make_company_user(acme, role)
    with pytest.raises(PermissionDenied):
        approval_rule_add(admin=member, min_total=Decimal("200"), role="approver")
    with pytest.raises(PermissionDenied):
        approval_rule_delete(admin=member, rule_id=rule.pk)
    assert ApprovalRule.objects.count() == 1


def test_another_companys_rule_is_not_found(admin):
    rule = approval_rule_add(admin=admin, min_total=Decimal("100"), role="approver")
    with pytest.raises(NotFound):
        approval_rule_delete(
            admin=make_company_user(make_company("Other"), CompanyRole.ADMIN), rule_id=rule.pk
        )
    assert ApprovalRule.objects.count() == 1


def test_the_panel_form_and_list(admin, acme, client):
    tools = make_category("Tools")
    client.force_login(admin)
    assert 'data-testid="approval-rule-form"' in client.get("/account/company/").text
    client.post(
        "/account/company/approval-rules/", {"min_total": "250", "role": "admin", "category": str(tools.pk)}
    )
    page = client.get("/account/company/")
    assert "with products from Tools" in page.text and "250.00" in page.text
    bad = client.post("/account/company/approval-rules/", {"min_total": "abc", "role": "admin"}, follow=True)
    assert "From (gross): Enter a number." in bad.text
    rule = ApprovalRule.objects.get()
    client.post(f"/account/company/approval-rules/{rule.pk}/delete/")
    assert not ApprovalRule.objects.exists()


def test_buyers_read_the_rules_but_get_no_form(admin, acme, client):
    approval_rule_add(admin=admin, min_total=Decimal("5000"), role="approver")
    client.force_login(make_company_user(acme, CompanyRole.BUYER))
    page = client.get("/account/company/")
    assert 'data-testid="approval-rule"' in page.text and 'data-testid="approval-rule-form"' not in page.text
    assert [rule["min_total"] for rule in client.get("/api/v1/approval-rules").json()] == ["5000.00"]
    refused = client.post(
        "/api/v1/approval-rules", {"min_total": "1", "role": "approver"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_the_api(admin, client):
    client.force_login(admin)
    created = client.post(
        "/api/v1/approval-rules", {"min_total": "5000", "role": "approver"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["category"] is None
    invalid = client.post(
        "/api/v1/approval-rules", {"min_total": "5000", "role": "buyer"}, content_type="application/json"
    )
    assert invalid.status_code == 422
    rule_id = created.json()["id"]
    assert client.delete(f"/api/v1/approval-rules/{rule_id}").status_code == 204
    assert client.delete(f"/api/v1/approval-rules/{rule_id}").status_code == 404
