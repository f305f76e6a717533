"""Billing documents: PDFs, invoices that issue themselves, the client panel's documents and
the documents API (tenancy, roles, exports, issuing by finance staff)."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue
from tandem.billing.documents.pdf import dispatch_note_pdf, invoice_pdf, statement_pdf
from tandem.billing.models import DocumentKind, Invoice, LedgerEntry, LedgerKind, Payment
from tandem.billing.payments.providers import TestProvider
from tandem.billing.payments.services import payment_notification_handle
from tandem.billing.receivables.services import AllocationRequest, payment_record
from tandem.checkout.services import order_place
from tandem.core.money import format_money
from tandem.core.words import amount_in_words
from tandem.customers.models import CompanyRole, PickupPerson
from tandem.orders.models import Order
from tandem.orders.shipments import ShipmentRequest, shipment_create
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with spaces of any kind made plain and runs of them collapsed."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def money_pl(amount: Decimal, currency: str = "PLN") -> str:
    with translation.override("pl"):
        return plain(format_money(amount, currency))


class Shop:
    """A Polish company (Łódź Budowa) with a buyer who ordered (in Polish), another buyer,
    an approver, an accountant and an admin; a warehouse worker and a finance clerk."""

    def __init__(self):
        make_delivery("courier", price_net="20.00")
        self.company = make_company("Łódź Budowa Sp. z o.o.", credit_limit=Decimal("100000"), language="pl")
        self.users = {
            role: make_company_user(self.company, role)
            for role in (CompanyRole.ADMIN, CompanyRole.APPROVER, CompanyRole.ACCOUNTANT)
        }
        self.buyer = make_company_user(self.company, CompanyRole.BUYER, full_name="Zofia Wójcik")
        self.other_buyer = make_company_user(self.company, CompanyRole.BUYER)
        self.drill = make_product("Wiertarka udarowa", net="100.00", gross=None, stock=100).variants.get()
        self.saw = make_product("Пила дисковая", net="33.33", gross=None, stock=100).variants.get()
        self.order = self.place(self.buyer, [(self.drill, 3), (self.saw, 7)], language="pl")
        self.warehouse = make_user("warehouse@shop.test", is_staff=True)
        self.warehouse.user_permissions.add(
            *Permission.objects.filter(codename__in=["change_order", "view_all_orders"])
        )
        self.finance = make_user("finance@shop.test", is_staff=True)
        self.finance.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="billing")
            | Permission.objects.filter(codename__in=["view_order", "view_all_orders"])
        )
        self.warehouse = type(self.warehouse).objects.get(pk=self.warehouse.pk)
        self.finance = type(self.finance).objects.get(pk=self.finance.pk)

    def place(self, user, lines, language: str = "en", **details) -> Order:
        return order_place(
            cart=make_cart(lines=lines),
            context=user_context(user, language=language),
            acting_user=user,
            details=company_details(company_address(self.company).pk, **details),
        )

    def ship(self, order: Order, quantities: dict | None = None):
        return shipment_create(
            order=order,
            actor=self.warehouse,
            request=ShipmentRequest(quantities=quantities or {}, carrier="DPD", tracking_number="DPD-123"),
        )

    @property
    def accountant(self):
        return self.users[CompanyRole.ACCOUNTANT]


@pytest.fixture
def shop(settings):
    settings.INVOICE_COMPANY_ON = "manual"
    settings.INVOICE_RETAIL_ON = "manual"
    return Shop()


# --- PDFs -----------------------------------------------------------------------------------


def test_an_invoice_pdf_states_totals_words_and_non_latin_names_in_its_language(shop):
    invoice = invoice_issue(order=shop.order, actor=shop.finance)
    text = pdf_text(invoice_pdf(invoice))
    assert invoice.language == "pl"
    assert invoice.number in text and "Łódź Budowa Sp. z o.o." in text
    assert "Wiertarka udarowa" in text and "Пила дисковая" in text
    assert money_pl(invoice.total_gross) in text and money_pl(invoice.total_net) in text
    assert money_pl(invoice.total_gross) == "680,57 PLN"
    assert amount_in_words(invoice.total_gross, "PLN", "pl") == "sześćset osiemdziesiąt PLN 57/100"
    assert "sześćset osiemdziesiąt PLN 57/100" in text
    assert invoice.seller["vat_id"] in text and shop.company.vat_id in text
    assert invoice.seller["bank_account"] in text


@pytest.mark.parametrize(
    ("language", "mention"),
    [
        ("en", "Reverse charge — VAT to be accounted for by the buyer (Art. 196 Directive 2006/112/EC)"),
        ("pl", "Odwrotne obciążenie — podatek VAT rozlicza nabywca (art. 196 dyrektywy 2006/112/WE)"),
    ],
    ids=["en", "pl"],
)
def test_a_reverse_charge_invoice_carries_the_statutory_mention(shop, language, mention):
    german = make_company("Berlin Bau GmbH", country="DE", currency="PLN", credit_limit=Decimal("100000"))
    buyer = make_company_user(german, CompanyRole.BUYER)
    order = order_place(
        cart=make_cart(lines=[(shop.drill, 1)]),
        context=user_context(buyer, language=language),
        acting_user=buyer,
        details=company_details(company_address(german).pk),
    )
    assert order.reverse_charge
    assert mention in pdf_text(invoice_pdf(invoice_issue(order=order, actor=None)))
    domestic = pdf_text(invoice_pdf(invoice_issue(order=shop.order, actor=None)))
    assert "Odwrotne obciążenie" not in domestic and "Reverse charge" not in domestic


def test_a_credit_note_pdf_shows_each_line_before_and_after_and_the_difference(shop):
    invoice = invoice_issue(order=shop.order, actor=shop.finance)
    drill = invoice.lines.get(sku=shop.drill.sku)
    note = credit_note_issue(
        invoice=invoice,
        actor=shop.finance,
        reason="Jedna wiertarka uszkodzona",
        corrections=[Correction(drill.pk, quantity=Decimal(2))],
    )
    text = pdf_text(invoice_pdf(note))
    with translation.override("pl"):
        before, after = gettext("Before"), gettext("After")
    assert note.number in text and invoice.number in text
    assert before in text and after in text
    assert "3 pcs × 100,00 = 300,00" in text and "2 pcs × 100,00 = 200,00" in text and "−100,00" in text
    assert money_pl(Decimal("123.00")) in text and "sto dwadzieścia trzy PLN 00/100" in text
    assert "Jedna wiertarka uszkodzona" in text


def test_a_dispatch_note_lists_lines_warehouses_recipient_and_valid_pickup_persons(shop):
    PickupPerson.objects.create(company=shop.company, full_name="Иван Петров", document_number="AB123456")
    PickupPerson.objects.create(
        company=shop.company,
        full_name="Józef Żółć",
        document_number="CD777",
        valid_until=timezone.localdate() + timedelta(days=30),
    )
    PickupPerson.objects.create(
        company=shop.company,
        full_name="Expired Person",
        document_number="XX000",
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    shipment = shop.ship(shop.order, {shop.drill.sku: 2})
    text = pdf_text(dispatch_note_pdf(shipment))
    assert shipment.number in text and shop.order.number in text
    assert "Wiertarka udarowa" in text and "2 pcs" in text and "Main" in text and "Пила" not in text
    assert "Dock 4" in text and "DPD-123" in text
    assert "Иван Петров" in text and "AB123456" in text and "Józef Żółć" in text and "CD777" in text
    assert "Expired Person" not in text and "XX000" not in text


def test_a_statement_carries_the_opening_balance_each_entry_with_the_running_balance_and_the_closing(shop):
    today = timezone.localdate()
    start = today - timedelta(days=10)
    LedgerEntry.objects.create(
        company=shop.company,
        kind=LedgerKind.INVOICE,
        reference="FV/OLD/1",
        currency="PLN",
        debit=Decimal("1000.00"),
        booked_on=start - timedelta(days=5),
        due_date=start - timedelta(days=1),
    )
    invoice = invoice_issue(order=shop.order, actor=None)
    LedgerEntry.objects.create(
        company=shop.company,
        kind=LedgerKind.PAYMENT,
        reference="Przelew 77",
        currency="PLN",
        credit=Decimal("400.00"),
        booked_on=today,
    )
    text = pdf_text(statement_pdf(shop.company, start, today))
    assert "Łódź Budowa Sp. z o.o." in text and invoice.number in text and "Przelew 77" in text
    assert "FV/OLD/1" not in text
    closing = Decimal("1000.00") + invoice.total_gross - Decimal("400.00")
    assert money_pl(Decimal("1000.00")) in text and money_pl(closing) in text
    assert money_pl(Decimal("1000.00") + invoice.total_gross, currency="") in text  # the running balance
    assert money_pl(Decimal("600.00")) in text  # overdue: the old debit less the payment


# --- invoices that issue themselves ---------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "at_placement", "after_shipments"),
    [("shipment", 0, 2), ("placement", 1, 1), ("manual", 0, 0)],
    ids=["on-shipment", "on-placement", "manual"],
)
def test_a_company_order_is_invoiced_when_the_setting_says(
    shop, settings, setting, at_placement, after_shipments
):
    settings.INVOICE_COMPANY_ON = setting
    order = shop.place(shop.buyer, [(shop.drill, 2)])
    assert Invoice.objects.filter(order=order).count() == at_placement
    first = shop.ship(order, {shop.drill.sku: 1})
    shop.ship(order)
    invoices = Invoice.objects.filter(order=order)
    assert invoices.count() == after_shipments
    if setting == "shipment":
        assert invoices.get(shipment=first).total_net == Decimal("120.00")  # one drill and the delivery
        assert sum(invoice.total_net for invoice in invoices) == order.total_net
        assert order.events.filter(kind="invoice").count() == 2
        assert LedgerEntry.objects.filter(company=shop.company, kind=LedgerKind.INVOICE).count() == 2


def test_a_company_order_paid_online_is_invoiced_on_shipment_not_on_payment(shop, settings):
    settings.INVOICE_COMPANY_ON = "shipment"
    settings.INVOICE_RETAIL_ON = "payment"
    order = shop.place(shop.buyer, [(shop.drill, 1)], payment_method="online")
    pay(order)
    assert Order.objects.get(pk=order.pk).payment_status == "paid" and not order.invoices.exists()
    shop.ship(order)
    invoice = order.invoices.get()
    assert invoice.paid_at_issue and invoice.total_gross == order.total_gross


def pay(order: Order) -> None:
    payment = Payment.objects.get(order=order)
    provider = TestProvider()
    body = provider.notification_body(
        event_id=f"evt-{order.pk}",
        reference=str(payment.reference),
        status="paid",
        amount=payment.amount,
        currency=payment.currency,
    )
    assert (
        payment_notification_handle(provider_code="test", body=body, signature=provider.sign(body))
        == "accepted"
    )


@pytest.fixture
def retail(db):
    make_delivery("courier", price_net="10.00")
    customer = make_user("anna@shop.test", full_name="Anna Nowak")
    variant = make_product("Młotek", gross="123.00", stock=10).variants.get()
    return customer, variant


def place_retail(customer, variant, payment_method: str) -> Order:
    return order_place(
        cart=make_cart(user=customer, lines=[(variant, 1)]),
        context=b2c_context(),
        acting_user=customer,
        details=retail_details(payment_method=payment_method),
    )


@pytest.mark.parametrize(
    ("setting", "at_placement", "after_payment"),
    [("payment", 0, 1), ("placement", 1, 1), ("manual", 0, 0)],
    ids=["on-payment", "on-placement", "manual"],
)
def test_a_prepaid_retail_order_is_invoiced_when_the_setting_says(
    retail, settings, setting, at_placement, after_payment
):
    settings.INVOICE_RETAIL_ON = setting
    order = place_retail(*retail, "online")
    assert order.invoices.count() == at_placement
    pay(order)
    assert order.invoices.count() == after_payment
    if setting == "payment":
        invoice = order.invoices.get()
        assert invoice.paid_at_issue and invoice.user == retail[0] and invoice.company is None
        assert Order.objects.get(pk=order.pk).invoiced


def test_an_unknown_setting_value_issues_nothing(retail, settings):
    settings.INVOICE_RETAIL_ON = "whenever"
    order = place_retail(*retail, "online")
    pay(order)
    assert not order.invoices.exists()


def test_a_shipment_of_units_invoiced_by_hand_already_is_not_invoiced_twice(shop, settings):
    invoice_issue(order=shop.order, actor=shop.finance)
    settings.INVOICE_COMPANY_ON = "shipment"
    shipment = shop.ship(shop.order)
    assert shipment.number.startswith("WZ/") and shop.order.invoices.count() == 1


# --- the client panel -----------------------------------------------------------------------


@pytest.fixture
def documents(shop):
    """An invoice of the buyer's order (with a credit note), one of another buyer's order,
    and a dispatch note of the buyer's order."""
    mine = invoice_issue(order=shop.order, actor=None)
    drill = mine.lines.get(sku=shop.drill.sku)
    note = credit_note_issue(
        invoice=mine, actor=None, reason="Zwrot", corrections=[Correction(drill.pk, quantity=Decimal(2))]
    )
    other_order = shop.place(shop.other_buyer, [(shop.drill, 1)])
    theirs = invoice_issue(order=other_order, actor=None)
    shipment = shop.ship(shop.order)
    return {"mine": mine, "note": note, "theirs": theirs, "shipment": shipment}


def numbers(response) -> set[str]:
    return {invoice.number for invoice in response.context["page"]}


def test_an_accountant_sees_every_document_of_the_company_and_its_balance(client, shop, documents):
    client.force_login(shop.accountant)
    response = client.get("/account/documents/")
    assert response.status_code == 200
    assert numbers(response) == {documents[key].number for key in ("mine", "note", "theirs")}
    assert response.context["position"].balance == (
        documents["mine"].total_gross + documents["theirs"].total_gross - documents["note"].total_gross
    )
    assert response.context["may_see_ledger"] and b'data-testid="statement-form"' in response.content
    assert documents["shipment"].number in response.content.decode()


def test_a_buyer_sees_only_the_documents_of_orders_they_placed_and_no_account(client, shop, documents):
    client.force_login(shop.other_buyer)
    response = client.get("/account/documents/")
    assert numbers(response) == {documents["theirs"].number}
    assert response.context["position"] is None and not response.context["may_see_ledger"]
    assert documents["shipment"].number not in response.content.decode()
    mine = documents["mine"]
    assert client.get(f"/account/documents/invoices/{mine.pk}.pdf").status_code == 404
    assert client.get(f"/account/documents/dispatch-notes/{documents['shipment'].pk}.pdf").status_code == 404
    assert client.get("/account/documents/statement.pdf").status_code == 403


def test_an_approver_sees_all_documents_and_the_balance_but_no_statement(client, shop, documents):
    client.force_login(shop.users[CompanyRole.APPROVER])
    response = client.get("/account/documents/")
    assert len(numbers(response)) == 3 and response.context["position"] is not None
    assert client.get("/account/documents/statement.pdf").status_code == 403


def test_the_list_filters_by_kind_dates_and_number(client, shop, documents):
    client.force_login(shop.accountant)
    assert numbers(client.get("/account/documents/?kind=credit_note")) == {documents["note"].number}
    assert numbers(client.get(f"/account/documents/?number={documents['theirs'].number[-3:]}")) == {
        documents["theirs"].number
    }
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert numbers(client.get(f"/account/documents/?from={tomorrow}")) == set()
    bad = client.get("/account/documents/?from=yesterday&kind=bill")
    assert bad.status_code == 400 and set(bad.context["errors"]) == {"date_from"}
    assert client.get("/account/documents/?kind=bill").status_code == 400


def test_another_company_gets_a_404_for_every_document(client, shop, documents):
    stranger = make_company_user(make_company("Другая фирма ООО"), CompanyRole.ADMIN)
    client.force_login(stranger)
    invoice = documents["mine"]
    for path in (
        f"/account/documents/invoices/{invoice.pk}.pdf",
        f"/account/documents/invoices/{invoice.pk}.ubl.xml",
        f"/account/documents/dispatch-notes/{documents['shipment'].pk}.pdf",
        "/account/documents/invoices/999999999999999999.pdf",
    ):
        assert client.get(path).status_code == 404, path
    assert numbers(client.get("/account/documents/")) == set()


def test_downloads_are_pdf_and_e_invoice_xml(client, shop, documents):
    client.force_login(shop.buyer)
    invoice = documents["mine"]
    pdf = client.get(f"/account/documents/invoices/{invoice.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and invoice.number in pdf_text(pdf.content)
    assert pdf["Content-Disposition"] == f'inline; filename="{invoice.number.replace("/", "-")}.pdf"'
    ubl = client.get(f"/account/documents/invoices/{invoice.pk}.ubl.xml")
    assert ubl.status_code == 200 and invoice.number.encode() in ubl.content
    fa3 = client.get(f"/account/documents/invoices/{invoice.pk}.fa3.xml")
    assert fa3.status_code == 200 and invoice.number.encode() in fa3.content
    note = client.get(f"/account/documents/dispatch-notes/{documents['shipment'].pk}.pdf")
    assert documents["shipment"].number in pdf_text(note.content)


def test_a_retail_customer_sees_their_own_invoices(client, retail, settings):
    settings.INVOICE_RETAIL_ON = "placement"
    order = place_retail(*retail, "bank_transfer")
    client.force_login(retail[0])
    response = client.get("/account/documents/")
    assert numbers(response) == {order.invoices.get().number} and response.context["position"] is None
    assert client.get("/account/documents/statement.pdf").status_code == 403


def test_the_statement_downloads_for_a_period_and_refuses_a_bad_one(client, shop, documents):
    client.force_login(shop.accountant)
    today = timezone.localdate()
    response = client.get(f"/account/documents/statement.pdf?from={today.replace(day=1)}&to={today}")
    assert response.status_code == 200 and documents["mine"].number in pdf_text(response.content)
    assert (
        client.get(f"/account/documents/statement.pdf?from={today}&to={today.replace(year=2001)}").status_code
        == 400
    )
    assert client.get("/account/documents/statement.pdf?from=1.1.2026").status_code == 400
    assert client.get("/account/documents/statement.pdf?from=1990-01-01&to=2030-01-01").status_code == 400


def test_the_invoice_list_exports_to_csv_and_xlsx(client, shop, documents):
    from openpyxl import load_workbook

    client.force_login(shop.other_buyer)
    rows = b"".join(client.get("/account/documents/invoices.csv").streaming_content).decode("utf-8-sig")
    header, *lines = rows.splitlines()
    theirs = documents["theirs"]
    assert header.startswith("Number,Kind,Issue date") and len(lines) == 1
    assert lines[0].startswith(f"{theirs.number},Invoice,{theirs.issue_date.isoformat()}")
    assert f",{theirs.total_net},{theirs.total_tax},{theirs.total_gross},PLN," in lines[0]
    client.force_login(shop.accountant)
    book = load_workbook(io.BytesIO(client.get("/account/documents/invoices.xlsx?kind=credit_note").content))
    sheet = book.active
    assert [cell.value for cell in sheet[2]][:2] == [documents["note"].number, "Credit note"]
    assert sheet.max_row == 2


def _invoices(shop, count: int) -> None:
    """``count`` more invoice rows of the company (snapshots only: what the list reads)."""
    template = invoice_issue(order=shop.place(shop.buyer, [(shop.drill, 1)]), actor=None)
    fields = {
        field.name: getattr(template, field.name)
        for field in Invoice._meta.concrete_fields
        if field.name not in ("id", "number", "created_at")
    }
    for index in range(count - 1):
        Invoice.objects.create(**fields | {"number": f"FV/TEST/{count}/{index:04d}", "shipment": None})


def test_the_documents_page_costs_the_same_queries_for_3_and_30_invoices(client, shop):
    client.force_login(shop.accountant)
    _invoices(shop, 3)
    client.get("/account/documents/")  # warm caches (session, user)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/account/documents/").status_code == 200
    _invoices(shop, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/account/documents/")
    assert len(response.context["page"]) == 25
    assert len(many) == len(few), [query["sql"] for query in many]


# --- the API --------------------------------------------------------------------------------


def test_the_api_lists_and_shows_the_callers_documents_only(client, shop, documents):
    client.force_login(shop.other_buyer)
    listed = client.get("/api/v1/invoices")
    assert [row["number"] for row in listed.json()] == [documents["theirs"].number]
    assert listed["X-Total-Count"] == "1"
    assert client.get(f"/api/v1/invoices/{documents['mine'].pk}").status_code == 404
    client.force_login(shop.accountant)
    note = client.get(f"/api/v1/invoices/{documents['note'].pk}").json()
    assert note["kind"] == "credit_note" and note["corrects"] == documents["mine"].number
    assert (note["lines"][0]["before_quantity"], note["lines"][0]["quantity"]) == ("3.000", "2.000")
    only_notes = client.get("/api/v1/invoices?kind=credit_note").json()
    assert [row["id"] for row in only_notes] == [documents["note"].pk]
    assert client.get("/api/v1/invoices?kind=bill").status_code == 422
    assert client.get(f"/api/v1/invoices/{documents['mine'].pk}.pdf")["Content-Type"] == "application/pdf"
    assert client.get("/api/v1/invoices/99999999999999999999.pdf").status_code in (404, 422)
    assert [row["number"] for row in client.get("/api/v1/dispatch-notes").json()] == [
        documents["shipment"].number
    ]


def test_another_company_gets_404_from_the_api(client, shop, documents):
    stranger = make_company_user(make_company("Чужда фирма ЕООД", country="BG"), CompanyRole.ACCOUNTANT)
    client.force_login(stranger)
    invoice = documents["mine"]
    for path in (
        f"/api/v1/invoices/{invoice.pk}",
        f"/api/v1/invoices/{invoice.pk}.pdf",
        f"/api/v1/invoices/{invoice.pk}.ubl.xml",
        f"/api/v1/invoices/{invoice.pk}.fa3.xml",
        f"/api/v1/dispatch-notes/{documents['shipment'].pk}.pdf",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/invoices").json() == []
    assert client.get("/api/v1/account/balance").json()["balance"] == "0.00"


def test_the_api_gives_the_balance_ledger_and_statement_to_whom_the_role_allows(client, shop, documents):
    client.force_login(shop.accountant)
    balance = client.get("/api/v1/account/balance").json()
    expected = documents["mine"].total_gross + documents["theirs"].total_gross - documents["note"].total_gross
    assert Decimal(balance["balance"]) == expected
    assert Decimal(balance["available"]) == Decimal("100000") - expected
    today = timezone.localdate()
    ledger = client.get(f"/api/v1/account/ledger?from={today.replace(day=1)}&to={today}").json()
    assert [entry["reference"] for entry in ledger["entries"]] == [
        documents["mine"].number,
        documents["note"].number,
        documents["theirs"].number,
    ]
    assert Decimal(ledger["entries"][-1]["balance"]) == Decimal(ledger["closing_balance"]) == expected
    assert client.get("/api/v1/account/ledger?from=2026-02-30").status_code == 422
    assert client.get(f"/api/v1/account/ledger?from={today}&to=2001-01-01").status_code == 400
    statement = client.get("/api/v1/account/statement.pdf")
    assert statement["Content-Type"] == "application/pdf"
    client.force_login(shop.buyer)
    assert client.get("/api/v1/account/balance").status_code == 403
    assert client.get("/api/v1/account/ledger").json()["code"] == "account_not_visible"
    client.force_login(shop.users[CompanyRole.APPROVER])
    assert client.get("/api/v1/account/balance").status_code == 200
    assert client.get("/api/v1/account/statement.pdf").status_code == 403


def test_finance_staff_issue_invoices_and_credit_notes_over_the_api(client, shop):
    client.force_login(shop.warehouse)
    assert (
        client.post(
            f"/api/v1/orders/{shop.order.number}/invoice", {}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(shop.finance)
    issued = client.post(f"/api/v1/orders/{shop.order.number}/invoice", {}, content_type="application/json")
    assert issued.status_code == 201 and issued.json()["total_gross"] == str(shop.order.total_gross)
    again = client.post(f"/api/v1/orders/{shop.order.number}/invoice", {}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (400, "already_invoiced")
    assert client.post("/api/v1/orders/NOPE/invoice", {}, content_type="application/json").status_code == 404
    invoice = issued.json()
    drill = next(line for line in invoice["lines"] if line["sku"] == shop.drill.sku)
    refused = client.post(
        f"/api/v1/invoices/{invoice['id']}/credit-notes",
        json.dumps({"reason": "Return", "lines": [{"line_id": drill["id"], "quantity": "5"}]}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "correction_invalid"
    assert refused.json()["lines"][0]["sku"] == shop.drill.sku
    note = client.post(
        f"/api/v1/invoices/{invoice['id']}/credit-notes",
        json.dumps({"reason": "Return", "lines": [{"line_id": drill["id"], "quantity": "2"}]}),
        content_type="application/json",
    )
    assert note.status_code == 201 and note.json()["total_net"] == "100.00"
    assert client.get(f"/api/v1/invoices/{invoice['id']}").status_code == 200  # finance sees every invoice


# --- the admin ------------------------------------------------------------------------------


def test_finance_issue_a_credit_note_in_the_admin_with_errors_per_line(client, shop):
    invoice = invoice_issue(order=shop.order, actor=None)
    drill = invoice.lines.get(sku=shop.drill.sku)
    saw = invoice.lines.get(sku=shop.saw.sku)
    client.force_login(shop.warehouse)
    assert client.get(f"/admin/billing/invoice/{invoice.pk}/credit-note/").status_code in (302, 403)
    client.force_login(shop.finance)
    url = f"/admin/billing/invoice/{invoice.pk}/credit-note/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {f"quantity_{drill.pk}": "9", f"unit_net_{saw.pk}": "abc", "reason": "x"})
    assert refused.status_code == 400 and "Enter a number." in refused.content.decode()
    refused = client.post(url, {f"quantity_{drill.pk}": "9", "reason": "Zwrot"})
    assert refused.status_code == 400 and "A credit note can only lower a line" in refused.content.decode()
    done = client.post(url, {f"quantity_{drill.pk}": "2", "reason": "Zwrot"})
    note = invoice.credit_notes.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/admin/billing/invoice/{note.pk}/change/")
    page = client.get(f"/admin/billing/invoice/{invoice.pk}/change/")
    assert page.status_code == 200
    download = client.get(f"/admin/billing/invoice/{invoice.pk}/download/pdf/")
    assert download["Content-Type"] == "application/pdf"
    assert client.get("/admin/billing/invoice/?q=" + shop.company.vat_id).status_code == 200


def test_the_issue_invoice_action_on_orders_is_for_finance(client, shop):
    data = {"action": "issue_invoices", "_selected_action": [shop.order.pk]}
    client.force_login(shop.warehouse)
    client.post("/admin/orders/order/", data)
    assert not shop.order.invoices.exists()
    client.force_login(shop.finance)
    client.post("/admin/orders/order/", data)
    assert shop.order.invoices.get().kind == DocumentKind.INVOICE


def test_the_accountant_sees_what_is_left_to_pay_and_the_payments(client, shop, documents):
    """Paying part of an invoice leaves the rest to pay; the payment names what it settled."""
    mine = documents["mine"]
    payment_record(
        company=shop.company,
        amount=Decimal("100.00"),
        currency="PLN",
        received_on=mine.issue_date,
        reference=f"Zapłata {mine.number}",
        actor=shop.finance,
        allocations=[AllocationRequest(invoice_number=mine.number, amount=Decimal("100.00"))],
    )
    client.force_login(shop.accountant)
    response = client.get("/account/documents/")
    left = {item.invoice.number: item.open_amount for item in response.context["open_items"]}
    assert left[mine.number] == mine.total_gross - documents["note"].total_gross - Decimal("100.00")
    [payment] = response.context["payments"]
    assert mine.number in response.content.decode() and payment.allocations.get().invoice == mine
    client.force_login(shop.buyer)  # buyers see their documents, not the account
    assert client.get("/account/documents/").context["payments"] == []


def test_the_documents_feed_gives_each_document_once_in_issue_order_to_who_may_read_it(
    client, shop, documents, settings
):
    settings.SYNC_SETTLE_SECONDS = 0
    client.force_login(shop.finance)
    seen, cursor = [], None
    for _page in range(4):
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        body = client.get(f"/api/v1/invoices/changes{query}").json()
        seen += [(item["number"], item["kind"], len(item["lines"])) for item in body["items"]]
        cursor = body["next_cursor"] or cursor
    expected = [documents[key] for key in ("mine", "note", "theirs")]
    assert [number for number, _kind, _lines in seen] == [invoice.number for invoice in expected]
    assert seen[1][1] == "credit_note" and all(lines for _n, _k, lines in seen)
    assert body["next_cursor"] == cursor  # nothing new: the same cursor to keep

    later = shop.place(shop.buyer, [(shop.saw, 1)])
    fresh = invoice_issue(order=later, actor=None)
    assert [
        item["number"] for item in client.get(f"/api/v1/invoices/changes?cursor={cursor}").json()["items"]
    ] == [fresh.number]

    client.force_login(shop.other_buyer)  # a buyer: the documents of their own orders only
    own = client.get("/api/v1/invoices/changes").json()["items"]
    assert [item["number"] for item in own] == [documents["theirs"].number]
    assert client.get("/api/v1/invoices/changes?cursor=nonsense").json()["code"] == "cursor_invalid"
