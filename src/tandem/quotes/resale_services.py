"""Reseller offers, written: a reseller's user prices items from the merchant's catalog at
the reseller's own purchase prices (what the merchant sells to them, at each quantity),
adds a mark-up per line or overall, and hands their client a PDF under their own name.

Every write is one transaction on the offer's locked row. Purchase prices are re-read from
the pricing engine whenever a draft is saved and kept as a snapshot; a final offer is
numbered (gapless, per reseller and year) and never changes again.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.errors import NotFound, PermissionDenied
from tandem.core.images import ImageProblem, image_extension
from tandem.core.money import parse_decimal, round_money
from tandem.core.numbering import next_number
from tandem.core.tabular import printable
from tandem.customers.auth import company_admin_membership
from tandem.customers.models import Company, User
from tandem.customers.selectors import company_context_for
from tandem.pricing.totals import document_totals
from tandem.quotes.errors import QuoteError
from tandem.quotes.line_pricing import priced_lines
from tandem.quotes.models import ResellerOffer, ResellerOfferLine, ResellerOfferStatus
from tandem.quotes.resale_selectors import reseller_membership

MAX_MARKUP = Decimal(1000)
MAX_AMOUNT = Decimal(10) ** 11  # what the amount columns hold, with room for the totals' VAT
LONGEST_VALIDITY_DAYS = 365
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 2000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


@dataclass(frozen=True, slots=True)
class ResaleLineInput:
    sku: str
    quantity: object
    markup_percent: object = None  # empty: the offer's mark-up


@dataclass(frozen=True, slots=True)
class ResaleOfferInput:
    client_name: str
    client_details: str = ""
    language: str = ""  # empty: the reseller's own language
    markup_percent: object = 0
    valid_until: date | None = None
    notes: str = ""
    lines: list[ResaleLineInput] = field(default_factory=list)


def resale_offer_create(*, user: User, details: ResaleOfferInput) -> ResellerOffer:
    """A draft offer of the user's reseller company, in its currency, priced at its own
    purchase prices plus the mark-up. PermissionDenied for anyone else; QuoteError naming
    every bad line, and nothing saved, when anything is wrong."""
    company = reseller_membership(user).company
    with transaction.atomic():
        offer = ResellerOffer(company=company, created_by=user)
        _write(offer, company, details)
    return offer


def resale_offer_update(*, user: User, offer_id: int, details: ResaleOfferInput) -> ResellerOffer:
    """Rewrite a draft: its client, terms and lines, every purchase price read again at its
    quantity. NotFound for another company's offer; a final offer is refused."""
    company = reseller_membership(user).company
    with transaction.atomic():
        offer = _locked_draft(company, offer_id)
        _write(offer, company, details)
    return offer


def resale_offer_finalize(*, user: User, offer_id: int) -> ResellerOffer:
    """Fix a draft and give it the reseller's next number (OF/<year>/00001, gapless per
    reseller and year). It needs at least one line and a validity date from today."""
    company = reseller_membership(user).company
    with transaction.atomic():
        offer = _locked_draft(company, offer_id)
        if not offer.lines.exists():
            raise QuoteError(_("Add at least one line to the offer."), code="offer_empty")
        if offer.valid_until is None or offer.valid_until < timezone.localdate():
            raise QuoteError(
                _("Set the date the offer is valid until (today or later)."),
                code="validity_invalid",
                field="valid_until",
            )
        now = timezone.now()
        year = timezone.localdate(now).year
        sequence = next_number(series=f"resale-{company.pk}", year=year)
        offer.number = f"OF/{year}/{sequence:05d}"
        offer.status, offer.finalized_at = ResellerOfferStatus.FINAL, now
        offer.save(update_fields=["number", "status", "finalized_at", "updated_at"])
    return offer


def resale_offer_delete(*, user: User, offer_id: int) -> None:
    """Delete a draft (a final offer stays: its number is taken)."""
    company = reseller_membership(user).company
    with transaction.atomic():
        _locked_draft(company, offer_id).delete()


def _locked_draft(company: Company, offer_id: int) -> ResellerOffer:
    offer = ResellerOffer.objects.select_for_update().filter(pk=offer_id, company=company).first()
    if offer is None:
        raise NotFound()
    if not offer.is_draft:
        raise QuoteError(
            _("Offer %(number)s is final and cannot be changed.") % {"number": offer.number},
            code="offer_final",
        )
    return offer


def _write(offer: ResellerOffer, company: Company, details: ResaleOfferInput) -> None:
    """Check and save the offer's fields and lines (inside the caller's transaction)."""
    client_name = printable(details.client_name)
    if not client_name:
        raise QuoteError(_("Enter your client's name."), code="client_name_required", field="client_name")
    if len(client_name) > 200:
        raise QuoteError(
            _("The client's name is at most 200 characters."),
            code="client_name_too_long",
            field="client_name",
        )
    language = details.language or company.language
    if language not in dict(settings.LANGUAGES):
        raise QuoteError(_("Choose one of the shop's languages."), code="language_invalid", field="language")
    _check_validity(details.valid_until)
    offer.client_name = client_name
    offer.currency = company.currency  # a draft is priced anew, in what the reseller pays in now
    offer.client_details = printable(details.client_details, keep_newlines=True)[:2000]
    offer.language = language
    offer.markup_percent = _markup(details.markup_percent, field="markup_percent")
    offer.valid_until = details.valid_until
    offer.notes = printable(details.notes, keep_newlines=True)[:5000]
    lines = _priced_lines(company, offer, details.lines)
    totals = document_totals([(line.line_net, line.tax_rate) for line in lines], offer.currency)
    if totals.gross >= MAX_AMOUNT * 10:
        raise QuoteError(_("The offer's total is too large; split the offer."), code="amount_too_large")
    offer.total_net, offer.total_tax, offer.total_gross = totals.net, totals.tax, totals.gross
    offer.tax_summary = totals.summary()
    offer.save()
    offer.lines.all().delete()
    for position, line in enumerate(lines):
        line.offer, line.position = offer, position
    ResellerOfferLine.objects.bulk_create(lines)


def _check_validity(valid_until: date | None) -> None:
    today = timezone.localdate()
    if valid_until is not None and not today <= valid_until <= today + timedelta(days=LONGEST_VALIDITY_DAYS):
        raise QuoteError(
            _("The offer must be valid from today for up to a year."),
            code="validity_invalid",
            field="valid_until",
        )


def _markup(value, *, field: str) -> Decimal:
    """A mark-up in per cent, 0 to 1000, to the hundredth."""
    markup = parse_decimal(str(value).strip().rstrip("%"))
    if markup is None or not 0 <= markup <= MAX_MARKUP:
        raise QuoteError(
            _("“%(value)s” is not a mark-up from 0 to 1000 %%.") % {"value": str(value)[:20]},
            code="markup_invalid",
            field=field,
        )
    return markup.quantize(Decimal("0.01"))


def _priced_lines(
    company: Company, offer: ResellerOffer, lines: list[ResaleLineInput]
) -> list[ResellerOfferLine]:
    """Each line at the reseller's own net price for its quantity, plus the line's mark-up
    (or the offer's); the sale price rounded to the cent. Every bad line is named
    (``quotes.line_pricing``)."""
    context = company_context_for(company, user_id=None, language=offer.language)

    def build(line, variant, quantity, own, inputs) -> ResellerOfferLine:
        if own is None:
            raise QuoteError(_("This item has no price for you; ask your sales rep."), code="no_price")
        markup = (
            _markup(line.markup_percent, field="lines.markup_percent")
            if line.markup_percent not in (None, "")
            else None
        )
        sale_price = sale_price_of(
            own.unit_net, markup if markup is not None else offer.markup_percent, offer.currency
        )
        line_net = round_money(sale_price * quantity, offer.currency)
        if line_net >= MAX_AMOUNT:
            raise QuoteError(_("The line's amount is too large; split the offer."), code="amount_too_large")
        return ResellerOfferLine(
            variant=variant,
            sku=variant.sku,
            name=variant.product.tr("name", offer.language),
            unit=variant.unit,
            quantity=quantity,
            purchase_price=own.unit_net,
            markup_percent=markup,
            sale_price=sale_price,
            # The reseller sells at its own country's rate, whatever it pays the merchant
            # (a reverse-charge purchase does not make the client's sale VAT-free).
            tax_rate=inputs.tax_rate,
            line_net=line_net,
        )

    return priced_lines(context, lines, build=build, unknown_sku=_("Unknown SKU, or not sold to you."))


def sale_price_of(purchase_price: Decimal, markup_percent: Decimal, currency: str) -> Decimal:
    """The net unit price for the client: the purchase price plus the mark-up, rounded
    half-up to the currency's minor unit."""
    return round_money(purchase_price * (100 + markup_percent) / 100, currency)


# --- the reseller's logo ----------------------------------------------------------------------


def company_logo_set(*, user: User, content: bytes) -> Company:
    """The logo on the reseller's offers: a PNG or JPEG of at most 1 MB and 2000 × 2000
    pixels that Pillow decodes. Only the admin of a reseller company may set it."""
    membership = company_admin_membership(user, _("Only the company admin can change the logo."))
    company = membership.company
    if not company.is_reseller:
        raise PermissionDenied(_("A logo is used on resellers' offers only."), code="resellers_only")
    extension = _checked_logo(content)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        old = company.logo.name if company.logo else ""
        company.logo.save(f"company-{company.pk}.{extension}", ContentFile(content), save=False)
        company.save(update_fields=["logo"])
        if old and old != company.logo.name:
            storage, stale = company.logo.storage, old
            transaction.on_commit(lambda: storage.delete(stale), robust=True)
    return company


def company_logo_remove(*, user: User) -> Company:
    """Offers go out without a logo again."""
    membership = company_admin_membership(user, _("Only the company admin can change the logo."))
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=membership.company_id)
        if company.logo:
            storage, stale = company.logo.storage, company.logo.name
            company.logo = ""
            company.save(update_fields=["logo"])
            transaction.on_commit(lambda: storage.delete(stale), robust=True)
    return company


def _checked_logo(content: bytes) -> str:
    """The file's extension when it is an acceptable logo; QuoteError saying what is wrong."""
    if not content:
        raise QuoteError(_("Choose an image file."), code="logo_missing", field="logo")
    if len(content) > MAX_LOGO_BYTES:
        raise QuoteError(_("The logo must be at most 1 MB."), code="logo_too_large", field="logo")
    try:
        return image_extension(content, formats=LOGO_FORMATS, max_side=MAX_LOGO_SIDE)
    except ImageProblem as problem:
        if problem.code == "too_big":
            raise QuoteError(
                _("The logo must be at most 2000 × 2000 pixels."), code="logo_too_big", field="logo"
            ) from problem
        raise QuoteError(
            _("The logo must be a PNG or JPEG image."), code="logo_type", field="logo"
        ) from problem
