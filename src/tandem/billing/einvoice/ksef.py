"""The Polish structured invoice FA(3) for KSeF (Krajowy System e-Faktur).

A credit note is a ``KOR``: each corrected line appears twice, as it stood before the
correction (``StanPrzed``) and after it, and the sums per rate and the total are the
differences (negative: Tandem's credit notes only lower an invoice), as the schema's
annotations require. Texts a reader sees in the structure (payment description) are
Polish, the form's language.
"""

from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from tandem.billing.einvoice.breakdown import (
    CENT,
    VatCategory,
    VatGroup,
    bank_account,
    money,
    plain,
    postal_address,
    rate_key,
    vat_breakdown,
    vat_number,
)
from tandem.billing.models import Invoice, InvoiceLine
from tandem.core.countries import EU_COUNTRIES
from tandem.orders.models import PaymentMethod

NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"
FORM_CODE, FORM_SYSTEM_CODE, SCHEMA_VERSION, FORM_VARIANT = "FA", "FA (3)", "1-0E", "3"
YES, NO = "1", "2"
# P_13_x / P_14_x: standard rate (23 or 22 %), first reduced (8 or 7 %), second reduced (5 %)
RATE_FIELDS = {Decimal(23): "1", Decimal(22): "1", Decimal(8): "2", Decimal(7): "2", Decimal(5): "3"}
ZERO_RATED_FIELD, INTRA_COMMUNITY_FIELD = "P_13_6_1", "P_13_6_2"
ZERO_RATED_MARK, INTRA_COMMUNITY_MARK = "0 KR", "0 WDT"
# catalog.models.Unit as Polish invoices name units
UNIT_NAMES = {"pcs": "szt.", "pack": "opak.", "box": "karton", "set": "kpl.", "m": "m", "kg": "kg", "l": "l"}
TRANSFER = "6"  # TFormaPlatnosci: przelew
ONLINE_PAYMENT_TEXT = "Płatność online"
CORRECTION_IN_ISSUE_PERIOD = "2"  # TTypKorekty: recorded when the credit note is issued


class KsefUnsupported(ValueError):
    """The document cannot be stated in FA(3) (not a Polish seller, or a rate FA(3) has no field for)."""


def ksef_applicable(invoice: Invoice) -> bool:
    """FA(3) is for sellers registered for VAT in Poland."""
    seller = invoice.seller
    return (seller.get("country") or "").upper() == "PL" and vat_number(seller).startswith("PL")


def invoice_fa3(invoice: Invoice, *, tax_exchange_rate: Decimal | None = None) -> bytes:
    """The document as FA(3) XML (UTF-8). For a document in a foreign currency,
    ``tax_exchange_rate`` (PLN per unit) adds the VAT per rate in złoty (P_14_xW, art. 106e
    ust. 11). Raises KsefUnsupported for a seller outside Poland or a VAT rate FA(3) has no
    field for."""
    if not ksef_applicable(invoice):
        raise KsefUnsupported(f"Invoice {invoice.number}: FA(3) is only for sellers with a Polish VAT ID.")
    return _Fa3Document(invoice, tax_exchange_rate).xml()


class _Fa3Document:
    def __init__(self, invoice: Invoice, tax_exchange_rate: Decimal | None):
        self.invoice = invoice
        self.credit_note = invoice.is_credit_note
        self.lines = list(invoice.lines.all())
        self.groups = vat_breakdown(invoice, self.lines)
        self.sign = Decimal(-1) if self.credit_note else Decimal(1)
        self.tax_exchange_rate = tax_exchange_rate if invoice.currency != "PLN" else None

    def xml(self) -> bytes:
        root = etree.Element(_tag("Faktura"), nsmap={None: NAMESPACE})
        self._header(root)
        self._seller(root)
        self._buyer(root)
        self._body(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _header(self, root: etree._Element) -> None:
        header = _sub(root, "Naglowek")
        _sub(header, "KodFormularza", FORM_CODE, kodSystemowy=FORM_SYSTEM_CODE, wersjaSchemy=SCHEMA_VERSION)
        _sub(header, "WariantFormularza", FORM_VARIANT)
        created = self.invoice.created_at.astimezone(UTC).replace(microsecond=0, tzinfo=None)
        _sub(header, "DataWytworzeniaFa", created.isoformat() + "Z")
        _sub(header, "SystemInfo", "Tandem")

    def _seller(self, root: etree._Element) -> None:
        seller = self.invoice.seller
        element = _sub(root, "Podmiot1")
        if self._buyer_eu_vat_id():
            _sub(element, "PrefiksPodatnika", "PL")
        identity = _sub(element, "DaneIdentyfikacyjne")
        _sub(identity, "NIP", vat_number(seller)[2:])
        _sub(identity, "Nazwa", seller.get("name") or "-")
        self._address(element, seller)

    def _buyer(self, root: etree._Element) -> None:
        buyer = self.invoice.buyer
        element = _sub(root, "Podmiot2")
        identity = _sub(element, "DaneIdentyfikacyjne")
        vat_id = vat_number(buyer)
        if vat_id.startswith("PL"):
            _sub(identity, "NIP", vat_id[2:])
        elif self._buyer_eu_vat_id():
            _sub(identity, "KodUE", vat_id[:2])
            _sub(identity, "NrVatUE", vat_id[2:])
        elif vat_id:
            _sub(identity, "KodKraju", (buyer.get("country") or vat_id[:2]).upper())
            _sub(identity, "NrID", vat_id)
        else:
            _sub(identity, "BrakID", YES)
        _sub(identity, "Nazwa", buyer.get("name") or "-")
        if postal_address(buyer).country:
            self._address(element, buyer)
        if buyer.get("email"):
            _sub(_sub(element, "DaneKontaktowe"), "Email", buyer["email"])
        _sub(element, "JST", NO)
        _sub(element, "GV", NO)

    def _buyer_eu_vat_id(self) -> str:
        """The buyer's VAT ID when it is another member state's (Greece: EL)."""
        vat_id = vat_number(self.invoice.buyer)
        prefix = vat_id[:2]
        in_eu = prefix in EU_COUNTRIES or prefix == "EL"
        return vat_id if vat_id and prefix != "PL" and in_eu else ""

    def _address(self, parent: etree._Element, party: dict) -> None:
        address = postal_address(party)
        element = _sub(parent, "Adres")
        _sub(element, "KodKraju", address.country)
        _sub(element, "AdresL1", address.street or address.city or "-")
        second = " ".join(part for part in (address.postal_code, address.city) if part)
        second = ", ".join(part for part in (second, address.other) if part)
        if second:
            _sub(element, "AdresL2", second)

    def _body(self, root: etree._Element) -> None:
        invoice = self.invoice
        fa = _sub(root, "Fa")
        _sub(fa, "KodWaluty", invoice.currency)
        _sub(fa, "P_1", invoice.issue_date.isoformat())
        _sub(fa, "P_2", invoice.number)
        _sub(fa, "P_6", invoice.sale_date.isoformat())
        self._sums(fa)
        self._notes(fa)
        if self.credit_note:
            _sub(fa, "RodzajFaktury", "KOR")
            _sub(fa, "PrzyczynaKorekty", invoice.reason[:256])
            _sub(fa, "TypKorekty", CORRECTION_IN_ISSUE_PERIOD)
            corrected = _sub(fa, "DaneFaKorygowanej")
            _sub(corrected, "DataWystFaKorygowanej", invoice.corrects.issue_date.isoformat())
            _sub(corrected, "NrFaKorygowanej", invoice.corrects.number)
            _sub(corrected, "NrKSeFN", YES)  # Tandem does not keep KSeF numbers
        else:
            _sub(fa, "RodzajFaktury", "VAT")
        number = 0
        for line in self.lines:
            if self.credit_note:
                number = self._line(fa, number + 1, line, before=True)
            number = self._line(fa, number + 1, line, before=False)
        if not self.credit_note:
            self._payment(fa)

    def _sums(self, fa: etree._Element) -> None:
        """P_13_x (net) and P_14_x (VAT) per rate in the schema's order, then P_15."""
        taxed = {RATE_FIELDS[group.rate]: group for group in self.groups if group.rate in RATE_FIELDS}
        for field in ("1", "2", "3"):
            group = taxed.get(field)
            if group is None:
                continue
            _sub(fa, f"P_13_{field}", money(self.sign * group.net))
            _sub(fa, f"P_14_{field}", money(self.sign * group.tax))
            if self.tax_exchange_rate:
                in_pln = (group.tax * self.tax_exchange_rate).quantize(CENT, rounding=ROUND_HALF_UP)
                _sub(fa, f"P_14_{field}W", money(self.sign * in_pln))
        zero: dict[str, Decimal] = {}
        for group in self.groups:
            if group.rate in RATE_FIELDS:
                continue
            if group.rate:
                raise KsefUnsupported(f"{self.invoice.number}: FA(3) has no field for {group.rate} % VAT.")
            zero[_zero_field(group)] = zero.get(_zero_field(group), Decimal(0)) + group.net
        for field in (ZERO_RATED_FIELD, INTRA_COMMUNITY_FIELD):
            if field in zero:
                _sub(fa, field, money(self.sign * zero[field]))
        gross = sum((group.net + group.tax for group in self.groups), Decimal(0))
        _sub(fa, "P_15", money(self.sign * gross))

    def _notes(self, fa: etree._Element) -> None:
        """Adnotacje: no cash accounting, self-billing, domestic reverse charge, split
        payment, exemption, new means of transport, simplified triangulation or margin."""
        notes = _sub(fa, "Adnotacje")
        for field in ("P_16", "P_17", "P_18", "P_18A"):
            _sub(notes, field, NO)
        _sub(_sub(notes, "Zwolnienie"), "P_19N", YES)
        _sub(_sub(notes, "NoweSrodkiTransportu"), "P_22N", YES)
        _sub(notes, "P_23", NO)
        _sub(_sub(notes, "PMarzy"), "P_PMarzyN", YES)

    def _line(self, fa: etree._Element, number: int, line: InvoiceLine, *, before: bool) -> int:
        """One FaWiersz; on a credit note the state before (``before``) or after the correction."""
        if before:
            quantity, unit_net, net = line.before_quantity, line.before_unit_net, line.before_line_net
        elif self.credit_note:
            quantity, unit_net, net = line.quantity, line.unit_net, line.before_line_net - line.line_net
        else:
            quantity, unit_net, net = line.quantity, line.unit_net, line.line_net
        # the line's discount: what quantity × price comes to above its net
        discount = (quantity * unit_net).quantize(CENT, rounding=ROUND_HALF_UP) - net
        row = _sub(fa, "FaWiersz")
        _sub(row, "NrWierszaFa", str(number))
        _sub(row, "P_7", line.name[:512])
        if line.sku:
            _sub(row, "Indeks", line.sku[:50])
        _sub(row, "P_8A", UNIT_NAMES.get(line.unit, line.unit))
        _sub(row, "P_8B", plain(quantity))
        _sub(row, "P_9A", plain(unit_net))
        if discount > 0:
            _sub(row, "P_10", money(discount))
        _sub(row, "P_11", money(net))
        _sub(row, "P_12", self._rate_mark(line.tax_rate))
        if before:
            _sub(row, "StanPrzed", YES)
        return number

    def _rate_mark(self, rate: Decimal) -> str:
        rate = rate_key(rate)
        if rate:
            return plain(rate)
        return INTRA_COMMUNITY_MARK if self.invoice.reverse_charge else ZERO_RATED_MARK

    def _payment(self, fa: etree._Element) -> None:
        invoice = self.invoice
        payment = _sub(fa, "Platnosc")
        if invoice.paid_at_issue:
            _sub(payment, "Zaplacono", YES)
            _sub(payment, "DataZaplaty", invoice.issue_date.isoformat())
        elif invoice.due_date:
            _sub(_sub(payment, "TerminPlatnosci"), "Termin", invoice.due_date.isoformat())
        account = bank_account(invoice.seller)
        if invoice.payment_method == PaymentMethod.ONLINE:
            _sub(payment, "PlatnoscInna", YES)
            _sub(payment, "OpisPlatnosci", ONLINE_PAYMENT_TEXT)
        else:
            _sub(payment, "FormaPlatnosci", TRANSFER)
            if account:
                _sub(_sub(payment, "RachunekBankowy"), "NrRB", account)


def _zero_field(group: VatGroup) -> str:
    return INTRA_COMMUNITY_FIELD if group.category == VatCategory.INTRA_COMMUNITY else ZERO_RATED_FIELD


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _tag(name), attributes)
    if text is not None:
        element.text = text
    return element
