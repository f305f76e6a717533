"""Incremental sync for integrations: the rows changed after a cursor, oldest change first.

A cursor is the (time, id) of the last row a caller took, opaque to it. Rows are read by
(time, id), so rows changed in the same microsecond are neither skipped nor repeated, and a
row comes again only when it changed again. A change is served once it is
``SYNC_SETTLE_SECONDS`` old: a write transaction still running when a page is read (its
rows carry an earlier time than its commit) cannot be passed over.
"""

import base64
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from tandem.core.errors import DomainError


class ChangesQuery(Schema):
    """The query of every ``…/changes`` feed."""

    updated_since: datetime | None = Field(None, description="only rows changed after this time (ISO 8601)")
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the page before")
    limit: int = Field(100, ge=1, le=200)


class CursorInvalid(DomainError):
    code = "cursor_invalid"
    default_message = gettext_lazy("This cursor is not valid; start again from updated_since.")


def _encode(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw)
        return datetime.fromisoformat(moment), int(pk)
    except (ValueError, TypeError) as error:
        raise CursorInvalid(field="cursor") from error


def changes_page(
    rows: QuerySet,
    *,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
    field: str = "updated_at",
) -> tuple[list, str | None]:
    """One page of ``rows`` by (``field``, id) after the cursor (or ``updated_since``), among
    changes at least SYNC_SETTLE_SECONDS old; and the cursor after it (the one given back when
    nothing new came, so the caller keeps it). An index on (``field``, id) keeps every page
    as cheap as the first."""
    settled = timezone.now() - timedelta(seconds=settings.SYNC_SETTLE_SECONDS)
    changed = rows.filter(**{f"{field}__lte": settled}).order_by(field, "pk")
    if cursor:
        moment, pk = _decode(cursor)
        # a range on the index's first column, then the tie-break: the database walks the
        # (field, id) index from the cursor in order and stops after ``limit`` rows (an OR of
        # the two cases made SQLite collect and sort everything after the cursor)
        changed = changed.filter(**{f"{field}__gte": moment}).filter(
            Q(**{f"{field}__gt": moment}) | Q(pk__gt=pk)
        )
    elif updated_since is not None:
        changed = changed.filter(**{f"{field}__gt": updated_since})
    page = list(changed[:limit])
    return page, (_encode(getattr(page[-1], field), page[-1].pk) if page else cursor)
