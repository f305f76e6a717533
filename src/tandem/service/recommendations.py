"""Recommendations: computed from the order book by a scheduled task into tables
(``recommendations_compute``), read by pages and the API as precomputed rows only — and
always shown within the reader's own assortment, stock and prices (``_cards``).

- "bought together" (``bought_with``): on the product page, in the cart, in the order e-mail;
- "for you" (``for_you``): the home page and the B2B dashboard — the customer's picks, else
  what their customer group (or channel) buys most;
- "buy again" (``buy_again``): the B2B dashboard and account page, with the day each product
  may be needed again; the reps' worklist of customers due to reorder (``reorders_due``).

A customer is a company for B2B (its buyers share one history) and a person for retail (a
guest by their e-mail address: they teach the models, but get no stored picks).
The algorithms are in ``service.recommending``; how good they are, in
``bench/RECOMMENDATIONS.md``.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from tandem.catalog.models import Variant
from tandem.catalog.selectors import ProductCard, product_cards, visible_products
from tandem.core.context import Channel, CustomerContext
from tandem.core.money import format_money
from tandem.customers.models import Company, User
from tandem.customers.selectors import company_context_for, customer_context_for
from tandem.customers.staff_scope import companies_managed_by
from tandem.orders.models import SALES_STATUSES, Order, OrderLine, OrderStatus
from tandem.pricing import selectors as pricing
from tandem.pricing.engine import PriceResult
from tandem.pricing.selectors import price_label
from tandem.service import recommending
from tandem.service.models import BoughtTogether, Pick, PickKind, RecommendationRun, ReorderForecast

logger = logging.getLogger(__name__)

TOGETHER = 10  # products kept per product
PICKS = 24  # "for you" kept per customer
POPULAR = 40  # popular products kept per group and channel
CANDIDATES = 3  # rows read per card shown: some are out of stock or out of sight
REQUESTED = "recommendations:requested"
REQUEST_PATIENCE_SECONDS = 3600  # a request the worker never finished (it crashed) is made again
DUE_WINDOW_DAYS = 60  # a product expected longer ago than this has lapsed: no longer "due"


# --- computing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunReport:
    orders: int
    customers: int
    pairs: int
    picks: int
    forecasts: int
    seconds: float

    def line(self) -> str:
        return (
            f"recommendations from {self.orders} orders of {self.customers} customers: {self.pairs} pairs, "
            f"{self.picks} picks, {self.forecasts} forecasts in {self.seconds:.1f} s"
        )


def _owner_of(company_id: int | None, user_id: int | None, email: str) -> tuple[str, int | str]:
    if company_id:
        return ("company", company_id)
    if user_id:
        return ("user", user_id)
    return ("guest", email.lower())  # a guest who comes back with the same address is one customer


def recommendations_compute(*, today: date | None = None) -> RunReport:
    """Everything computed again from the orders of the last ``RECOMMENDATIONS_HISTORY_DAYS``
    and written in one transaction (pages read the old rows until it commits). All reading
    and computing happens before the transaction."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=settings.RECOMMENDATIONS_HISTORY_DAYS)
    lines = (
        OrderLine.objects.filter(
            order__status__in=SALES_STATUSES, order__created_at__gte=since, variant__isnull=False
        )
        .values_list(
            "order_id",
            "order__company_id",
            "order__user_id",
            "order__channel",
            "order__created_at",
            "order__email",
            "variant_id",
            "variant__product_id",
            "quantity",
        )
        .order_by("order_id")
        .iterator(chunk_size=5000)
    )
    baskets: dict[int, set[int]] = defaultdict(set)
    histories: dict[tuple[str, int | str], set[int]] = defaultdict(set)
    channel_of: dict[tuple[str, int | str], str] = {}
    purchases = []
    for order_id, company_id, user_id, channel, created_at, email, variant_id, product_id, quantity in lines:
        owner = _owner_of(company_id, user_id, email)
        baskets[order_id].add(product_id)
        histories[owner].add(product_id)
        channel_of[owner] = channel
        if owner[0] != "guest":
            day = timezone.localtime(created_at).date()
            purchases.append(recommending.Purchase(owner, product_id, day, quantity, variant_id))
    group_of = dict(
        Company.objects.filter(pk__in=[key for kind, key in histories if kind == "company"])
        .exclude(customer_group=None)
        .values_list("pk", "customer_group_id")
    )

    together = recommending.bought_together(baskets.values(), top=TOGETHER)
    neighbours = recommending.item_neighbours(histories)
    popular_rows: list[Pick] = []
    by_channel = {
        channel: recommending.popular(
            (h for o, h in histories.items() if channel_of[o] == channel), top=POPULAR
        )
        for channel in (Channel.B2B, Channel.B2C)
    }
    for channel, products in by_channel.items():
        popular_rows += _picks(products, kind=PickKind.POPULAR, channel=channel)
    by_group: dict[int, list[int]] = {}
    for group in set(group_of.values()):
        members = (h for o, h in histories.items() if o[0] == "company" and group_of.get(o[1]) == group)
        by_group[group] = recommending.popular(members, top=POPULAR)
        popular_rows += _picks(
            by_group[group], kind=PickKind.POPULAR, channel=Channel.B2B, customer_group_id=group
        )
    for_you_rows: list[Pick] = []
    for owner, history in histories.items():
        kind, key = owner
        if kind == "guest":
            continue
        fallback = by_group.get(group_of.get(key, 0)) or by_channel[channel_of[owner]]
        picks = recommending.for_you(history, neighbours, fallback=fallback, top=PICKS)
        owned = {"company_id": key} if kind == "company" else {"user_id": key}
        for_you_rows += [
            Pick(kind=PickKind.FOR_YOU, product_id=product, rank=rank, score=score, **owned)
            for rank, (product, score) in enumerate(picks)
        ]
    pair_rows = [
        BoughtTogether(
            product_id=product, other_id=t.product_id, rank=rank, score=t.score, lift=t.lift, orders=t.orders
        )
        for product, others in together.items()
        for rank, t in enumerate(others)
    ]
    forecast_rows = [
        ReorderForecast(
            **({"company_id": f.owner[1]} if f.owner[0] == "company" else {"user_id": f.owner[1]}),
            product_id=f.product_id,
            variant_id=f.variant_id,
            times=f.times,
            last_ordered_on=f.last_on,
            interval_days=f.interval_days,
            expected_on=f.expected_on,
            usual_quantity=f.usual_quantity,
        )
        for f in recommending.reorder_forecasts(purchases)
    ]
    customers = sum(1 for kind, _key in histories if kind != "guest")
    with transaction.atomic():
        for model in (BoughtTogether, Pick, ReorderForecast):
            model.objects.all().delete()
        BoughtTogether.objects.bulk_create(pair_rows, batch_size=2000)
        Pick.objects.bulk_create(popular_rows + for_you_rows, batch_size=2000)
        ReorderForecast.objects.bulk_create(forecast_rows, batch_size=2000)
        report = RunReport(
            orders=len(baskets),
            customers=customers,
            pairs=len(pair_rows),
            picks=len(for_you_rows),
            forecasts=len(forecast_rows),
            seconds=time.perf_counter() - started,
        )
        RecommendationRun.objects.create(
            orders=report.orders,
            customers=report.customers,
            pairs=report.pairs,
            picks=report.picks,
            forecasts=report.forecasts,
            seconds=report.seconds,
        )
    return report


def _picks(
    products: Sequence[int], *, kind: str, channel: str, customer_group_id: int | None = None
) -> list[Pick]:
    return [
        Pick(
            kind=kind,
            channel=channel,
            customer_group_id=customer_group_id,
            product_id=product,
            rank=rank,
            score=0,
        )
        for rank, product in enumerate(products)
    ]


@task()
def recommendations_task() -> str:
    """The worker's run of ``recommendations_compute``."""
    report = recommendations_compute()
    cache.delete(REQUESTED)
    return report.line()


def recommendations_housekeeping() -> str:
    """The scheduler's job: asks the worker for a new computation once the last one is older
    than ``RECOMMENDATIONS_INTERVAL_HOURS`` (once while one is waiting, again after an hour
    if the worker never finished it)."""
    last = RecommendationRun.objects.values_list("finished_at", flat=True).first()
    if last is not None and timezone.now() - last < timedelta(hours=settings.RECOMMENDATIONS_INTERVAL_HOURS):
        return "recommendations: up to date"
    if not cache.add(REQUESTED, True, timeout=REQUEST_PATIENCE_SECONDS):
        return "recommendations: already requested"
    recommendations_task.enqueue()
    return "recommendations: computation requested"


# --- reading --------------------------------------------------------------------------------


def _cards(context: CustomerContext, product_ids: Sequence[int], limit: int) -> list[ProductCard]:
    """The products among ``product_ids`` (in that order) this customer may see and buy:
    visible to them, priced for them, in stock or to be backordered."""
    if not product_ids:
        return []
    found = {p.pk: p for p in visible_products(context).filter(pk__in=product_ids).select_related("category")}
    cards = product_cards(context, [found[pk] for pk in product_ids if pk in found])
    return [c for c in cards if c.price is not None and (c.available > 0 or c.product.allow_backorder)][
        :limit
    ]


def bought_with(context: CustomerContext, product_ids: Iterable[int], *, limit: int = 4) -> list[ProductCard]:
    """What is bought with these products (one: the product page; several: the cart), the
    strongest first; never one of them."""
    subjects = set(product_ids)
    scores: defaultdict[int, float] = defaultdict(float)
    for other, score in BoughtTogether.objects.filter(product_id__in=subjects).values_list(
        "other_id", "score"
    ):
        if other not in subjects:
            scores[other] += score
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[: limit * CANDIDATES]
    return _cards(context, best, limit)


def _owner_filter(context: CustomerContext) -> dict | None:
    if context.is_b2b and context.company_id:
        return {"company_id": context.company_id}
    if not context.is_b2b and context.user_id:
        return {"user_id": context.user_id}
    return None


def for_you(context: CustomerContext, *, limit: int = 8) -> list[ProductCard]:
    """The customer's picks; for a customer with no history (or a guest), what their customer
    group buys most, else their channel."""
    owner = _owner_filter(context)
    ids: list[int] = []
    if owner is not None:
        ids = list(
            Pick.objects.filter(kind=PickKind.FOR_YOU, **owner)
            .order_by("rank")
            .values_list("product_id", flat=True)[: limit * CANDIDATES]
        )
    if not ids:
        popular = Pick.objects.filter(kind=PickKind.POPULAR, channel=context.channel)
        if context.is_b2b and context.customer_group_id:
            ids = list(
                popular.filter(customer_group_id=context.customer_group_id)
                .order_by("rank")
                .values_list("product_id", flat=True)[: limit * CANDIDATES]
            )
        if not ids:
            ids = list(
                popular.filter(customer_group=None)
                .order_by("rank")
                .values_list("product_id", flat=True)[: limit * CANDIDATES]
            )
    return _cards(context, ids, limit)


@dataclass(frozen=True, slots=True)
class BuyAgain:
    card: ProductCard
    price: PriceResult  # of the variant bought last (else the product's cheapest)
    sku: str | None  # the variant bought last, when it can still be ordered
    usual_quantity: int
    last_ordered_on: date
    expected_on: date | None
    due: bool  # the expected day has come


def buy_again(context: CustomerContext, *, limit: int = 8, today: date | None = None) -> list[BuyAgain]:
    """What the customer bought before, due soonest first, with the variant and quantity
    they usually take (for a one-click "add to cart")."""
    owner = _owner_filter(context)
    if owner is None:
        return []
    today = today or timezone.localdate()
    rows = list(ReorderForecast.objects.filter(**owner).order_by("-last_ordered_on")[:300])
    ranked = recommending.buy_again_order(
        (  # the row's id stands for the owner: one owner here
            recommending.Forecast(
                row.pk,
                row.product_id,
                row.variant_id,
                row.times,
                row.last_ordered_on,
                row.interval_days,
                row.expected_on,
                row.usual_quantity,
            )
            for row in rows
        ),
        today=today,
    )
    by_pk = {row.pk: row for row in rows}
    ordered = [by_pk[f.owner] for f in ranked[: limit * CANDIDATES]]
    cards = {
        card.product.pk: card for card in _cards(context, [row.product_id for row in ordered], len(ordered))
    }
    # the variant each customer bought last, when it can still be bought, at today's price
    last = [row.variant_id for row in ordered if row.product_id in cards and row.variant_id]
    variants = {
        pk: (sku, tax)
        for pk, sku, tax in Variant.objects.filter(pk__in=last, is_active=True).values_list(
            "pk", "sku", "tax_class_id"
        )
    }
    prices = pricing.prices_for_variants(context, [(pk, tax) for pk, (_sku, tax) in variants.items()])
    found = []
    for row in ordered:
        card = cards.get(row.product_id)
        if card is None:
            continue
        own = row.variant_id in variants and row.variant_id in prices
        found.append(
            BuyAgain(
                card=card,
                price=prices[row.variant_id] if own else card.price,
                sku=variants[row.variant_id][0] if own else None,
                usual_quantity=row.usual_quantity,
                last_ordered_on=row.last_ordered_on,
                expected_on=row.expected_on,
                due=row.expected_on is not None and row.expected_on <= today,
            )
        )
    return found[:limit]


@dataclass(frozen=True, slots=True)
class DueCustomer:
    company: Company
    products: int  # products past their expected day and not ordered since
    oldest_expected_on: date
    examples: list[str]  # a few product names


def reorders_due(user: User, *, today: date | None = None, limit: int = 50) -> list[DueCustomer]:
    """The rep's worklist: their customers (all for staff who see every customer) with
    products past the day they were expected to be ordered again (within the last
    ``DUE_WINDOW_DAYS``) and not ordered since — checked against today's orders, not only the
    last computation."""
    today = today or timezone.localdate()
    ordered_since = OrderLine.objects.filter(
        order__company_id=OuterRef("company_id"),
        order__status__in=[*SALES_STATUSES, OrderStatus.PENDING_APPROVAL],
        order__created_at__date__gt=OuterRef("last_ordered_on"),
        variant__product_id=OuterRef("product_id"),
    )
    rows = (
        ReorderForecast.objects.filter(
            company__in=companies_managed_by(user),
            company__is_active=True,
            expected_on__lte=today,
            expected_on__gt=today - timedelta(days=DUE_WINDOW_DAYS),
        )
        .exclude(Exists(ordered_since))
        .order_by("expected_on")
        .values_list("company_id", "expected_on", "product__name")[:2000]
    )
    grouped: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for company_id, expected_on, name in rows:
        grouped[company_id].append((expected_on, name))
    companies = Company.objects.in_bulk(list(grouped))
    due = [
        DueCustomer(
            company=companies[company_id],
            products=len(items),
            oldest_expected_on=items[0][0],
            examples=[name for _d, name in items[:3]],
        )
        for company_id, items in grouped.items()
        if company_id in companies
    ]
    return sorted(due, key=lambda d: (d.oldest_expected_on, d.company.name))[:limit]


def order_email_suggestions(order: Order) -> dict:
    """The confirmation e-mail's "often bought with what you ordered": for the order's
    customer (their assortment, prices and language), none of what they ordered."""
    if order.company_id:
        context = company_context_for(order.company, user_id=order.user_id, language=order.language)
    else:
        context = customer_context_for(order.user, language=order.language, currency=order.currency)
    products = OrderLine.objects.filter(order=order, variant__isnull=False).values_list(
        "variant__product_id", flat=True
    )
    cards = bought_with(context, list(products), limit=3)
    return {
        "suggestions": [
            {
                "name": card.product.tr("name", order.language),
                "price": f"{format_money(card.price.unit_display, card.price.currency)} "
                f"({price_label(card.price)})",
                "url": settings.SHOP_URL + card.product.get_absolute_url(),
            }
            for card in cards
        ]
    }
