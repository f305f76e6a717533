"""Structured e-invoices (UBL 2.1 / EN 16931 Peppol BIS 3.0, KSeF FA(3)) checked by the
official validators: the UBL 2.1 XSD, the CEN EN 16931 schematron and the FA(3) XSD.

The validators live outside the repository (``../shared/validation``, or the folder named
by ``EINVOICE_VALIDATION_DIR``). Without them the tests are skipped with a message; `.ci/run`
finds the folder and sets ``EINVOICE_VALIDATION_REQUIRED``, so there a missing validator is a
failure."""

import importlib.util
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from lxml import etree

from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue
from tandem.billing.einvoice import invoice_fa3, invoice_ubl, ksef_applicable
from tandem.billing.einvoice.ksef import KsefUnsupported
from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tandem.orders.models import Order, PaymentStatus
from tandem.orders.shipments import ShipmentRequest, shipment_create
from tandem.pricing.models import TaxClass, TaxRate
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_coupon,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

SELLER_VAT_ID = "PL1132191233"
NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "fa": "http://crd.gov.pl/wzor/2025/06/25/13775/",
}


def _validation_dir() -> Path:
    configured = os.environ.get("EINVOICE_VALIDATION_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared" / "validation"


@pytest.fixture(scope="session")
def validator():
    """validate.py of the official validation folder, loaded once per session (its
    compiled EN 16931 stylesheet is cached in the module)."""
    folder = _validation_dir()
    script = folder / "validate.py"
    if not script.exists():
        message = (
            f"e-invoice validators not found at {folder}: put the official validation folder "
            "(validate.py, ubl-2.1, en16931-ubl, ksef-fa3) there or set EINVOICE_VALIDATION_DIR"
        )
        if os.environ.get("EINVOICE_VALIDATION_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    spec = importlib.util.spec_from_file_location("einvoice_validate", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def assert_valid(validator, tmp_path):
    """Validate a document (UBL: XSD + EN 16931 rules, zero fatal errors; KSeF: FA(3) XSD)
    and return its parsed tree for XPath assertions."""

    def check(xml: bytes, kind: str) -> etree._Element:
        path = tmp_path / f"document-{kind}.xml"
        path.write_bytes(xml)
        problems = validator.check_ubl(path) if kind == "ubl" else validator.check_ksef(path)
        assert problems == [], "\n".join(problems) + "\n\n" + xml.decode()
        return etree.fromstring(xml)

    return check


@pytest.fixture(autouse=True)
def _invoices_issued_by_hand(settings):
    """The tests issue each document themselves (no invoice on payment or shipment)."""
    settings.INVOICE_RETAIL_ON = "manual"
    settings.INVOICE_COMPANY_ON = "manual"
    settings.SHOP_VAT_ID = SELLER_VAT_ID  # not one of the test companies' VAT IDs


def _text(tree: etree._Element, path: str) -> str:
    return tree.xpath(f"string({path})", namespaces=NS)


def _texts(tree: etree._Element, path: str) -> list[str]:
    return [str(value) for value in tree.xpath(path, namespaces=NS)]


def _tax_class(code: str, rate: str) -> TaxClass:
    tax_class = TaxClass.objects.create(code=code, name=code.title())
    TaxRate.objects.create(tax_class=tax_class, country="PL", rate=Decimal(rate))
    TaxRate.objects.create(tax_class=tax_class, country="DE", rate=Decimal(rate))
    return tax_class


def _company_order(company, lines):
    buyer = make_company_user(company, CompanyRole.BUYER)
    return order_place(
        cart=make_cart(lines=lines),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )


def _staff():
    staff = make_user("warehouse@shop.test", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_order", "view_all_orders"]))
    return type(staff).objects.get(pk=staff.pk)


@pytest.fixture
def b2b_invoice(db):
    """A Polish company's order on account: tools at 23 %, a book at 8 %, an automatic
    10 % wholesale promotion spread over the lines, and courier delivery."""
    make_delivery("courier", price_net="20.00")
    make_coupon("", value="10", channel="b2b", name="Autumn 10 %")
    drill = make_product("Wiertarka", net="100.00", gross=None, stock=50).variants.get()
    manual = make_product("Poradnik", net="33.33", gross=None, stock=50).variants.get()
    manual.tax_class = _tax_class("reduced", "8")
    manual.save()
    company = make_company("Łódź Budowa Sp. z o.o.", credit_limit=Decimal("100000"))
    order = _company_order(company, [(drill, 3), (manual, 7)])
    return invoice_issue(order=order, actor=None)


def test_a_b2b_invoice_with_two_rates_a_discount_and_delivery_is_valid_ubl(b2b_invoice, assert_valid):
    invoice = b2b_invoice
    tree = assert_valid(invoice_ubl(invoice), "ubl")
    assert _text(tree, "/inv:Invoice/cbc:ID") == invoice.number
    assert _text(tree, "//cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID") == SELLER_VAT_ID
    assert (
        _text(tree, "//cac:AccountingCustomerParty//cac:PartyTaxScheme/cbc:CompanyID")
        == invoice.buyer["vat_id"]
    )
    assert _texts(tree, "/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent/text()") == [
        "23.00",
        "8.00",
    ]
    assert _text(tree, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == str(invoice.total_net)
    assert _text(tree, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount") == str(invoice.total_tax)
    assert _text(tree, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == str(invoice.total_gross)
    discounts = [line.discount for line in invoice.lines.all() if line.discount]
    assert discounts and _texts(tree, "//cac:InvoiceLine/cac:AllowanceCharge/cbc:Amount/text()") == [
        str(discount) for discount in discounts
    ]
    account = _text(tree, "//cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")
    assert account == "PL61109010140000071219812874"
    assert _text(tree, "/inv:Invoice/cbc:DueDate") == invoice.due_date.isoformat()


def test_a_b2b_invoice_with_two_rates_is_valid_fa3(b2b_invoice, assert_valid):
    invoice = b2b_invoice
    rates = {row["rate"]: row for row in invoice.tax_summary}
    tree = assert_valid(invoice_fa3(invoice), "ksef")
    assert _text(tree, "//fa:Podmiot1//fa:NIP") == SELLER_VAT_ID[2:]
    assert _text(tree, "//fa:Podmiot2//fa:NIP") == invoice.buyer["vat_id"][2:]
    assert _text(tree, "//fa:Fa/fa:P_2") == invoice.number
    for field, rate in (("1", "23"), ("2", "8")):
        sums = (_text(tree, f"//fa:P_13_{field}"), _text(tree, f"//fa:P_14_{field}"))
        assert sums == (rates[rate]["net"], rates[rate]["tax"])
    assert _text(tree, "//fa:P_15") == str(invoice.total_gross)
    assert _texts(tree, "//fa:FaWiersz/fa:P_12/text()") == ["23", "8", "23"]
    assert _text(tree, "//fa:RodzajFaktury") == "VAT"


def test_a_consumer_invoice_paid_online_states_it_is_paid(db, assert_valid):
    make_delivery("courier", price_net="10.00")
    items = [make_product(gross=gross, stock=50).variants.get() for gross in ("19.99", "7.77")]
    order = order_place(
        cart=make_cart(lines=[(items[0], 3), (items[1], 1)]),
        context=b2c_context(),
        details=retail_details(payment_method="online"),
        acting_user=None,
    )
    Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PAID)
    invoice = invoice_issue(order=order, actor=None)

    ubl = assert_valid(invoice_ubl(invoice), "ubl")
    assert not ubl.xpath("//cac:AccountingCustomerParty//cac:PartyTaxScheme", namespaces=NS)
    assert _text(ubl, "//cac:LegalMonetaryTotal/cbc:PrepaidAmount") == str(invoice.total_gross)
    assert _text(ubl, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "0.00"
    assert _text(ubl, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "68"
    fa3 = assert_valid(invoice_fa3(invoice), "ksef")
    assert _text(fa3, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:BrakID") == "1"
    assert _text(fa3, "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:Nazwa") == "Anna Nowak"
    assert (_text(fa3, "//fa:Platnosc/fa:Zaplacono"), _text(fa3, "//fa:P_15")) == (
        "1",
        str(invoice.total_gross),
    )


def test_a_reverse_charge_invoice_to_a_german_company_is_an_intra_community_supply(db, assert_valid):
    make_delivery("courier", price_net="15.00", currency="EUR")
    drill = make_product("Bohrmaschine", net="80.00", gross=None, currency="EUR").variants.get()
    company = make_company("Berlin Bau GmbH", country="DE", credit_limit=Decimal("100000"))
    invoice = invoice_issue(order=_company_order(company, [(drill, 2)]), actor=None)
    assert invoice.reverse_charge and invoice.currency == "EUR" and invoice.total_tax == 0

    ubl = assert_valid(invoice_ubl(invoice), "ubl")
    assert _texts(ubl, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()") == ["K"]
    assert _text(ubl, "//cac:TaxSubtotal//cbc:TaxExemptionReasonCode") == "VATEX-EU-IC"
    assert _text(ubl, "//cac:AccountingCustomerParty//cbc:CompanyID") == "DE136695976"
    assert _text(ubl, "//cac:Delivery//cac:Country/cbc:IdentificationCode") == "DE"
    assert _text(ubl, "/inv:Invoice/cbc:DocumentCurrencyCode") == "EUR"
    assert _text(ubl, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "58"
    fa3 = assert_valid(invoice_fa3(invoice), "ksef")
    assert (_text(fa3, "//fa:KodUE"), _text(fa3, "//fa:NrVatUE")) == ("DE", "136695976")
    assert _text(fa3, "//fa:Podmiot1/fa:PrefiksPodatnika") == "PL"
    assert _text(fa3, "//fa:P_13_6_2") == str(invoice.total_net)
    assert set(_texts(fa3, "//fa:FaWiersz/fa:P_12/text()")) == {"0 WDT"}


def test_a_zero_rated_line_is_category_z_next_to_standard_rated_lines(db, assert_valid):
    make_delivery("courier", price_net="20.00")
    drill = make_product("Wiertarka", net="100.00", gross=None).variants.get()
    atlas = make_product("Atlas", net="45.50", gross=None).variants.get()
    atlas.tax_class = _tax_class("zero", "0")
    atlas.save()
    company = make_company("Zero Sp. z o.o.", credit_limit=Decimal("100000"))
    invoice = invoice_issue(order=_company_order(company, [(drill, 1), (atlas, 2)]), actor=None)

    ubl = assert_valid(invoice_ubl(invoice), "ubl")
    assert _texts(ubl, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()") == ["S", "Z"]
    assert _text(ubl, "//cac:TaxSubtotal[cac:TaxCategory/cbc:ID='Z']/cbc:TaxableAmount") == "91.00"
    fa3 = assert_valid(invoice_fa3(invoice), "ksef")
    assert _text(fa3, "//fa:P_13_6_1") == "91.00"
    assert "0 KR" in _texts(fa3, "//fa:FaWiersz/fa:P_12/text()")


def test_a_euro_invoice_of_a_zloty_seller_adds_the_vat_in_zloty_when_given_a_rate(db, assert_valid):
    make_delivery("courier", price_net="12.00", currency="EUR")
    drill = make_product("Wiertarka", net="24.99", gross=None, currency="EUR").variants.get()
    company = make_company("Euro Handel Sp. z o.o.", currency="EUR", credit_limit=Decimal("100000"))
    invoice = invoice_issue(order=_company_order(company, [(drill, 3)]), actor=None)
    assert invoice.currency == "EUR" and invoice.total_tax > 0

    plain = assert_valid(invoice_ubl(invoice), "ubl")
    assert not plain.xpath("/inv:Invoice/cbc:TaxCurrencyCode", namespaces=NS)
    ubl = assert_valid(invoice_ubl(invoice, tax_exchange_rate=Decimal("4.2512")), "ubl")
    in_pln = (invoice.total_tax * Decimal("4.2512")).quantize(Decimal("0.01"))
    assert _text(ubl, "/inv:Invoice/cbc:TaxCurrencyCode") == "PLN"
    assert _text(ubl, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount[@currencyID='PLN']") == str(in_pln)
    fa3 = assert_valid(invoice_fa3(invoice, tax_exchange_rate=Decimal("4.2512")), "ksef")
    assert (_text(fa3, "//fa:KodWaluty"), _text(fa3, "//fa:P_14_1W")) == ("EUR", str(in_pln))


def test_a_credit_note_for_returned_units_and_a_lower_price_is_valid_in_both_formats(
    b2b_invoice, assert_valid
):
    invoice = b2b_invoice
    drill, manual = [line for line in invoice.lines.all() if line.sku]
    note = credit_note_issue(
        invoice=invoice,
        actor=None,
        reason="One drill returned; the manual at a lower price",
        corrections=[
            Correction(drill.pk, quantity=Decimal(2)),
            Correction(manual.pk, unit_net=Decimal("25")),
        ],
    )

    ubl = assert_valid(invoice_ubl(note), "ubl")
    assert _text(ubl, "/cn:CreditNote/cbc:CreditNoteTypeCode") == "381"
    assert _text(ubl, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == invoice.number
    assert _texts(ubl, "//cac:CreditNoteLine/cbc:CreditedQuantity/text()") == ["1", "7"]
    assert _text(ubl, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == str(note.total_net)
    assert _text(ubl, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == str(note.total_gross)
    fa3 = assert_valid(invoice_fa3(note), "ksef")
    assert _text(fa3, "//fa:RodzajFaktury") == "KOR"
    assert _text(fa3, "//fa:DaneFaKorygowanej/fa:NrFaKorygowanej") == invoice.number
    assert _text(fa3, "//fa:P_15") == str(-note.total_gross)
    assert _texts(fa3, "//fa:FaWiersz[fa:StanPrzed='1']/fa:P_11/text()") == [
        str(drill.line_net),
        str(manual.line_net),
    ]
    assert _texts(fa3, "//fa:FaWiersz[not(fa:StanPrzed)]/fa:P_11/text()") == [
        str(drill.line_net - note.lines.get(sku=drill.sku).line_net),
        str(manual.line_net - note.lines.get(sku=manual.sku).line_net),
    ]


def test_an_invoice_for_one_shipment_of_an_order_is_valid(db, assert_valid):
    make_delivery("courier", price_net="20.00")
    drill = make_product("Wiertarka", net="100.00", gross=None, stock=50).variants.get()
    saw = make_product("Piła", net="33.33", gross=None, stock=50).variants.get()
    company = make_company("Part Sp. z o.o.", credit_limit=Decimal("100000"))
    order = _company_order(company, [(drill, 3), (saw, 7)])
    shipment = shipment_create(
        order=order, actor=_staff(), request=ShipmentRequest(quantities={drill.sku: 1, saw.sku: 3})
    )
    invoice = invoice_issue(order=order, actor=None, shipment=shipment)

    ubl = assert_valid(invoice_ubl(invoice), "ubl")
    assert _texts(ubl, "//cac:InvoiceLine/cbc:InvoicedQuantity/text()") == ["1", "3", "1"]
    assert _text(ubl, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == str(invoice.total_gross)
    fa3 = assert_valid(invoice_fa3(invoice), "ksef")
    assert _text(fa3, "//fa:P_6") == invoice.sale_date.isoformat()


def test_a_seller_outside_poland_gets_ubl_but_no_fa3(b2b_invoice, assert_valid):
    invoice = b2b_invoice
    invoice.seller = {**invoice.seller, "country": "DE", "vat_id": "DE136695976"}

    assert not ksef_applicable(invoice)
    with pytest.raises(KsefUnsupported):
        invoice_fa3(invoice)
    tree = assert_valid(invoice_ubl(invoice), "ubl")
    assert _text(tree, "//cac:AccountingSupplierParty//cbc:CompanyID") == "DE136695976"
