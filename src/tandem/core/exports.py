"""Exports as background jobs: products, list prices, stock, companies, orders and invoices
written by the worker to a CSV, XLSX or JSON Lines file that the user who asked downloads
when it is ready (the admin, ``POST /api/v1/exports``).

Each app registers what it can export in its ``ready()`` (``export_kind``): who may export
it, the API scope a key needs, and the rows a given user may see there, the same rows as on
every other surface (a sales rep: their own customers' orders). This module knows no app, as
with housekeeping. An export of products, list prices, stock or companies has exactly the
columns of the import of that kind, so a file exported, edited and imported again changes
only what was edited. A file belongs to the user who asked for it and is removed after
``EXPORT_KEEP_DAYS``.
"""

import csv
import json
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from tandem.core.audit import audit_export
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.models import ExportFormat, ExportJob, ExportStatus
from tandem.core.tabular import printable, spreadsheet_cell

logger = logging.getLogger(__name__)

XLSX_MAX_ROWS = 1_000_000  # a worksheet holds 1,048,576 rows
PROGRESS_EVERY = 5_000
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.JSONL: "application/x-ndjson",
}


@dataclass(frozen=True, slots=True)
class ExportSource:
    """What one export writes: the header, how many rows (for the progress bar), the rows
    as values in the header's order; and, for JSON Lines, the objects when they are not the
    rows keyed by the header (products: one object per product with its variants)."""

    header: list[str]
    count: int
    rows: Iterable[list[Any]]
    items: Iterable[dict[str, Any]] | None = None
    item_count: int | None = None  # how many items, when not one per row


def values_source(header: list[str], values: QuerySet) -> ExportSource:
    """An export of a ``values_list`` query whose columns are the header's."""
    return ExportSource(
        header=header, count=values.count(), rows=(list(row) for row in values.iterator(chunk_size=5000))
    )


@dataclass(frozen=True, slots=True)
class ExportKind:
    code: str
    label: str | Promise
    scope: str  # what an API key needs to export it
    allowed: Callable[[Any], bool]  # may this user export it at all
    source: Callable[[Any, datetime | None], ExportSource]  # the rows this user may see
    since: bool = False  # takes updated_since
    order: int = 50  # where it comes in the lists of kinds


_kinds: dict[str, ExportKind] = {}


def export_kind(kind: ExportKind) -> None:
    """Register an export (again under the same code replaces it)."""
    _kinds[kind.code] = kind


def export_kinds_for(user) -> list[ExportKind]:
    """The exports ``user`` may ask for, in registration order."""
    kinds = sorted(_kinds.values(), key=lambda kind: (kind.order, kind.code))
    return [kind for kind in kinds if user.is_active and kind.allowed(user)]


class ExportInvalid(DomainError):
    code = "export_invalid"


class ExportNotReady(DomainError):
    code = "export_not_ready"
    status = 409


class ExportGone(DomainError):
    code = "export_expired"
    status = 410
    default_message = gettext_lazy("This export's file was removed after its days were up; export again.")


def export_kind_get(code: str) -> ExportKind:
    if code not in _kinds:
        raise ExportInvalid(_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(_kinds)}, field="kind")
    return _kinds[code]


def exports_visible_to(user) -> QuerySet[ExportJob]:
    """A user's own exports (a file holds what its user may see: nobody else's to read)."""
    if not (user.is_authenticated and user.is_active):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(created_by=user)


def export_check(*, user, kind: str, file_format: str, updated_since: datetime | None) -> ExportKind:
    """The export asked for, if ``user`` may have it as asked (the admin's form checks first)."""
    exporter = export_kind_get(kind)
    if not (user.is_active and exporter.allowed(user)):
        raise PermissionDenied(_("You may not export this kind of data."))
    if file_format not in ExportFormat.values:
        raise ExportInvalid(_("Choose CSV, XLSX or JSON Lines."), field="format")
    if updated_since is not None and not exporter.since:
        raise ExportInvalid(
            _("This export has no change dates: leave “changed since” out."), field="updated_since"
        )
    return exporter


def export_job_create(
    *, user, kind: str, file_format: str = ExportFormat.CSV, updated_since: datetime | None = None
) -> ExportJob:
    """Queue an export for the worker (after this transaction commits)."""
    export_check(user=user, kind=kind, file_format=file_format, updated_since=updated_since)
    job = ExportJob.objects.create(
        kind=kind, file_format=file_format, updated_since=updated_since, created_by=user
    )
    transaction.on_commit(lambda: export_job_run.enqueue(job_id=job.pk), robust=True)
    return job


@task()
def export_job_run(*, job_id: int) -> str:
    """Write a queued export (the worker)."""
    if not ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.RUNNING
    ):
        return "not queued"  # run already (a stalled run is queued again and starts over)
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        _run(job)
    except DomainError as error:
        _finish(job, ExportStatus.FAILED, message=str(error.message))
    except Exception:
        logger.exception("export %s failed", job.pk)
        _finish(job, ExportStatus.FAILED, message=_("The export stopped on an error of ours; try again."))
    return job.status


def _finish(job: ExportJob, status: str, *, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    fields = {"status": status, "message": message, "finished_at": job.finished_at}
    if job.file:
        fields.update(file=job.file.name, rows_total=job.rows_total, rows_done=job.rows_done)
    if not ExportJob.objects.filter(pk=job.pk).update(**fields) and job.file:
        job.file.delete(save=False)  # deleted while it was written: no row, no file


def _run(job: ExportJob) -> None:
    exporter = export_kind_get(job.kind)
    user = job.created_by
    if not (user.is_active and exporter.allowed(user)):  # rights taken away since it was asked
        raise PermissionDenied(_("You may not export this kind of data."))
    source = exporter.source(user, job.updated_since)
    if job.file_format == ExportFormat.XLSX and source.count > XLSX_MAX_ROWS:
        raise ExportInvalid(_("More rows than a workbook holds: choose CSV or JSON Lines."))
    jsonl_items = job.file_format == ExportFormat.JSONL and source.item_count is not None
    job.rows_total = source.item_count if jsonl_items else source.count
    job.save(update_fields=["rows_total"])

    def counted(values: Iterable[Any]) -> Iterator[Any]:
        for done, value in enumerate(values, start=1):
            if done % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=done)
            yield value

    with tempfile.TemporaryFile() as out:
        if job.file_format == ExportFormat.JSONL:
            items = source.items if source.items is not None else _keyed(source)
            for item in counted(items):
                out.write(json.dumps(item, default=_json_value, ensure_ascii=False).encode() + b"\n")
        elif job.file_format == ExportFormat.XLSX:
            _xlsx(out, exporter, source.header, counted(source.rows))
        else:
            _csv(out, source.header, counted(source.rows))
        out.seek(0)
        job.file.save(job.download_name, File(out), save=False)
    job.rows_done = job.rows_total
    audit_export(
        kind=job.kind,
        actor_id=user.pk,
        rows=job.rows_total,
        format=job.file_format,
        filters=job.updated_since.isoformat() if job.updated_since else "",
    )
    _finish(job, ExportStatus.DONE)


def _keyed(source: ExportSource) -> Iterator[dict[str, Any]]:
    for row in source.rows:
        yield {name: value for name, value in zip(source.header, row, strict=True) if value not in ("", None)}


def _json_value(value: Any) -> str:
    if isinstance(value, Decimal | date | datetime):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _text(value: Any) -> str:
    """A CSV cell: booleans as true/false (what the imports read back), nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return spreadsheet_cell(value, keep_newlines=True) if isinstance(value, str) else str(value)


def _csv(out, header: list[str], rows: Iterable[list[Any]]) -> None:
    """UTF-8 with BOM (Excel opens it as UTF-8), written as it is read, in flat memory."""

    class _Bytes:
        def write(self, text: str) -> None:
            out.write(text.encode())

    writer = csv.writer(_Bytes())
    out.write("\ufeff".encode())
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(value) for value in row])


def _xlsx(out, exporter: ExportKind, header: list[str], rows: Iterable[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows go to a temporary file, not into memory
    sheet = book.create_sheet(printable(str(exporter.label))[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    book.save(out)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):  # a workbook has no time zones: the shop's local time
        return (value if timezone.is_naive(value) else timezone.localtime(value)).replace(tzinfo=None)
    return spreadsheet_cell(value, keep_newlines=True)


def export_of(user, export_id: int) -> ExportJob:
    """One of the user's exports, or NotFound (someone else's is not found either)."""
    job = exports_visible_to(user).filter(pk=export_id).first() if 0 < export_id <= 2_147_483_647 else None
    if job is None or job.kind not in _kinds or not _kinds[job.kind].allowed(user):
        raise NotFound()  # someone else's, or rights taken away since it was made
    return job


def export_download(job: ExportJob) -> FileResponse:
    """The finished file (409 while it is being written, 410 once it expired)."""
    if job.status == ExportStatus.EXPIRED:
        raise ExportGone()
    if job.status != ExportStatus.DONE or not job.file:
        raise ExportNotReady(
            _("The export is not ready yet: its status is %(status)s.") % {"status": job.status}
        )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=CONTENT_TYPES[job.file_format],
    )


def exports_expire(*, keep_days: int | None = None) -> str:
    """Remove the files of exports older than ``EXPORT_KEEP_DAYS`` (housekeeping)."""
    keep = settings.EXPORT_KEEP_DAYS if keep_days is None else keep_days
    old = ExportJob.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=keep),
        status__in=[ExportStatus.DONE, ExportStatus.FAILED],
    )
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        count += 1
    return f"{count} old export files removed"
