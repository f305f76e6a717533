from decimal import Decimal

from django import template

from tandem.core.money import format_money, gross_from_net
from tandem.pricing.selectors import price_label
from tandem.storefront import chrome, slots

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """``{{ product|tr:"name" }}``: the text in the active language."""
    return obj.tr(field) if obj is not None else ""


@register.filter
def money(amount: Decimal | str | None, currency: str = "") -> str:
    """An amount as the reader's language writes it; stored JSON amounts (strings) too."""
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(str(amount)), currency)


register.simple_tag(price_label, name="price_label")


@register.simple_tag
def badge(count: object, testid: str) -> str:
    """``{% badge cart_count "cart-count" %}``: a counter next to a header link, nothing for 0."""
    return chrome.badge(count, testid)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for sort and paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def filter_toggle(context, attribute_code: str, slug: str) -> str:
    """Query string that adds or removes one attribute filter value (and resets paging)."""
    params = context["request"].GET.copy()
    values = params.getlist("f")
    token = f"{attribute_code}:{slug}"
    values = [v for v in values if v != token] if token in values else [*values, token]
    params.setlist("f", values)
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def money_gross(net: Decimal, rate: Decimal, currency: str) -> str:
    """A net amount shown gross (VAT at ``rate`` added), for retail customers."""
    return money(gross_from_net(net, rate, currency), currency)


@register.simple_tag
def slot(*name) -> str:
    """Where a price or a stock level goes in a cached page (``storefront.slots``)."""
    return slots.slot(*name)


@register.simple_tag
def if_priced(variant_id: int) -> str:
    """Starts a part of a cached page kept only when the variant has a price."""
    return slots.if_priced(variant_id)[0]


@register.simple_tag
def end_if_priced(variant_id: int) -> str:
    return slots.if_priced(variant_id)[1]


@register.simple_tag
def if_orderable(variant_id: int) -> str:
    """Starts a part kept only when the variant has a price and can be ordered now."""
    return slots.if_orderable(variant_id)[0]


@register.simple_tag
def end_if_orderable(variant_id: int) -> str:
    return slots.if_orderable(variant_id)[1]
