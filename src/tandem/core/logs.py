"""Logs a machine reads: one JSON object a line (``LOG_FORMAT=json``), and an access log
line for every request with what an operator looks for first — route, status, duration,
user, company, request id (``ACCESS_LOG=off`` turns it off). The same middleware feeds the
request metrics (core.metrics; ``METRICS=off`` turns them off)."""

import json
import logging
import re
import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from tandem.core.metrics import request_observe

access_logger = logging.getLogger("tandem.access")
# query parameters whose values never reach a log (an OCI punchout login sends PASSWORD in the URL)
SECRET_PARAMETER = re.compile(r"pass|secret|token|key|signature", re.IGNORECASE)
# what an access log record carries besides the message (and the JSON log shows as fields)
ACCESS_FIELDS = ("method", "path", "route", "status", "duration_ms", "user_id", "company_id")


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", …the access fields…, "error"}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({name: getattr(record, name) for name in ACCESS_FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class AccessLogMiddleware:
    """One INFO line per request on ``tandem.access`` (after the response is made), and the
    request's metrics. The user is named only when the request already loaded them: logging
    never costs a query."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.log, self.measure = settings.ACCESS_LOG, settings.METRICS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (self.log or self.measure):
            return self.get_response(request)
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        if self.measure:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match else ""
        if self.measure:
            request_observe(
                route=route or "unmatched",
                method=request.method or "",
                status=response.status_code,
                seconds=seconds,
                queries=queries[0],
            )
        if not self.log:
            return response
        duration = round(seconds * 1000, 1)
        user = getattr(request, "user", None)
        loaded = user is not None and getattr(user, "_wrapped", None) is not empty
        context = getattr(request, "customer_context", None)
        fields = {
            "method": request.method,
            "path": request.path,
            "route": route,
            "status": response.status_code,
            "duration_ms": duration,
            "user_id": user.pk if loaded and user.is_authenticated else None,
            "company_id": getattr(context, "company_id", None),
        }
        access_logger.info(
            "%s %s %s %.1f ms",
            request.method,
            loggable_path(request)[:300],
            response.status_code,
            duration,
            extra=fields,
        )
        return response


def loggable_path(request: HttpRequest) -> str:
    """The path and query as the log shows them: secrets in the query (a password, a token)
    replaced by ``***``."""
    query = request.META.get("QUERY_STRING", "")
    if not query or not SECRET_PARAMETER.search(query):
        return request.get_full_path()
    pairs = [
        (name, "***" if SECRET_PARAMETER.search(name) else value)
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{request.path}?{urlencode(pairs, safe='*')}"
