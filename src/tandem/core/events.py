"""Domain events through an outbox: the way a lower layer tells the higher ones.

Domain code publishes an event (``event_publish``) inside the transaction of the change it
reports. Publishing writes an ``OutboxEvent`` row in that transaction and then:

- runs the **in-transaction subscribers** at once: writes that belong with the change and
  must commit or roll back with it (inbox rows, webhook deliveries — themselves an outbox —
  invoices). They receive the live objects of the change (``Event.subject``, ``Event.related``).
- leaves the **after-commit subscribers** (e-mail and anything else outside the database)
  to the worker: after commit a task delivers the event (``outbox_deliver``); each subscriber
  that handled it gets a receipt in the same transaction as its own writes, so a second
  delivery skips it; an e-mail it sends goes out right there (``in_event_delivery``), so a
  failed send rolls the receipt back for a retry and a killed worker's e-mail is sent again.
  A crash between the commit and the task loses nothing: the event row is
  committed, and ``outbox_deliver_pending`` (the worker's sweep, housekeeping) delivers
  whatever is still undelivered. Delivery is at least once; a handler that writes to the
  database does so exactly once.

Subscribers register in their app's ``ready()`` with ``subscribe``; the publisher never
imports them, so orders can announce a shipment without importing billing or messaging.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from tandem.core.models import OutboxEvent, OutboxReceipt

logger = logging.getLogger("tandem.events")
# True while an after-commit subscriber handles an event: its side effects (e-mail) happen
# right there, inside its receipt's transaction, rather than as one more task that a killed
# worker could lose (core.emails).
_delivering: ContextVar[bool] = ContextVar("event_delivering", default=False)


def in_event_delivery() -> bool:
    return _delivering.get()


MAX_ATTEMPTS = 12  # about a day of sweeps with back-off; then the row stays for an operator


@dataclass(frozen=True, slots=True)
class Event:
    """One published event: its name and JSON payload; for in-transaction subscribers also
    the live objects of the change (None when delivered by the worker)."""

    id: int
    name: str
    payload: Mapping[str, object]
    subject: object = None
    related: Mapping[str, object] = field(default_factory=dict)


Handler = Callable[[Event], None]

_in_transaction: dict[str, list[Handler]] = defaultdict(list)
_after_commit: dict[str, list[tuple[str, Handler]]] = defaultdict(list)


def subscribe(name: str, handler: Handler, *, after_commit: bool = False) -> None:
    """Register ``handler`` for events called ``name`` (call it from ``AppConfig.ready``).
    After-commit handlers are told apart by their dotted name, which their receipts carry."""
    if after_commit:
        key = f"{handler.__module__}.{handler.__qualname__}"
        if all(existing != key for existing, _handler in _after_commit[name]):
            _after_commit[name].append((key, handler))
    elif handler not in _in_transaction[name]:
        _in_transaction[name].append(handler)


def event_publish(
    name: str,
    payload: Mapping[str, object],
    *,
    subject: object = None,
    related: Mapping[str, object] | None = None,
) -> OutboxEvent:
    """Publish an event inside the caller's transaction (raises outside one: an event must
    commit with its change). ``payload`` must be JSON: ids, numbers, codes, amounts as text."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"publish {name} inside the transaction of the change it reports")
    later = _after_commit.get(name, [])
    row = OutboxEvent.objects.create(
        name=name, payload=dict(payload), delivered_at=None if later else timezone.now()
    )
    event = Event(id=row.pk, name=name, payload=row.payload, subject=subject, related=related or {})
    for handler in _in_transaction.get(name, []):
        handler(event)
    if later:
        # robust: the change is committed; a queue that is down must not turn it into an error
        # (the sweep delivers the event later)
        transaction.on_commit(lambda: outbox_deliver_task.enqueue(event_id=row.pk), robust=True)
    return row


def outbox_deliver(event_id: int) -> bool:
    """Hand one committed event to every after-commit subscriber that has not handled it;
    True when all have. A failing subscriber is retried by the sweep; the others go on."""
    row = OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True).first()
    if row is None:
        return True
    done = set(row.receipts.values_list("subscriber", flat=True))
    event = Event(id=row.pk, name=row.name, payload=row.payload)
    failed = []
    for key, handler in _after_commit.get(row.name, []):
        if key in done:
            continue
        token = _delivering.set(True)
        try:
            with transaction.atomic():
                OutboxReceipt.objects.create(event_id=row.pk, subscriber=key)
                handler(event)
        except IntegrityError:
            continue  # another worker handled it meanwhile
        except Exception as error:  # noqa: BLE001 - one subscriber's failure must not stop the others
            logger.exception("event %s #%s: %s failed", row.name, row.pk, key)
            failed.append(f"{key}: {error!r}"[:1000])
        finally:
            _delivering.reset(token)
    if failed:
        OutboxEvent.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error="\n".join(failed))
        return False
    OutboxEvent.objects.filter(pk=row.pk).update(delivered_at=timezone.now(), last_error="")
    return True


@task()
def outbox_deliver_task(*, event_id: int) -> bool:
    return outbox_deliver(event_id)


def outbox_deliver_pending(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Deliver events still undelivered some time after they were written (the task after
    commit was lost, or a subscriber failed), oldest first, backing off by attempts; returns
    how many were delivered completely."""
    now = timezone.now()
    delivered = 0
    pending = OutboxEvent.objects.filter(
        delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lte=now - older_than
    ).order_by("pk")
    for event_id, attempts, created_at in pending.values_list("pk", "attempts", "created_at")[:limit]:
        if attempts and created_at + timedelta(minutes=2**attempts) > now:
            continue  # back off: 2, 4, 8… minutes after the event
        delivered += outbox_deliver(event_id)
    return delivered


def outbox_prune(*, keep_days: int) -> int:
    """Delete events every subscriber handled more than ``keep_days`` ago (with their
    receipts); undelivered ones stay for the sweep and for an operator. Returns how many."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _per_model = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    return deleted
