"""Checkout and pricing benchmark: cart pricing, a customer's full price list and order
placement for a B2B company, measured in-process on a seeded 100,000-product catalog.

    .venv/bin/python bench/checkout.py [--products 100000] [--companies 50] [--repeat 5]
                                       [--keep DIR] [--profile]

    # PostgreSQL (a fresh, empty database; it is migrated and seeded):
    createdb -h 127.0.0.1 -U postgres tandem_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench .venv/bin/python bench/checkout.py

Uses SQLite in a temporary folder unless DATABASE_URL is set. ``--keep DIR`` reuses (or
keeps) the data folder, so a second run skips the seeding (`tandem manage seed --products N
--companies 50 --no-images`: 3 to 6 minutes for 100,000 products, about 247,000 variants);
a database that already holds the products is not seeded again. ``--profile`` prints the
top functions (cProfile) of each measurement after the timed runs.

What is measured (the demo buyer of ACME, a PLN company in the "wholesale" group with a
contract price list; context from ``customer_context_for(user, language="en")``):

1. ``cart.selectors.priced_cart`` of a 1,000-line cart (1,000 distinct variants, every
   one with group price-list tiers, some with contract prices) — target < 100 ms;
2. ``catalog.price_list.customer_price_list`` consumed entirely, and the same list as CSV
   (``catalog.price_list.price_list_csv``) — target < 2 s for 100,000 variants (the seeded
   catalog has more: the target grows in proportion to the rows the list has);
3. ``checkout.services.order_place`` of a 200-line order on account to a company delivery
   address with the "courier" delivery — target < 500 ms. Every repetition places a fresh
   cart built before the clock starts; only ``order_place`` is timed.

Each measurement runs once to warm up, then ``--repeat`` times; the median counts. The
ceiling, measured in the same process right before, is a trivial baseline reading the
same rows by primary key (``list(Variant.objects.filter(pk__in=ids))`` in batches of
5,000), also a median; every result is reported as a ratio to it, next to the absolute
time against its target. Query counts are captured in separate, untimed runs and
asserted: pricing 10 and 1,000 lines takes the same number of queries; the price list a
constant number per batch of 5,000 variants; placing 10 and 200 lines the same number
apart from the stock reservation's one conditional UPDATE per line (by design) and, on
SQLite, the batches of the order lines' bulk insert.

The benchmark prepares its data in the benchmark database only: it raises ACME's credit
limit, gives the chosen variants stock (so no line is refused) and the group price-list
tiers the demo seed gives to its first 600 variants. Writes (or replaces) its database's
table in the "Checkout and pricing benchmark" section of bench/RESULTS.md.
"""

import argparse
import cProfile
import io
import itertools
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from measuring import manage, median_ms, shell, timed  # noqa: E402 - run as a script from bench/

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "# Checkout and pricing benchmark"
BUYER = "buyer@acme.example"
CART_LINES, SMALL_LINES, ORDER_LINES = 1_000, 10, 200
QUANTITIES = (1, 3, 12, 60)  # below and above the 10 and 50 tiers of the seeded price lists
TARGETS_MS = {"cart": 100, "price_list": 2_000, "price_list_csv": 2_000, "order": 500}
PK_BATCH = 5_000


def pk_reads(ids: list[int]):
    """The ceiling: the same rows read by primary key, in batches."""
    from tandem.catalog.models import Variant

    def read() -> int:
        count = 0
        for start in range(0, len(ids), PK_BATCH):
            count += len(list(Variant.objects.filter(pk__in=ids[start : start + PK_BATCH])))
        return count

    return read


def query_log(function) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return [query["sql"] for query in captured.captured_queries]


def query_count(function) -> int:
    return len(query_log(function))


def stock_updates(queries: list[str]) -> int:
    """The stock reservation's conditional UPDATEs (one per stock row taken from)."""
    return sum(1 for sql in queries if sql.startswith('UPDATE "inventory_stockitem"'))


def line_inserts(queries: list[str]) -> int:
    """INSERTs of order lines: one bulk insert, which Django splits to stay under the
    database's parameter limit (999 on SQLite: 66 lines an INSERT)."""
    return sum(1 for sql in queries if sql.startswith('INSERT INTO "orders_orderline"'))


def profile(label: str, function, lines: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(lines)
    print(f"\n--- profile: {label} (cumulative) ---\n{out.getvalue()}", flush=True)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(lines)
    print(f"--- profile: {label} (own time) ---\n{out.getvalue()}", flush=True)


# --- data ------------------------------------------------------------------------------


def prepare(context, company) -> list[int]:
    """1,000 variants the buyer can order: visible, priced in PLN, no quantity rule that
    would refuse QUANTITIES, price-list tiers (the seeded ones first) and stock."""
    from django.db import transaction

    from tandem.catalog.models import Variant
    from tandem.catalog.selectors import visible_products
    from tandem.inventory.models import StockItem, Warehouse
    from tandem.pricing.models import BasePrice, PriceList, PriceListEntry

    wholesale = PriceList.objects.get(code="wholesale-pln")
    candidates = Variant.objects.filter(
        is_active=True,
        product__in=visible_products(context),
        min_quantity=1,
        quantity_step=1,
        max_quantity__isnull=True,
        pk__in=BasePrice.objects.filter(currency=context.currency).values("variant_id"),
    )
    listed = list(
        candidates.filter(pk__in=PriceListEntry.objects.filter(price_list=wholesale).values("variant_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = listed[:CART_LINES]
    if len(ids) < CART_LINES:
        ids += list(
            candidates.exclude(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)[: CART_LINES - len(ids)]
        )
    assert len(ids) == CART_LINES, f"only {len(ids)} orderable variants"
    warehouse = Warehouse.objects.get(code="WAW")
    with transaction.atomic():
        have = set(
            PriceListEntry.objects.filter(price_list=wholesale, variant_id__in=ids).values_list(
                "variant_id", flat=True
            )
        )
        PriceListEntry.objects.bulk_create(
            [
                PriceListEntry(
                    price_list=wholesale,
                    variant_id=pk,
                    min_quantity=quantity,
                    discount_percent=Decimal(discount),
                )
                for pk in ids
                if pk not in have
                for quantity, discount in ((1, 5), (10, 8), (50, 12))
            ],
            batch_size=1000,
        )
        stocked = set(
            StockItem.objects.filter(variant_id__in=ids, warehouse=warehouse).values_list(
                "variant_id", flat=True
            )
        )
        StockItem.objects.bulk_create(
            [StockItem(variant_id=pk, warehouse=warehouse, on_hand=0) for pk in ids if pk not in stocked],
            batch_size=1000,
        )
        StockItem.objects.filter(variant_id__in=ids, warehouse=warehouse).update(on_hand=10_000_000)
        company.credit_limit = Decimal("1000000000")
        company.save(update_fields=["credit_limit"])
    # Staff edits bump the catalog version; do the same so no process keeps cached lists.
    from tandem.core.catalog_cache import catalog_cache_clear

    catalog_cache_clear()
    return ids


def make_cart(ids: list[int]):
    from tandem.cart.models import Cart, CartLine

    cart = Cart.objects.create()
    CartLine.objects.bulk_create(
        [
            CartLine(cart=cart, variant_id=pk, quantity=quantity)
            for pk, quantity in zip(ids, itertools.cycle(QUANTITIES))
        ],
        batch_size=1000,
    )
    return cart


# --- measurements ----------------------------------------------------------------------


def measure(args) -> tuple[dict, dict]:
    from django.db import connection

    from tandem.cart.selectors import priced_cart
    from tandem.catalog.models import Product, Variant
    from tandem.catalog.price_list import customer_price_list, price_list_csv
    from tandem.checkout.services import CheckoutDetails, order_place
    from tandem.customers.models import Address, AddressKind, User
    from tandem.customers.selectors import customer_context_for
    from tandem.orders.models import Order

    user = User.objects.get(email=BUYER)
    context = customer_context_for(user, language="en")
    company = user.company_user.company
    ids = prepare(context, company)
    results: dict[str, dict] = {}

    # 1. pricing a 1,000-line cart
    cart, small = make_cart(ids), make_cart(ids[:SMALL_LINES])
    priced = priced_cart(context, cart)
    assert not priced.problems, [line.problem for line in priced.problems[:5]]
    sources = {}
    for line in priced.lines:
        sources[line.price.source] = sources.get(line.price.source, 0) + 1
    assert "base_list" not in sources, sources  # every line priced from a price list
    ceiling, _ = median_ms(pk_reads(ids), args.repeat)
    median, runs = median_ms(lambda: priced_cart(context, cart), args.repeat)
    queries, small_queries = (
        query_count(lambda: priced_cart(context, cart)),
        query_count(lambda: priced_cart(context, small)),
    )
    results["cart"] = {
        "median": median,
        "runs": runs,
        "ceiling": ceiling,
        "queries": queries,
        "small_queries": small_queries,
        "lines": CART_LINES,
        "sources": sources,
    }
    print("cart", results["cart"], flush=True)
    assert queries == small_queries, (
        f"pricing {CART_LINES} lines: {queries} queries, {SMALL_LINES} lines: {small_queries}"
    )
    if args.profile:
        profile("priced_cart, 1,000 lines", lambda: priced_cart(context, cart))

    # 2. the full customer price list
    pk_of = dict(Variant.objects.values_list("sku", "pk"))
    visible_ids = [pk_of[row.sku] for row in customer_price_list(context)]
    ceiling, _ = median_ms(pk_reads(visible_ids), args.repeat)

    def consume() -> int:
        return sum(1 for _row in customer_price_list(context))

    def consume_csv() -> int:
        return sum(len(text) for text in price_list_csv(context))

    # Read in batches of at most 5,000 variants: a constant number of queries per batch.
    batches = -(-Variant.objects.filter(is_active=True).count() // 5_000) + 1  # + the last, empty read
    for name, function in (("price_list", consume), ("price_list_csv", consume_csv)):
        median, runs = median_ms(function, args.repeat)
        queries = query_count(function)
        results[name] = {
            "median": median,
            "runs": runs,
            "ceiling": ceiling,
            "queries": queries,
            "lines": len(visible_ids),
            "batches": batches,
        }
        print(name, results[name], flush=True)
        assert queries <= 3 * batches + 3, f"{queries} queries for {batches} batches"
    if args.profile:
        profile("customer_price_list", consume)
        profile("price_list_csv", consume_csv)

    # 3. placing a 200-line order on account
    address = Address.objects.filter(company=company, kind=AddressKind.DELIVERY).order_by("pk").first()
    details = CheckoutDetails(
        email=user.email,
        delivery_method="courier",
        payment_method="on_account",
        address_id=address.pk,
        po_number="BENCH",
    )
    order_ids = ids[:ORDER_LINES]
    carts = [make_cart(order_ids) for _ in range(args.repeat + 1 + (1 if args.profile else 0))]
    big_cart, small_cart, warm_cart = (
        make_cart(order_ids),
        make_cart(order_ids[:SMALL_LINES]),
        make_cart(order_ids[:SMALL_LINES]),
    )

    def place(placed_cart):
        return lambda: order_place(cart=placed_cart, context=context, details=details, acting_user=user)

    ceiling, _ = median_ms(pk_reads(order_ids), args.repeat)
    before = Order.objects.count()
    place(carts[0])()  # warm-up
    runs = [timed(place(placed_cart)) for placed_cart in carts[1 : args.repeat + 1]]
    place(warm_cart)()  # refills the per-process caches that may have expired meanwhile
    big, small = query_log(place(big_cart)), query_log(place(small_cart))
    queries, small_queries = len(big), len(small)
    # Only the stock reservation grows with the lines (a conditional UPDATE per stock row,
    # by design: checkout/services.py _reserve_stock), and on SQLite the batches of the
    # order lines' bulk insert; everything else must not.
    assert len(big) - stock_updates(big) - line_inserts(big) == (
        len(small) - stock_updates(small) - line_inserts(small)
    ), (len(big), len(small))
    if args.profile:
        profile("order_place, 200 lines", place(carts[-1]))
    placed = list(Order.objects.filter(pk__gt=0).order_by("-pk")[: len(carts) + 3])
    assert Order.objects.count() - before == len(carts) + 3
    assert sorted(order.lines.count() for order in placed) == [SMALL_LINES] * 2 + [ORDER_LINES] * (
        len(carts) + 1
    )
    results["order"] = {
        "median": statistics.median(runs),
        "runs": runs,
        "ceiling": ceiling,
        "queries": queries,
        "small_queries": small_queries,
        "lines": ORDER_LINES,
        "stock_updates": (stock_updates(big), stock_updates(small)),
        "line_inserts": (line_inserts(big), line_inserts(small)),
    }
    print("order", results["order"], flush=True)

    select_one = median_select_one(args.repeat)
    info = {
        "database": "PostgreSQL" if connection.vendor == "postgresql" else "SQLite",
        "version": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else ".".join(str(connection.pg_version // 10000**i % 10000) for i in (1, 0)),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "company": company.name,
        "select_one_us": select_one,
    }
    return results, info


def median_select_one(repeat: int, count: int = 1000) -> float:
    """Microseconds of one ``SELECT 1`` round trip (the floor under every query)."""
    from django.db import connection

    def loop() -> None:
        with connection.cursor() as cursor:
            for _ in range(count):
                cursor.execute("SELECT 1")
                cursor.fetchone()

    median, _ = median_ms(loop, repeat)
    return median * 1000 / count


# --- report ----------------------------------------------------------------------------


def per_100k(result: dict) -> str:
    return f"{result['median'] * 100_000 / result['lines']:,.0f} ms per 100,000 rows"


def table(results: dict, info: dict, args, seed_note: str) -> list[str]:
    command = " ".join(["bench/checkout.py", *sys.argv[1:]])
    if info["database"] == "PostgreSQL":
        command = f"DATABASE_URL=postgres://… .venv/bin/python {command}"
    else:
        command = f".venv/bin/python {command}"
    lines = [
        f"## {info['database']}",
        "",
        f"`{command}` — {info['database']} {info['version']}, {info['products']:,} products, "
        f"{info['variants']:,} variants, {args.companies} companies; {seed_note} "
        f"Median of {args.repeat} runs after a warm-up; one `SELECT 1` round trip: "
        f"{info['select_one_us']:.0f} µs. Load average (1 min) on the {os.cpu_count()}-core machine "
        f"{info['load'][0]:.1f} at the start, {info['load'][1]:.1f} at the end. "
        f"Code at commit {info['commit']}. Written {info['written']}.",
        "",
        "| measurement | median ms | target | ceiling ms | ratio to ceiling | queries | verdict |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    names = {
        "cart": f"price a {results['cart']['lines']:,}-line B2B cart (`priced_cart`)",
        "price_list": f"customer price list, {results['price_list']['lines']:,} rows "
        f"(`customer_price_list`); {per_100k(results['price_list'])}",
        "price_list_csv": f"the same as CSV, {results['price_list_csv']['lines']:,} rows "
        f"(`price_list_csv`); {per_100k(results['price_list_csv'])}",
        "order": f"place a {results['order']['lines']}-line order on account (`order_place`)",
    }
    for name, result in results.items():
        target = TARGETS_MS[name]
        if name.startswith("price_list"):
            # The target is for 100,000 variants; a bigger visible catalog gets a
            # proportionally bigger allowance.
            target = target * max(result["lines"], 100_000) / 100_000
        verdict = "pass" if result["median"] < target else f"FAIL (+{result['median'] / target - 1:.0%})"
        queries = str(result["queries"])
        if "batches" in result:
            queries += f" ({result['batches']} batches of 5,000)"
        if "small_queries" in result:
            queries += f" ({result['small_queries']} for {SMALL_LINES} lines"
            if "stock_updates" in result:
                big, small = result["stock_updates"]
                queries += f"; of them {big} and {small} stock UPDATEs, one per line"
                big, small = result["line_inserts"]
                if big != small:
                    queries += f", and {big} and {small} order-line INSERT batches"
            queries += ")"
        lines.append(
            f"| {names[name]} | {result['median']:.0f} | < {target:,.0f} ms | {result['ceiling']:.1f} | "
            f"{result['median'] / result['ceiling']:.1f}× | {queries} | "
            f"{verdict} |"
        )
    return lines


def write_report(section_lines: list[str], database: str) -> None:
    """Replace this database's table in the checkout section, keeping everything else."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    before, _, after = text.partition(SECTION)
    tables: dict[str, str] = {}
    for block in re.split(r"(?m)^(?=## )", after):
        heading = block.split("\n", 1)[0]
        if heading.startswith("## "):
            tables[heading[3:].strip()] = block.rstrip() + "\n"
    tables[database] = "\n".join(section_lines) + "\n"
    intro = [
        SECTION,
        "",
        "`bench/checkout.py` — in-process, one Python process talking to the database directly "
        "(no HTTP). The buyer is the demo buyer of ACME (B2B, PLN, the wholesale group's price "
        "list with volume tiers plus ACME's contract prices). The cart has 1,000 distinct variants "
        "at quantities 1, 3, 12 and 60 (so tiers from 1, 10 and 50 apply), every one with group "
        "price-list tiers; the order is the first 200 of them, on account, delivered by courier "
        "to a company delivery address (stock reservation, credit check, order, lines, event). "
        "The price list is every variant ACME may buy, consumed entirely; its target is 2 s per "
        "100,000 rows.",
        "",
        "The ceiling is measured in the same process right before each measurement: reading the "
        "same variant rows by primary key (`list(Variant.objects.filter(pk__in=ids))`, batches "
        "of 5,000), median of the same number of runs. *Ratio to ceiling* = median ÷ ceiling "
        "(how many such trivial reads the operation costs). Queries are counted in separate "
        "runs; for the cart and the order the count for 10 lines is shown in brackets.",
        "",
    ]
    order = [name for name in ("SQLite", "PostgreSQL") if name in tables]
    order += [name for name in tables if name not in order]
    body = "\n".join(intro) + "\n" + "\n".join(tables[name] for name in order)
    RESULTS.write_text(before.rstrip() + "\n\n" + body)
    print(RESULTS.read_text())


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--keep", help="reuse/keep this data folder (skips seeding when seeded)")
    parser.add_argument("--profile", action="store_true", help="print cProfile top functions")
    parser.add_argument("--no-report", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()

    # The code measured: the commit, and whether src/ differed from it when the run started.
    dirty = shell("git", "-C", str(ROOT), "status", "--porcelain", "src")
    commit = shell("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") + (
        " with uncommitted changes in src/" if dirty else ""
    )
    var_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tandem-bench-checkout-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TASKS_IMMEDIATE": "false",
    }
    env.pop("DEBUG", None)  # DEBUG keeps every query in memory
    manage("migrate", "-v0", env=env)
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(env)
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from tandem.catalog.models import Product

    existing = Product.objects.count()
    marker = var_dir / ".seeded"
    if existing < args.products:
        started = time.monotonic()
        manage(
            "seed",
            "--products",
            str(args.products - existing),
            "--companies",
            str(args.companies),
            "--no-images",
            env=env,
        )
        marker.write_text(f"{time.monotonic() - started:.0f}")
        seed_note = f"seeding took {marker.read_text().strip()} s."
    elif marker.exists():
        seed_note = f"seeding took {marker.read_text().strip()} s (an earlier run; the data was reused)."
    else:
        seed_note = f"the database was already seeded ({existing:,} products)."
    from django.db import connections

    connections.close_all()  # the seed ran in another process
    load_before = os.getloadavg()[0]
    results, info = measure(args)
    info["load"] = (load_before, os.getloadavg()[0])
    info["written"] = shell("date", "+%Y-%m-%d %H:%M %Z")
    info["commit"] = commit
    if not args.no_report:
        write_report(table(results, info, args, seed_note), info["database"])
    if not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
