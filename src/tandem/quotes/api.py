"""Requests for quotation and offers over the API, with the client panel's and the rep
panel's permissions: customers see their company's quotes, reps their customers' (another
company's quote is a 404)."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.cart.sessions import request_cart
from tandem.checkout.services import CheckoutDetails
from tandem.core.paging import PageQuery
from tandem.customers.api_auth import user_auth
from tandem.orders.schemas import OrderOut
from tandem.quotes import selectors, services
from tandem.quotes.line_pricing import MAX_LINES
from tandem.quotes.models import Offer, Quote
from tandem.quotes.views import offer_pdf_response

router = Router(tags=["quotes"], auth=user_auth)


class RequestedLineIn(Schema):
    sku: str = Field(..., max_length=64)
    quantity: int = Field(..., ge=1, le=1_000_000)
    target_price: Decimal | None = Field(None, ge=0, lt=10**12, decimal_places=2)


class QuoteIn(Schema):
    lines: list[RequestedLineIn] = Field(default_factory=list, max_length=MAX_LINES)
    message: str = Field("", max_length=5000)


class FromCartIn(Schema):
    message: str = Field("", max_length=5000)


class OfferLineOut(Schema):
    sku: str
    name: str
    unit: str
    quantity: int
    list_price: Decimal | None
    unit_price: Decimal
    tax_rate: Decimal
    line_net: Decimal


class OfferOut(Schema):
    revision: int
    status: str
    valid_until: date | None
    delivery_terms: str
    payment_terms: str
    notes: str
    sent_at: datetime | None
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    lines: list[OfferLineOut]

    @staticmethod
    def of(offer: Offer) -> "OfferOut":
        return OfferOut(
            revision=offer.revision,
            status=offer.status,
            valid_until=offer.valid_until,
            delivery_terms=offer.delivery_terms,
            payment_terms=offer.payment_terms,
            notes=offer.notes,
            sent_at=offer.sent_at,
            total_net=offer.total_net,
            total_tax=offer.total_tax,
            total_gross=offer.total_gross,
            lines=[
                OfferLineOut(
                    sku=line.sku,
                    name=line.name,
                    unit=line.unit,
                    quantity=line.quantity,
                    list_price=line.list_price,
                    unit_price=line.unit_price,
                    tax_rate=line.tax_rate,
                    line_net=line.line_net,
                )
                for line in offer.lines.all()
            ],
        )


class QuoteOut(Schema):
    id: int
    number: str
    status: str
    company: str
    currency: str
    message: str
    created_at: datetime
    order: str | None
    requested: list[dict]
    offers: list[OfferOut]
    events: list[dict]

    @staticmethod
    def of(quote: Quote, *, drafts: bool = False) -> "QuoteOut":
        offers = sorted(quote.offers.all(), key=lambda offer: -offer.revision)
        return QuoteOut(
            id=quote.pk,
            number=quote.number,
            status=quote.status,
            company=quote.company.name,
            currency=quote.currency,
            message=quote.message,
            created_at=quote.created_at,
            order=quote.order.number if quote.order_id else None,
            requested=[
                {
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "target_price": str(line.target_price) if line.target_price is not None else None,
                }
                for line in quote.requested_lines.all()
            ],
            offers=[OfferOut.of(offer) for offer in offers if drafts or offer.status != "draft"],
            events=[
                {
                    "kind": event.kind,
                    "at": event.created_at.isoformat(),
                    "message": event.message,
                    "by": event.actor.get_short_name() if event.actor else None,
                }
                for event in quote.events.all()
            ],
        )


def _quotes(request: HttpRequest):
    user, context = request.user, request.customer_context
    if user.is_staff and not context.on_behalf_of_id:
        return selectors.quotes_managed_by(user)
    return selectors.quotes_of_customer(user, context)


def _quote(request: HttpRequest, quote_id: int) -> Quote:
    return selectors.quote_detail(_quotes(request), quote_id)


@router.get("/quotes", response=list[QuoteOut])
def quotes(request: HttpRequest, page: Query[PageQuery]):
    """The caller's company's quotes (a rep: their customers'), newest first."""
    found = (
        _quotes(request)
        .select_related("company", "order")
        .prefetch_related("requested_lines", "offers__lines", "events__actor")
    )
    if page.status:
        found = found.filter(status=page.status)
    return [QuoteOut.of(quote) for quote in found[page.offset : page.offset + page.limit]]


@router.post("/quotes", response={201: QuoteOut})
def quote_create(request: HttpRequest, payload: QuoteIn):
    """Ask for a quote: items (SKU, quantity, optional target net unit price) and/or free
    text. Files are attached on the page (multipart) — or send links in the text."""
    quote = services.quote_request(
        user=request.user,
        context=request.customer_context,
        message=payload.message,
        lines=[services.RequestedLine(line.sku, line.quantity, line.target_price) for line in payload.lines],
    )
    return Status(201, QuoteOut.of(_quote(request, quote.pk)))


@router.post("/quotes/from-cart", response={201: QuoteOut})
def quote_from_cart(request: HttpRequest, payload: FromCartIn):
    """Ask for a quotation for the cart's lines (company users); the cart is left as it is."""
    quote = services.quote_request_from_cart(
        user=request.user,
        context=request.customer_context,
        cart=request_cart(request),
        message=payload.message,
    )
    return Status(201, QuoteOut.of(_quote(request, quote.pk)))


@router.get("/quotes/{quote_id}", response=QuoteOut)
def quote(request: HttpRequest, quote_id: int):
    """One request for quotation with its offers, comments and attachments (the company's, or the rep's
    customers')."""
    found = _quote(request, quote_id)
    return QuoteOut.of(found, drafts=selectors.may_build_offers(request.user, found))


class CommentIn(Schema):
    text: str = Field(..., max_length=5000)
    changes_requested: bool = False


@router.post("/quotes/{quote_id}/comments", response={201: dict})
def quote_comment(request: HttpRequest, quote_id: int, payload: CommentIn):
    """A comment from the customer or the rep; ``changes_requested`` (customer) asks for a new revision."""
    event = services.quote_comment(
        user=request.user,
        context=request.customer_context,
        quote=_quote(request, quote_id),
        text=payload.text,
        changes_requested=payload.changes_requested,
    )
    return Status(201, {"kind": event.kind, "at": event.created_at.isoformat()})


class AcceptIn(Schema):
    address_id: int | None = None
    delivery_method: str = Field("courier", max_length=40)
    payment_method: str = Field("on_account", max_length=16)
    po_number: str = Field("", max_length=60)
    comment: str = Field("", max_length=2000)


@router.post("/quotes/{quote_id}/offers/{revision}/accept", response={201: OrderOut})
def offer_accept(request: HttpRequest, quote_id: int, revision: int, payload: AcceptIn):
    """Accept a revision: an order at its prices through the normal checkout (credit, stock
    and approvals apply). Accepting again returns the same order; an expired or replaced
    revision is a 409."""
    order = services.offer_accept(
        user=request.user,
        context=request.customer_context,
        quote=_quote(request, quote_id),
        revision=revision,
        details=CheckoutDetails(
            email=request.user.email,
            delivery_method=payload.delivery_method,
            payment_method=payload.payment_method,
            address_id=payload.address_id,
            po_number=payload.po_number,
            comment=payload.comment,
        ),
    )
    return Status(201, OrderOut.of(order))


class DeclineIn(Schema):
    reason: str = Field("", max_length=2000)


@router.post("/quotes/{quote_id}/decline", response=QuoteOut)
def quote_decline(request: HttpRequest, quote_id: int, payload: DeclineIn):
    """Decline the offer on a request for quotation, with an optional reason."""
    services.quote_decline(
        user=request.user,
        context=request.customer_context,
        quote=_quote(request, quote_id),
        reason=payload.reason,
    )
    return QuoteOut.of(_quote(request, quote_id))


@router.get("/quotes/{quote_id}/offers/{revision}.pdf", response={200: None})
def offer_pdf(request: HttpRequest, quote_id: int, revision: int) -> HttpResponse:
    """One revision of an offer as PDF."""
    found = _quote(request, quote_id)
    return offer_pdf_response(found, revision, drafts=selectors.may_build_offers(request.user, found))


class OfferLineIn(Schema):
    sku: str = Field(..., max_length=64)
    quantity: int = Field(..., ge=1, le=1_000_000)
    unit_price: Decimal | None = Field(None, ge=0, lt=10**12, decimal_places=2)
    discount_percent: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)


class DraftIn(Schema):
    lines: list[OfferLineIn] = Field(..., max_length=MAX_LINES)
    valid_until: date | None = None
    delivery_terms: str = Field("", max_length=200)
    payment_terms: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    send: bool = Field(False, description="send the revision to the customer after saving it")


@router.put("/quotes/{quote_id}/draft", response=OfferOut)
def offer_draft(request: HttpRequest, quote_id: int, payload: DraftIn):
    """The rep writes the next revision (priced for the customer at each quantity); with
    ``send`` it goes to the customer — unless a price is under the floor and the caller may
    not approve that (``400 below_price_floor`` naming the lines; the draft is kept)."""
    found = _quote(request, quote_id)
    offer = services.offer_draft_save(
        rep=request.user,
        quote=found,
        lines=[
            services.OfferLineInput(line.sku, line.quantity, line.unit_price, line.discount_percent)
            for line in payload.lines
        ],
        terms=services.OfferTerms(
            valid_until=payload.valid_until,
            delivery_terms=payload.delivery_terms,
            payment_terms=payload.payment_terms,
            notes=payload.notes,
        ),
        send=payload.send,
    )
    return OfferOut.of(offer)
