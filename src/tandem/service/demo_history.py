"""The demo's order history: 18 months of completed orders of the demo companies, the retail
customers and sixty returning guests, bought the way ``service.purchase_patterns`` describes,
so the recommendations have something to learn from. They are marked as imported from a
previous system (numbers ``H-…``, no stock moved, no invoices: they were settled there).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tandem.catalog.models import Product, Variant
from tandem.core.context import Channel
from tandem.customers.models import Company, User
from tandem.orders.models import Order, OrderLine, OrderStatus, PaymentMethod, PaymentStatus
from tandem.pricing.models import BasePrice
from tandem.service.purchase_patterns import purchase_history
from tandem.service.recommendations import recommendations_compute

DAYS = 540
GUESTS = 60
VAT = Decimal("23")
CENT = Decimal("0.01")


def _catalog(visibilities: tuple[str, ...]) -> tuple[list[list[int]], dict[int, Variant]]:
    """Product ids by category, and each product's first variant, for what a channel sells."""
    variants: dict[int, Variant] = {}
    for variant in (
        Variant.objects.filter(
            is_active=True,
            product__is_active=True,
            product__b2b_restricted=False,
            product__visibility__in=visibilities,
        )
        .order_by("product_id", "pk")
        .select_related("product")
        .only("pk", "sku", "unit", "product_id", "product__name")
    ):
        variants.setdefault(variant.product_id, variant)
    by_category: dict[int, list[int]] = {}
    for product_id, category_id in Product.objects.filter(pk__in=variants).values_list("pk", "category_id"):
        by_category.setdefault(category_id, []).append(product_id)
    return [ids for _c, ids in sorted(by_category.items())], variants


def demo_history_load(*, today: date | None = None) -> int:
    """Create the history once (nothing when one exists) and compute the recommendations;
    the number of orders made."""
    if Order.objects.filter(number__startswith="H-").exists():
        return 0
    today = today or timezone.localdate()
    start = today - timedelta(days=DAYS)
    companies = {("company", c.pk): c for c in Company.objects.filter(is_active=True).order_by("pk")[:50]}
    retail = {
        ("user", u.pk): u
        for u in User.objects.filter(is_staff=False, company_user__isnull=True, is_active=True).order_by("pk")
    }
    guests = [("guest", f"customer{n}@guest.example") for n in range(1, GUESTS + 1)]
    prices = {
        (variant_id, currency): amount
        for variant_id, currency, amount in BasePrice.objects.filter(channel=Channel.B2C).values_list(
            "variant_id", "currency", "amount"
        )
    }
    made = 0
    for owners, visibilities, seed in (
        (list(companies), ("both", "b2b"), 21),
        (list(retail) + guests, ("both", "b2c"), 22),
    ):
        categories, variants = _catalog(visibilities)
        if not owners or not categories:
            continue
        baskets = purchase_history(categories, owners, start=start, days=DAYS, seed=seed)
        with transaction.atomic():
            for basket in baskets:
                made += _order(basket, companies, retail, variants, prices, number=made + 1)
    recommendations_compute(today=today)
    return made


def _order(basket, companies, retail, variants, prices, *, number: int) -> int:
    kind, key = basket.owner
    company = companies.get(basket.owner)
    user = retail.get(basket.owner)
    currency = company.currency if company else "PLN"
    lines = []
    for product_id, quantity in basket.items:
        variant = variants[product_id]
        gross = prices.get((variant.pk, currency))
        if gross is None:
            continue
        net = (gross / (1 + VAT / 100)).quantize(CENT)
        lines.append((variant, quantity, net, gross))
    if not lines:
        return 0
    goods = sum((net * quantity for _v, quantity, net, _g in lines), Decimal("0"))
    tax = (goods * VAT / 100).quantize(CENT)
    email = key if kind == "guest" else (user.email if user else f"orders@{company.pk}.example")
    order = Order.objects.create(
        number=f"H-{basket.day:%Y}-{number:05d}",
        channel=Channel.B2B if company else Channel.B2C,
        status=OrderStatus.COMPLETED,
        user=user,
        company=company,
        email=email,
        language="pl",
        currency=currency,
        country=company.country if company else "PL",
        buyer={"name": company.name if company else (user.get_full_name() if user else email)},
        delivery_method="Courier",
        delivery_code="courier",
        payment_method=PaymentMethod.ON_ACCOUNT if company else PaymentMethod.ONLINE,
        payment_status=PaymentStatus.PAID,
        comment="Imported from the previous shop system.",
        goods_net=goods,
        total_net=goods,
        total_tax=tax,
        total_gross=goods + tax,
        tax_summary=[{"rate": str(VAT), "net": str(goods), "tax": str(tax), "gross": str(goods + tax)}],
        invoiced=True,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=variant,
            sku=variant.sku,
            name=variant.product.name,
            unit=variant.unit,
            quantity=quantity,
            unit_net=net,
            unit_gross=gross,
            tax_rate=VAT,
            line_net=net * quantity,
            price_source="list",
        )
        for variant, quantity, net, gross in lines
    )
    moment = timezone.make_aware(datetime.combine(basket.day, time(10)))
    Order.objects.filter(pk=order.pk).update(created_at=moment, placed_at=moment, updated_at=moment)
    return 1
