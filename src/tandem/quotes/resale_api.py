"""Offers for a reseller's own clients over the API: the reseller's users (not accountants)
see and build their company's offers; another company's offer is a 404, anyone who is not
a reseller's user a 403. The responses carry purchase prices (the caller is the reseller);
the PDF for the client does not."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.core.paging import PageQuery
from tandem.customers.api_auth import user_auth
from tandem.quotes import resale_selectors as selectors
from tandem.quotes import resale_services as services
from tandem.quotes.line_pricing import MAX_LINES
from tandem.quotes.models import ResellerOffer
from tandem.quotes.resale_views import offer_pdf_response

router = Router(tags=["reseller offers"], auth=user_auth)


class ResaleLineIn(Schema):
    sku: str = Field(..., max_length=64)
    quantity: int = Field(..., ge=1, le=1_000_000)
    markup_percent: Decimal | None = Field(
        None, ge=0, le=1000, decimal_places=2, description="this line's mark-up; empty: the offer's"
    )


class ResaleOfferIn(Schema):
    client_name: str = Field(..., max_length=200)
    client_details: str = Field("", max_length=2000, description="address, VAT ID, contact")
    language: str = Field("", max_length=8, description="en, pl, bg or ru; empty: the company's")
    markup_percent: Decimal = Field(Decimal(0), ge=0, le=1000, decimal_places=2)
    valid_until: date | None = None
    notes: str = Field("", max_length=5000)
    lines: list[ResaleLineIn] = Field(default_factory=list, max_length=MAX_LINES)

    def as_input(self) -> services.ResaleOfferInput:
        return services.ResaleOfferInput(
            client_name=self.client_name,
            client_details=self.client_details,
            language=self.language,
            markup_percent=self.markup_percent,
            valid_until=self.valid_until,
            notes=self.notes,
            lines=[
                services.ResaleLineInput(line.sku, line.quantity, line.markup_percent) for line in self.lines
            ],
        )


class ResaleLineOut(Schema):
    sku: str
    name: str
    unit: str
    quantity: int
    purchase_price: Decimal
    markup_percent: Decimal | None
    effective_markup_percent: Decimal
    sale_price: Decimal
    tax_rate: Decimal
    line_net: Decimal


class ResaleOfferOut(Schema):
    id: int
    number: str
    status: str
    client_name: str
    client_details: str
    currency: str
    language: str
    markup_percent: Decimal
    valid_until: date | None
    notes: str
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    tax_summary: list[dict]
    created_at: datetime
    finalized_at: datetime | None
    lines: list[ResaleLineOut]

    @staticmethod
    def of(offer: ResellerOffer) -> "ResaleOfferOut":
        return ResaleOfferOut(
            id=offer.pk,
            number=offer.number,
            status=offer.status,
            client_name=offer.client_name,
            client_details=offer.client_details,
            currency=offer.currency,
            language=offer.language,
            markup_percent=offer.markup_percent,
            valid_until=offer.valid_until,
            notes=offer.notes,
            total_net=offer.total_net,
            total_tax=offer.total_tax,
            total_gross=offer.total_gross,
            tax_summary=offer.tax_summary,
            created_at=offer.created_at,
            finalized_at=offer.finalized_at,
            lines=[
                ResaleLineOut(
                    sku=line.sku,
                    name=line.name,
                    unit=line.unit,
                    quantity=line.quantity,
                    purchase_price=line.purchase_price,
                    markup_percent=line.markup_percent,
                    effective_markup_percent=selectors.effective_markup(line, offer),
                    sale_price=line.sale_price,
                    tax_rate=line.tax_rate,
                    line_net=line.line_net,
                )
                for line in offer.lines.all()
            ],
        )


@router.get("/resale-offers", response=list[ResaleOfferOut])
def resale_offers(request: HttpRequest, page: Query[PageQuery]):
    """The caller's reseller company's offers to its own clients, newest first."""
    found = selectors.resale_offers_of(request.user).prefetch_related("lines")
    if page.status:
        found = found.filter(status=page.status)
    return [ResaleOfferOut.of(offer) for offer in found[page.offset : page.offset + page.limit]]


@router.post("/resale-offers", response={201: ResaleOfferOut})
def resale_offer_create(request: HttpRequest, payload: ResaleOfferIn):
    """A draft offer: each line at the company's own net price for its quantity plus the
    line's mark-up (or the overall one). Bad lines are all named (``400 lines_invalid``)."""
    offer = services.resale_offer_create(user=request.user, details=payload.as_input())
    return Status(201, ResaleOfferOut.of(selectors.resale_offer_detail(request.user, offer.pk)))


@router.get("/resale-offers/{int:offer_id}", response=ResaleOfferOut)
def resale_offer(request: HttpRequest, offer_id: int):
    """One of the reseller's offers to its own client, with lines and totals."""
    return ResaleOfferOut.of(selectors.resale_offer_detail(request.user, offer_id))


@router.put("/resale-offers/{int:offer_id}", response=ResaleOfferOut)
def resale_offer_update(request: HttpRequest, offer_id: int, payload: ResaleOfferIn):
    """Rewrite a draft (purchase prices read again); a final offer is ``400 offer_final``."""
    services.resale_offer_update(user=request.user, offer_id=offer_id, details=payload.as_input())
    return ResaleOfferOut.of(selectors.resale_offer_detail(request.user, offer_id))


@router.delete("/resale-offers/{int:offer_id}", response={204: None})
def resale_offer_delete(request: HttpRequest, offer_id: int):
    """Delete a draft offer to the reseller's client (finalised ones stay)."""
    services.resale_offer_delete(user=request.user, offer_id=offer_id)
    return Status(204, None)


@router.post("/resale-offers/{int:offer_id}/finalize", response=ResaleOfferOut)
def resale_offer_finalize(request: HttpRequest, offer_id: int):
    """Number the draft (OF/<year>/00001, per company) and fix it."""
    services.resale_offer_finalize(user=request.user, offer_id=offer_id)
    return ResaleOfferOut.of(selectors.resale_offer_detail(request.user, offer_id))


@router.get("/resale-offers/{int:offer_id}.pdf", response={200: None})
def resale_offer_pdf(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The PDF for the client: the company as the issuer, sale prices only."""
    return offer_pdf_response(selectors.resale_offer_detail(request.user, offer_id))
