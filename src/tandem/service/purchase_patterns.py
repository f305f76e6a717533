"""A generated order history that buys the way trade customers do, for the demo shop and the
offline evaluation of the recommendations (``bench/recommendations_eval.py``).

How it is made (deterministic for a seed):
- **Trades.** Every customer belongs to one of a few trades (electricians, joiners, builders…
  — just numbers here). A trade favours a handful of *core* categories (weights 8, 6, 5, 4…)
  and buys a little of everything else (weight 0.3 each).
- **Popularity.** Within a category a few products sell most (Zipf, exponent 1.1, in an
  order drawn once per category), as in any catalog.
- **A customer's own assortment, replenished.** Each starts with 5–12 products of their
  trade's mix, each with its own rhythm: every order, every second, third or fourth (±10 %).
  An order holds the products that are due (each with probability 0.85, at most 6), and 1–3
  products new to the order drawn from the trade's mix; a new one joins the customer's
  assortment, with a rhythm of its own, with probability 0.4.
- **Complements.** Every product has a companion in its trade's next core category (the bits
  for a drill, the plugs for a cable); it joins the order with probability 0.35.
- **Rhythm and quantities.** A customer orders every 10–40 days (their own cadence, ±30 %),
  each product in its customer's usual quantity (1–20, ±50 %).
"""

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

ZIPF = 1.1
CORE_WEIGHTS = (8.0, 6.0, 5.0, 4.0, 3.0, 2.0)
OTHER_WEIGHT = 0.3
REPLENISH = 0.85
MAX_REPEAT_LINES = 6
ADOPT = 0.4
COMPLEMENT = 0.35


@dataclass(frozen=True, slots=True)
class Basket:
    owner: Hashable
    day: date
    items: tuple[tuple[int, int], ...]  # (product id, quantity)


class _Trade:
    def __init__(self, rng: random.Random, categories: Sequence[Sequence[int]]) -> None:
        count = len(categories)
        self.core = rng.sample(range(count), k=min(len(CORE_WEIGHTS), count))
        weights = [OTHER_WEIGHT] * count
        for index, weight in zip(self.core, CORE_WEIGHTS, strict=False):
            weights[index] = weight
        self.cumulative = list(accumulate(weights))
        # the companion category of each core category: the next core one
        self.partner = {c: self.core[(i + 1) % len(self.core)] for i, c in enumerate(self.core)}


def purchase_history(
    categories: Sequence[Sequence[int]],
    owners: Sequence[Hashable],
    *,
    start: date,
    days: int,
    seed: int = 7,
    trades: int = 6,
    trade_of: Mapping[Hashable, int] | None = None,
) -> list[Basket]:
    """Orders of ``owners`` from ``start`` for ``days`` over ``categories`` (lists of product
    ids), oldest first (see the module for how they buy)."""
    rng = random.Random(seed)
    categories = [list(products) for products in categories if products]
    popularity = []
    for products in categories:
        order = products[:]
        rng.shuffle(order)
        weights = [1.0 / (rank + 1) ** ZIPF for rank in range(len(order))]
        popularity.append((order, list(accumulate(weights))))
    mixes = [_Trade(rng, categories) for _ in range(trades)]
    category_of = {product: index for index, products in enumerate(categories) for product in products}

    def draw(trade: _Trade) -> int:
        category = rng.choices(range(len(categories)), cum_weights=trade.cumulative)[0]
        products, cumulative = popularity[category]
        return rng.choices(products, cum_weights=cumulative)[0]

    def companion(trade: _Trade, product: int) -> int | None:
        partner = trade.partner.get(category_of[product])
        if partner is None:
            return None
        products = popularity[partner][0]
        return products[(product * 7919) % min(len(products), 12)]  # among the partner's best sellers

    baskets = []
    for owner in owners:
        trade = mixes[(trade_of or {}).get(owner, rng.randrange(trades)) % trades]
        cadence = rng.uniform(10, 40)
        usual: dict[int, int] = {}
        due: dict[int, list[float]] = {}  # product → [its period in days, the day last bought]

        for _ in range(rng.randint(5, 12)):
            _adopt(rng, due, draw(trade), cadence)
        offset = rng.uniform(0, cadence)  # days since start
        while offset < days:
            wanted = [p for p, (period, last) in due.items() if offset - last >= period * 0.9]
            wanted = [p for p in wanted if rng.random() < REPLENISH][:MAX_REPEAT_LINES]
            for _ in range(rng.randint(1, 3)):
                product = draw(trade)
                wanted.append(product)
                if rng.random() < ADOPT:
                    _adopt(rng, due, product, cadence)
            lines: dict[int, int] = {}
            for product in wanted:
                extra = companion(trade, product) if rng.random() < COMPLEMENT else None
                for item in (product, extra):
                    if item is None or item in lines:
                        continue
                    base = usual.setdefault(item, rng.choice((1, 2, 5, 10, 20)))
                    lines[item] = max(1, round(base * rng.uniform(0.5, 1.5)))
                    if item in due:
                        due[item][1] = offset
            baskets.append(Basket(owner, start + timedelta(days=int(offset)), tuple(lines.items())))
            offset += cadence * rng.uniform(0.7, 1.3)
    baskets.sort(key=lambda basket: (basket.day, str(basket.owner)))
    return baskets


def _adopt(rng: random.Random, due: dict[int, list[float]], product: int, cadence: float) -> None:
    """A product joins a customer's assortment with a rhythm of its own."""
    period = cadence * rng.choice((1, 2, 3, 4)) * rng.uniform(0.9, 1.1)
    due.setdefault(product, [period, -1e9])
