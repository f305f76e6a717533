"""Billing documents as PDFs in the customer's language, on the shared document layout
(``documents.pdf``: the merchant's name, logo and address, DejaVu for Polish, Bulgarian
and Russian): invoices and credit notes, dispatch notes (WZ) and account statements.

An invoice states only its own snapshot (seller, buyer, lines, VAT per rate), so its PDF
reads the same whenever it is downloaded."""

from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.billing.documents.selectors import account_statement
from tandem.billing.models import Invoice
from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.money import format_money
from tandem.core.words import amount_in_words
from tandem.customers.models import Company
from tandem.documents.pdf import FONT, DocumentPDF, Table, shop_issuer
from tandem.inventory.models import Warehouse
from tandem.orders.models import PaymentMethod, Shipment

# The statutory mention on a reverse-charge invoice (Art. 226(11a) of the VAT Directive), in
# the document's language: legal wording, fixed here rather than left to a translator.
REVERSE_CHARGE_NOTES = {
    "en": "Reverse charge — VAT to be accounted for by the buyer (Art. 196 Directive 2006/112/EC)",
    "pl": "Odwrotne obciążenie — podatek VAT rozlicza nabywca (art. 196 dyrektywy 2006/112/WE)",
    "bg": "Обратно начисляване — ДДС се начислява от получателя (чл. 196 от Директива 2006/112/ЕО)",
    "ru": "Обратное начисление — НДС уплачивает покупатель (ст. 196 Директивы 2006/112/ЕС)",
}
COUNTRIES = dict(COUNTRY_CHOICES)


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _short_day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _quantity(value: Decimal) -> str:
    value = Decimal(value)
    return number_format(
        value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize(), use_l10n=True
    )


def _price(value: Decimal) -> str:
    """A unit price: two decimals, or four when it has them (a rounded-up unit net)."""
    places = 2 if value == value.quantize(Decimal("0.01")) else 4
    return number_format(value, places, use_l10n=True, force_grouping=True)


def _party_lines(party: dict, *, home_country: str = "") -> str:
    """Name, address, country (when not ``home_country``: the seller's address names its
    own) and VAT ID."""
    lines = [party.get("name", "")]
    lines += [line for line in party.get("address_lines", []) if line]
    country = party.get("country", "")
    if country and country != home_country:
        lines.append(str(COUNTRIES.get(country, country)))
    if party.get("vat_id"):
        lines.append(f"{_('VAT ID')} {party['vat_id']}")
    return "\n".join(line for line in lines if line)


def _two_columns(pdf: DocumentPDF, left: tuple[str, str], right: tuple[str, str]) -> None:
    """Two labelled blocks side by side (seller and buyer; recipient and carrier)."""
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    bottoms = []
    for index, (heading, text) in enumerate((left, right)):
        x = pdf.l_margin + index * width
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(width - 4, 5, heading)
        pdf.set_xy(x, top + 5)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(width - 4, 4.6, text or "—")
        bottoms.append(pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(bottoms) + 4)


def _vat_table(invoice: Invoice) -> Table:
    table = Table(
        headings=(_("VAT rate"), _("Net"), _("VAT"), _("Gross")),
        widths=(30, 50, 50, 50),
        numeric=frozenset({1, 2, 3}),
    )
    for rate in invoice.tax_summary:
        table.rows.append(
            (
                f"{Decimal(rate['rate']).normalize():f}%",
                format_money(Decimal(rate["net"])),
                format_money(Decimal(rate["tax"])),
                format_money(Decimal(rate["gross"])),
            )
        )
    return table


def _invoice_lines(lines) -> Table:
    table = Table(
        headings=("#", _("Product"), _("Quantity"), _("Price (net)"), _("Discount"), _("VAT %"), _("Net")),
        widths=(8, 58, 18, 26, 18, 14, 38),
        numeric=frozenset({2, 3, 4, 5, 6}),
    )
    for line in lines:
        product = f"{line.sku}\n{line.name}" if line.sku else line.name
        table.rows.append(
            (
                str(line.position),
                product,
                f"{_quantity(line.quantity)} {line.unit}",
                _price(line.unit_net),
                format_money(line.discount) if line.discount else "—",
                f"{line.tax_rate.normalize():f}",
                format_money(line.line_net),
            )
        )
    return table


def _credit_note_lines(lines) -> Table:
    """Each corrected line before and after the correction, and the difference taken off."""
    table = Table(
        headings=("#", _("Product"), _("Before"), _("After"), _("Difference"), _("VAT %")),
        widths=(8, 50, 38, 38, 32, 14),
        numeric=frozenset({2, 3, 4, 5}),
    )
    for line in lines:
        before_net = line.before_line_net or Decimal(0)
        after_net = before_net - line.line_net
        product = f"{line.sku}\n{line.name}" if line.sku else line.name
        table.rows.append(
            (
                str(line.position),
                product,
                f"{_quantity(line.before_quantity)} {line.unit} × {_price(line.before_unit_net)}\n"
                f"= {format_money(before_net)}",
                f"{_quantity(line.quantity)} {line.unit} × {_price(line.unit_net)}\n"
                f"= {format_money(after_net)}",
                f"−{format_money(line.line_net)}",
                f"{line.tax_rate.normalize():f}",
            )
        )
    return table


def invoice_pdf(invoice: Invoice) -> bytes:
    """An invoice or credit note in its own language: numbers, dates, seller and buyer with
    VAT IDs, lines (a credit note: each line before and after and the difference), VAT per
    rate, totals, the amount in words, payment terms, due date, bank account, and the
    reverse-charge mention where it applies."""
    currency = invoice.currency
    language = invoice.language or "en"
    with translation.override(language):
        pdf = DocumentPDF(shop_issuer(), footer_text=invoice.number)
        if invoice.is_credit_note:
            title = _("Credit note %(number)s") % {"number": invoice.number}
            facts = [
                (
                    _("Corrects invoice"),
                    f"{invoice.corrects.number} ({_('issued')} {_day(invoice.corrects.issue_date)})",
                )
            ]
        else:
            title = _("Invoice %(number)s") % {"number": invoice.number}
            facts = []
        facts = [
            (_("Issue date"), _day(invoice.issue_date)),
            (_("Sale date"), _day(invoice.sale_date)),
            *facts,
        ]
        if invoice.order_id:
            facts.append(
                (
                    _("Order"),
                    invoice.order.number
                    + (f" ({_('PO number')} {invoice.order.po_number})" if invoice.order.po_number else ""),
                )
            )
        if invoice.shipment_id:
            facts.append((_("Dispatch note"), invoice.shipment.number))
        pdf.title_block(title, facts)
        home = invoice.seller.get("country", "")
        _two_columns(
            pdf,
            (pgettext("invoice", "Seller"), _party_lines(invoice.seller, home_country=home)),
            (pgettext("invoice", "Buyer"), _party_lines(invoice.buyer, home_country=home)),
        )
        lines = list(invoice.lines.all())
        pdf.lines_table(_credit_note_lines(lines) if invoice.is_credit_note else _invoice_lines(lines))
        pdf.lines_table(_vat_table(invoice))
        total_label = _("Total to be credited") if invoice.is_credit_note else _("Total due")
        pdf.totals(
            [
                (_("Total net"), format_money(invoice.total_net, currency)),
                (_("VAT"), format_money(invoice.total_tax, currency)),
                (total_label, format_money(invoice.total_gross, currency)),
            ]
        )
        pdf.paragraph(_("In words"), amount_in_words(invoice.total_gross, currency, language))
        if invoice.reverse_charge:
            pdf.paragraph(_("VAT"), REVERSE_CHARGE_NOTES.get(language, REVERSE_CHARGE_NOTES["en"]))
        if invoice.is_credit_note:
            pdf.paragraph(_("Reason for the correction"), invoice.reason)
        pdf.paragraph(_("Payment"), _payment_text(invoice))
        return pdf.render()


def _payment_text(invoice: Invoice) -> str:
    method = (
        PaymentMethod(invoice.payment_method).label
        if invoice.payment_method in PaymentMethod.values
        else invoice.payment_method
    )
    lines = [f"{_('Payment method')}: {method}"]
    if invoice.payment_terms:
        lines.append(f"{_('Payment terms')}: {invoice.payment_terms}")
    if invoice.is_credit_note:
        lines.append(_("The amount is refunded or set off against open invoices."))
    elif invoice.paid_at_issue:
        lines.append(_("Paid in full before this invoice was issued."))
    else:
        lines.append(f"{_('Due date')}: {_day(invoice.due_date)}")
        if invoice.seller.get("bank_account"):
            lines.append(f"{_('Bank account')}: {invoice.seller['bank_account']}")
        lines.append(f"{_('Payment reference')}: {invoice.number}")
    return "\n".join(lines)


# --- dispatch notes -------------------------------------------------------------------------


def _recipient(order) -> str:
    address = order.shipping_address or {}
    if not address:
        return _("Collected by the customer")
    country = address.get("country", "")
    return "\n".join(
        part
        for part in (
            address.get("recipient", ""),
            address.get("street", ""),
            " ".join(p for p in (address.get("postal_code", ""), address.get("city", "")) if p),
            str(COUNTRIES.get(country, country)) if country else "",
            f"{_('Phone')}: {address['phone']}" if address.get("phone") else "",
        )
        if part
    )


def dispatch_note_pdf(shipment: Shipment) -> bytes:
    """A dispatch note (WZ) in the order's language: lines with quantities and the
    warehouses they left, the recipient, carrier and tracking number, and — for a company —
    the persons authorised to collect the goods whose authorisation is valid, with their
    ID document numbers."""
    order = shipment.order
    lines = list(shipment.lines.select_related("order_line"))
    warehouse_ids = {int(key) for line in lines for key in line.warehouses}
    warehouses = dict(Warehouse.objects.filter(pk__in=warehouse_ids).values_list("pk", "name"))
    with translation.override(order.language or "en"):
        pdf = DocumentPDF(shop_issuer(), footer_text=shipment.number)
        buyer = order.buyer or {}
        customer = order.company.name if order.company_id else buyer.get("name", "") or order.email
        vat_id = order.company.vat_id if order.company_id else buyer.get("vat_id", "")
        facts = [
            (_("Date"), _day(timezone.localtime(shipment.shipped_at))),
            (
                _("Order"),
                order.number + (f" ({_('PO number')} {order.po_number})" if order.po_number else ""),
            ),
            (_("Customer"), f"{customer}, {_('VAT ID')} {vat_id}" if vat_id else customer),
        ]
        pdf.title_block(_("Dispatch note %(number)s") % {"number": shipment.number}, facts)
        carrier = "\n".join(
            part
            for part in (
                f"{_('Carrier')}: {shipment.carrier}" if shipment.carrier else "",
                f"{_('Tracking number')}: {shipment.tracking_number}" if shipment.tracking_number else "",
                f"{_('Delivery method')}: {order.delivery_method}" if order.delivery_method else "",
            )
            if part
        )
        _two_columns(pdf, (_("Recipient"), _recipient(order)), (_("Delivery"), carrier))
        table = Table(
            headings=("#", _("SKU"), _("Product"), _("Quantity"), _("Warehouse")),
            widths=(8, 30, 82, 25, 35),
            numeric=frozenset({3}),
        )
        for position, line in enumerate(lines, start=1):
            taken = [
                (warehouses.get(int(key), key), units) for key, units in line.warehouses.items() if units
            ]
            where = ", ".join(name if len(taken) == 1 else f"{name} ({units})" for name, units in taken)
            table.rows.append(
                (
                    str(position),
                    line.order_line.sku,
                    line.order_line.name,
                    f"{line.quantity} {line.order_line.unit}",
                    where or "—",
                )
            )
        pdf.lines_table(table)
        if order.company_id:
            today = timezone.localdate()
            persons = [
                person
                for person in order.company.pickup_persons.all()
                if person.valid_until is None or person.valid_until >= today
            ]
            if persons:
                pdf.paragraph(
                    _("Persons authorised to collect the goods"),
                    _("The goods are handed over to these persons on showing the ID document."),
                )
                people = Table(
                    headings=(_("Full name"), _("ID document number"), _("Valid until")), widths=(80, 60, 40)
                )
                people.rows += [
                    (person.full_name, person.document_number, _day(person.valid_until)) for person in persons
                ]
                pdf.lines_table(people)
        pdf.ln(10)
        pdf.set_font(FONT, "", 9)
        half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
        pdf.cell(half, 6, f"{_('Issued by')}: ____________________")
        pdf.cell(half, 6, f"{_('Received by')}: ____________________")
        return pdf.render()


# --- account statements ---------------------------------------------------------------------


def statement_pdf(company: Company, date_from: date, date_to: date) -> bytes:
    """A company's account statement for a period in the company's language: the balance
    before the period, each ledger entry with the running balance, the closing balance, and
    today's overdue amount and available credit."""
    statement = account_statement(company, date_from, date_to)
    currency = statement.currency
    with translation.override(company.language or "en"):
        pdf = DocumentPDF(shop_issuer(), footer_text=f"{_('Account statement')} · {company.name}")
        pdf.title_block(
            _("Account statement"),
            [
                (_("Customer"), f"{company.name}, {_('VAT ID')} {company.vat_id}"),
                (_("Period"), f"{_day(statement.date_from)} – {_day(statement.date_to)}"),
                (_("Issue date"), _day(timezone.localdate())),
                (_("Currency"), currency),
            ],
        )
        table = Table(
            headings=(
                _("Date"),
                _("Document"),
                _("Kind"),
                _("Due date"),
                _("Debit"),
                _("Credit"),
                _("Balance"),
            ),
            widths=(22, 40, 28, 22, 22, 22, 24),
            numeric=frozenset({4, 5, 6}),
        )
        table.rows.append(("", _("Opening balance"), "", "", "", "", format_money(statement.opening)))
        for line in statement.lines:
            entry = line.entry
            table.rows.append(
                (
                    _short_day(entry.booked_on),
                    entry.reference,
                    str(entry.get_kind_display()),
                    _short_day(entry.due_date),
                    format_money(entry.debit) if entry.debit else "",
                    format_money(entry.credit) if entry.credit else "",
                    format_money(line.balance),
                )
            )
        pdf.lines_table(table)
        position = statement.position
        pdf.totals(
            [
                (_("Opening balance"), format_money(statement.opening, currency)),
                (_("Debits in the period"), format_money(statement.debits, currency)),
                (_("Credits in the period"), format_money(statement.credits, currency)),
                (_("Closing balance"), format_money(statement.closing, currency)),
            ]
        )
        pdf.totals(
            [
                (_("Overdue today"), format_money(position.overdue, currency)),
                (_("Credit limit"), format_money(position.credit_limit, currency)),
                (_("Available credit"), format_money(position.available, currency)),
            ],
            bold_last=False,
        )
        return pdf.render()
