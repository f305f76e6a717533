"""Prices and stock in cached pages.

A catalog page's skeleton (texts, pictures, facets, links) is shared by everyone who sees the
same products (``catalog.caching.assortment_key``) and lives until the catalog changes. What
differs between customers or changes by itself is left as slots, filled on every request:
- **prices**, from a fragment cached per price context (``catalog.caching.prices_key``):
  the companies of a few customer groups share a few hundred skeletons, and a page new to a
  price context costs one bulk pricing of its variants, never a rendering of the page;
- **stock**, from a fragment every customer shares, kept ``STOCK_CACHE_SECONDS``: sales and
  deliveries show within that time without retiring a single page.

Templates mark a slot with ``{% slot "price" variant.pk %}`` and keep a part only for a
variant that can be ordered between ``{% if_orderable variant.pk %}`` and
``{% end_if_orderable variant.pk %}`` (``if_priced``: only a price needed). Markers are HTML
comments; catalog texts are escaped when the skeleton is rendered, so none can forge one.
"""

import hashlib
import re
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tandem.catalog.caching import cached, is_staff_viewer, prices_key, request_catalog_version
from tandem.catalog.selectors import ProductCard, price_from
from tandem.core.context import CustomerContext
from tandem.core.money import format_money
from tandem.inventory import selectors as inventory
from tandem.pricing import selectors as pricing
from tandem.pricing.selectors import price_label

MARKER = re.compile(r"<!--slot:([\w:]+)-->|<!--if:([\w:+]+)-->(.*?)<!--fi:\2-->", re.DOTALL)

Pairs = tuple[tuple[int, int], ...]  # (variant id, tax class id)
# What a skeleton's slots need, kept with it:
# ("cards", ((product id, pairs, backorder allowed), …)) or ("product", (pairs, backorder allowed)).
SlotSpec = tuple[str, tuple]


def slot(*name: object) -> SafeString:
    """``<!--slot:price:12-->``: replaced by the value of ``price:12``."""
    return format_html("<!--slot:{}-->", ":".join(map(str, name)))


def _if(condition: str) -> tuple[SafeString, SafeString]:
    return format_html("<!--if:{}-->", condition), format_html("<!--fi:{}-->", condition)


def if_priced(variant_id: int) -> tuple[SafeString, SafeString]:
    """The markers around a part kept only when the variant has a price."""
    return _if(f"priced:{int(variant_id)}")


def if_orderable(variant_id: int) -> tuple[SafeString, SafeString]:
    """… kept only when the variant has a price and stock (or may be backordered)."""
    return _if(f"priced:{int(variant_id)}+orderable:{int(variant_id)}")


def cards_spec(cards: Iterable[ProductCard]) -> SlotSpec:
    return (
        "cards",
        tuple((card.product.pk, tuple(card.variants), card.product.allow_backorder) for card in cards),
    )


def product_spec(variants: Iterable[tuple[int, int]], *, backorder: bool) -> SlotSpec:
    return ("product", (tuple(variants), backorder))


def with_spec(parts: dict, spec: SlotSpec) -> dict:
    """A skeleton's parts with what its slots need (kept in the cached skeleton)."""
    digest = hashlib.sha256(repr(spec).encode()).hexdigest()[:32]
    return {**parts, "slots": spec, "slots_digest": digest}


def filled(request: HttpRequest, parts: dict) -> dict:
    """The skeleton's parts with its slots filled for this request's customer."""
    spec = parts.get("slots")
    if spec is None:
        return parts
    context = request.customer_context
    staff = is_staff_viewer(request)
    version = request_catalog_version(request)
    digest = parts["slots_digest"]
    kind, items = spec
    price_key = f"prices:{prices_key(context, version, staff=staff)}:{version}:{digest}"
    stock_key = f"stock:{get_language()}:{digest}"
    if kind == "cards":
        prices = cached(price_key, lambda: _card_prices(context, items))
        stock = cached(stock_key, lambda: _card_stock(items), seconds=settings.STOCK_CACHE_SECONDS)
    else:
        prices = cached(price_key, lambda: _product_prices(context, items[0], staff=staff))
        stock = cached(stock_key, lambda: _product_stock(*items), seconds=settings.STOCK_CACHE_SECONDS)
    return {**parts, "body": fill(parts["body"], {**prices, **stock})}


def fill(body: str, values: dict[str, str]) -> SafeString:
    """Slots replaced by their values (nothing when absent); ``if`` parts kept only when
    all their values are set."""

    def replace(match: re.Match) -> str:
        if match.group(1) is not None:
            return values.get(match.group(1), "")
        return match.group(3) if all(values.get(name) for name in match.group(2).split("+")) else ""

    # the skeleton was rendered with autoescaping and every value is built with format_html
    return mark_safe(MARKER.sub(replace, body))  # noqa: S308


# --- product cards ------------------------------------------------------------------------


def _card_prices(context: CustomerContext, items: tuple) -> dict[str, str]:
    prices = pricing.prices_for_variants(context, [pair for _p, pairs, _b in items for pair in pairs])
    values = {}
    for product_id, pairs, _backorder in items:
        cheapest, varies = price_from([prices[v] for v, _tax in pairs if v in prices])
        if cheapest is None:
            values[f"price:{product_id}"] = format_html("<small>{}</small>", _("Price on request"))
            continue
        values[f"price:{product_id}"] = format_html(
            "{}<strong>{}</strong> <small>{}</small>",
            f"{_('from')} " if varies else "",
            format_money(cheapest.unit_display, cheapest.currency),
            price_label(cheapest),
        )
    return values


def _card_stock(items: tuple) -> dict[str, str]:
    available = inventory.available_by_variant(v for _p, pairs, _b in items for v, _tax in pairs)
    values = {}
    for product_id, pairs, backorder in items:
        if sum(available.get(v, 0) for v, _tax in pairs) > 0:
            cell = format_html('<span class="in">{}</span>', _("In stock"))
        else:
            cell = format_html('<span class="out">{}</span>', _out_of_stock(backorder))
        values[f"stock:{product_id}"] = cell
    return values


def _out_of_stock(backorder: bool) -> str:
    return _("Available to order") if backorder else _("Out of stock")


# --- the product page ---------------------------------------------------------------------


def _product_prices(context: CustomerContext, pairs: Pairs, *, staff: bool) -> dict[str, str]:
    prices, breaks = pricing.prices_and_breaks_for_variants(context, pairs)
    values = {}
    for variant_id, _tax in pairs:
        price = prices.get(variant_id)
        if price is None:
            values[f"price:{variant_id}"] = _("on request")
            continue
        values[f"priced:{variant_id}"] = "1"
        currency = price.currency
        cell = format_money(price.unit_display, currency)
        if breaks.get(variant_id):
            cell = format_html(
                '{}<br><small data-testid="price-breaks">{}</small>',
                cell,
                format_html_join(
                    " · ",
                    "{}: {}",
                    (
                        (_("from %(quantity)s") % {"quantity": n}, format_money(step.unit_display, currency))
                        for n, step in breaks[variant_id]
                    ),
                ),
            )
        values[f"price:{variant_id}"] = cell
    first = prices.get(pairs[0][0]) if pairs else None
    if first is not None:
        values["lead"] = format_html(
            '<p class="price big" data-testid="product-price"><strong>{}</strong> <small>{}</small></p>',
            format_money(first.unit_display, first.currency),
            price_label(first),
        )
        if staff:
            values["lead"] += format_html(
                '<p class="explain" data-testid="price-explanation"><small>{}: {}</small></p>',
                _("Price source"),
                " → ".join(first.explanation),
            )
    return values


def _product_stock(pairs: Pairs, backorder: bool) -> dict[str, str]:
    stock = inventory.stock_by_warehouse(variant_id for variant_id, _tax in pairs)
    values = {}
    for variant_id, _tax in pairs:
        items = stock.get(variant_id, [])
        available = max(sum(item.available for item in items), 0)
        if available > 0:
            text = ngettext("%(counter)s in stock", "%(counter)s in stock", available)
            cell = format_html('<span class="in">{}</span>', text % {"counter": available})
        else:
            cell = format_html('<span class="out">{}</span>', _out_of_stock(backorder))
        if len(items) > 1:
            cell = format_html(
                "{}<br><small>{}</small>",
                cell,
                format_html_join(", ", "{}: {}", ((item.warehouse.name, item.available) for item in items)),
            )
        values[f"stock:{variant_id}"] = cell
        if available > 0 or backorder:
            values[f"orderable:{variant_id}"] = "1"
    return values
