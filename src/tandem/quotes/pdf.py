"""An offer revision as a PDF in the quote's language, with the merchant's name and logo."""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.core.money import format_money
from tandem.documents.pdf import DocumentPDF, Table, shop_issuer
from tandem.quotes.models import Offer


def lines_and_totals(pdf: DocumentPDF, offer, priced: list[tuple[object, Decimal]], currency: str) -> None:
    """An offer's lines at the prices the client is offered, and its totals per VAT rate
    (the merchant's offers and resellers' offers to their clients alike)."""
    table = Table(
        headings=(_("SKU"), _("Product"), _("Quantity"), _("Unit price (net)"), _("VAT %"), _("Net")),
        widths=(28, 72, 20, 26, 12, 22),
        numeric=frozenset({2, 3, 4, 5}),
    )
    for line, price in priced:
        table.rows.append(
            (
                line.sku,
                line.name,
                f"{line.quantity} {line.unit}",
                format_money(price),
                f"{line.tax_rate.normalize():f}",
                format_money(line.line_net),
            )
        )
    pdf.lines_table(table)
    rows = [(_("Total net"), format_money(offer.total_net, currency))]
    rows += [
        (_("VAT %(rate)s%%") % {"rate": rate["rate"]}, format_money(Decimal(rate["tax"]), currency))
        for rate in offer.tax_summary
    ]
    rows.append((_("Total gross"), format_money(offer.total_gross, currency)))
    pdf.totals(rows)


def offer_pdf(offer: Offer) -> bytes:
    """What the customer was offered: lines at the offer prices (never purchase prices or
    margins), VAT per rate, totals, terms and validity."""
    quote = offer.quote
    company = quote.company
    currency = quote.currency
    with translation.override(quote.language):
        pdf = DocumentPDF(shop_issuer(), footer_text=f"{quote.number} · {_('revision')} {offer.revision}")
        pdf.title_block(
            _("Offer %(number)s") % {"number": quote.number},
            [
                (_("Revision"), str(offer.revision)),
                (_("Date"), date_format(offer.sent_at or offer.created_at, "DATE_FORMAT")),
                (
                    _("Valid until"),
                    date_format(offer.valid_until, "DATE_FORMAT") if offer.valid_until else "—",
                ),
                (
                    _("For"),
                    f"{company.name}, {_('VAT ID')} {company.vat_id}\n{company.street}, "
                    f"{company.postal_code} {company.city}",
                ),
            ],
        )
        lines_and_totals(pdf, offer, [(line, line.unit_price) for line in offer.lines.all()], currency)
        pdf.paragraph(_("Delivery terms"), offer.delivery_terms)
        pdf.paragraph(_("Payment terms"), offer.payment_terms)
        pdf.paragraph(_("Notes"), offer.notes)
        return pdf.render()
