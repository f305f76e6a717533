"""UBL 2.1 Invoice and CreditNote in the Peppol BIS Billing 3.0 profile of EN 16931.

Every amount comes from the document's lines, so the sums the standard checks
(BR-CO-10 to BR-CO-17) hold to the cent; they equal the invoice's stored totals because
both are computed the same way. A credit note states what it takes off as positive
amounts and refers to the corrected invoice (BillingReference).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from tandem.billing.einvoice.breakdown import (
    CENT,
    VatCategory,
    VatGroup,
    bank_account,
    money,
    plain,
    postal_address,
    unit_price,
    vat_breakdown,
    vat_category,
    vat_number,
)
from tandem.billing.models import Invoice, InvoiceLine
from tandem.orders.models import PaymentMethod

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT_NAMESPACE = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
# catalog.models.Unit → UN/ECE Recommendation 20 (and 21, with an X prefix)
UNIT_CODES = {"pcs": "H87", "pack": "XPK", "box": "XBX", "set": "SET", "m": "MTR", "kg": "KGM", "l": "LTR"}
DEFAULT_UNIT_CODE = "C62"  # "one"
# UNCL 4461 payment means
CREDIT_TRANSFER, SEPA_CREDIT_TRANSFER, ONLINE_PAYMENT_SERVICE = "30", "58", "68"
INVOICE_TYPE, CREDIT_NOTE_TYPE = "380", "381"
DISCOUNT_REASON_CODE = "95"  # UNCL 5189 "Discount"
ADJUSTMENT_REASON_CODE = "ADK"  # UNCL 7161 "Adjustment"
EXEMPTION_CODES = {VatCategory.INTRA_COMMUNITY: "VATEX-EU-IC"}


def invoice_ubl(invoice: Invoice, *, tax_exchange_rate: Decimal | None = None) -> bytes:
    """The document as UBL 2.1 XML (UTF-8). For a document in another currency than the
    seller's VAT accounting currency (``SHOP_CURRENCY``), ``tax_exchange_rate`` (accounting
    currency per unit of the document's) adds the VAT total in the accounting currency
    (BT-6, BT-111); without it that optional part is left out."""
    with translation.override(invoice.language or None):
        return _UblDocument(invoice, tax_exchange_rate).xml()


class _UblDocument:
    def __init__(self, invoice: Invoice, tax_exchange_rate: Decimal | None):
        self.invoice = invoice
        self.currency = invoice.currency
        self.credit_note = invoice.is_credit_note
        self.lines = list(invoice.lines.all())
        self.groups = vat_breakdown(invoice, self.lines)
        accounting_currency = settings.SHOP_CURRENCY
        self.tax_currency = (
            accounting_currency if tax_exchange_rate and accounting_currency != self.currency else None
        )
        self.tax_exchange_rate = tax_exchange_rate

    # --- building blocks ---------------------------------------------------------------

    def xml(self) -> bytes:
        kind = "CreditNote" if self.credit_note else "Invoice"
        self.root = etree.Element(
            f"{{{ROOT_NAMESPACE[kind]}}}{kind}", nsmap={None: ROOT_NAMESPACE[kind], "cac": CAC, "cbc": CBC}
        )
        self._header()
        self._party(self.root, "AccountingSupplierParty", self.invoice.seller)
        self._party(self.root, "AccountingCustomerParty", self.invoice.buyer)
        self._delivery()
        self._payment()
        self._tax_totals()
        self._monetary_total()
        for line in self.lines:
            self._line(line)
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _header(self) -> None:
        invoice, root = self.invoice, self.root
        _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
        _cbc(root, "ProfileID", PROFILE_ID)
        _cbc(root, "ID", invoice.number)
        _cbc(root, "IssueDate", invoice.issue_date.isoformat())
        if self.credit_note:
            _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE)
            _cbc(root, "Note", invoice.reason)
        else:
            if invoice.due_date and self._payable() > 0:
                _cbc(root, "DueDate", invoice.due_date.isoformat())
            _cbc(root, "InvoiceTypeCode", INVOICE_TYPE)
        _cbc(root, "DocumentCurrencyCode", self.currency)
        if self.tax_currency:
            _cbc(root, "TaxCurrencyCode", self.tax_currency)
        order = invoice.order
        if order is not None:
            _cbc(root, "BuyerReference", order.po_number or order.number)
            reference = _cac(root, "OrderReference")
            _cbc(reference, "ID", order.po_number or order.number)
        if self.credit_note:
            document = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
            _cbc(document, "ID", invoice.corrects.number)
            _cbc(document, "IssueDate", invoice.corrects.issue_date.isoformat())

    def _party(self, parent: etree._Element, role: str, party: dict) -> None:
        element = _cac(_cac(parent, role), "Party")
        _cbc(_cac(element, "PartyName"), "Name", party.get("name") or "-")
        self._address(_cac(element, "PostalAddress"), party)
        vat_id = vat_number(party)
        if vat_id:
            scheme = _cac(element, "PartyTaxScheme")
            _cbc(scheme, "CompanyID", vat_id)
            _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
        _cbc(_cac(element, "PartyLegalEntity"), "RegistrationName", party.get("name") or "-")
        if party.get("email"):
            _cbc(_cac(element, "Contact"), "ElectronicMail", party["email"])

    def _address(self, element: etree._Element, party: dict) -> None:
        address = postal_address(party)
        for name, value in (
            ("StreetName", address.street),
            ("CityName", address.city),
            ("PostalZone", address.postal_code),
        ):
            if value:
                _cbc(element, name, value)
        if address.other:
            _cbc(_cac(element, "AddressLine"), "Line", address.other)
        _cbc(_cac(element, "Country"), "IdentificationCode", address.country)

    def _delivery(self) -> None:
        """The date of supply (BT-72) and, for an intra-community supply, where the goods
        went (BT-80; BR-IC-11, BR-IC-12)."""
        delivery = _cac(self.root, "Delivery")
        _cbc(delivery, "ActualDeliveryDate", self.invoice.sale_date.isoformat())
        country = postal_address(self.invoice.buyer).country
        if country:
            address = _cac(_cac(delivery, "DeliveryLocation"), "Address")
            _cbc(_cac(address, "Country"), "IdentificationCode", country)

    def _payment(self) -> None:
        """How to pay: online, or by transfer to the seller's account. A credit note pays
        nothing in itself (it is settled against the invoice), so it states terms only."""
        invoice, root = self.invoice, self.root
        account = bank_account(invoice.seller)
        online = invoice.payment_method == PaymentMethod.ONLINE
        if not self.credit_note and online:
            _cbc(_cac(root, "PaymentMeans"), "PaymentMeansCode", ONLINE_PAYMENT_SERVICE)
        elif not self.credit_note and account:
            means = _cac(root, "PaymentMeans")
            code = SEPA_CREDIT_TRANSFER if self.currency == "EUR" else CREDIT_TRANSFER
            _cbc(means, "PaymentMeansCode", code)
            _cbc(means, "PaymentID", invoice.number)
            _cbc(_cac(means, "PayeeFinancialAccount"), "ID", account)
        terms = self._terms_text()
        if terms:
            _cbc(_cac(root, "PaymentTerms"), "Note", terms)

    def _terms_text(self) -> str:
        if self.credit_note:
            return _("Credited against invoice %(number)s.") % {"number": self.invoice.corrects.number}
        if self.invoice.paid_at_issue:
            return _("Paid.")
        return self.invoice.payment_terms

    def _tax_totals(self) -> None:
        total = _cac(self.root, "TaxTotal")
        _amount(total, "TaxAmount", self._tax(), self.currency)
        for group in self.groups:
            subtotal = _cac(total, "TaxSubtotal")
            _amount(subtotal, "TaxableAmount", group.net, self.currency)
            _amount(subtotal, "TaxAmount", group.tax, self.currency)
            self._category(subtotal, "TaxCategory", group, with_reason=True)
        if self.tax_currency:
            converted = (self._tax() * self.tax_exchange_rate).quantize(CENT, rounding=ROUND_HALF_UP)
            _amount(_cac(self.root, "TaxTotal"), "TaxAmount", converted, self.tax_currency)

    def _category(self, parent: etree._Element, name: str, group: VatGroup, *, with_reason: bool) -> None:
        category = _cac(parent, name)
        _cbc(category, "ID", group.category)
        _cbc(category, "Percent", money(group.rate))
        if with_reason and group.category in EXEMPTION_CODES:
            _cbc(category, "TaxExemptionReasonCode", EXEMPTION_CODES[group.category])
            _cbc(category, "TaxExemptionReason", _("Intra-community supply (reverse charge)"))
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")

    def _monetary_total(self) -> None:
        net = sum((group.net for group in self.groups), Decimal(0))
        gross = net + self._tax()
        total = _cac(self.root, "LegalMonetaryTotal")
        _amount(total, "LineExtensionAmount", net, self.currency)
        _amount(total, "TaxExclusiveAmount", net, self.currency)
        _amount(total, "TaxInclusiveAmount", gross, self.currency)
        if gross - self._payable():
            _amount(total, "PrepaidAmount", gross - self._payable(), self.currency)
        _amount(total, "PayableAmount", self._payable(), self.currency)

    def _tax(self) -> Decimal:
        return sum((group.tax for group in self.groups), Decimal(0))

    def _payable(self) -> Decimal:
        if self.invoice.paid_at_issue and not self.credit_note:
            return Decimal("0.00")
        return sum((group.net + group.tax for group in self.groups), Decimal(0))

    def _line(self, line: InvoiceLine) -> None:
        kind = "CreditNoteLine" if self.credit_note else "InvoiceLine"
        element = _cac(self.root, kind)
        quantity, price = _credited(line) if self.credit_note else (line.quantity, line.unit_net)
        _cbc(element, "ID", str(line.position))
        _cbc(
            element,
            "CreditedQuantity" if self.credit_note else "InvoicedQuantity",
            plain(quantity),
            unitCode=UNIT_CODES.get(line.unit, DEFAULT_UNIT_CODE),
        )
        _amount(element, "LineExtensionAmount", line.line_net, self.currency)
        # what the quantity at the price comes to, less the line's net: a discount (or, on
        # a credit note whose figures were rounded, the cent that makes them agree)
        difference = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP) - line.line_net
        if difference:
            allowance = _cac(element, "AllowanceCharge")
            _cbc(allowance, "ChargeIndicator", "false" if difference > 0 else "true")
            if difference > 0:
                _cbc(allowance, "AllowanceChargeReasonCode", DISCOUNT_REASON_CODE)
                _cbc(allowance, "AllowanceChargeReason", _("Discount"))
            else:
                _cbc(allowance, "AllowanceChargeReasonCode", ADJUSTMENT_REASON_CODE)
                _cbc(allowance, "AllowanceChargeReason", _("Rounding"))
            _amount(allowance, "Amount", abs(difference), self.currency)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.name)
        if line.sku:
            _cbc(_cac(item, "SellersItemIdentification"), "ID", line.sku)
        group = VatGroup(vat_category(self.invoice, line.tax_rate), line.tax_rate, line.line_net, Decimal(0))
        self._category(item, "ClassifiedTaxCategory", group, with_reason=False)
        _amount(_cac(element, "Price"), "PriceAmount", price, self.currency, text=unit_price(price))


def _credited(line: InvoiceLine) -> tuple[Decimal, Decimal]:
    """A credit-note line as quantity × price: the units returned at their price, or, when
    the price was lowered, the units at the amount taken off each."""
    if line.unit_net == line.before_unit_net:
        return line.before_quantity - line.quantity, line.unit_net
    before_value = line.before_quantity * line.before_unit_net - line.quantity * line.unit_net
    return line.before_quantity, (before_value / line.before_quantity).quantize(Decimal("0.0001"))


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def _amount(
    parent: etree._Element, name: str, amount: Decimal, currency: str, *, text: str | None = None
) -> etree._Element:
    return _cbc(parent, name, text if text is not None else money(amount), currencyID=currency)
