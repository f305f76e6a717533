"""The catalog write API under an ERP's full load, against plain ``bulk_create`` of the same rows.

    .venv/bin/python bench/upsert.py [--products 100000] [--batch 1000] [--report FILE]

An ERP sends 100,000 products (one variant, one list price and one stock level each) through
``PUT /api/v1/products`` in batches of 1,000, one call after the other, to `tandem serve`
with a staff key; then the same payload again (nothing changes: every item "unchanged"); then
new stock levels for all 100,000 SKUs through ``PUT /api/v1/stock-levels``. The reference is
Django's ``bulk_create`` of the same products, variants, prices and stock rows in the same
batches (no checks, no search text, no stock ledger, no HTTP), run in the same run on a fresh
database of the same kind. Targets (issue 13): ≥ 2,000 items/s, ≤ 5× the plain time, the
stock update of 100,000 SKUs ≤ 10 s.

Uses SQLite in temporary folders unless DATABASE_URL is set; with DATABASE_URL (an empty
database), the plain reference runs in the database of that name with ``_plain`` appended
(create both first).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from measuring import wait_up  # noqa: E402 - run as a script from bench/

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SETUP = """
import django
django.setup()
from tandem.catalog.models import Category
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import User
from tandem.inventory.models import Warehouse
from tandem.pricing.models import TaxClass
Category.objects.get_or_create(slug="bench", defaults={"name": "Bench", "external_id": "BENCH"})
TaxClass.objects.get_or_create(code="standard", defaults={"name": "Standard"})
Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main", "country": "PL"})
import secrets
user = User.objects.filter(email="erp@bench.test").first()
user = user or User.objects.create_superuser("erp@bench.test", secrets.token_urlsafe(20))
print(api_token_create(user=user, name="bench", scopes=["catalog:write", "prices:write", "stock:write"])[1])
"""

PLAIN = """
import django, sys, time
django.setup()
from decimal import Decimal
from django.db import transaction
from tandem.catalog.models import Category, Product, Variant
from tandem.inventory.models import StockItem, Warehouse
from tandem.pricing.models import BasePrice, TaxClass
total, batch = int(sys.argv[1]), int(sys.argv[2])
category = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0]
tax = TaxClass.objects.get_or_create(code="standard", defaults={"name": "Standard"})[0]
warehouse = Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main", "country": "PL"})[0]
started = time.perf_counter()
for start in range(0, total, batch):
    numbers = range(start, min(start + batch, total))
    with transaction.atomic():
        products = Product.objects.bulk_create([
            Product(external_id=f"ERP-{n}", name=f"Copper cable {n}", slug=f"copper-cable-{n}",
                    category=category, translations={"pl": {"name": f"Kabel miedziany {n}"}})
            for n in numbers])
        variants = Variant.objects.bulk_create([
            Variant(product=p, sku=f"CAB-{n}", tax_class=tax, unit="m") for p, n in zip(products, numbers)])
        BasePrice.objects.bulk_create([
            BasePrice(variant=v, currency="PLN", channel="b2c", amount=Decimal("12.30")) for v in variants])
        StockItem.objects.bulk_create([
            StockItem(variant=v, warehouse=warehouse, on_hand=40) for v in variants])
print(time.perf_counter() - started)
"""


def item(number: int) -> dict:
    return {
        "external_id": f"ERP-{number}",
        "name": f"Copper cable {number}",
        "category": "BENCH",
        "translations": {"pl": {"name": f"Kabel miedziany {number}"}},
        "variants": [
            {
                "sku": f"CAB-{number}",
                "tax_class": "standard",
                "unit": "m",
                "prices": [{"currency": "PLN", "channel": "b2c", "amount": "12.30"}],
                "stock": [{"warehouse": "MAIN", "on_hand": 40}],
            }
        ],
    }


def put(base: str, key: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - loopback
        return json.loads(response.read())


def send_all(base: str, key: str, path: str, batches: list[list[dict]]) -> tuple[float, dict]:
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    for batch in batches:
        for result in put(base, key, path, {"items": batch})["items"]:
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    return time.perf_counter() - started, statuses


def environment(var_dir: Path, database_url: str | None) -> dict:
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT / "src"),
        "STAFF_TWO_FACTOR": "optional",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(code: str, env: dict, *args: str) -> str:
    output = subprocess.run([PYTHON, "-c", code, *args], env=env, capture_output=True, text=True, check=True)
    return output.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--report", help="write the Markdown table here too")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    work = Path(tempfile.mkdtemp(prefix="tandem-upsert-"))
    env = environment(work / "api", database_url)
    plain_env = environment(work / "plain", f"{database_url}_plain" if database_url else None)
    for each in (env, plain_env):
        subprocess.run([PYTHON, "-m", "tandem.cli", "manage", "migrate", "-v0"], env=each, check=True)
    key = run(SETUP, env)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "tandem.cli", "serve", "--port", str(args.port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    numbers = range(args.products)
    batches = [[item(n) for n in numbers[i : i + args.batch]] for i in range(0, args.products, args.batch)]
    stock = [
        [{"sku": f"CAB-{n}", "warehouse": "MAIN", "on_hand": 30 + n % 7} for n in numbers[i : i + args.batch]]
        for i in range(0, args.products, args.batch)
    ]
    try:
        wait_up(f"{base}/healthz")
        plain = float(run(PLAIN, plain_env, str(args.products), str(args.batch)))
        created, first = send_all(base, key, "/products", batches)
        again, second = send_all(base, key, "/products", batches)
        stocked, third = send_all(base, key, "/stock-levels", stock)
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = "PostgreSQL" if database_url else "SQLite"
    describe = ["git", "-C", str(ROOT), "describe", "--always", "--dirty"]
    commit = subprocess.run(describe, capture_output=True, text=True)
    rate = args.products / created
    created_ok = rate >= 2000 and created <= 5 * plain
    lines = [
        f"`bench/upsert.py --products {args.products} --batch {args.batch}` on {database} — commit "
        f"{commit.stdout.strip()}, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, load average "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])} at the end; `tandem serve --workers 2`, "
        "one client sending the batches one after the other.\n",
        "| step | seconds | items/s | result | target | verdict |",
        "|---|---:|---:|---|---|---|",
        f"| create through the API | {created:.1f} | {rate:,.0f} | {first} | ≥ 2,000 items/s, "
        f"≤ 5× plain ({created / plain:.1f}×) | {'pass' if created_ok else 'FAIL'} |",
        f"| plain bulk_create, same rows | {plain:.1f} | {args.products / plain:,.0f} | — | reference | — |",
        f"| the same payload again | {again:.1f} | {args.products / again:,.0f} | {second} | "
        f"nothing changes | {'pass' if second == {'unchanged': args.products} else 'FAIL'} |",
        f"| stock levels of every SKU | {stocked:.1f} | {args.products / stocked:,.0f} | {third} | ≤ 10 s | "
        f"{'pass' if stocked <= 10 else 'FAIL'} |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        Path(args.report).write_text(text)


if __name__ == "__main__":
    main()
