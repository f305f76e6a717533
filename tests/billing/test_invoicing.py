"""Invoices and credit notes: snapshots, numbers, parts, corrections, the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue, invoice_line_states
from tandem.billing.errors import InvoiceError
from tandem.billing.models import DocumentKind, Invoice, LedgerEntry
from tandem.billing.receivables.selectors import credit_position
from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tandem.orders.approvals import order_decide
from tandem.orders.services import order_status_change
from tandem.orders.shipments import ShipmentRequest, shipment_create
from tests.checkout.conftest import company_details, retail_details
from tests.concurrency import run_at_once
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


@pytest.fixture
def b2b(db):
    make_delivery("courier", price_net="20.00")
    company = make_company("Łódź Budowa Sp. z o.o.", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, CompanyRole.BUYER)
    drill = make_product("Wiertarka", net="100.00", gross=None, stock=100).variants.get()
    saw = make_product("Пила", net="33.33", gross=None, stock=100).variants.get()
    order = order_place(
        cart=make_cart(lines=[(drill, 3), (saw, 7)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    staff = make_user("warehouse@shop.test", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_order", "view_all_orders"]))
    return {
        "company": company,
        "order": order,
        "drill": drill,
        "saw": saw,
        "staff": type(staff).objects.get(pk=staff.pk),
    }


def test_an_order_on_account_is_invoiced_whole_with_its_delivery_and_booked(b2b):
    order = b2b["order"]
    invoice = invoice_issue(order=order, actor=b2b["staff"])
    assert (
        invoice.number.startswith(f"FV/{invoice.issue_date.year}/") and invoice.kind == DocumentKind.INVOICE
    )
    assert (invoice.total_net, invoice.total_gross) == (order.total_net, order.total_gross)
    assert [line.sku or line.name for line in invoice.lines.all()][-1] == "Delivery: Courier"
    assert invoice.buyer["vat_id"] == b2b["company"].vat_id and invoice.seller["vat_id"]
    assert invoice.due_date == invoice.issue_date + timedelta(days=order.payment_days)
    entry = LedgerEntry.objects.get(reference=invoice.number)
    assert (entry.debit, entry.due_date) == (invoice.total_gross, invoice.due_date)
    order.refresh_from_db()
    assert order.invoiced
    # the order no longer counts as open on the credit line: the invoice does
    assert credit_position(b2b["company"]).open_orders == 0
    with pytest.raises(InvoiceError) as error:
        invoice_issue(order=order, actor=b2b["staff"])
    assert error.value.code == "already_invoiced"


def test_shipments_are_invoiced_in_parts_that_add_up_to_the_order_to_the_cent(b2b, settings):
    settings.INVOICE_COMPANY_ON = "manual"  # issued here by hand, not when each shipment leaves
    order = b2b["order"]
    first = shipment_create(
        order=order,
        actor=b2b["staff"],
        request=ShipmentRequest(quantities={b2b["drill"].sku: 1, b2b["saw"].sku: 3}),
    )
    second = shipment_create(order=order, actor=b2b["staff"], request=ShipmentRequest(quantities={}))
    one = invoice_issue(order=order, actor=b2b["staff"], shipment=first)
    two = invoice_issue(order=order, actor=b2b["staff"], shipment=second)
    assert one.total_net + two.total_net == order.total_net
    assert sum(line.line_net for line in one.lines.all() if line.sku == b2b["saw"].sku) == Decimal("99.99")
    assert any(not line.sku for line in one.lines.all()) and all(line.sku for line in two.lines.all())
    with pytest.raises(InvoiceError):
        invoice_issue(order=order, actor=b2b["staff"], shipment=first)
    order.refresh_from_db()
    assert order.invoiced


def test_an_issued_invoice_cannot_be_changed_or_deleted(b2b):
    invoice = invoice_issue(order=b2b["order"], actor=b2b["staff"])
    invoice.total_net = Decimal("1")
    with pytest.raises(ValidationError):
        invoice.save()
    with pytest.raises(ValidationError):
        invoice.lines.first().delete()
    assert Invoice.objects.get(pk=invoice.pk).total_net == b2b["order"].total_net


def test_a_credit_note_states_each_line_before_and_after_and_credits_the_ledger(b2b):
    invoice = invoice_issue(order=b2b["order"], actor=b2b["staff"])
    drill = invoice.lines.get(sku=b2b["drill"].sku)
    note = credit_note_issue(
        invoice=invoice,
        actor=b2b["staff"],
        reason="One drill returned damaged",
        corrections=[Correction(drill.pk, quantity=Decimal(2))],
    )
    line = note.lines.get()
    assert note.number.startswith("KOR/") and note.corrects == invoice
    assert (line.before_quantity, line.quantity, line.before_line_net, line.line_net) == (
        Decimal(3),
        Decimal(2),
        Decimal("300.00"),
        Decimal("100.00"),
    )
    assert (note.total_net, note.total_gross) == (Decimal("100.00"), Decimal("123.00"))
    assert LedgerEntry.objects.get(reference=note.number).credit == Decimal("123.00")
    assert invoice_line_states(invoice)[drill.pk].line_net == Decimal("200.00")


def test_a_credit_note_cannot_take_off_more_than_is_left(b2b):
    invoice = invoice_issue(order=b2b["order"], actor=b2b["staff"])
    drill = invoice.lines.get(sku=b2b["drill"].sku)
    credit_note_issue(
        invoice=invoice, actor=None, reason="Two returned", corrections=[Correction(drill.pk, 1)]
    )
    with pytest.raises(InvoiceError) as error:
        credit_note_issue(invoice=invoice, actor=None, reason="Again", corrections=[Correction(drill.pk, 2)])
    assert error.value.code == "correction_invalid" and error.value.lines[0]["sku"] == b2b["drill"].sku
    with pytest.raises(InvoiceError):
        credit_note_issue(
            invoice=invoice,
            actor=None,
            reason="Dearer",
            corrections=[Correction(drill.pk, unit_net=Decimal("150"))],
        )
    with pytest.raises(InvoiceError) as error:
        credit_note_issue(invoice=invoice, actor=None, reason="", corrections=[Correction(drill.pk, 0)])
    assert error.value.field == "reason"
    assert invoice.credit_notes.count() == 1


def test_an_order_waiting_for_approval_is_not_invoiced(b2b):
    company = b2b["company"]
    buyer = make_company_user(company, CompanyRole.BUYER, spending_limit_per_order=Decimal("10"))
    order = order_place(
        cart=make_cart(lines=[(b2b["drill"], 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company.addresses.first().pk),
    )
    with pytest.raises(InvoiceError) as error:
        invoice_issue(order=order, actor=None)
    assert error.value.code == "not_invoiceable"


def test_a_retail_invoice_has_the_totals_the_customer_paid(db):
    make_delivery("courier", price_net="10.00")
    items = [make_product(gross=gross, stock=50).variants.get() for gross in ("1.00", "19.99", "7.77")]
    order = order_place(
        cart=make_cart(lines=[(items[0], 10), (items[1], 3), (items[2], 1)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=None,
    )
    invoice = invoice_issue(order=order, actor=None)
    assert (invoice.total_net, invoice.total_tax, invoice.total_gross) == (
        order.total_net,
        order.total_tax,
        order.total_gross,
    )
    for line in invoice.lines.all():  # the identity every e-invoice format checks
        assert line.line_net == (line.quantity * line.unit_net).quantize(Decimal("0.01")) - line.discount
        assert line.discount >= 0
    assert invoice.company is None and not LedgerEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_twenty_invoices_issued_at_once_are_numbered_without_gaps_or_duplicates():
    make_delivery("courier", price_net="0.00")
    customer_orders = []
    variant = make_product(gross="10.00", stock=100).variants.get()
    for _index in range(20):
        customer_orders.append(
            order_place(
                cart=make_cart(lines=[(variant, 1)]),
                context=b2c_context(),
                details=retail_details(),
                acting_user=None,
            )
        )
    results = run_at_once(
        [lambda order=order: invoice_issue(order=order, actor=None) for order in customer_orders]
    )
    assert all(isinstance(result, Invoice) for result in results), results
    numbers = sorted(int(result.number.rsplit("/", 1)[1]) for result in results)
    assert numbers == list(range(1, 21))


def test_an_order_marked_shipped_as_a_whole_is_invoiced_like_any_shipment(b2b):
    order_status_change(order=b2b["order"], status="shipped", actor=b2b["staff"])
    invoice = b2b["order"].invoices.get()
    assert invoice.shipment is not None and invoice.total_net == b2b["order"].total_net


def test_with_invoicing_at_placement_an_approved_order_is_invoiced_when_approved(b2b, settings):
    settings.INVOICE_COMPANY_ON = "placement"
    company = b2b["company"]
    buyer = make_company_user(company, CompanyRole.BUYER, spending_limit_per_order=Decimal("10"))
    order = order_place(
        cart=make_cart(lines=[(b2b["drill"], 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company.addresses.first().pk),
    )
    assert not order.invoices.exists()  # waiting for approval: nothing to invoice yet
    order_decide(order=order, user=make_company_user(company, CompanyRole.APPROVER), approve=True)
    assert order.invoices.get().total_gross == order.total_gross


def test_many_small_credit_notes_never_credit_more_than_the_invoice(b2b):
    """VAT rounded note by note would add up to more than the invoice's; it is taken as the
    difference of what remains, so notes down to zero credit exactly the invoice."""
    invoice = invoice_issue(order=b2b["order"], actor=None)
    drill = invoice.lines.get(sku=b2b["drill"].sku)
    for price in ("99.50", "99.00", "98.50", "98.00", "0"):
        credit_note_issue(
            invoice=invoice,
            actor=None,
            reason="Price corrected",
            corrections=[Correction(drill.pk, unit_net=Decimal(price))],
        )
    credited = sum(note.total_gross for note in invoice.credit_notes.all())
    drill_gross = Decimal("369.00")  # 3 × 100.00 net + 23 % VAT
    assert credited == drill_gross
