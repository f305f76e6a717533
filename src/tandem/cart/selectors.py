"""Cart reads: load a cart's lines with everything pricing and validation need, in a
constant number of queries whatever the number of lines."""

from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from tandem.cart.calculations import CartInputs, DeliveryOption, LineInput, PricedCart, price_cart
from tandem.cart.models import Cart, CartLine
from tandem.catalog.selectors import visible_products
from tandem.core.batches import in_batches
from tandem.core.context import CustomerContext
from tandem.inventory.selectors import available_by_variant
from tandem.pricing import selectors as pricing

# What pricing, validation and the cart page need of a line's variant and product.
LINE_FIELDS = (
    "cart_id",
    "variant_id",
    "quantity",
    "seen_unit_price",
    "seen_currency",
    "added_at",
    "agreed_unit_net",
    "agreed_in",
    "variant__sku",
    "variant__name",
    "variant__translations",
    "variant__unit",
    "variant__tax_class_id",
    "variant__min_quantity",
    "variant__max_quantity",
    "variant__quantity_step",
    "variant__is_active",
    "variant__product_id",
    "variant__product__name",
    "variant__product__slug",
    "variant__product__allow_backorder",
)


def cart_lines(cart: Cart, language: str) -> list[CartLine]:
    """The cart's lines with their variants and products; the product name comes in the
    customer's language alone (not every language's texts, descriptions included)."""
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("variant__product")
        .only(*LINE_FIELDS)
        .annotate(
            product_name_tr=KeyTextTransform("name", KeyTransform(language, "variant__product__translations"))
        )
    )
    for line in lines:
        line.product_name = line.product_name_tr or line.variant.product.name
    return lines


def line_inputs(context: CustomerContext, lines: list[CartLine]) -> list[LineInput]:
    """Visibility, stock and pricing inputs for cart lines (a constant number of queries)."""
    product_ids = sorted({line.variant.product_id for line in lines})
    visible: set[int] = set()
    for batch in in_batches(product_ids):
        visible.update(visible_products(context).filter(pk__in=batch).values_list("pk", flat=True))
    variant_ids = [line.variant_id for line in lines]
    available: dict[int, int] = {}
    for batch in in_batches(variant_ids):
        available.update(available_by_variant(batch))
    pairs = [(line.variant_id, line.variant.tax_class_id) for line in lines]
    inputs = pricing.variant_pricing(context, pairs)
    return [
        LineInput(
            line_id=line.pk,
            variant=line.variant,
            quantity=line.quantity,
            visible=line.variant.product_id in visible,
            available=available.get(line.variant_id, 0),
            pricing=inputs.get(line.variant_id),
            seen_unit_price=line.seen_unit_price,
            seen_currency=line.seen_currency,
            product_name=(
                getattr(line, "product_name", "") or line.variant.product.tr("name", context.language)
            ),
            agreed_unit_net=line.agreed_unit_net,
            agreed_in=line.agreed_in,
        )
        for line in lines
    ]


def cart_inputs(
    context: CustomerContext,
    cart: Cart,
    *,
    email: str = "",
    delivery: DeliveryOption | None = None,
    lines: list[CartLine] | None = None,
    lock_coupon: bool = False,
) -> CartInputs:
    coupon = pricing.coupon_rule(cart.coupon_code, for_update=lock_coupon) if cart.coupon_code else None
    return CartInputs(
        context=context,
        lines=line_inputs(context, cart_lines(cart, context.language) if lines is None else lines),
        now=timezone.now(),
        automatic_promotions=pricing.automatic_promotions(context),
        coupon=coupon,
        coupon_code=cart.coupon_code,
        coupon_customer_uses=pricing.coupon_uses_by(coupon.id, email, context.user_id) if coupon else 0,
        delivery=delivery,
    )


def priced_cart(
    context: CustomerContext, cart: Cart, *, email: str = "", delivery: DeliveryOption | None = None
) -> PricedCart:
    """The cart as the customer sees it now: re-priced, validated, with promotions and totals."""
    return price_cart(cart_inputs(context, cart, email=email, delivery=delivery))
