"""Quotes: a buyer asks, a rep offers (in revisions), the buyer negotiates and accepts.

Every write is one transaction on the quote's locked row, leaves a ``QuoteEvent`` with who
acted (and for which company, when a rep acts for it), and tells the other side in their
inbox (and by e-mail after commit). Accepting places an order at the offer's prices through
``checkout.services.order_place``, so stock, credit and approval rules hold as for any order.
"""

import mimetypes
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.cart.errors import CartError
from tandem.cart.models import Cart, CartLine
from tandem.cart.services import parse_quantity
from tandem.catalog.selectors import visible_variants_by_sku
from tandem.checkout.services import CheckoutDetails, order_place
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound, PermissionDenied
from tandem.core.events import event_publish
from tandem.core.money import parse_decimal
from tandem.core.numbering import next_number
from tandem.core.tabular import printable
from tandem.customers.auth import membership_of
from tandem.customers.errors import ACCOUNTANTS_CANNOT_ORDER
from tandem.customers.models import Company, User
from tandem.customers.selectors import company_context_for, may_place_orders
from tandem.orders.models import Order
from tandem.pricing.totals import document_totals
from tandem.quotes.errors import BelowPriceFloor, OfferNotAcceptable, QuoteError, line_problem
from tandem.quotes.line_pricing import MAX_LINES, priced_lines
from tandem.quotes.models import (
    Offer,
    OfferLine,
    OfferStatus,
    Quote,
    QuoteAttachment,
    QuoteEvent,
    QuoteRequestLine,
    QuoteStatus,
)
from tandem.quotes.price_floor import price_floor
from tandem.quotes.selectors import may_build_offers

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_TYPES = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".txt",
    ".csv",
    ".xlsx",
    ".xls",
    ".docx",
    ".odt",
    ".ods",
    ".dxf",
    ".dwg",
    ".zip",
}
MAX_PRICE = Decimal(10) ** 12
LONGEST_VALIDITY_DAYS = 365


@dataclass(frozen=True, slots=True)
class RequestedLine:
    sku: str
    quantity: object
    target_price: object = None


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class OfferLineInput:
    sku: str
    quantity: object
    unit_price: object = None  # net; else the discount, else the customer's own price
    discount_percent: object = None


@dataclass(frozen=True, slots=True)
class OfferTerms:
    valid_until: date | None = None
    delivery_terms: str = ""
    payment_terms: str = ""
    notes: str = ""


# --- requests ------------------------------------------------------------------------------


def quote_request(
    *,
    user: User,
    context: CustomerContext,
    lines: list[RequestedLine],
    message: str,
    files: list[UploadedFile] = (),
) -> Quote:
    """A company's request for quotation: items (each a visible SKU, a quantity and
    optionally the price hoped for) and/or free text, with up to five files. Refused as a
    whole, with every bad line named, when anything is wrong."""
    company = _requesting_company(user, context)
    message = printable(message, keep_newlines=True)[:5000]
    wanted = _requested_lines(context, lines)
    if not wanted and not message.strip():
        raise QuoteError(
            _("Describe what you need or add at least one item."), code="request_empty", field="message"
        )
    _check_files(files)
    year = timezone.localdate().year
    with transaction.atomic():
        quote = Quote.objects.create(
            number=f"RFQ/{year}/{next_number(series='rfq', year=year):05d}",
            company=company,
            requested_by=None if user.is_staff else user,
            created_by=user,
            sales_rep=company.sales_rep,
            currency=context.currency,
            language=context.language,
            message=message,
        )
        QuoteRequestLine.objects.bulk_create(
            [
                QuoteRequestLine(
                    quote=quote,
                    variant=variant,
                    sku=variant.sku,
                    name=name,
                    quantity=quantity,
                    target_price=target,
                )
                for variant, name, quantity, target in wanted
            ]
        )
        for upload in files:
            attachment = QuoteAttachment(
                quote=quote,
                name=_file_name(upload.name),
                size=len(upload.content),
                content_type=mimetypes.guess_type(upload.name)[0] or "",
                uploaded_by=user,
            )
            attachment.file.save(attachment.name, ContentFile(upload.content), save=False)
            attachment.save()
        _event(quote, "requested", user, context, message=message[:2000])
        _announce(quote, "quote.requested")
    return quote


def quote_request_from_cart(
    *,
    user: User,
    context: CustomerContext,
    cart: Cart | None,
    message: str = "",
    files: list[UploadedFile] = (),
) -> Quote:
    """A request for the items and quantities in the cart (which stays as it is)."""
    lines = (
        [
            RequestedLine(sku=line.variant.sku, quantity=line.quantity)
            for line in CartLine.objects.filter(cart=cart).select_related("variant")
        ]
        if cart
        else []
    )
    if not lines:
        raise QuoteError(_("Your cart is empty."), code="cart_empty")
    return quote_request(user=user, context=context, lines=lines, message=message, files=files)


def _requesting_company(user: User, context: CustomerContext) -> Company:
    if not context.is_b2b or context.company_id is None:
        raise QuoteError(_("Requests for quotation are for company accounts."), code="b2b_only")
    if not may_place_orders(user):
        raise PermissionDenied(ACCOUNTANTS_CANNOT_ORDER, code="role_cannot_order")
    return Company.objects.select_related("sales_rep").get(pk=context.company_id)


def _requested_lines(context: CustomerContext, lines: list[RequestedLine]) -> list[tuple]:
    if len(lines) > MAX_LINES:
        raise QuoteError(
            _("A request can hold up to %(count)d items.") % {"count": MAX_LINES}, code="too_many_lines"
        )
    variants = visible_variants_by_sku(context, [line.sku for line in lines])
    merged: dict[int, list] = {}
    problems = []
    for number, line in enumerate(lines, start=1):
        variant = variants.get(str(line.sku).strip().upper())
        try:
            if variant is None:
                raise QuoteError(_("Unknown SKU."), code="unknown_sku")
            quantity = parse_quantity(line.quantity)
            target = (
                _money(line.target_price, field="target_price")
                if line.target_price not in (None, "")
                else None
            )
        except (QuoteError, CartError) as error:
            problems.append(line_problem(number, line.sku, error))
            continue
        if variant.pk in merged:
            merged[variant.pk][2] += quantity
        else:
            merged[variant.pk] = [variant, variant.product.tr("name", context.language), quantity, target]
    if problems:
        raise QuoteError(
            _("Some lines cannot be requested: see each line."), code="lines_invalid", lines=problems
        )
    return [tuple(item) for item in merged.values()]


def _money(value, *, field: str) -> Decimal:
    amount = parse_decimal(value)
    if amount is None or not 0 <= amount < MAX_PRICE:
        raise QuoteError(
            _("“%(value)s” is not an amount.") % {"value": str(value)[:20]},
            code="amount_invalid",
            field=field,
        )
    return amount.quantize(Decimal("0.01"))


def _file_name(name: str) -> str:
    return printable(PurePath(name.replace("\\", "/")).name)[:120] or "file"


def _check_files(files: list[UploadedFile]) -> None:
    if len(files) > MAX_FILES:
        raise QuoteError(
            _("Attach up to %(count)d files.") % {"count": MAX_FILES}, code="too_many_files", field="files"
        )
    for upload in files:
        if PurePath(upload.name.lower()).suffix not in FILE_TYPES:
            raise QuoteError(
                _(
                    "%(name)s: this kind of file cannot be attached (PDF, images, office "
                    "documents, CSV, drawings or ZIP)."
                )
                % {"name": _file_name(upload.name)},
                code="file_type",
                field="files",
            )
        if len(upload.content) > MAX_FILE_BYTES:
            raise QuoteError(
                _("%(name)s is larger than 5 MB.") % {"name": _file_name(upload.name)},
                code="file_too_large",
                field="files",
            )


# --- offers ------------------------------------------------------------------------------


def offer_draft_save(
    *, rep: User, quote: Quote, lines: list[OfferLineInput], terms: OfferTerms, send: bool = False
) -> Offer:
    """Write the quote's draft revision (the next one, created when missing): each line
    priced for the customer at its quantity, then at the negotiated price or discount. A
    draft is the rep's alone; the customer sees revisions once they are sent — with ``send``
    at once (``offer_send``; when that is refused, e.g. below the floor, the draft is kept)."""
    with transaction.atomic():
        quote = _locked_for_rep(rep, quote)
        priced = _priced_lines(quote, lines)
        _check_terms(terms)
        offer = quote.offers.filter(status=OfferStatus.DRAFT).first()
        if offer is None:
            latest = quote.offers.order_by("-revision").values_list("revision", flat=True).first() or 0
            offer = Offer(quote=quote, revision=latest + 1, created_by=rep)
        offer.valid_until, offer.notes = terms.valid_until, printable(terms.notes, keep_newlines=True)[:5000]
        offer.delivery_terms = printable(terms.delivery_terms)[:200]
        offer.payment_terms = printable(terms.payment_terms)[:200]
        totals = document_totals([(line.line_net, line.tax_rate) for line in priced], quote.currency)
        offer.total_net, offer.total_tax, offer.total_gross = totals.net, totals.tax, totals.gross
        offer.tax_summary = totals.summary()
        offer.save()
        offer.lines.all().delete()
        for position, line in enumerate(priced):
            line.offer, line.position = offer, position
        OfferLine.objects.bulk_create(priced)
    return offer_send(rep=rep, quote=quote) if send else offer


def _locked_for_rep(rep: User, quote: Quote) -> Quote:
    quote = (
        Quote.objects.select_for_update(of=("self",)).select_related("company").filter(pk=quote.pk).first()
    )
    if quote is None or not may_build_offers(rep, quote):
        raise NotFound()
    if not quote.is_open:
        raise QuoteError(
            _("This request is closed (%(status)s).") % {"status": quote.get_status_display()},
            code="quote_closed",
        )
    return quote


def _check_terms(terms: OfferTerms) -> None:
    today = timezone.localdate()
    if terms.valid_until is not None and not today <= terms.valid_until <= today + timedelta(
        days=LONGEST_VALIDITY_DAYS
    ):
        raise QuoteError(
            _("The offer must be valid from today for up to a year."),
            code="validity_invalid",
            field="valid_until",
        )


def _priced_lines(quote: Quote, lines: list[OfferLineInput]) -> list[OfferLine]:
    """The offer's lines at the rep's prices (``quotes.line_pricing``: every bad line named)."""
    context = company_context_for(quote.company, user_id=None, language=quote.language)

    def build(line, variant, quantity, own, inputs) -> OfferLine:
        unit_price = _offer_price(line, own)
        # without a price of the customer's own, the item's rate (none under reverse charge)
        vat_free = context.reverse_charge and own is None
        rate = Decimal(0) if vat_free else (own.tax_rate if own is not None else inputs.tax_rate)
        return OfferLine(
            variant=variant,
            sku=variant.sku,
            name=variant.product.tr("name", quote.language),
            unit=variant.unit,
            quantity=quantity,
            list_price=own.unit_net if own is not None else None,
            unit_price=unit_price,
            tax_rate=rate,
            line_net=(unit_price * quantity).quantize(Decimal("0.01")),
            price_explanation=list(own.explanation) if own is not None else [],
        )

    return priced_lines(
        context, lines, build=build, unknown_sku=_("Unknown SKU, or not sold to this customer.")
    )


def _offer_price(line: OfferLineInput, own) -> Decimal:
    if line.unit_price not in (None, ""):
        return _money(line.unit_price, field="unit_price")
    if own is None:
        raise QuoteError(
            _("This item has no price for the customer; enter the offer price."),
            code="price_required",
            field="unit_price",
        )
    if line.discount_percent not in (None, ""):
        discount = _money(line.discount_percent, field="discount_percent")
        if discount > 100:
            raise QuoteError(
                _("A discount is at most 100 %."), code="discount_invalid", field="discount_percent"
            )
        return (own.unit_net * (100 - discount) / 100).quantize(Decimal("0.01"))
    return own.unit_net


def offer_send(*, rep: User, quote: Quote) -> Offer:
    """Send the draft revision: it becomes what the customer sees, accepts or negotiates, and
    replaces the one before. Prices under the floor are refused with each line named, unless
    the sender may approve them (the approval is recorded)."""
    with transaction.atomic():
        quote = _locked_for_rep(rep, quote)
        offer = quote.offers.filter(status=OfferStatus.DRAFT).first()
        if offer is None:
            raise QuoteError(_("There is no draft to send; build the offer first."), code="no_draft")
        lines = list(offer.lines.select_related("variant"))
        if not lines:
            raise QuoteError(_("Add at least one line to the offer."), code="offer_empty")
        if offer.valid_until is None or offer.valid_until < timezone.localdate():
            raise QuoteError(
                _("Set the date the offer is valid until (today or later)."),
                code="validity_invalid",
                field="valid_until",
            )
        below = [line for line in lines if _is_below_floor(line, quote.currency)]
        if below and not rep.has_perm("quotes.approve_below_floor"):
            raise BelowPriceFloor(
                lines=[
                    {
                        "sku": line.sku,
                        "code": "below_price_floor",
                        "message": _("%(price)s is below the floor of %(floor)s %(currency)s.")
                        % {
                            "price": line.unit_price,
                            "currency": quote.currency,
                            "floor": price_floor(
                                line,
                                cost_price=line.variant.cost_price if line.variant else None,
                                currency=quote.currency,
                            ),
                        },
                    }
                    for line in below
                ]
            )
        quote.offers.filter(status=OfferStatus.SENT).update(status=OfferStatus.SUPERSEDED)
        offer.status, offer.sent_at = OfferStatus.SENT, timezone.now()
        offer.floor_approved_by = rep if below else None
        offer.save(update_fields=["status", "sent_at", "floor_approved_by", "updated_at"])
        quote.status = QuoteStatus.OFFERED
        quote.save(update_fields=["status", "updated_at"])
        _event(
            quote,
            "offer_sent",
            rep,
            None,
            offer=offer,
            message=_("Revision %(revision)d, valid until %(date)s.")
            % {"revision": offer.revision, "date": offer.valid_until.isoformat()},
        )
        _announce(quote, "quote.sent", revision=offer.revision, offer_id=offer.pk)
    return offer


def _is_below_floor(line: OfferLine, currency: str) -> bool:
    floor = price_floor(line, cost_price=line.variant.cost_price if line.variant else None, currency=currency)
    return floor is not None and line.unit_price < floor


# --- negotiation and decisions -----------------------------------------------------------------


def quote_comment(
    *,
    user: User,
    quote: Quote,
    text: str,
    context: CustomerContext | None = None,
    changes_requested: bool = False,
) -> QuoteEvent:
    """A comment in the negotiation, from the customer or the rep. With
    ``changes_requested`` the customer asks for a new revision (the current one stays
    acceptable until it is replaced or expires)."""
    text = printable(text, keep_newlines=True)[:5000]
    if not text.strip():
        raise QuoteError(_("Write your comment."), code="comment_empty", field="text")
    with transaction.atomic():
        quote = Quote.objects.select_for_update(of=("self",)).select_related("company").get(pk=quote.pk)
        from_rep = may_build_offers(user, quote)
        if not from_rep and not _is_customer(user, quote, context):
            raise NotFound()
        if changes_requested:
            if from_rep and not (context and context.on_behalf_of_id):
                raise PermissionDenied(_("Only the customer asks for changes."))
            if quote.status != QuoteStatus.OFFERED:
                raise QuoteError(
                    _("Changes can be asked for once an offer has been sent."), code="nothing_to_change"
                )
            quote.status = QuoteStatus.CHANGES_REQUESTED
            quote.save(update_fields=["status", "updated_at"])
        event = _event(
            quote, "changes_requested" if changes_requested else "comment", user, context, message=text
        )
        to_customer = from_rep and not (context and context.on_behalf_of_id)
        _announce(
            quote,
            "quote.commented",
            text=text,
            to="customer" if to_customer else "rep",
            changes_requested=changes_requested,
        )
    return event


def offer_accept(
    *, user: User, context: CustomerContext, quote: Quote, revision: int, details: CheckoutDetails
) -> Order:
    """Accept the current revision: an order at the offer's prices, placed by the normal
    checkout (stock, credit and approval rules apply). Accepting again returns the same
    order; an expired, superseded or declined revision is refused and nothing changes."""
    with transaction.atomic():
        quote = (
            Quote.objects.select_for_update(of=("self",))
            .select_related("company")
            .filter(pk=quote.pk)
            .first()
        )
        if quote is None or not _is_customer(user, quote, context):
            raise NotFound()
        offer = quote.offers.filter(revision=revision).exclude(status=OfferStatus.DRAFT).first()
        if offer is None:
            raise NotFound()
        if offer.status == OfferStatus.ACCEPTED and quote.order_id:
            return quote.order  # a second click, or a retry: the order it made
        _check_acceptable(quote, offer)
        cart = Cart.objects.create()
        label = (
            _("%(number)s, revision %(revision)s") % {"number": quote.number, "revision": offer.revision}
        )[:60]
        CartLine.objects.bulk_create(
            [
                CartLine(
                    cart=cart,
                    variant_id=line.variant_id,
                    quantity=line.quantity,
                    agreed_unit_net=line.unit_price,
                    agreed_in=label,
                )
                for line in offer.lines.all()
            ]
        )
        order = order_place(cart=cart, context=context, details=details, acting_user=user)
        cart.delete()
        offer.status = OfferStatus.ACCEPTED
        offer.save(update_fields=["status", "updated_at"])
        quote.status, quote.order = QuoteStatus.ACCEPTED, order
        quote.save(update_fields=["status", "order", "updated_at"])
        _event(
            quote,
            "accepted",
            user,
            context,
            offer=offer,
            message=_("Order %(order)s placed.") % {"order": order.number},
        )
        _announce(quote, "quote.accepted", order_number=order.number)
    return order


def _check_acceptable(quote: Quote, offer: Offer) -> None:
    if offer.status == OfferStatus.SUPERSEDED:
        latest = quote.offers.filter(status=OfferStatus.SENT).values_list("revision", flat=True).first()
        raise OfferNotAcceptable(
            _("Revision %(old)s was replaced by revision %(new)s; accept the current one.")
            % {"old": offer.revision, "new": latest or "—"},
            code="offer_superseded",
        )
    if offer.status == OfferStatus.EXPIRED or (
        offer.valid_until and offer.valid_until < timezone.localdate()
    ):
        raise OfferNotAcceptable(
            _("This offer expired on %(date)s; ask for a new one.")
            % {"date": offer.valid_until.isoformat() if offer.valid_until else "—"},
            code="offer_expired",
        )
    if offer.status != OfferStatus.SENT or not quote.is_open:
        raise OfferNotAcceptable(
            _("This offer is closed (%(status)s).") % {"status": quote.get_status_display()},
            code="offer_closed",
        )


def quote_decline(*, user: User, context: CustomerContext | None, quote: Quote, reason: str = "") -> Quote:
    """The customer says no: the request is closed and its current revision declined."""
    with transaction.atomic():
        quote = Quote.objects.select_for_update(of=("self",)).select_related("company").get(pk=quote.pk)
        if not _is_customer(user, quote, context):
            raise NotFound()
        if not may_place_orders(user):  # declining is a buying decision, as accepting is
            raise PermissionDenied(ACCOUNTANTS_CANNOT_ORDER, code="role_cannot_order")
        if not quote.is_open:
            raise QuoteError(
                _("This request is closed (%(status)s).") % {"status": quote.get_status_display()},
                code="quote_closed",
            )
        quote.offers.filter(status=OfferStatus.SENT).update(status=OfferStatus.DECLINED)
        quote.status = QuoteStatus.DECLINED
        quote.save(update_fields=["status", "updated_at"])
        _event(quote, "declined", user, context, message=printable(reason, keep_newlines=True)[:2000])
        _announce(quote, "quote.declined", text=printable(reason, keep_newlines=True)[:2000])
    return quote


def offers_expire(today: date | None = None) -> int:
    """Expire sent revisions whose validity has passed, and the requests they answered
    (run by housekeeping). Returns how many revisions expired."""
    today = today or timezone.localdate()
    expired = 0
    stale = Offer.objects.filter(status=OfferStatus.SENT, valid_until__lt=today)
    for offer_id, quote_id in list(stale.values_list("pk", "quote_id")):
        with transaction.atomic():
            # The quote's row first, as accepting takes it: the two never wait on each other.
            if Quote.objects.select_for_update(skip_locked=True).filter(pk=quote_id).first() is None:
                continue
            offer = stale.select_related("quote").filter(pk=offer_id).first()
            if offer is None:
                continue  # accepted or replaced meanwhile
            offer.status = OfferStatus.EXPIRED
            offer.save(update_fields=["status", "updated_at"])
            Quote.objects.filter(
                pk=offer.quote_id, status__in=[QuoteStatus.OFFERED, QuoteStatus.CHANGES_REQUESTED]
            ).update(status=QuoteStatus.EXPIRED)
            _event(offer.quote, "expired", None, None, offer=offer)
            expired += 1
    return expired


# --- who, and telling them ------------------------------------------------------------------------


def _is_customer(user: User, quote: Quote, context: CustomerContext | None) -> bool:
    """The quote's company's user, or a rep acting for that company."""
    if context is not None and context.on_behalf_of_id:
        return context.on_behalf_of_id == quote.company_id and may_build_offers(user, quote)
    membership = membership_of(user) if user.is_authenticated else None
    return membership is not None and membership.is_active and membership.company_id == quote.company_id


def _event(
    quote: Quote,
    kind: str,
    actor: User | None,
    context: CustomerContext | None,
    *,
    offer: Offer | None = None,
    message: str = "",
) -> QuoteEvent:
    acting = context is not None and context.on_behalf_of_id
    return QuoteEvent.objects.create(
        quote=quote,
        offer=offer,
        kind=kind,
        actor=actor,
        on_behalf_of_id=quote.company_id if acting else None,
        message=message,
    )


def _announce(quote: Quote, name: str, **payload: object) -> None:
    """Publish a quote's domain event in the change's transaction: the inbox and the e-mails
    of the customer and the rep subscribe (``messaging.quote_notices``)."""
    event_publish(
        name,
        {"quote_id": quote.pk, "number": quote.number, "company_id": quote.company_id, **payload},
        subject=quote,
    )
