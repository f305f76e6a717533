"""A 100,000-row product file imported in the background (the upload returns at once, the
worker does the rest), then exported by the worker and the exported file imported again.

    .venv/bin/python bench/import_file.py [--rows 100000] [--report FILE]

In a fresh database (SQLite in a temporary folder unless DATABASE_URL is set: then an empty
database), a CSV of ``--rows`` products (one variant, a net price and a stock level each) is
posted to ``POST /api/v1/imports`` (Django's test client, a staff key; the job is queued in
the database as `tandem serve` queues it), then the worker's function runs the job all or
nothing: every row checked, then written, a thousand at a time. Reported: the upload's time,
the job's and rows a second (``bench/upsert.py`` measures the same services against plain
``bulk_create``). Then the products are exported (``POST /api/v1/exports``, the worker's
run timed) and the exported file imported again: every product must come back unchanged.
Target (issue 13): the upload answers within a second; the import of 100,000 rows
completes; the export re-imports with nothing changed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--report")
    args = parser.parse_args()
    os.environ.setdefault("TANDEM_VAR_DIR", tempfile.mkdtemp(prefix="tandem-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tandem.catalog.import_jobs import import_job_run
    from tandem.catalog.models import Category, ImportJob, Product
    from tandem.core.exports import export_job_run
    from tandem.core.models import ExportJob
    from tandem.customers.api_auth import api_token_create
    from tandem.customers.models import User
    from tandem.inventory.models import Warehouse
    from tandem.pricing.models import TaxClass

    call_command("migrate", verbosity=0)
    Category.objects.create(name="Bench", slug="bench", external_id="BENCH")
    TaxClass.objects.create(code="standard", name="Standard")
    Warehouse.objects.create(code="MAIN", name="Main", country="PL")
    staff = User.objects.create_superuser("erp@bench.test", "bench-password-1234")
    _token, key = api_token_create(
        user=staff, name="bench", scopes=["catalog:read", "catalog:write", "prices:write", "stock:write"]
    )
    lines = ["external_id,name,name_pl,category,sku,tax_class,unit,price_b2b,currency,warehouse,on_hand"]
    lines += [
        f"ERP-{n},Copper cable {n},Kabel miedziany {n},BENCH,CAB-{n},standard,m,4.10,PLN,MAIN,{n % 500}"
        for n in range(args.rows)
    ]
    content = ("\n".join(lines) + "\n").encode()
    client = Client()
    started = time.perf_counter()
    response = client.post(
        "/api/v1/imports",
        {"kind": "products", "file": SimpleUploadedFile("products.csv", content)},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    upload = time.perf_counter() - started
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    started = time.perf_counter()
    import_job_run.call(job_id=job_id)  # what the worker does with the queued job
    run = time.perf_counter() - started
    job = ImportJob.objects.get(pk=job_id)
    made = Product.objects.filter(external_id__startswith="ERP-").count()

    asked = client.post(
        "/api/v1/exports",
        {"kind": "products"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert asked.status_code == 202, asked.content
    started = time.perf_counter()
    export_job_run.call(job_id=asked.json()["id"])
    exported_in = time.perf_counter() - started
    export = ExportJob.objects.get(pk=asked.json()["id"])
    with export.file.open("rb") as stored:
        exported = stored.read()
    again = client.post(
        "/api/v1/imports",
        {"kind": "products", "file": SimpleUploadedFile("export.csv", exported)},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    started = time.perf_counter()
    import_job_run.call(job_id=again.json()["id"])
    reimported_in = time.perf_counter() - started
    back = ImportJob.objects.get(pk=again.json()["id"])
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    round_trip = back.status == "done" and back.unchanged_count == args.rows and not back.updated_count
    ok = upload < 1 and job.status == "done" and made == args.rows and export.status == "done" and round_trip
    text = (
        f"`bench/import_file.py --rows {args.rows}` on {connection.vendor} — commit {commit}, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; a {len(content) / 1e6:.1f} MB CSV.\n\n"
        "| step | seconds | rows/s | result |\n|---|---:|---:|---|\n"
        f"| upload (`POST /api/v1/imports`, answers 202) | {upload:.2f} | — | job {job_id} queued |\n"
        f"| the worker's run: every row checked, then written | {run:.1f} | {args.rows / run:,.0f} | "
        f"{job.status}: {job.created_count:,} created, {job.failed_count} failed, {made:,} products |\n"
        f"| the worker's export (`POST /api/v1/exports`, CSV) | {exported_in:.1f} | "
        f"{export.rows_total / exported_in:,.0f} | {export.status}: {len(exported) / 1e6:.1f} MB |\n"
        f"| the exported file imported again | {reimported_in:.1f} | {args.rows / reimported_in:,.0f} | "
        f"{back.status}: {back.unchanged_count:,} unchanged, {back.updated_count} updated, "
        f"{back.failed_count} failed |\n\n"
        f"Verdict (the upload under a second, every row imported, the export imports back unchanged): "
        f"{'pass' if ok else 'FAIL'}.\n"
    )
    print(text)
    if args.report:
        Path(args.report).write_text(text)


if __name__ == "__main__":
    main()
