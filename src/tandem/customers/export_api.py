"""Exports as jobs over the API (core.exports): ask for products, list prices, stock,
companies, orders or invoices as CSV, XLSX or JSON Lines, follow the job, download the file.

A key needs the scope of what it exports (``catalog:read`` for products, prices and stock,
``customers:read`` for companies, ``orders:read``, ``documents:read``), for asking and for
reading the job alike; the rows are those its user may see everywhere else. Each caller sees
only their own exports.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tandem.core.exports import export_download, export_job_create, export_kind_get, export_of
from tandem.core.models import ExportJob
from tandem.customers.api_auth import scope_require, user_auth

router = Router(tags=["exports"], auth=user_auth)

Kind = Literal["products", "prices", "stock", "companies", "orders", "invoices"]


class ExportIn(Schema):
    kind: Kind
    format: Literal["csv", "xlsx", "jsonl"] = "csv"
    updated_since: datetime | None = Field(
        None, description="only rows changed after this time (products, companies, orders, invoices)"
    )


class ExportOut(Schema):
    id: int
    kind: str
    format: str
    status: Literal["queued", "running", "done", "failed", "expired"]
    updated_since: datetime | None
    rows_total: int
    rows_done: int
    progress: int = Field(description="percent of the rows written")
    message: str
    file_url: str | None = Field(description="where to download the file once done")
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def of(job: ExportJob) -> "ExportOut":
        return ExportOut(
            id=job.pk,
            kind=job.kind,
            format=job.file_format,
            status=job.status,
            updated_since=job.updated_since,
            rows_total=job.rows_total,
            rows_done=job.rows_done,
            progress=job.progress,
            message=job.message,
            file_url=f"/api/v1/exports/{job.pk}/file" if job.status == "done" else None,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )


def _export(request: HttpRequest, export_id: int) -> ExportJob:
    job = export_of(request.user, export_id)
    scope_require(request, export_kind_get(job.kind).scope)
    return job


@router.post("/exports", response={202: ExportOut})
def export_create(request: HttpRequest, payload: ExportIn):
    """Queue an export; the worker writes the file (follow it with ``GET /exports/{id}``).
    Products, prices, stock and companies come with the columns of their imports, so an
    edited file imports back. Honours ``Idempotency-Key``."""
    scope_require(request, export_kind_get(payload.kind).scope)
    job = export_job_create(
        user=request.user, kind=payload.kind, file_format=payload.format, updated_since=payload.updated_since
    )
    return Status(202, ExportOut.of(job))


@router.get("/exports/{export_id}", response=ExportOut)
def export_detail(request: HttpRequest, export_id: int):
    """An export's status and progress (the caller's own)."""
    return ExportOut.of(_export(request, export_id))


@router.get("/exports/{export_id}/file", response={200: None})
def export_file(request: HttpRequest, export_id: int):
    """The finished file: 409 ``export_not_ready`` while it is written, 410 ``export_expired``
    once it was removed (after ``EXPORT_KEEP_DAYS``)."""
    return export_download(_export(request, export_id))
