"""Quote reads with tenancy: a company's users see its quotes; a rep the quotes of their
customers (every customer's with ``quotes.manage_all_quotes``); anything else is NotFound."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import User
from tandem.customers.staff_scope import companies_managed_by
from tandem.quotes.models import Offer, OfferLine, OfferStatus, Quote
from tandem.quotes.price_floor import price_floor


def may_build_offers(user: User, quote: Quote) -> bool:
    """Staff who may change quotes, for the quote's customer: the company's rep now (the one
    who took the request keeps no rights once the customer moves on) or anyone with
    ``manage_all_quotes``."""
    if not (
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm("quotes.change_quote")
    ):
        return False
    return user.has_perm("quotes.manage_all_quotes") or quote.company.sales_rep_id == user.pk


def quotes_managed_by(user: User) -> QuerySet[Quote]:
    """The quotes a staff user works on (their customers', or all of them)."""
    if not (
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm("quotes.view_quote")
    ):
        return Quote.objects.none()
    if user.has_perm("quotes.manage_all_quotes"):
        return Quote.objects.all()
    return Quote.objects.filter(company__in=companies_managed_by(user).values("pk"))


def quotes_of_customer(user: User, context: CustomerContext) -> QuerySet[Quote]:
    """The quotes the client panel shows: the user's company's, or — for a rep acting for a
    company — that company's (if the rep works on its quotes)."""
    if context.on_behalf_of_id:
        return quotes_managed_by(user).filter(company_id=context.on_behalf_of_id)
    membership = membership_of(user) if user.is_authenticated else None
    if membership is None or not membership.is_active:
        return Quote.objects.none()
    return Quote.objects.filter(company_id=membership.company_id)


def quote_detail(quotes: QuerySet[Quote], quote_id: int) -> Quote:
    """One quote of ``quotes`` with everything its page shows; NotFound otherwise."""
    quote = (
        quotes.select_related("company__sales_rep", "requested_by", "sales_rep", "order")
        .prefetch_related("requested_lines", "attachments", "events__actor", "offers__lines")
        .filter(pk=quote_id)
        .first()
    )
    if quote is None:
        raise NotFound()
    return quote


def sent_offers(quote: Quote) -> list[Offer]:
    """The revisions the customer sees (drafts are the rep's), newest first."""
    return sorted(
        (offer for offer in quote.offers.all() if offer.status != OfferStatus.DRAFT),
        key=lambda offer: -offer.revision,
    )


def current_offer(quote: Quote) -> Offer | None:
    return next((offer for offer in sent_offers(quote) if offer.status == OfferStatus.SENT), None)


@dataclass(frozen=True, slots=True)
class LineChange:
    sku: str
    name: str
    change: str  # "added", "removed", "changed", "same"
    old_quantity: int | None
    new_quantity: int | None
    old_price: Decimal | None
    new_price: Decimal | None


def offer_diff(old: Offer | None, new: Offer) -> list[LineChange]:
    """What changed from one revision to the next, line by line (by SKU)."""
    before = {line.sku: line for line in old.lines.all()} if old is not None else {}
    after = {line.sku: line for line in new.lines.all()}
    changes = []
    for sku, line in after.items():
        was = before.get(sku)
        if was is None:
            changes.append(LineChange(sku, line.name, "added", None, line.quantity, None, line.unit_price))
        else:
            same = (was.quantity, was.unit_price) == (line.quantity, line.unit_price)
            changes.append(
                LineChange(
                    sku,
                    line.name,
                    "same" if same else "changed",
                    was.quantity,
                    line.quantity,
                    was.unit_price,
                    line.unit_price,
                )
            )
    changes += [
        LineChange(sku, line.name, "removed", line.quantity, None, line.unit_price, None)
        for sku, line in before.items()
        if sku not in after
    ]
    return changes


def revision_history(quote: Quote) -> list[tuple[Offer, list[LineChange]]]:
    """The sent revisions, newest first, each with what changed from the one before."""
    offers = sent_offers(quote)
    return [
        (offer, offer_diff(offers[index + 1] if index + 1 < len(offers) else None, offer))
        for index, offer in enumerate(offers)
    ]


@dataclass(frozen=True, slots=True)
class BuilderRow:
    """An offer line as the rep sees it: the customer's own price, the purchase price and
    margin (staff only), and the floor below which a manager must approve."""

    line: OfferLine
    cost_price: Decimal | None
    margin_percent: Decimal | None
    floor: Decimal | None

    @property
    def below_floor(self) -> bool:
        return self.floor is not None and self.line.unit_price < self.floor


def builder_rows(offer: Offer) -> list[BuilderRow]:

    rows = []
    for line in offer.lines.select_related("variant"):
        cost = (
            line.variant.cost_price
            if line.variant and offer.quote.currency == settings.SHOP_CURRENCY
            else None
        )
        margin = (
            ((line.unit_price - cost) * 100 / line.unit_price).quantize(Decimal("0.1"))
            if cost is not None and line.unit_price
            else None
        )
        rows.append(
            BuilderRow(
                line=line,
                cost_price=cost,
                margin_percent=margin,
                floor=price_floor(line, cost_price=cost, currency=offer.quote.currency),
            )
        )
    return rows
