"""The catalog write API for an ERP, PIM or WMS: products with their variants, list prices and
stock, upserted by the sender's own keys, up to 1,000 items a call (docs/integrations.md).

A field that is not sent stays as it is (``null`` clears only the fields that may be empty);
each item gets its own result. Merchant staff with the catalog's rights, through a key with
``catalog:write`` (``prices:write`` / ``stock:write`` for prices and stock, inline or alone).
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.catalog import import_jobs
from tandem.catalog.import_jobs import import_errors_download, import_job_create
from tandem.catalog.models import ImportJob, Product
from tandem.catalog.upserts import (
    MAX_IMAGE_BYTES,
    PRICE_PERMISSIONS,
    STOCK_PERMISSIONS,
    attributes_upsert,
    categories_upsert,
    list_prices_upsert,
    price_list_entries_upsert,
    price_lists_upsert,
    product_image_add,
    product_image_remove,
    products_permissions,
    products_upsert,
    stock_levels_upsert,
)
from tandem.catalog.write_schemas import (
    AttributesIn,
    CategoriesIn,
    EntriesIn,
    ListPricesIn,
    PriceListsIn,
    ProductsIn,
    StockLevelsIn,
)
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.openapi import FILE, multipart_body
from tandem.core.sync import ChangesQuery, changes_page
from tandem.core.upserts import UpsertOut, upsert_answer
from tandem.customers.api_auth import scope_require, user_auth

router = Router(tags=["catalog write"], auth=user_auth)


def _staff(request: HttpRequest, *permissions: str) -> None:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perms(permissions)):
        raise PermissionDenied(_("Only merchant staff with the catalog's rights may write it."))


@router.put("/products", response={200: UpsertOut})
def products_put(request: HttpRequest, payload: ProductsIn):
    """Create or change products by ``external_id`` with their variants (by SKU), list prices
    and stock. Only the fields sent change; the same payload twice changes nothing. All or
    nothing (422 ``batch_invalid`` listing each bad item's index and field) unless ``mode`` is
    ``per_item``."""
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    permissions = products_permissions(items)
    if set(PRICE_PERMISSIONS) <= set(permissions):
        scope_require(request, "prices:write")
    if set(STOCK_PERMISSIONS) <= set(permissions):
        scope_require(request, "stock:write")
    _staff(request, *permissions)
    return upsert_answer(
        products_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/attributes", response={200: UpsertOut})
def attributes_put(request: HttpRequest, payload: AttributesIn):
    """Create or change attributes (specifications, filters) by ``code`` with their values by
    ``slug``; products name them as ``"code:slug"`` in ``options``."""
    _staff(
        request,
        "catalog.add_attribute",
        "catalog.change_attribute",
        "catalog.add_attributeoption",
        "catalog.change_attributeoption",
    )
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    return upsert_answer(
        attributes_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/categories", response={200: UpsertOut})
def categories_put(request: HttpRequest, payload: CategoriesIn):
    """Create or change categories by ``external_id``, in the order sent (a parent first,
    then its children may name it). Only the fields sent change."""
    _staff(request, "catalog.add_category", "catalog.change_category")
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    return upsert_answer(
        categories_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/price-lists", response={200: UpsertOut})
def price_lists_put(request: HttpRequest, payload: PriceListsIn):
    """Create or change price lists by ``code`` and who they are for (customer groups by
    code, companies by the ERP's customer number; each set replaced when sent)."""
    _staff(request, "pricing.add_pricelist", "pricing.change_pricelist")
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    return upsert_answer(
        price_lists_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/price-lists/{code}/entries", response={200: UpsertOut})
def price_list_entries_put(request: HttpRequest, code: str, payload: EntriesIn):
    """Set a list's entries per SKU and from-quantity: a net ``price`` or a
    ``discount_percent``, or ``remove``; entries not sent stay."""
    _staff(
        request,
        "pricing.add_pricelistentry",
        "pricing.change_pricelistentry",
        "pricing.delete_pricelistentry",
    )
    items = [item.model_dump() for item in payload.items]
    report = price_list_entries_upsert(
        code[:40], items, per_item=payload.mode == "per_item", actor_id=request.user.pk
    )
    return upsert_answer(report)


@router.put("/stock-levels", response={200: UpsertOut})
def stock_levels_put(request: HttpRequest, payload: StockLevelsIn):
    """Set on hand per SKU and warehouse code, as counted by the warehouse system; each
    difference is booked as a stock count. Refused below the units reserved for orders."""
    _staff(request, *STOCK_PERMISSIONS)
    items = [item.model_dump() for item in payload.items]
    return upsert_answer(
        stock_levels_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


@router.put("/list-prices", response={200: UpsertOut})
def list_prices_put(request: HttpRequest, payload: ListPricesIn):
    """Set list prices per SKU, currency and channel (gross for b2c, net for b2b)."""
    _staff(request, *PRICE_PERMISSIONS)
    items = [item.model_dump() for item in payload.items]
    return upsert_answer(
        list_prices_upsert(items, per_item=payload.mode == "per_item", actor_id=request.user.pk)
    )


class ImportOut(Schema):
    id: int
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    file_name: str
    dry_run: bool
    per_item: bool
    rows_total: int
    rows_done: int
    progress: int = Field(description="percent of the rows done")
    created: int
    updated: int
    unchanged: int
    failed: int
    message: str
    errors: list[dict] = Field(
        description="the first 1,000 problems: row (line of the file), column, code, message"
    )
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def of(job: ImportJob) -> "ImportOut":
        return ImportOut(
            id=job.pk,
            kind=job.kind,
            status=job.status,
            file_name=job.file_name,
            dry_run=job.dry_run,
            per_item=job.per_item,
            rows_total=job.rows_total,
            rows_done=job.rows_done,
            progress=job.progress,
            created=job.created_count,
            updated=job.updated_count,
            unchanged=job.unchanged_count,
            failed=job.failed_count,
            message=job.message,
            errors=job.errors,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )


IMPORT_SCOPES = {"stock": "stock:write", "prices": "prices:write", "companies": "customers:write"}
UPLOAD_BODY = multipart_body(
    {
        "kind": {"type": "string", "enum": ["products", "stock", "prices", "companies"]},
        "file": {**FILE, "description": "CSV, XLSX or JSON Lines"},
        "dry_run": {"type": "boolean"},
        "mode": {"type": "string", "enum": ["all_or_nothing", "per_item"]},
    },
    required=["kind", "file"],
)


def _import_of(request: HttpRequest, import_id: int) -> ImportJob:
    visible = import_jobs.imports_visible_to(request.user)
    job = visible.filter(pk=import_id).first() if 0 < import_id <= 2_147_483_647 else None
    if job is None:
        raise NotFound()
    return job


@router.post("/imports", response={202: ImportOut}, openapi_extra=UPLOAD_BODY)
def import_create(request: HttpRequest):
    """Queue a file import (multipart: ``kind``, ``file``, ``dry_run``, ``mode``): the worker
    reads it a thousand rows at a time through the same checks as the write API; follow it
    with ``GET /imports/{id}``. Honours ``Idempotency-Key``."""
    kind = request.POST.get("kind", "")
    if kind in IMPORT_SCOPES:
        scope_require(request, IMPORT_SCOPES[kind])
    import_jobs.import_allowed(request.user, kind)
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError(
            _("Send the file as the multipart field “file”."), code="file_required", field="file"
        )
    job = import_job_create(
        user=request.user,
        kind=kind,
        file_name=upload.name or "import.csv",
        content=upload.read(import_jobs.MAX_BYTES + 1),
        dry_run=request.POST.get("dry_run", "").lower() in ("1", "true", "yes", "on"),
        per_item=request.POST.get("mode") == "per_item",
    )
    return Status(202, ImportOut.of(job))


@router.get("/imports/{import_id}", response=ImportOut)
def import_detail(request: HttpRequest, import_id: int):
    """An import's status, progress, counts and errors (its own staff member's, or any for
    staff who may see imports)."""
    return ImportOut.of(_import_of(request, import_id))


@router.get("/imports/{import_id}/errors.csv", response={200: None})
def import_errors(request: HttpRequest, import_id: int):
    """The import's errors as CSV (row, column, code, message)."""
    return import_errors_download(_import_of(request, import_id))


class VariantRecordOut(Schema):
    id: int
    sku: str
    gtin: str
    name: str
    unit: str
    pack_size: int
    tax_class: str
    min_quantity: int
    max_quantity: int | None
    quantity_step: int
    is_active: bool
    translations: dict


class ProductRecordOut(Schema):
    id: int
    external_id: str | None
    slug: str
    name: str
    description: str
    brand: str
    category: str = Field(description="the category's external ID, else its slug")
    visibility: str
    b2b_restricted: bool
    allow_backorder: bool
    is_active: bool
    translations: dict
    variants: list[VariantRecordOut]
    images: list[dict] = Field(description="id, url, alt, sort_order")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def of(product) -> "ProductRecordOut":
        return ProductRecordOut(
            id=product.pk,
            external_id=product.external_id,
            slug=product.slug,
            name=product.name,
            description=product.description,
            brand=product.brand,
            category=product.category.external_id or product.category.slug,
            visibility=product.visibility,
            b2b_restricted=product.b2b_restricted,
            allow_backorder=product.allow_backorder,
            is_active=product.is_active,
            translations=product.translations or {},
            variants=[
                VariantRecordOut(
                    id=variant.pk,
                    sku=variant.sku,
                    gtin=variant.gtin,
                    name=variant.name,
                    unit=variant.unit,
                    pack_size=variant.pack_size,
                    tax_class=variant.tax_class.code,
                    min_quantity=variant.min_quantity,
                    max_quantity=variant.max_quantity,
                    quantity_step=variant.quantity_step,
                    is_active=variant.is_active,
                    translations=variant.translations or {},
                )
                for variant in product.variants.all()
            ],
            images=[
                {"id": image.pk, "url": image.image.url, "alt": image.alt, "sort_order": image.sort_order}
                for image in product.images.all()
            ],
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


class ProductChangesOut(Schema):
    items: list[ProductRecordOut]
    next_cursor: str | None = Field(description="pass it back for the next page; null at the end for now")


@router.get("/products/changes", response=ProductChangesOut)
def products_changes(request: HttpRequest, params: Query[ChangesQuery]):
    """Incremental sync for a PIM or ERP: every product (with its variants) created or changed
    after ``updated_since`` — in the admin, through the API or by an import — oldest change
    first; keep the last ``next_cursor``. Prices and stock have their own lookups. Merchant
    staff who may see products."""
    _staff(request, "catalog.view_product")
    products = Product.objects.select_related("category").prefetch_related("variants__tax_class", "images")
    page, next_cursor = changes_page(
        products, updated_since=params.updated_since, cursor=params.cursor, limit=params.limit
    )
    return ProductChangesOut(
        items=[ProductRecordOut.of(product) for product in page], next_cursor=next_cursor
    )


class ImageOut(Schema):
    id: int
    url: str
    alt: str
    sort_order: int


IMAGE_BODY = multipart_body(
    {
        "file": {**FILE, "description": "JPEG, PNG or WebP, ≤ 10 MB"},
        "alt": {"type": "string"},
        "sort_order": {"type": "integer"},
    },
    required=["file"],
)


@router.post("/products/{external_id}/images", response={201: ImageOut}, openapi_extra=IMAGE_BODY)
def product_image_create(request: HttpRequest, external_id: str):
    """Add a photo to a product (multipart ``file``, ``alt``, ``sort_order``): decoded in full
    and kept under a random name. Honours ``Idempotency-Key``."""
    _staff(request, "catalog.change_product")
    upload = request.FILES.get("file")
    order = request.POST.get("sort_order", "0").strip()
    image = product_image_add(
        external_id=external_id[:64],
        content=upload.read(MAX_IMAGE_BYTES + 1) if upload else b"",
        alt=request.POST.get("alt", ""),
        sort_order=int(order) if order.lstrip("-").isdigit() and len(order) < 10 else 0,
        actor_id=request.user.pk,
    )
    return Status(201, ImageOut(id=image.pk, url=image.image.url, alt=image.alt, sort_order=image.sort_order))


@router.delete("/products/{external_id}/images/{image_id}", response={204: None})
def product_image_delete(request: HttpRequest, external_id: str, image_id: int):
    """Take a photo off a product."""
    _staff(request, "catalog.change_product")
    if not 0 < image_id <= 2_147_483_647:
        raise NotFound()
    product_image_remove(external_id=external_id[:64], image_id=image_id, actor_id=request.user.pk)
    return Status(204, None)
