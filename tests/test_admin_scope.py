"""The admin follows the one staff scope (``customers.staff_scope``) like the staff pages.

Two sales reps, each with one customer that has a bit of everything (users, a pickup person,
an accepted version of the terms, an API token, an order with an online payment, an invoice,
a ledger entry, a received payment, a quote with an offer, an approval rule, a contract price
list). Every admin changelist of customer data is opened as each staff role, and the rows it
lists must belong to that role's customers only. The last test fails when a new admin is
registered without deciding whether its rows are customer data.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from tandem.billing.documents.issuing import invoice_issue
from tandem.billing.models import Invoice, LedgerEntry, Payment, PaymentCallback, ReceivedPayment
from tandem.billing.receivables.services import payment_record
from tandem.checkout.services import order_place
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import (
    ApiToken,
    Company,
    CompanyRole,
    CompanyUser,
    Consent,
    PickupPerson,
    TermsAcceptance,
    TermsVersion,
    User,
)
from tandem.customers.roles import staff_roles_sync
from tandem.feeds.models import Feed
from tandem.feeds.services import feed_create
from tandem.orders.models import ApprovalRule, Order
from tandem.pricing.models import PriceList, PriceListEntry
from tandem.privacy.models import PrivacyRequest
from tandem.punchout.models import PunchoutCredential, PunchoutOrder, PunchoutSession
from tandem.quotes.models import Offer, Quote
from tandem.quotes.services import OfferLineInput, OfferTerms, RequestedLine, offer_draft_save, quote_request
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

# How a row of each admin reaches its company (the test's own statement, not the admin's).
CUSTOMER_DATA = {
    User: "company_user__company",
    Company: "pk",
    CompanyUser: "company",
    PickupPerson: "company",
    TermsAcceptance: "company",
    ApiToken: "user__company_user__company",
    Order: "company",
    Payment: "order__company",
    PaymentCallback: "payment__order__company",
    Invoice: "company",
    LedgerEntry: "company",
    ReceivedPayment: "company",
    Quote: "company",
    Offer: "quote__company",
    ApprovalRule: "company",
    PriceList: "companies",
    PriceListEntry: "price_list__companies",
    Consent: "user__company_user__company",
    PrivacyRequest: "user__company_user__company",
    Feed: "company",
    PunchoutCredential: "company",
    PunchoutSession: "credential__company",
    PunchoutOrder: "credential__company",
}
# Admins whose rows belong to no customer: the catalog, prices and rules shared by everyone,
# staff roles, the audit log (finance and admins only) and the integrations (admins only).
NOT_CUSTOMER_DATA = {
    "auth.group",
    "catalog.category",
    "catalog.attribute",
    "catalog.attributeoption",
    "catalog.importjob",  # files merchant staff import (a companies file: the ERP's master data)
    "catalog.product",
    "catalog.variant",
    "inventory.warehouse",
    "inventory.stockitem",
    "pricing.taxclass",
    "pricing.taxrate",
    "pricing.baseprice",
    "pricing.promotion",
    "customers.customergroup",
    "customers.termsversion",
    "checkout.deliverymethod",
    "billing.paymentterms",
    "core.auditentry",
    "service.faqcategory",
    "service.faqentry",
    "service.unansweredquestion",  # admins only (no staff role has the service app's rights)
    "content.articlecategory",  # articles and pages: shop content, the same for everyone
    "content.article",
    "content.page",
    "core.exportjob",  # each staff member's own files (rows scoped as everywhere: tests/core/test_exports.py)
    "messaging.webhookendpoint",
    "messaging.webhookdelivery",
    "orders.customstatus",
    "core.outboxevent",
    "django_tasks_database.dbtaskresult",
}
ROLES = ("Sales rep", "Sales manager", "Fulfilment", "Finance", "Catalog manager", "Admin")
SEES_EVERY_CUSTOMER = {"Sales manager", "Fulfilment", "Finance", "Admin"}


class Customers:
    """ACME (rep's customer) and Balkan (rep2's), each with one of every customer row."""

    def __init__(self):
        staff_roles_sync()
        make_delivery("courier", price_net="0.00")
        self.staff = {
            role: self._staff(f"{role.replace(' ', '-').lower()}@shop.test", role) for role in ROLES
        }
        self.rep, self.rep2 = self.staff["Sales rep"], self._staff("rep2@shop.test", "Sales rep")
        self.variant = make_product(net="100.00", gross="123.00", stock=1000).variants.get()
        self.terms = TermsVersion.objects.create(
            version="1", title="Terms", text="…", published_at=timezone.now()
        )
        self.acme = self._customer("ACME", self.rep)
        self.balkan = self._customer("Balkan", self.rep2)

    @staticmethod
    def _staff(email: str, role: str) -> User:
        user = make_user(email, is_staff=True)
        user.groups.set(Group.objects.filter(name=role))
        return User.objects.get(pk=user.pk)

    def _customer(self, name: str, rep: User) -> Company:
        company = make_company(name, credit_limit=Decimal("100000"), sales_rep=rep)
        buyer = make_company_user(company, CompanyRole.ADMIN, email=f"boss@{name.lower()}.test")
        PickupPerson.objects.create(company=company, full_name="Jan", document_number=f"{name}-1")
        TermsAcceptance.objects.create(terms=self.terms, user=buyer, company=company, ip_address="10.0.0.1")
        api_token_create(user=buyer, name=f"{name} ERP")
        order = order_place(
            cart=make_cart(lines=[(self.variant, 1)]),
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(company).pk),
        )
        payment = Payment.objects.create(
            order=order, provider="test", amount=order.total_gross, currency=order.currency
        )
        PaymentCallback.objects.create(
            provider="test", event_id=name, payment=payment, outcome="accepted", payload="{}"
        )
        invoice_issue(order=order, actor=None)
        payment_record(
            company=company,
            amount=Decimal("10.00"),
            currency=company.currency,
            received_on=timezone.localdate(),
            reference=name,
            actor=None,
        )
        quote = quote_request(
            user=buyer,
            context=user_context(buyer),
            message="Price for 50?",
            lines=[RequestedLine(self.variant.sku, 50)],
        )
        offer_draft_save(
            rep=rep,
            quote=quote,
            lines=[OfferLineInput(self.variant.sku, 50)],
            terms=OfferTerms(valid_until=timezone.localdate() + timedelta(days=7)),
        )
        ApprovalRule.objects.create(company=company, min_total=Decimal("50000"), role="admin")
        Consent.objects.create(user=buyer, kind="marketing_email", granted=True, source="account")
        PrivacyRequest.objects.create(user=buyer, kind="export")
        feed_create(actor=buyer, company=company, file_format="csv", language="en")
        credential = PunchoutCredential.objects.create(
            company=company,
            name="SAP",
            protocol="oci",
            identity=name,
            secret_hash="0" * 64,
            buyer=buyer.company_user,
        )
        PunchoutSession.objects.create(
            credential=credential, protocol="oci", return_url="https://sap.example/hook", status="open"
        )
        PunchoutOrder.objects.create(credential=credential, payload_id=name, order=order, status="placed")
        contract = PriceList.objects.create(
            name=f"{name} contract", code=name.lower(), currency=company.currency
        )
        contract.companies.add(company)
        PriceListEntry.objects.create(price_list=contract, variant=self.variant, price=Decimal("90.00"))
        return company


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = Customers()
        yield built
        transaction.set_rollback(True)


def _changelist_url(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def _companies_listed(response, model, path: str) -> set[int]:
    shown = response.context["cl"].queryset.values("pk")
    return set(
        model.objects.filter(pk__in=shown).exclude(**{f"{path}__isnull": True}).values_list(path, flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", CUSTOMER_DATA, ids=lambda model: model._meta.label_lower)
def test_a_changelist_lists_only_the_customers_the_role_works_with(client, world, role, model):
    path = CUSTOMER_DATA[model]
    both = {world.acme.pk, world.balkan.pk}
    assert set(model.objects.filter(**{f"{path}__in": both}).values_list(path, flat=True)) == both
    client.force_login(world.staff[role])

    response = client.get(_changelist_url(model))

    if response.status_code == 403:  # the role may not read this admin at all
        assert not world.staff[role].has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        return
    assert response.status_code == 200
    listed = _companies_listed(response, model, path)
    if role in SEES_EVERY_CUSTOMER or (model in (PriceList, PriceListEntry) and role == "Catalog manager"):
        assert listed >= both
    else:
        assert listed == {world.acme.pk}


@pytest.mark.django_db
def test_a_rep_cannot_open_or_change_another_reps_customer(client, world):
    client.force_login(world.rep)
    url = f"/admin/customers/company/{world.balkan.pk}/change/"

    assert client.get(url).status_code == 302  # "doesn't exist", back to the admin index
    client.post(url, {"name": "Taken", "sales_rep": world.rep.pk, "credit_limit": "9999999.00"})

    balkan = Company.objects.get(pk=world.balkan.pk)
    assert (balkan.name, balkan.sales_rep_id, balkan.credit_limit) == (
        "Balkan",
        world.rep2.pk,
        Decimal("100000.00"),
    )


@pytest.mark.django_db
def test_a_rep_edits_their_customers_contact_details_but_not_its_commercial_terms(client, world):
    client.force_login(world.rep)
    url = f"/admin/customers/company/{world.acme.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    inline_management = {
        f"{prefix}-{key}": "0"
        for prefix in ("members", "addresses", "pickup_persons")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    response = client.post(
        url,
        {
            **data,
            **inline_management,
            "phone": "+48 22 000 00 00",
            "credit_limit": "9999999.00",
            "sales_rep": world.rep2.pk,
        },
    )

    acme = Company.objects.get(pk=world.acme.pk)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (acme.phone, acme.credit_limit, acme.sales_rep_id) == (
        "+48 22 000 00 00",
        Decimal("100000.00"),
        world.rep.pk,
    )


@pytest.mark.django_db
def test_finance_changes_a_credit_limit(client, world):
    client.force_login(world.staff["Finance"])
    form = client.get(f"/admin/customers/company/{world.balkan.pk}/change/").context["adminform"].form
    assert "credit_limit" in form.fields and "sales_rep" in form.fields


@pytest.mark.django_db
def test_a_rep_adds_a_pickup_person_only_to_their_own_customers(client, world):
    client.force_login(world.rep)
    response = client.post(
        "/admin/customers/pickupperson/add/",
        {"company": world.balkan.pk, "full_name": "Intruder", "document_number": "X1"},
    )

    assert response.status_code == 200  # the form refuses the company: not a valid choice
    assert not PickupPerson.objects.filter(full_name="Intruder").exists()


@pytest.mark.django_db
def test_the_company_autocomplete_offers_a_rep_only_their_customers(client, world):
    client.force_login(world.rep)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "customers", "model_name": "pickupperson", "field_name": "company", "term": ""},
    )
    assert [row["text"] for row in response.json()["results"]] == ["ACME"]


def test_every_admin_says_whether_its_rows_are_customer_data():
    registered = {model._meta.label_lower for model in admin.site._registry}
    declared = {model._meta.label_lower for model in CUSTOMER_DATA} | NOT_CUSTOMER_DATA
    assert sorted(registered - declared) == [] and sorted(declared - registered) == []


@pytest.mark.django_db
def test_a_rep_does_not_get_the_list_of_all_sales_reps_as_a_filter(client, world):
    client.force_login(world.rep)
    assert "rep2@shop.test" not in client.get("/admin/customers/company/").text
    client.force_login(world.staff["Admin"])
    assert "rep2@shop.test" in client.get("/admin/customers/company/").text
