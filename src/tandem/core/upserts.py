"""What every batch write of the integration API answers (products, categories, prices,
stock, companies): a result per item — created, updated, unchanged or error, with each
error's item index and field — and whether the batch was written."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema

from tandem.core.problems import problem

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"


@dataclass(slots=True)
class ItemResult:
    index: int
    key: str  # what the sender keys the item by (external ID, SKU, code)
    status: str = UNCHANGED
    id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, path: str, code: str, message: str) -> None:
        self.status = ERROR
        self.errors.append(
            {"index": self.index, "field": f"items.{self.index}.{path}", "code": code, "message": message}
        )


@dataclass(slots=True)
class UpsertReport:
    items: list[ItemResult]
    written: bool = False

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [error for item in self.items for error in item.errors]

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


class ItemErrorOut(Schema):
    index: int
    field: str
    code: str
    message: str


class ItemOut(Schema):
    index: int
    key: str
    status: Literal["created", "updated", "unchanged", "error"]
    id: int | None
    errors: list[ItemErrorOut]


class UpsertOut(Schema):
    created: int
    updated: int
    unchanged: int
    failed: int
    items: list[ItemOut]


def upsert_answer(report: UpsertReport) -> JsonResponse:
    """The answer to a written batch (``UpsertOut``, serialised here: ninja's validation of
    a thousand results took a quarter of a stock batch), or a 422 ``batch_invalid`` problem
    naming every bad item's index and field (and what the others would have become) when
    nothing was."""
    body = {
        "created": report.count(CREATED),
        "updated": report.count(UPDATED),
        "unchanged": report.count(UNCHANGED),
        "failed": report.count(ERROR),
        "items": [
            {"index": r.index, "key": r.key, "status": r.status, "id": r.id, "errors": r.errors}
            for r in report.items
        ],
    }
    if report.written:
        return JsonResponse(body)
    return problem(
        422,
        code="batch_invalid",
        detail=_("%(count)s items are not valid: nothing was written.") % {"count": body["failed"]},
        errors=report.errors,
        items=body["items"],
    )


def first_of_each(
    items: list[dict[str, Any]], key: str, results: list[ItemResult]
) -> Iterator[tuple[dict, ItemResult]]:
    """Each item of a batch with its result (appended to ``results``), but an item whose
    ``key`` came earlier in the batch: that one is reported ``repeated`` and skipped."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        result = ItemResult(index=index, key=item[key])
        results.append(result)
        if item[key] in seen:
            result.error(key, "repeated", _("This key is given twice in the batch."))
            continue
        seen.add(item[key])
        yield item, result
