"""The scheduler: runs the periodic jobs (``core.housekeeping``: approval and offer expiry,
unpaid orders, recurring orders, payment reminders, webhook retries, late domain events, old
exports…) every ``SCHEDULER_INTERVAL_SECONDS``, and asks the worker for a heartbeat.

Several may run (one per server, for failover): a lease in the database lets exactly one
act at a time; the others wait and take over when its lease runs out (it is renewed before
every job, so a slow job does not let a second scheduler start the same work). A database
outage is ridden out: the scheduler logs it and tries again on its next tick.
"""

import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.db.models import DateTimeField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import task

from tandem.core.housekeeping import housekeeping_run
from tandem.core.models import Heartbeat

logger = logging.getLogger(__name__)

LEASE = "scheduler"
WORKER = "worker"


def lease_take(holder: str, *, seconds: float) -> bool:
    """Take or renew the scheduler's lease for ``seconds``: True when ``holder`` has it."""
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    # expiry on the database's clock, so servers whose clocks drift cannot both hold it
    db_now = Now()
    free = Q(holder=holder) | Q(lease_until__isnull=True) | Q(lease_until__lt=db_now)
    renewed = Heartbeat.objects.filter(free, name=LEASE).update(
        holder=holder,
        lease_until=ExpressionWrapper(db_now + timedelta(seconds=seconds), output_field=DateTimeField()),
        beat_at=db_now,
    )
    if renewed:
        return True
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=LEASE, holder=holder, lease_until=until, beat_at=now)
    except IntegrityError:
        return False  # another scheduler holds it
    return True


def lease_release(holder: str) -> None:
    """Give the lease up (a scheduler that stops), so another takes over at once."""
    Heartbeat.objects.filter(name=LEASE, holder=holder).update(lease_until=None)


def heartbeat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def stalled_tasks_requeue() -> str:
    """Queue again the tasks a worker started and never finished (it was killed, or its
    machine went away) once they have run for ``TASK_STALL_SECONDS``: every task runs at
    least once. Ours may run twice: the jobs pick up where they are (imports and exports
    start over and write the same), e-mails and webhooks go out through the outbox with
    their event's id. Only for the database queue (RQ keeps its own registry)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return "stalled tasks: the queue is not in the database"
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    limit = timezone.now() - timedelta(seconds=settings.TASK_STALL_SECONDS)
    count = tasks.objects.running().filter(started_at__lt=limit).update(status="READY", started_at=None)
    return f"{count} stalled tasks queued again"


@task()
def worker_heartbeat() -> str:
    """Run by the worker when the scheduler asks: proves tasks are being taken (``/readyz``)."""
    heartbeat(WORKER)
    return "alive"


def scheduler_run(
    *,
    interval: float,
    tick: float = 5.0,
    holder: str | None = None,
    stop: Callable[[], bool] = lambda: False,
    once: bool = False,
) -> None:
    """Tick every ``tick`` seconds until ``stop()``: hold the lease, and every ``interval``
    seconds run the periodic jobs and enqueue the worker's heartbeat. ``once``: one tick."""
    holder = holder or f"{socket.gethostname()}:{os.getpid()}"
    lease_seconds = max(float(settings.SCHEDULER_LEASE_SECONDS), 3 * tick)
    next_run = 0.0
    try:
        while True:
            try:
                if lease_take(holder, seconds=lease_seconds) and time.monotonic() >= next_run:
                    worker_heartbeat.enqueue()
                    lines = housekeeping_run(before_each=lambda: lease_take(holder, seconds=lease_seconds))
                    for line in lines:
                        logger.info("housekeeping: %s", line)
                    next_run = time.monotonic() + interval
            except DatabaseError as error:
                logger.warning("scheduler: the database is not reachable (%s); trying again", error)
                close_old_connections()
            if once or stop():
                break
            deadline = time.monotonic() + tick
            while time.monotonic() < deadline and not stop():
                time.sleep(min(0.5, tick))
    finally:
        with contextlib.suppress(DatabaseError):  # else the lease runs out by itself
            lease_release(holder)
