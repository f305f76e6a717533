"""Keeping feeds current: marked stale by catalog, price and stock changes, written again by
the worker at most once every ``FEED_MIN_INTERVAL_SECONDS`` (debounced).

- The catalog's domain events (``product.changed``, ``price_list.changed``, ``stock.low``,
  ``company.changed``) mark feeds stale inside the change's transaction: one UPDATE.
- Every stock change writes a movement; housekeeping marks stale the feeds written before the
  newest one (``stock.low`` alone would miss a delivery that fills a shelf).
- Housekeeping queues the stale feeds whose last run is older than the interval.
- ``feed_write`` writes the file under a temporary name next to the final one and moves it
  into place (an atomic rename), so a partner never downloads half a file; the row then
  points at the new file and the old one is removed. A file whose content did not change
  keeps its ETag and Last-Modified (the ETag is a digest of the items, not of the file, which
  holds the time it was written): the partner's next poll is a 304.
"""

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from tandem.core.events import Event
from tandem.core.storage import random_file_name
from tandem.feeds.formats import WRITERS, FeedHeader, FeedItem
from tandem.feeds.models import EXTENSIONS, Feed
from tandem.feeds.selectors import feed_items
from tandem.inventory.models import StockMovement

logger = logging.getLogger(__name__)

CATALOG_EVENTS = ("product.changed", "price_list.changed", "stock.low", "company.changed")
MAX_QUEUED_PER_RUN = 100


def feeds_mark_stale_on(event: Event) -> None:
    """A catalog, price or stock change: the feeds it may touch are stale (all active ones,
    one company's for a change of that company)."""
    feeds = Feed.objects.filter(is_active=True)
    if event.name == "company.changed":
        feeds = feeds.filter(company_id=event.payload.get("company_id"))
    feeds.update(stale=True, changed_at=timezone.now())


def _mark_stock_changes() -> int:
    latest = StockMovement.objects.order_by("-pk").values_list("created_at", flat=True).first()
    if latest is None:
        return 0
    return Feed.objects.filter(is_active=True, stale=False, generated_at__lt=latest).update(
        stale=True, changed_at=latest
    )


def feeds_refresh() -> str:
    """Queue the stale feeds not written within ``FEED_MIN_INTERVAL_SECONDS`` (housekeeping,
    every minute); a feed already queued is not queued again until its run would have stalled."""
    now = timezone.now()
    _mark_stock_changes()
    due = Feed.objects.filter(is_active=True, stale=True).filter(
        Q(generated_at__isnull=True)
        | Q(generated_at__lte=now - timedelta(seconds=settings.FEED_MIN_INTERVAL_SECONDS)),
        Q(queued_at__isnull=True) | Q(queued_at__lte=now - timedelta(seconds=settings.TASK_STALL_SECONDS)),
    )
    ids = list(due.order_by("generated_at", "pk").values_list("pk", flat=True)[:MAX_QUEUED_PER_RUN])
    Feed.objects.filter(pk__in=ids).update(queued_at=now)
    for feed_id in ids:
        transaction.on_commit(lambda feed_id=feed_id: feed_generate.enqueue(feed_id=feed_id), robust=True)
    return f"{len(ids)} catalog feeds queued"


@task()
def feed_generate(*, feed_id: int) -> str:
    """Write a feed's file (the worker)."""
    return feed_write(feed_id)


def _header(feed: Feed, started) -> FeedHeader:
    buyer = feed.company.name if feed.company_id else feed.customer_group.tr("name", feed.language)
    return FeedHeader(
        catalog_id=f"{settings.SHOP_NAME}-{feed.pk}".replace(" ", "-"),
        version=started.strftime("%Y.%m.%d.%H%M"),
        generated_at=started,
        language=feed.language,
        currency=feed.currency,
        supplier=settings.SHOP_NAME,
        buyer=buyer,
        shop_url=settings.SHOP_URL + "/",
        title=f"{settings.SHOP_NAME} · {buyer}",
    )


def _fingerprinted(items: Iterable[FeedItem], digest) -> Iterator[FeedItem]:
    """The items, each added to ``digest`` as it passes: the ETag is the content's, not the
    file's (a file holds the time it was written; XLSX and BMEcat always differ by that)."""
    for item in items:
        digest.update(repr(item).encode())
        yield item


def feed_write(feed_id: int) -> str:
    """Write the feed's file now and point the feed at it; on an error keep the last good
    file and note the error. Changes made while it runs leave the feed stale for the next run."""
    feed = Feed.objects.select_related("company", "customer_group").filter(pk=feed_id, is_active=True).first()
    if feed is None:
        return "no such active feed"
    started = timezone.now()
    storage = Feed._meta.get_field("file").storage
    name = random_file_name("feeds", f"feed.{EXTENSIONS[feed.file_format]}")
    final = storage.path(name)
    Path(final).parent.mkdir(parents=True, exist_ok=True)
    temporary = None
    try:
        header = _header(feed, started)
        digest = hashlib.sha256(
            f"{feed.file_format}|{header.language}|{header.currency}|{header.buyer}".encode()
        )
        with tempfile.NamedTemporaryFile(dir=Path(final).parent, prefix=".writing-", delete=False) as out:
            temporary = out.name
            rows = WRITERS[feed.file_format](out, header, _fingerprinted(feed_items(feed), digest))
        etag = f'"{digest.hexdigest()[:40]}"'
        os.replace(temporary, final)  # atomic on one file system: never half a file
        temporary = None
    except Exception as error:
        logger.exception("feed %s failed", feed.pk)
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        Feed.objects.filter(pk=feed.pk).update(
            generated_at=started, queued_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    with transaction.atomic():
        # the row as it is now: another run may have replaced its file since this one began
        current = (
            Feed.objects.select_for_update()
            .filter(pk=feed.pk, is_active=True)
            .values_list("file", "etag")
            .first()
        )
        if current is not None:
            previous, previous_etag = current
            unchanged = bool(etag == previous_etag and previous and storage.exists(previous))
            done = {"generated_at": started, "queued_at": None, "rows_count": rows, "last_error": ""}
            if not unchanged:
                done.update(file=name, etag=etag, modified_at=timezone.now())
            Feed.objects.filter(pk=feed.pk).update(**done)
            Feed.objects.filter(Q(changed_at__isnull=True) | Q(changed_at__lte=started), pk=feed.pk).update(
                stale=False
            )
    if current is None:
        storage.delete(name)  # revoked while it was written
        return "revoked meanwhile"
    unused = name if unchanged else previous  # the file no row points at any more
    if unused:
        storage.delete(unused)
    return f"{rows} rows" + (" (unchanged)" if unchanged else "")
