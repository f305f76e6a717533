"""File imports run by the worker: products, stock levels, list prices or companies from CSV,
XLSX or JSON Lines, a thousand rows at a time through the same services as the write API.

A job is queued by a request (the admin or ``POST /api/v1/imports``) and run by the worker,
so a file of 100,000 rows never holds a web request. Each row is checked with the API's item
schema; a row's problems are reported with its line and column. All or nothing by default:
every batch is checked first (nothing is written if any row is bad), then written; row by
row (``per_item``) writes the good rows and reports the bad; a dry run only checks.

CSV and XLSX columns are the API's field names; for products one row is one variant (rows
with the same ``external_id`` are one product) with ``sku``, ``variant_name``, ``price_b2c``,
``price_b2b`` and ``currency``, ``warehouse`` and ``on_hand``, and ``name_pl``, ``name_bg``…
for translations. JSON Lines carry one API item per line.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from pydantic import BaseModel, ValidationError

from tandem.catalog.models import ImportJob, ImportKind, ImportStatus
from tandem.catalog.upserts import (
    PRICE_PERMISSIONS,
    STOCK_PERMISSIONS,
    list_prices_upsert,
    products_permissions,
    products_upsert,
    stock_levels_upsert,
)
from tandem.catalog.write_schemas import ListPriceIn, ProductIn, StockLevelIn
from tandem.core.errors import DomainError, PermissionDenied
from tandem.core.tabular import TabularFileError, csv_stream, read_rows, spreadsheet_text
from tandem.core.translation import translation_languages
from tandem.core.upserts import UpsertReport
from tandem.customers.company_schemas import CompanyIn
from tandem.customers.company_upserts import companies_permissions, companies_upsert
from tandem.customers.models import User

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024
BATCH = 1_000
MAX_ERRORS = 1_000  # kept on the job; the count covers them all
# The rights a file asks of the user who imports it: the write API's own rule for its items.
REQUIRED: dict[str, Callable[[list[dict[str, Any]]], list[str]]] = {
    ImportKind.PRODUCTS: products_permissions,
    ImportKind.STOCK: lambda items: STOCK_PERMISSIONS,
    ImportKind.PRICES: lambda items: PRICE_PERMISSIONS,
    ImportKind.COMPANIES: companies_permissions,
}
SCHEMAS: dict[str, type[BaseModel]] = {
    ImportKind.PRODUCTS: ProductIn,
    ImportKind.STOCK: StockLevelIn,
    ImportKind.PRICES: ListPriceIn,
    ImportKind.COMPANIES: CompanyIn,
}
SERVICES: dict[str, Callable[..., UpsertReport]] = {
    ImportKind.PRODUCTS: products_upsert,
    ImportKind.STOCK: stock_levels_upsert,
    ImportKind.PRICES: list_prices_upsert,
    ImportKind.COMPANIES: companies_upsert,
}
VARIANT_COLUMNS = {
    "sku": "sku",
    "gtin": "gtin",
    "variant_name": "name",
    "unit": "unit",
    "pack_size": "pack_size",
    "weight_kg": "weight_kg",
    "tax_class": "tax_class",
    "min_quantity": "min_quantity",
    "max_quantity": "max_quantity",
    "quantity_step": "quantity_step",
    "cost_price": "cost_price",
}
PRODUCT_COLUMNS = (
    "name",
    "slug",
    "description",
    "brand",
    "category",
    "visibility",
    "b2b_restricted",
    "allow_backorder",
    "is_active",
)


class ImportFileError(DomainError):
    code = "import_file_invalid"


def imports_visible_to(user: User) -> QuerySet[ImportJob]:
    """The imports a user may follow, on every surface (the admin, the API): all of them for
    staff who may see imports, their own for other staff, none for anyone else."""
    if not (user.is_active and user.is_staff):
        return ImportJob.objects.none()
    if user.has_perm("catalog.view_importjob"):
        return ImportJob.objects.all()
    return ImportJob.objects.filter(created_by=user)


def import_allowed(user: User, kind: str) -> None:
    """Whether ``user`` may import ``kind`` (the rights the write API asks for it)."""
    if not (user.is_active and user.is_staff):
        raise PermissionDenied(_("You may not import this kind of data."))
    if kind not in REQUIRED:
        raise ImportFileError(_("Choose what the file holds."), field="kind")
    if not user.has_perms(REQUIRED[kind]([])):
        raise PermissionDenied(_("You may not import this kind of data."))


def import_job_create(
    *, user: User, kind: str, file_name: str, content: bytes, dry_run: bool = False, per_item: bool = False
) -> ImportJob:
    """Queue an import of ``content`` for the worker (after this transaction commits)."""
    import_allowed(user, kind)
    if not content:
        raise ImportFileError(_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 50 MB; split it."), field="file")
    job = ImportJob(kind=kind, file_name=file_name[:255], dry_run=dry_run, per_item=per_item, created_by=user)
    job.file.save(file_name, ContentFile(content), save=False)
    job.save()
    transaction.on_commit(lambda: import_job_run.enqueue(job_id=job.pk), robust=True)
    return job


@task()
def import_job_run(*, job_id: int) -> str:
    """Run a queued import (the worker)."""
    if not ImportJob.objects.filter(pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).update(
        status=ImportStatus.RUNNING
    ):
        return "not queued"  # run already (a stalled run is queued again and starts over)
    job = ImportJob.objects.get(pk=job_id)
    try:
        _run(job)
    except (TabularFileError, ImportFileError, UnicodeDecodeError, json.JSONDecodeError) as error:
        _finish(job, ImportStatus.FAILED, message=str(getattr(error, "message", error)))
    except Exception:
        logger.exception("import %s failed", job.pk)
        _finish(
            job,
            ImportStatus.FAILED,
            message=_("The import stopped on an error of ours; nothing more was written."),
        )
    return job.status


def _finish(job: ImportJob, status: str, *, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.errors = job.errors[:MAX_ERRORS]
    job.save()


def _run(job: ImportJob) -> None:
    job.rows_done = job.created_count = job.updated_count = job.unchanged_count = job.failed_count = 0
    job.errors = []  # a run queued again after its worker died starts over
    with job.file.open("rb") as stored:
        content = stored.read()
    rows = _rows(job.kind, job.file_name, content)  # [(lines, raw item)]
    job.rows_total = sum(len(lines) for lines, _item in rows)
    job.save(update_fields=["rows_total", "status"])
    items, errors = [], []
    schema = SCHEMAS[job.kind]
    for lines, raw in rows:
        try:
            items.append((lines, schema(**raw).model_dump(exclude_unset=True)))
        except ValidationError as invalid:
            for problem in invalid.errors():
                errors.append(
                    {
                        "row": lines[0],
                        "column": _column(job.kind, problem.get("loc", ())),
                        "code": problem.get("type", "invalid"),
                        "message": problem.get("msg", ""),
                    }
                )
    needed = REQUIRED[job.kind]([item for _lines, item in items])
    missing = [name for name in needed if job.created_by is None or not job.created_by.has_perm(name)]
    if missing:  # prices or stock in a products file, terms in a companies file
        _finish(
            job,
            ImportStatus.FAILED,
            message=_("Your account lacks these rights for this file: %(rights)s.")
            % {"rights": ", ".join(missing)},
        )
        return
    job.failed_count = len({error["row"] for error in errors})
    job.errors = errors[:MAX_ERRORS]
    batches = [items[start : start + BATCH] for start in range(0, len(items), BATCH)]
    if not job.per_item or job.dry_run:  # check every batch before writing any
        for batch in batches:
            _batch(job, batch, dry_run=True)
        if job.errors or job.dry_run:
            if not job.dry_run:
                job.message = _("Some rows are not valid: nothing was written.")
            job.rows_done = job.rows_total
            _finish(job, ImportStatus.FAILED if job.errors else ImportStatus.DONE, message=job.message)
            return
        job.created_count = job.updated_count = job.unchanged_count = 0
    for batch in batches:
        _batch(job, batch, dry_run=False)
        job.rows_done = min(job.rows_total, job.rows_done + sum(len(lines) for lines, _item in batch))
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=job.rows_done,
            created_count=job.created_count,
            updated_count=job.updated_count,
            unchanged_count=job.unchanged_count,
        )
    job.rows_done = job.rows_total
    _finish(job, ImportStatus.DONE)


def _batch(job: ImportJob, batch: list[tuple[list[int], dict]], *, dry_run: bool) -> None:
    service = SERVICES[job.kind]
    report = service(
        [item for _lines, item in batch],
        per_item=job.per_item,
        dry_run=dry_run,
        actor_id=job.created_by_id,
    )
    for result in report.items:
        lines = batch[result.index][0]
        for error in result.errors:
            path = error["field"].split(".")[2:]  # items.<index>.<path>
            row = (
                lines[int(path[1])]
                if path[:1] == ["variants"] and len(path) > 1 and path[1].isdigit()
                else lines[0]
            )
            job.errors.append(
                {
                    "row": row,
                    "column": _column(job.kind, path),
                    "code": error["code"],
                    "message": error["message"],
                }
            )
    job.failed_count += report.count("error")
    if not dry_run or job.dry_run:
        job.created_count += report.count("created")
        job.updated_count += report.count("updated")
        job.unchanged_count += report.count("unchanged")


def _column(kind: str, path) -> str:
    """The file's column for an item's field path (a JSON Lines file: the path itself)."""
    parts = [str(part) for part in path]
    if kind == ImportKind.PRODUCTS and parts[:1] == ["variants"]:
        name = parts[2] if len(parts) > 2 else "sku"
        if name == "prices":
            return "price"
        if name == "stock":
            return "on_hand"
        return {value: key for key, value in VARIANT_COLUMNS.items()}.get(name, name)
    if parts[:1] == ["translations"] and len(parts) > 2:
        return f"{parts[2]}_{parts[1]}"
    return parts[0] if parts else ""


def _rows(kind: str, file_name: str, content: bytes) -> list[tuple[list[int], dict[str, Any]]]:
    """The file's items with the lines they came from."""
    if file_name.lower().endswith((".jsonl", ".ndjson", ".json")):
        items = []
        for number, line in enumerate(content.decode("utf-8-sig").splitlines(), start=1):
            if line.strip():
                value = json.loads(line)
                if not isinstance(value, dict):
                    raise ImportFileError(_("Line %(line)s is not a JSON object.") % {"line": number})
                items.append(([number], value))
        if len(items) > MAX_ROWS:
            raise ImportFileError(_("The file has more than %(limit)s rows; split it.") % {"limit": MAX_ROWS})
        return items
    table = read_rows(file_name, content, max_rows=MAX_ROWS)
    header = [cell.strip().lower() for cell in table[0]]
    records = [
        (
            number,
            {
                name: spreadsheet_text(cell.strip())
                for name, cell in zip(header, row, strict=False)
                if name and cell.strip()
            },
        )
        for number, row in enumerate(table[1:], start=2)
    ]
    if kind != ImportKind.PRODUCTS:
        return [([number], record) for number, record in records]
    return _products(records)


def _products(records: list[tuple[int, dict[str, str]]]) -> list[tuple[list[int], dict[str, Any]]]:
    """Rows of variants grouped into products by ``external_id`` (the first row's product
    columns count)."""
    languages = translation_languages()
    products: dict[str, tuple[list[int], dict[str, Any]]] = {}
    for number, record in records:
        key = record.get("external_id", f"#row-{number}")
        lines, product = products.setdefault(key, ([], {"external_id": record.get("external_id", "")}))
        if not product.get("variants"):
            product.update({name: record[name] for name in PRODUCT_COLUMNS if name in record})
            texts = {
                language: {
                    name: record[f"{name}_{language}"]
                    for name in ("name", "description")
                    if f"{name}_{language}" in record
                }
                for language in languages
            }
            if any(texts.values()):
                product["translations"] = {language: value for language, value in texts.items() if value}
        variant: dict[str, Any] = {
            field: record[column] for column, field in VARIANT_COLUMNS.items() if column in record
        }
        prices = [
            {"currency": record.get("currency", ""), "channel": channel, "amount": record[f"price_{channel}"]}
            for channel in ("b2c", "b2b")
            if f"price_{channel}" in record
        ]
        if prices:
            variant["prices"] = prices
        if "on_hand" in record:
            variant["stock"] = [{"warehouse": record.get("warehouse", ""), "on_hand": record["on_hand"]}]
        product.setdefault("variants", []).append(variant)
        lines.append(number)
    return list(products.values())


def import_errors_download(job: ImportJob) -> StreamingHttpResponse:
    """The job's errors as a CSV file (row, column, code, message)."""
    rows = (
        [error.get("row"), error.get("column"), error.get("code"), error.get("message")]
        for error in job.errors
    )
    response = StreamingHttpResponse(
        csv_stream(["row", "column", "code", "message"], rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
