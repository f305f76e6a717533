"""Prometheus metrics at ``/metrics``: what the web servers did, and what the database says.

Per request (``core.logs.AccessLogMiddleware`` records them): requests by route, method and
status, their duration by route, database queries by route. Under ``tandem serve`` every
gunicorn process writes them to ``PROMETHEUS_MULTIPROC_DIR`` and a scrape adds them up, so
whichever process answers, the numbers are the server's.

At each scrape, from the database (true however many processes there are): the queued
tasks and the age of the oldest, undelivered domain events and the age of the oldest, the
scheduler's and worker's heartbeat ages — and what each app registers in its ``ready()``
(``metric_family``): orders placed per channel, webhook deliveries failed.

Reached with ``Authorization: Bearer <METRICS_TOKEN>``, or straight from an address in
``METRICS_ALLOW_IPS`` (loopback by default; not through a proxy); anyone else gets a 404.
"""

import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from tandem.core.client_ip import client_ip

REQUESTS = Counter("tandem_http_requests", "HTTP requests answered", ["route", "method", "status"])
DURATION = Histogram(
    "tandem_http_request_duration_seconds",
    "Time to answer a request",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
QUERIES = Counter("tandem_db_queries", "Database queries run while answering requests", ["route"])


_children: dict[tuple[str, str, int], tuple] = {}  # the labelled series, looked up once


METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_observe(*, route: str, method: str, status: int, seconds: float, queries: int) -> None:
    method = method if method in METHODS else "OTHER"  # made-up methods must not make series
    key = (route, method, status)
    series = _children.get(key)
    if series is None:
        series = (REQUESTS.labels(route, method, str(status)), DURATION.labels(route), QUERIES.labels(route))
        _children[key] = series
    requests, duration, query_count = series
    requests.inc()
    duration.observe(seconds)
    if queries:
        query_count.inc(queries)


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    help: str
    kind: str  # "gauge" or "counter"
    labels: tuple[str, ...]
    samples: Callable[[], Iterable[tuple[tuple[str, ...], float]]]  # (label values, value)


_families: dict[str, Family] = {}


def metric_family(
    name: str,
    help_text: str,
    samples: Callable[[], Iterable[tuple[tuple[str, ...], float]]],
    *,
    kind: str = "gauge",
    labels: tuple[str, ...] = (),
) -> None:
    """Register a metric read from the database at each scrape (an app's ``ready()``)."""
    _families[name] = Family(name, help_text, kind, labels, samples)


class _DatabaseCollector:
    def collect(self):
        for family in _families.values():
            metric_class = CounterMetricFamily if family.kind == "counter" else GaugeMetricFamily
            metric = metric_class(family.name, family.help, labels=list(family.labels))
            for values, value in family.samples():
                metric.add_metric(list(values), value)
            yield metric


def _allowed(request: HttpRequest) -> bool:
    """The token; or an allowed address, for a scraper that talks to the app server itself:
    a request through a proxy (it carries X-Forwarded-For) needs the token, since on one
    machine the proxy's address is loopback and forwarded addresses can be made up."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    return client_ip(request) in settings.METRICS_ALLOW_IPS


def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text exposition of both kinds of metric."""
    if not _allowed(request):
        raise Http404
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry()
    database.register(_DatabaseCollector())
    body = generate_latest(processes) + generate_latest(database)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


# --- core's own: the queue, the outbox, the heartbeats ----------------------------------------


def _age(moment) -> float:
    return max(0.0, (timezone.now() - moment).total_seconds()) if moment else 0.0


def _queue() -> Iterable[tuple[tuple[str, ...], float]]:
    from django.apps import apps

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return []
    tasks = apps.get_model("django_tasks_database", "DBTaskResult").objects.ready()
    oldest = tasks.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return [(("queued",), float(tasks.count())), (("oldest_age_seconds",), _age(oldest))]


def _outbox() -> Iterable[tuple[tuple[str, ...], float]]:
    from tandem.core.models import OutboxEvent

    waiting = OutboxEvent.objects.filter(delivered_at__isnull=True)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return [(("undelivered",), float(waiting.count())), (("oldest_age_seconds",), _age(oldest))]


def _heartbeats() -> Iterable[tuple[tuple[str, ...], float]]:
    from tandem.core.models import Heartbeat

    beats = dict(Heartbeat.objects.values_list("name", "beat_at"))
    return [((name,), _age(beats.get(name)) if beats.get(name) else -1.0) for name in ("scheduler", "worker")]


def core_metrics_register() -> None:
    metric_family("tandem_task_queue", "Tasks waiting in the database queue", _queue, labels=("measure",))
    metric_family("tandem_outbox", "Domain events not yet delivered", _outbox, labels=("measure",))
    metric_family(
        "tandem_heartbeat_age_seconds",
        "Seconds since the process last beat (-1: never)",
        _heartbeats,
        labels=("process",),
    )
