"""A reseller's offer to its own client as a PDF: the reseller as the issuer (name,
address, VAT ID, logo), the client, the lines at sale prices, VAT per rate and totals, in
the offer's language. Purchase prices, mark-ups and the merchant's name never appear."""

import io

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image

from tandem.customers.models import Company
from tandem.documents.pdf import DocumentPDF, Issuer
from tandem.quotes.models import ResellerOffer
from tandem.quotes.pdf import lines_and_totals


def resale_offer_pdf(offer: ResellerOffer) -> bytes:
    """What the reseller's client is offered, under the reseller's name."""
    currency = offer.currency
    with translation.override(offer.language):
        issuer = reseller_issuer(offer.company)
        title = _("Offer %(number)s") % {"number": offer.number} if offer.number else _("Offer (draft)")
        pdf = DocumentPDF(issuer, footer_text=offer.number or _("draft"))
        pdf.set_creator(issuer.name)  # not the merchant's name, even in the file's properties
        pdf.title_block(
            title,
            [
                (_("Date"), date_format(offer.finalized_at or offer.updated_at, "DATE_FORMAT")),
                (
                    _("Valid until"),
                    date_format(offer.valid_until, "DATE_FORMAT") if offer.valid_until else "—",
                ),
                (_("For"), "\n".join(filter(None, [offer.client_name, offer.client_details]))),
            ],
        )
        lines_and_totals(pdf, offer, [(line, line.sale_price) for line in offer.lines.all()], currency)
        pdf.paragraph(_("Notes"), offer.notes)
        return pdf.render()


def reseller_issuer(company: Company) -> Issuer:
    """The reseller as it signs its documents; call inside the document's language."""
    lines = [f"{company.street}, {company.postal_code} {company.city}", f"{_('VAT ID')} {company.vat_id}"]
    contact = " · ".join(filter(None, [company.email, company.phone]))
    if contact:
        lines.append(contact)
    return Issuer(name=company.name, lines=tuple(lines), logo=_logo(company))


def _logo(company: Company):
    """The logo's bytes when the file is there and decodes; a missing or broken file leaves
    the document without a logo rather than failing it."""
    if not company.logo:
        return None
    try:
        with company.logo.open("rb") as file:
            content = file.read()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except Exception:  # noqa: BLE001 — any unreadable file: no logo, the offer still prints
        return None
    return io.BytesIO(content)
