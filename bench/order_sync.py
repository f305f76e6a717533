"""Pulling every order through the changes feed: the time of a page must not grow with how
far the ERP has read.

    .venv/bin/python bench/order_sync.py [--orders 100000] [--limit 200] [--report FILE]

Seeds ``--orders`` orders of one company (one line each, bulk inserted) in a fresh database
(SQLite in a temporary folder unless DATABASE_URL is set: then an empty database), then reads
``GET /api/v1/orders/changes`` from the first page to the last, ``--limit`` orders a page,
as a staff user through Django's test client (no HTTP server: the query and the page build
are what is measured). Reported: the median time of the first, the middle and the last ten
pages (the first after one warm-up request), and the slowest of the three as a ratio to the
fastest — the target (issue 13) is a constant time per page: a ratio ≤ 1.5. A feed that
sorts what is left after the cursor shows as first pages slower than the last.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--report")
    args = parser.parse_args()
    os.environ.setdefault("TANDEM_VAR_DIR", tempfile.mkdtemp(prefix="tandem-order-sync-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["STAFF_TWO_FACTOR"] = "optional"  # the test client signs the ERP user in directly
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from decimal import Decimal

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from tandem.customers.models import User
    from tandem.orders.models import Order, OrderLine

    call_command("migrate", verbosity=0)
    settings.SYNC_SETTLE_SECONDS = 0
    started = time.perf_counter()
    for start in range(0, args.orders, 5_000):
        with transaction.atomic():
            orders = Order.objects.bulk_create(
                [
                    Order(
                        number=f"SYNC-{n:07d}",
                        channel="b2b",
                        email="buyer@bench.test",
                        language="en",
                        currency="PLN",
                        country="PL",
                        delivery_method="Courier",
                        delivery_code="courier",
                        payment_method="on_account",
                        payment_status="on_account",
                        goods_net=Decimal("100.00"),
                        total_net=Decimal("100.00"),
                        total_tax=Decimal("23.00"),
                        total_gross=Decimal("123.00"),
                    )
                    for n in range(start, min(start + 5_000, args.orders))
                ]
            )
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order=order,
                        sku="DR-18V",
                        name="Drill",
                        unit="pcs",
                        quantity=1,
                        unit_net=Decimal("100.00"),
                        unit_gross=Decimal("123.00"),
                        tax_rate=Decimal("23"),
                        line_net=Decimal("100.00"),
                        price_source="base",
                    )
                    for order in orders
                ]
            )
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:  # what autovacuum would otherwise do during the reading
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    staff = User.objects.create_superuser("erp@bench.test", "bench-password-1234")
    client = Client()
    client.force_login(staff)
    times, cursor, taken = [], None, 0
    while True:
        query = {"limit": args.limit, **({"cursor": cursor} if cursor else {})}
        started = time.perf_counter()
        body = client.get("/api/v1/orders/changes", query).json()
        times.append((time.perf_counter() - started) * 1000)
        if not body["items"]:
            times.pop()
            break
        taken += len(body["items"])
        cursor = body["next_cursor"]
    # the first request warms the process up: the first ten pages after it
    first, last = statistics.median(times[1:11]), statistics.median(times[-10:])
    middle = statistics.median(times[len(times) // 2 - 5 : len(times) // 2 + 5])
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    ratio = max(first, middle, last) / min(first, middle, last)
    verdict = "pass" if ratio <= 1.5 and taken == args.orders else "FAIL"
    text = (
        f"`bench/order_sync.py --orders {args.orders} --limit {args.limit}` on {connection.vendor} — commit "
        f"{commit}, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; "
        f"{args.orders:,} orders seeded in {seeded:.0f} s, "
        f"read in {len(times)} pages ({taken:,} orders, {sum(times) / 1000:.1f} s).\n\n"
        "| pages | median ms a page |\n|---|---:|\n"
        f"| first 10 | {first:.1f} |\n| middle 10 | {middle:.1f} |\n| last 10 | {last:.1f} |\n\n"
        f"Slowest / fastest of the three: **{ratio:.2f}** (target ≤ 1.5: {verdict}).\n"
    )
    print(text)
    if args.report:
        Path(args.report).write_text(text)


if __name__ == "__main__":
    main()
