"""Periodic jobs, run by ``tandem manage housekeeping`` every few minutes (cron, a systemd
timer). Each app registers its own in its ``ready()``, so the command knows no app: expiring
approvals and unpaid orders (orders), placing due recurring orders (checkout), retrying
webhooks (messaging), expiring offers (quotes), payment reminders (billing), and delivering
domain events the worker never heard of (core, last)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    run: Callable[[], str]  # does the work, returns one line for the log
    order: int


_jobs: dict[str, Job] = {}


def housekeeping_job(name: str, run: Callable[[], str], *, order: int = 50) -> None:
    """Register a periodic job (again under the same name replaces it); lower ``order`` first."""
    _jobs[name] = Job(name, run, order)


def housekeeping_run(*, before_each: Callable[[], object] | None = None) -> list[str]:
    """Run every registered job once, in order; their report lines. A job that fails is
    logged and reported, and the others still run. ``before_each`` is called before each job
    (the scheduler renews its lease there); when it answers False the run stops (the lease
    went to another scheduler)."""
    lines = []
    for job in sorted(_jobs.values(), key=lambda job: (job.order, job.name)):
        if before_each is not None and before_each() is False:
            lines.append("stopped: another scheduler holds the lease")
            break
        try:
            lines.append(job.run())
        except Exception as error:
            logger.exception("housekeeping job %s failed", job.name)
            lines.append(f"{job.name} failed: {error}")
    return lines
