"""The recommendation algorithms, on plain data (no database: ``service.recommendations``
feeds them from the order book and stores what they answer; ``bench/recommendations_eval.py``
feeds them a generated history and measures them).

- **Bought together** (``bought_together``): for each product, the products found in the same
  orders more often than chance would put them there. Two products bought independently
  share ``orders(a) × orders(b) / orders`` orders; the score is the orders they share *beyond*
  that (the leverage, counted in orders): a pair must beat chance (lift > 1) and share at
  least ``MIN_TOGETHER`` orders, and among those the surplus decides — so two orders that
  happened to share a rare item do not outrank a pair that beats chance in fifty, and two
  best sellers that meet only as often as chance does are not "bought together" at all. (The
  lift alone favoured rare items and lost to plain popularity in ``bench/RECOMMENDATIONS.md``.)
- **For you** (``item_neighbours`` + ``for_you``): item-to-item collaborative filtering over
  customers (a company for B2B, a person for retail): two products are alike when the same
  customers buy both (cosine similarity of their buyer sets); a customer's candidates are
  the products most alike to what they bought, which they have not bought yet. Popular
  products of their customer group (or channel) fill the rest — the cold start.
- **Buy again** (``reorder_forecasts``): what a customer bought before, with the day they may
  need it next — the last purchase plus the median of their own intervals between purchases.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

MIN_TOGETHER = 2  # orders sharing two products before they count as bought together
MAX_BASKET = 40  # an order's first products that count for pairs: bulk orders say little
NEIGHBOURS = 40  # alike products kept per product

Owner = Hashable  # whose history: ("company", 12) or ("user", 7)


@dataclass(frozen=True, slots=True)
class Together:
    product_id: int
    score: float  # orders together beyond chance
    lift: float  # how many times more often than chance
    orders: int  # orders that hold both


def bought_together(baskets: Iterable[Iterable[int]], *, top: int = 10) -> dict[int, list[Together]]:
    """product → the products bought with it, best first (see the module)."""
    orders_with: Counter[int] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    total = 0
    for basket in baskets:
        items = sorted(set(basket))[:MAX_BASKET]
        if not items:
            continue
        total += 1
        orders_with.update(items)
        for i, first in enumerate(items):
            for second in items[i + 1 :]:
                pairs[first, second] += 1
    found: dict[int, list[Together]] = defaultdict(list)
    for (first, second), together in pairs.items():
        if together < MIN_TOGETHER:
            continue
        chance = orders_with[first] * orders_with[second] / total
        if together <= chance:
            continue  # no more often than chance
        score = together - chance
        lift = together / chance
        found[first].append(Together(second, score, lift, together))
        found[second].append(Together(first, score, lift, together))
    return {
        product: sorted(others, key=lambda t: (-t.score, -t.orders, t.product_id))[:top]
        for product, others in found.items()
    }


def item_neighbours(
    histories: Mapping[Owner, Iterable[int]], *, neighbours: int = NEIGHBOURS
) -> dict[int, list[tuple[int, float]]]:
    """product → the products most alike (bought by the same customers), with the cosine of
    their buyer sets, best first."""
    buyers: Counter[int] = Counter()
    both: Counter[tuple[int, int]] = Counter()
    for products in histories.values():
        items = sorted(set(products))
        buyers.update(items)
        for i, first in enumerate(items):
            for second in items[i + 1 :]:
                both[first, second] += 1
    alike: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (first, second), shared in both.items():
        similarity = shared / math.sqrt(buyers[first] * buyers[second])
        alike[first].append((second, similarity))
        alike[second].append((first, similarity))
    return {
        product: sorted(others, key=lambda o: (-o[1], o[0]))[:neighbours] for product, others in alike.items()
    }


def popular(histories: Iterable[Iterable[int]], *, top: int = 50) -> list[int]:
    """The products bought by the most customers (each customer counts once per product)."""
    buyers: Counter[int] = Counter()
    for products in histories:
        buyers.update(set(products))
    return [product for product, _n in sorted(buyers.items(), key=lambda p: (-p[1], p[0]))[:top]]


def for_you(
    history: Iterable[int],
    neighbours: Mapping[int, list[tuple[int, float]]],
    *,
    fallback: Iterable[int] = (),
    top: int = 20,
) -> list[tuple[int, float]]:
    """A customer's candidates: the products most alike to what they bought (summed over
    their history), not bought yet; then ``fallback`` (popular ones) with a score of 0."""
    bought = set(history)
    scores: defaultdict[int, float] = defaultdict(float)
    for product in bought:
        for other, similarity in neighbours.get(product, ()):
            if other not in bought:
                scores[other] += similarity
    picks = sorted(scores.items(), key=lambda p: (-p[1], p[0]))[:top]
    chosen = {product for product, _s in picks}
    for product in fallback:
        if len(picks) >= top:
            break
        if product not in bought and product not in chosen:
            picks.append((product, 0.0))
            chosen.add(product)
    return picks


@dataclass(frozen=True, slots=True)
class Purchase:
    owner: Owner
    product_id: int
    day: date
    quantity: int
    variant_id: int | None = None


@dataclass(frozen=True, slots=True)
class Forecast:
    owner: Owner
    product_id: int
    variant_id: int | None  # the one bought last
    times: int  # days it was bought on
    last_on: date
    interval_days: int | None  # the median days between purchases; None when bought once
    expected_on: date | None
    usual_quantity: int  # the median quantity


def reorder_forecasts(purchases: Iterable[Purchase]) -> list[Forecast]:
    """Per customer and product: when they bought it, how often, and when they may need it
    again (see the module). Several purchases on one day count as one."""
    days: defaultdict[tuple[Owner, int], Counter[date]] = defaultdict(Counter)
    last_variant: dict[tuple[Owner, int], tuple[date, int | None]] = {}
    for purchase in purchases:
        key = (purchase.owner, purchase.product_id)
        days[key][purchase.day] += purchase.quantity
        if key not in last_variant or last_variant[key][0] <= purchase.day:
            last_variant[key] = (purchase.day, purchase.variant_id)
    forecasts = []
    for (owner, product_id), by_day in days.items():
        dates = sorted(by_day)
        quantity = max(1, round(median(by_day.values())))
        interval = None
        expected = None
        if len(dates) > 1:
            interval = max(1, round(median((b - a).days for a, b in zip(dates, dates[1:], strict=False))))
            expected = dates[-1] + timedelta(days=interval)
        variant_id = last_variant[owner, product_id][1]
        forecasts.append(
            Forecast(owner, product_id, variant_id, len(dates), dates[-1], interval, expected, quantity)
        )
    return forecasts


def buy_again_order(forecasts: Iterable[Forecast], *, today: date) -> list[Forecast]:
    """The order to show "buy again" in: products due (or soonest due) first, those with no
    rhythm yet after them, the most often bought first among equals."""

    def key(forecast: Forecast) -> tuple:
        if forecast.expected_on is None:
            return (1, 0, -forecast.times, forecast.product_id)
        return (0, abs((forecast.expected_on - today).days), -forecast.times, forecast.product_id)

    return sorted(forecasts, key=key)
