"""Recommendations over the API, as the caller sees them (their assortment, stock and prices):
bought together with a product or the caller's cart, picks for the caller, and what they may
buy again. Rows come from ``service.recommendations`` (computed by the worker)."""

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from tandem.cart.models import CartLine
from tandem.cart.sessions import request_cart
from tandem.catalog.schemas import PriceOut, ProductCardOut
from tandem.catalog.selectors import ProductCard
from tandem.core.errors import DomainError
from tandem.customers.api_auth import guest_auth
from tandem.pricing.engine import PriceResult
from tandem.service import recommendations

router = Router(tags=["service"])


class RecommendationQuery(Schema):
    kind: Literal["together", "cart", "for_you", "buy_again"] = Field(
        description="together: with ``product``; cart: with the caller's cart; for_you: picks for "
        "the caller (popular ones for a guest or a new customer); buy_again: what the caller bought "
        "before, due soonest first (signed in)"
    )
    product: int | None = Field(None, ge=1, description="the product's id (kind=together)")
    limit: int = Field(8, ge=1, le=24)


class RecommendedOut(ProductCardOut):
    sku: str | None = Field(None, description="buy_again: the variant bought last")
    usual_quantity: int | None = Field(None, description="buy_again: the median quantity ordered")
    last_ordered_on: date | None = None
    expected_on: date | None = Field(None, description="buy_again: when it is usually needed again")
    due: bool | None = Field(None, description="buy_again: the expected day has come")


def _out(card: ProductCard, price: PriceResult | None = None, **extra) -> RecommendedOut:
    fields = ProductCardOut.fields_of(card)
    if price is not None:  # buy again: the variant bought last
        fields.update(price=PriceOut.of(price), price_varies=False)
    return RecommendedOut(**fields, **extra)


@router.get("/recommendations", response=list[RecommendedOut], auth=guest_auth)
def recommendation_list(request: HttpRequest, params: Query[RecommendationQuery]):
    """Recommended products for the caller — never one they may not see or buy. 400
    ``product_required`` for kind=together without ``product``, 401 for kind=buy_again as a
    guest."""
    context = request.customer_context
    if params.kind == "together":
        if params.product is None:
            raise DomainError(
                _("Give the product (its id) to recommend what goes with it."), code="product_required"
            )
        return [
            _out(card) for card in recommendations.bought_with(context, [params.product], limit=params.limit)
        ]
    if params.kind == "cart":
        cart = request_cart(request)
        products = (
            list(CartLine.objects.filter(cart=cart).values_list("variant__product_id", flat=True))
            if cart
            else []
        )
        cards = recommendations.bought_with(context, products, limit=params.limit) if products else []
        return [_out(card) for card in cards]
    if params.kind == "for_you":
        return [_out(card) for card in recommendations.for_you(context, limit=params.limit)]
    if not request.user.is_authenticated:
        raise AuthenticationError()
    return [
        _out(
            item.card,
            item.price,
            sku=item.sku,
            usual_quantity=item.usual_quantity,
            last_ordered_on=item.last_ordered_on,
            expected_on=item.expected_on,
            due=item.due,
        )
        for item in recommendations.buy_again(context, limit=params.limit)
    ]
