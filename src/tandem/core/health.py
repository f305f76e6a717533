"""Readiness: what a load balancer and monitoring ask before they send traffic or page someone.

``/healthz`` says the process answers (liveness). ``/readyz`` checks what the shop needs and
answers 503 naming what fails: the database, the cache, migrations applied — and, unless
``?scope=web``, the background side: a recent scheduler and worker heartbeat
(core.scheduler), no queued task and no undelivered domain event older than its limit.
A load balancer asks ``/readyz?scope=web`` (a stopped worker must not take every web server
out of rotation); monitoring asks ``/readyz``.
"""

import logging
import sys
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.core.models import Heartbeat, OutboxEvent

logger = logging.getLogger(__name__)
Check = Callable[[], tuple[bool, str]]
_migrated = False  # once every migration is applied, this process need not look again


def _database() -> tuple[bool, str]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "reachable"


def _cache() -> tuple[bool, str]:
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, 10)
    found = cache.get(key)
    cache.delete(key)
    return found == value, "reachable" if found == value else "a value set was not read back"


def _migrations() -> tuple[bool, str]:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if missing:
            return False, f"{len(missing)} not applied"
        _migrated = True
    return True, "applied"


def _beat(name: str) -> Check:
    def check() -> tuple[bool, str]:
        beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
        if beat_at is None:
            return False, "never seen"
        age = (timezone.now() - beat_at).total_seconds()
        return age <= settings.READY_HEARTBEAT_SECONDS, f"last seen {age:.0f} s ago"

    return check


def _queue() -> tuple[bool, str]:
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return True, "not kept in the database"
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    oldest = tasks.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is None:
        return True, "empty"
    age = (timezone.now() - oldest).total_seconds()
    return age <= settings.READY_QUEUE_AGE_SECONDS, f"oldest queued task {age:.0f} s old"


def _outbox() -> tuple[bool, str]:
    limit = timezone.now() - timedelta(seconds=settings.READY_OUTBOX_AGE_SECONDS)
    stuck = OutboxEvent.objects.filter(delivered_at__isnull=True, created_at__lt=limit).count()
    return stuck == 0, f"{stuck} undelivered events older than {settings.READY_OUTBOX_AGE_SECONDS} s"


WEB: dict[str, Check] = {"database": _database, "cache": _cache, "migrations": _migrations}
BACKGROUND: dict[str, Check] = {
    "scheduler": _beat("scheduler"),
    "worker": _beat("worker"),
    "queue": _queue,
    "outbox": _outbox,
}


def readiness(*, web_only: bool = False) -> dict[str, dict[str, object]]:
    """Each check's outcome: ``{"ok": bool, "detail": str}``; a check that cannot reach the
    database fails with the error."""
    results: dict[str, dict[str, object]] = {}
    for name, check in (WEB if web_only else {**WEB, **BACKGROUND}).items():
        try:
            ok, detail = check()
        except DatabaseError:
            logger.warning("readiness check %s: database error", name, exc_info=True)
            ok, detail = False, "the database cannot be reached"  # the details only in the log
        except Exception:  # a cache backend's own errors (Redis down)
            logger.warning("readiness check %s failed", name, exc_info=True)
            ok, detail = False, "failed (see the log)"
        results[name] = {"ok": ok, "detail": detail}
    return results


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes, else 503; the body names each check's outcome."""
    results = readiness(web_only=request.GET.get("scope") == "web")
    ready = all(result["ok"] for result in results.values())
    response = JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an uncaught error (``handler500``): 503 with ``Retry-After`` when the
    database cannot be reached (it comes back by itself: a browser or client should retry),
    the plain 500 page otherwise. Reads nothing from the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        page = format_html(
            '<!doctype html><html><head><meta charset="utf-8"><title>{}</title></head>'
            '<body style="font-family:sans-serif;margin:3rem"><h1>{}</h1><p>{}</p>'
            '<p><a href="/">{}</a></p></body></html>',
            _("Back in a moment"),
            _("Back in a moment"),
            _(
                "The shop cannot reach its database just now. Nothing you sent was lost; "
                "please try again in a few seconds."
            ),
            _("Back to the shop"),
        )
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
