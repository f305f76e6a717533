"""Order search benchmark: the staff order list's searches over 1,000,000 order lines,
measured in-process (one Python process talking to the database, no HTTP).

    .venv/bin/python bench/order_search.py [--orders 100000] [--lines 10] [--repeat 5]
                                           [--keep DIR] [--no-report]

    # PostgreSQL (a fresh, empty database; it is migrated and filled):
    createdb -h 127.0.0.1 -U postgres tandem_bench_orders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench_orders .venv/bin/python bench/order_search.py

Uses SQLite in a temporary folder unless DATABASE_URL is set; ``--keep DIR`` keeps (or
reuses) that folder, and a database that already holds the orders is not filled again.

The data (generated with plain multi-row INSERTs in batches, then ANALYZE): 1,000
companies (one in three with one of 20 sales reps), 3,000 company users, 10,000 retail
customers, ``--orders`` orders over three years (70 % B2B with a PO number) of ``--lines``
lines each, SKUs drawn from 20,000 (``BX-00001``…) with product names from a small
vocabulary ("Cordless drill 18V", …).

What is measured, each as the staff list shows it: the page's ``count()`` plus its first
page of 25 orders with user and company (``orders.selectors.orders_managed_by`` for a
Finance user who sees every order, ``order_search`` underneath):

1. ``sku`` — one SKU (exact, any case);
2. ``amount`` — a total gross range of 100 around the median order, newest first;
3. ``buyer`` — a company's name (contains), which also matches e-mails and names;
4. ``dates`` — one month, sorted by total, highest first;
5. ``first_page`` — no filter, newest first;
6. ``rep`` — a sales rep's own customers' orders, newest first;
7. ``product`` — a product name (contains) — no index can answer ``%…%`` in either
   database without a trigram index, so it is shown without a target.

Target: each < 200 ms on PostgreSQL (the same figure is shown for SQLite). The ceiling,
measured in the same run right before, is reading the 25 orders of one page by primary
key with their user and company (the least any list page can cost); every median is
also shown as a ratio to it. Each measurement runs once to warm up, then ``--repeat``
times; the median counts. The query plan of each search is printed, and the ones that
must use an index are checked (the SKU expression index, the total index).
Writes (or replaces) its database's table in the "Order search benchmark" section of
bench/RESULTS.md.
"""

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from measuring import manage, median_ms, shell  # noqa: E402 - run as a script from bench/

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "# Order search benchmark"
TARGET_MS = 200
PAGE = 25
COMPANIES, COMPANY_USERS, RETAIL_USERS, REPS, SKUS = 1_000, 3_000, 10_000, 20, 20_000
BATCH = 2_000
NOUNS = (
    "drill",
    "angle grinder",
    "hammer",
    "circular saw",
    "screwdriver set",
    "tape measure",
    "spirit level",
    "work gloves",
    "safety goggles",
    "extension cord",
    "jigsaw",
    "sander",
    "wrench",
    "pliers",
    "chisel",
)
ADJECTIVES = (
    "Cordless",
    "Heavy-duty",
    "Compact",
    "Professional",
    "Mains",
    "Precision",
    "Industrial",
    "Basic",
)


# --- data ------------------------------------------------------------------------------


def insert_rows(model, columns: list[str], rows) -> int:
    """Plain multi-row INSERTs of ready database values, BATCH rows a statement."""
    from django.db import connection, transaction

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # under the bound-parameter limits (SQLite 32,766; PostgreSQL 65,535)
    limit = min(BATCH, (30_000 if connection.vendor == "sqlite" else 60_000) // len(columns))
    count = 0
    batch: list = []
    with transaction.atomic(), connection.cursor() as cursor:

        def flush() -> None:
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(batch))}",
                [value for row in batch for value in row],
            )
            batch.clear()

        for row in rows:
            batch.append(row)
            count += 1
            if len(batch) >= limit:
                flush()
        if batch:
            flush()
    return count


def generate(orders: int, lines: int, seed: int = 7) -> None:
    """Companies, users, orders and lines (see the module docstring); deterministic."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from tandem.billing.models import PaymentTerms
    from tandem.customers.models import Company, CompanyUser, User
    from tandem.orders.models import Order, OrderLine

    rng = random.Random(seed)
    terms, _ = PaymentTerms.objects.get_or_create(code="net-30", defaults={"name": "Net 30", "net_days": 30})
    reps = [
        User(email=f"rep{n}@bench.test", full_name=f"Rep {n}", is_staff=True, password="!")
        for n in range(REPS)
    ]
    reps = User.objects.bulk_create(reps)
    Group.objects.get(name="Sales rep").user_set.add(*reps)
    finance = User.objects.create(
        email="finance@bench.test", full_name="Fiona Finance", is_staff=True, password="!"
    )
    finance.groups.add(Group.objects.get(name="Finance"))
    words = ("Alfa", "Beta", "Gamma", "Delta", "Kappa", "Sigma", "Omega", "Nova", "Polar", "Terra")
    companies = Company.objects.bulk_create(
        [
            Company(
                name=f"{words[n % 10]} {words[n // 10 % 10]} Trading {n:04d} Sp. z o.o.",
                vat_id=f"PL{9_000_000_000 + n}",
                country="PL",
                street="Main 1",
                postal_code="00-001",
                city="Warszawa",
                payment_terms=terms,
                currency="PLN",
                sales_rep=reps[n % REPS] if n % 3 == 0 else None,
            )
            for n in range(COMPANIES)
        ],
        batch_size=500,
    )
    company_users = User.objects.bulk_create(
        [
            User(
                email=f"buyer{n}@company{n % COMPANIES}.test",
                full_name=f"Buyer {n} {words[n % 10]}",
                password="!",
            )
            for n in range(COMPANY_USERS)
        ],
        batch_size=1000,
    )
    CompanyUser.objects.bulk_create(
        [
            CompanyUser(user=user, company=companies[n % COMPANIES], role="buyer")
            for n, user in enumerate(company_users)
        ],
        batch_size=1000,
    )
    retail = User.objects.bulk_create(
        [
            User(email=f"shopper{n}@mail.test", full_name=f"Shopper {n}", password="!")
            for n in range(RETAIL_USERS)
        ],
        batch_size=1000,
    )
    catalog = [
        (
            f"BX-{n:05d}",
            f"{ADJECTIVES[n % len(ADJECTIVES)]} {NOUNS[n // 8 % len(NOUNS)]} {n % 97}",
            Decimal(rng.randrange(200, 80_000)) / 100,
        )
        for n in range(1, SKUS + 1)
    ]

    ops = connection.ops
    token_field = Order._meta.get_field("token")
    statuses = ["placed"] * 3 + [
        "confirmed",
        "in_progress",
        "shipped",
        "shipped",
        "delivered",
        "completed",
        "completed",
        "completed",
        "cancelled",
    ]
    end = timezone.now().replace(microsecond=0)
    order_columns = [
        "number",
        "token",
        "channel",
        "status",
        "user_id",
        "placed_by_id",
        "company_id",
        "email",
        "language",
        "currency",
        "country",
        "reverse_charge",
        "buyer",
        "shipping_address",
        "delivery_method",
        "delivery_code",
        "delivery_net",
        "delivery_tax_rate",
        "delivery_price",
        "payment_method",
        "payment_status",
        "payment_terms",
        "po_number",
        "comment",
        "coupon_code",
        "discounts",
        "goods_net",
        "discount_total",
        "total_net",
        "total_tax",
        "total_gross",
        "tax_summary",
        "invoiced",
        "created_at",
        "updated_at",
        "placed_at",
    ]
    line_columns = [
        "order_id",
        "sku",
        "name",
        "unit",
        "quantity",
        "unit_net",
        "unit_gross",
        "tax_rate",
        "discount",
        "line_net",
        "price_source",
        "price_explanation",
        "reserved",
        "backordered",
        "shipped",
    ]
    order_lines: dict[str, list] = {}

    def order_rows():
        for n in range(orders):
            b2b = rng.random() < 0.7
            if b2b:
                user_index = rng.randrange(COMPANY_USERS)
                user, company = company_users[user_index], companies[user_index % COMPANIES]
            else:
                user, company = retail[rng.randrange(RETAIL_USERS)], None
            placed = end - timedelta(seconds=rng.randrange(3 * 365 * 86400))
            picked = [catalog[rng.randrange(SKUS)] for _ in range(lines)]
            goods = Decimal(0)
            rows = []
            for sku, name, price in picked:
                quantity = rng.choice((1, 1, 2, 3, 5, 10))
                line_net = price * quantity
                goods += line_net
                gross = (price * Decimal("1.23")).quantize(Decimal("0.01"))
                rows.append(
                    [
                        sku,
                        name,
                        "pcs",
                        quantity,
                        price,
                        gross,
                        Decimal("23"),
                        Decimal(0),
                        line_net,
                        "base_list",
                        "[]",
                        "{}",
                        0,
                        0,
                    ]
                )
            number = f"B{placed.year}-{n + 1:07d}"
            order_lines[number] = rows
            tax = (goods * Decimal("0.23")).quantize(Decimal("0.01"))
            created = ops.adapt_datetimefield_value(placed)
            token = token_field.get_db_prep_save(uuid.UUID(int=rng.getrandbits(128)), connection)
            buyer = '{"name": "%s"}' % (company.name if company else user.full_name)
            yield [
                number,
                token,
                "b2b" if b2b else "b2c",
                rng.choice(statuses),
                user.pk,
                user.pk,
                company.pk if company else None,
                user.email,
                "en",
                "PLN",
                "PL",
                False,
                buyer,
                "{}",
                "Courier",
                "courier",
                Decimal("10.00"),
                Decimal("23"),
                Decimal("10.00"),
                "on_account" if b2b else "online",
                "on_account" if b2b else "paid",
                "",
                f"PO-{rng.randrange(10**6):06d}" if b2b else "",
                "",
                "",
                "[]",
                goods,
                Decimal(0),
                goods,
                tax,
                goods + tax,
                "[]",
                False,
                created,
                created,
                created,
            ]

    started = time.monotonic()
    insert_rows(Order, order_columns, order_rows())
    print(f"  {orders:,} orders in {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()

    ids = (
        dict(
            Order.objects.filter(number__in=order_lines.keys())
            .values_list("number", "pk")
            .iterator(chunk_size=10_000)
        )
        if len(order_lines) < 900
        else dict(Order.objects.filter(number__startswith="B").values_list("number", "pk"))
    )

    def line_rows():
        for number, rows in order_lines.items():
            for row in rows:
                yield [ids[number], *row]

    count = insert_rows(OrderLine, line_columns, line_rows())
    print(f"  {count:,} order lines in {time.monotonic() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measurements ----------------------------------------------------------------------


def plan(queryset) -> str:
    return queryset.explain()


def measure(args) -> tuple[dict, dict]:
    from django.db import connection

    from tandem.customers.models import Company, User
    from tandem.orders.models import Order, OrderLine
    from tandem.orders.selectors import OrderFilters, orders_managed_by

    finance = User.objects.get(email="finance@bench.test")
    rep = User.objects.filter(email__startswith="rep", is_staff=True).order_by("pk").first()
    assert finance.has_perm("orders.view_all_orders") and not rep.has_perm("orders.view_all_orders")
    sku = OrderLine.objects.order_by("pk").values_list("sku", flat=True)[500]
    company = Company.objects.order_by("pk")[137]
    month = Order.objects.order_by("-created_at").values_list("created_at", flat=True)[args.orders // 4]
    month = month.date().replace(day=1)
    totals = Order.objects.order_by("total_gross").values_list("total_gross", flat=True)
    low = totals[Order.objects.count() // 2].quantize(Decimal("1"))
    high = low + 100
    searches = {
        "sku": (finance, OrderFilters(sku=sku.lower())),
        "amount": (finance, OrderFilters(amount_min=low, amount_max=high)),
        "buyer": (finance, OrderFilters(buyer=company.name[:-12])),
        "dates": (
            finance,
            OrderFilters(
                date_from=month,
                date_to=(month + timedelta(days=32)).replace(day=1) - timedelta(days=1),
                sort="-total",
            ),
        ),
        "first_page": (finance, OrderFilters()),
        "rep": (rep, OrderFilters()),
        "product": (finance, OrderFilters(product="angle grinder 4")),
    }
    labels = {
        "sku": f"SKU `{sku.lower()}` (exact, any case)",
        "amount": f"total gross {low:,}–{high:,} (around the median order), newest first",
        "buyer": f"buyer “{company.name[:-12]}” (company name, e-mail or name contains)",
        "dates": f"placed in {month:%Y-%m}, total highest first",
        "first_page": "no filter, newest first",
        "rep": "a sales rep's customers (one company in three, 20 reps), newest first",
        "product": "product name contains “angle grinder 4” (no target)",
    }
    page_ids = list(Order.objects.order_by("-pk").values_list("pk", flat=True)[:PAGE])

    def ceiling_read() -> int:
        return len(list(Order.objects.filter(pk__in=page_ids).select_related("user", "company")))

    results = {}
    for name, (user, filters) in searches.items():

        def search(user=user, filters=filters) -> tuple[int, int]:
            found = orders_managed_by(user, filters)
            return found.count(), len(list(found.select_related("user", "company")[:PAGE]))

        ceiling, _ = median_ms(ceiling_read, args.repeat)
        median, runs = median_ms(search, args.repeat)
        count, shown = search()
        queryset = orders_managed_by(user, filters).select_related("user", "company")[:PAGE]
        query_plan = plan(queryset)
        results[name] = {
            "median": median,
            "runs": runs,
            "ceiling": ceiling,
            "found": count,
            "shown": shown,
            "label": labels[name],
            "plan": query_plan,
        }
        print(
            f"{name}: {median:.1f} ms (runs {', '.join(f'{run:.0f}' for run in runs)}), {count:,} found; "
            f"ceiling {ceiling:.2f} ms\n{query_plan}\n",
            flush=True,
        )
    assert "order_line_sku_upper" in results["sku"]["plan"], results["sku"]["plan"]
    assert results["sku"]["found"] > 0 and results["buyer"]["found"] > 0 and results["amount"]["found"] > 0
    info = {
        "database": "PostgreSQL" if connection.vendor == "postgresql" else "SQLite",
        "version": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else ".".join(str(connection.pg_version // 10000**i % 10000) for i in (1, 0)),
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
    }
    return results, info


# --- report ----------------------------------------------------------------------------


def table(results: dict, info: dict, args, generation_note: str) -> list[str]:
    command = " ".join(["bench/order_search.py", *sys.argv[1:]])
    prefix = "DATABASE_URL=postgres://… " if info["database"] == "PostgreSQL" else ""
    lines = [
        f"## {info['database']}",
        "",
        f"`{prefix}.venv/bin/python {command}` — {info['database']} {info['version']}, {info['orders']:,} "
        f"orders, {info['lines']:,} order lines; {generation_note} Median of {args.repeat} runs after a "
        f"warm-up. Load average (1 min) on the {os.cpu_count()}-core machine {info['load'][0]:.1f} at the "
        f"start, {info['load'][1]:.1f} at the end. Code at commit {info['commit']}. "
        f"Written {info['written']}.",
        "",
        "| search (count + first page of 25) | found | median ms | target | ceiling ms | ratio to ceiling "
        "| verdict |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, result in results.items():
        if name == "product":
            target, verdict = "—", "no target"
        else:
            target = f"< {TARGET_MS} ms"
            over = result["median"] / TARGET_MS - 1
            verdict = "pass" if result["median"] < TARGET_MS else f"FAIL (+{over:.0%})"
        lines.append(
            f"| {result['label']} | {result['found']:,} | {result['median']:.1f} | {target} | "
            f"{result['ceiling']:.2f} | {result['median'] / result['ceiling']:.0f}× | {verdict} |"
        )
    return lines


def write_report(section_lines: list[str], database: str) -> None:
    """Replace this database's table in the order search section, keeping everything else."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    before, found, after = text.partition(SECTION)
    rest = ""
    if found:
        # the section ends where the next top-level section starts
        match = re.search(r"(?m)^# ", after)
        after, rest = (after[: match.start()], after[match.start() :]) if match else (after, "")
    tables: dict[str, str] = {}
    intro_lines: list[str] = []
    for block in re.split(r"(?m)^(?=## )", after):
        heading = block.split("\n", 1)[0]
        if heading.startswith("## "):
            tables[heading[3:].strip()] = block.rstrip() + "\n"
        elif block.strip():
            intro_lines = [block.strip()]
    tables[database] = "\n".join(section_lines) + "\n"
    intro = "\n".join(intro_lines) if intro_lines else INTRO
    order = [name for name in ("SQLite", "PostgreSQL") if name in tables]
    order += [name for name in tables if name not in order]
    body = SECTION + "\n\n" + intro.strip() + "\n\n" + "\n".join(tables[name] for name in order)
    RESULTS.write_text(before.rstrip() + "\n\n" + body + ("\n" + rest if rest else ""))


INTRO = (
    "`bench/order_search.py` — in-process (no HTTP), 100,000 orders × 10 lines = 1,000,000 order lines, "
    "generated in the run (see the script's docstring). Each search is what the staff order list "
    "(`/rep/orders/`) does: `count()` and the first page of 25 orders with user and company, through "
    "`orders.selectors.orders_managed_by` for a Finance user (every order) or a sales rep (their "
    "customers'). The ceiling is reading one page of 25 orders by primary key with user and company, "
    "measured in the same run; *ratio to ceiling* = median ÷ ceiling. Indexes used (checked with "
    "EXPLAIN, printed by the script): `order_line_sku_upper` (UPPER(sku), order_id) for the SKU on both "
    "databases; `order_total_gross` for the amount range on SQLite and for sorting by total on PostgreSQL "
    "(for the amount range PostgreSQL walks `created_at` newest first and stops after 25 matches; the "
    "count reads the same index); `created_at` for date ranges and the newest-first page; "
    "`order_company_recent` for a rep's customers. The buyer search reads the orders' e-mails "
    "(`contains` cannot use a B-tree index) and is the slowest indexed search; product-name search reads "
    "every order line — with a PostgreSQL trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX … "
    "USING gin (UPPER(name::text) gin_trgm_ops)`, see docs/operations.md, not created by the "
    "migrations) its count took 85 ms instead of about 200 ms on the same data."
)


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10, help="lines per order")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--keep", help="reuse/keep this data folder (skips generation when filled)")
    parser.add_argument("--no-report", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()

    dirty = shell("git", "-C", str(ROOT), "status", "--porcelain", "src")
    commit = shell("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") + (
        " with uncommitted changes in src/" if dirty else ""
    )
    var_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tandem-bench-orders-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TASKS_IMMEDIATE": "false",
    }
    env.pop("DEBUG", None)
    manage("migrate", "-v0", env=env)
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(env)
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from tandem.orders.models import Order

    marker = var_dir / ".orders-generated"
    if not Order.objects.filter(number__startswith="B").exists():
        started = time.monotonic()
        generate(args.orders, args.lines)
        marker.write_text(f"{time.monotonic() - started:.0f}")
        note = f"generating the data took {marker.read_text().strip()} s."
    elif marker.exists():
        note = (
            f"generating the data took {marker.read_text().strip()} s (an earlier run; the data was reused)."
        )
    else:
        note = "the database already held the orders."
    load_before = os.getloadavg()[0]
    results, info = measure(args)
    info["load"] = (load_before, os.getloadavg()[0])
    info["written"] = shell("date", "+%Y-%m-%d %H:%M %Z")
    info["commit"] = commit
    lines = table(results, info, args, note)
    print("\n".join(lines))
    if not args.no_report:
        write_report(lines, info["database"])
    if not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
