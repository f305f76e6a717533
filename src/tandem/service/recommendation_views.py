"""Recommendations in pages: fragments the product page, the cart and the home page load
after they appear (``hx-trigger="load"``: the cached pages stay shared, the fragment is the
reader's own), and the "buy again" page. Rows come from ``service.recommendations``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.cart.models import CartLine
from tandem.cart.sessions import request_cart
from tandem.catalog.models import Variant
from tandem.catalog.selectors import ProductCard
from tandem.service import recommendations

BUY_AGAIN_PAGE = 60
LARGEST_ID = 2**63 - 1  # a URL's number past any primary key names no product


def _fragment(
    request: HttpRequest, title: str, cards: list[ProductCard], *, testid: str, more=None
) -> HttpResponse:
    """A titled row of priced cards (nothing at all when there are none)."""
    if not cards:
        return HttpResponse("")
    single = [card.variants[0][0] for card in cards if len(card.variants) == 1]
    skus = dict(Variant.objects.filter(pk__in=single).values_list("pk", "sku"))
    items = [(card, skus.get(card.variants[0][0]) if len(card.variants) == 1 else None) for card in cards]
    context = {
        "title": title,
        "items": items,
        "testid": testid,
        "more": more,
        "next": request.GET.get("next", ""),
    }
    return render(request, "service/_recommendations.html", context)


def together(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product page's "bought together"."""
    if product_id > LARGEST_ID:
        return HttpResponse("")
    cards = recommendations.bought_with(request.customer_context, [product_id], limit=4)
    return _fragment(request, _("Often bought together"), cards, testid="bought-together")


def cart(request: HttpRequest) -> HttpResponse:
    """The cart's suggestions: bought with what is in it."""
    current = request_cart(request)
    products = (
        list(CartLine.objects.filter(cart=current).values_list("variant__product_id", flat=True))
        if current
        else []
    )
    cards = recommendations.bought_with(request.customer_context, products, limit=4) if products else []
    return _fragment(request, _("Customers also bought"), cards, testid="cart-suggestions")


def home(request: HttpRequest) -> HttpResponse:
    """The home page's (the B2B buyer's dashboard's) "buy again" and "for you"."""
    context = request.customer_context
    again = recommendations.buy_again(context, limit=4) if request.user.is_authenticated else []
    picks = recommendations.for_you(context, limit=8)
    signed_in = request.user.is_authenticated
    return render(
        request,
        "service/_home_recommendations.html",
        {
            "again": again,
            "picks": [(card, None) for card in picks],
            "picks_title": _("Recommended for you") if signed_in else _("Popular now"),
        },
    )


@login_required
def buy_again(request: HttpRequest) -> HttpResponse:
    """Everything the customer (their company, for a company user) bought before, due
    soonest first, each with its usual quantity ready to add to the cart."""
    items = recommendations.buy_again(request.customer_context, limit=BUY_AGAIN_PAGE)
    return render(request, "service/buy_again.html", {"items": items, "today": timezone.localdate()})
