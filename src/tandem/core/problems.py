"""One error shape for the API, and a request id on every response.

Every 4xx and 5xx answer under ``/api/`` is an RFC 9457 problem (``application/problem+json``)::

    {"type": "urn:tandem:problem:credit_limit_exceeded", "title": "Conflict", "status": 409,
     "detail": "…", "code": "credit_limit_exceeded", "message": "…",
     "errors": [{"field": "quantity", "code": "…", "message": "…"}], "request_id": "…"}

``code`` is stable for programs, ``detail`` is for people (in the caller's language;
``message`` repeats it for clients written before). Business refusals, validation errors,
authentication, unknown URLs, wrong methods, oversized bodies and crashes all come this way:
the API's own handlers build most (``tandem.api``), and ``RequestIdMiddleware`` turns any
other error answer under ``/api/`` (a Django 404 page, a 500) into one.

Every response carries ``X-Request-ID`` — the caller's own when it sent a sane one — and
log lines of the request carry it too (``request_id`` in the log format).
"""

import contextvars
import json
import logging
import re
import uuid
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

PROBLEM_TYPE = "application/problem+json"
_REQUEST_ID = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# What a bare status means, for answers that carry no code of their own.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def request_id() -> str:
    """The id of the request being handled ("-" outside one)."""
    return _REQUEST_ID.get()


def problem(
    status: int,
    *,
    code: str | None = None,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> JsonResponse:
    """An RFC 9457 problem answer."""
    code = code or STATUS_CODES.get(status, "error")
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = str(detail or title)
    body = {
        "type": f"urn:tandem:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "message": detail,
        "errors": errors or [],
        **{key: value for key, value in extra.items() if value not in (None, [], "")},
        "request_id": request_id(),
    }
    return JsonResponse(
        body, status=status, content_type=PROBLEM_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def validation_errors(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic's errors as ``{field, code, message}``: the field as a dotted path inside
    the body, query or path (``lines.3.quantity``)."""
    out = []
    for item in items:
        location = [str(part) for part in item.get("loc", [])]
        if location[:1] in (["body"], ["query"], ["path"], ["header"], ["form"]):
            location = location[1:]
            if location[:1] in (["payload"], ["params"]):
                location = location[1:]
        out.append(
            {
                "field": ".".join(location),
                "code": str(item.get("type", "invalid")),
                "message": str(item.get("msg", "")),
            }
        )
    return out


def _as_problem(response: HttpResponse) -> HttpResponse:
    """Any other error answer of the API (a Django page, ``{"detail": …}``, ``{"code": …}``)
    as a problem, keeping what it said."""
    content_type = response.get("Content-Type", "")
    code, detail, errors, extra = None, "", None, {}
    if content_type.startswith("application/json") and not response.streaming:
        try:
            body = json.loads(response.content or b"{}")
        except ValueError:
            body = {}
        if isinstance(body, dict):
            code = body.get("code")
            raw = body.get("message") or body.get("detail") or ""
            if isinstance(raw, list):
                errors, raw = validation_errors(raw), ""
            detail = str(raw)
            extra = {key: body[key] for key in ("field", "lines") if key in body}
    elif content_type.startswith("text/plain") and not response.streaming:
        detail = response.content.decode(errors="replace")[:500]
    converted = problem(response.status_code, code=code, detail=detail, errors=errors, **extra)
    for header in ("Retry-After", "Allow", "WWW-Authenticate"):
        if header in response:
            converted[header] = response[header]
    return converted


class RequestIdMiddleware:
    """Give each request an id (``X-Request-ID``, the caller's if sane), put it on the
    response and the log lines, and make every API error a problem."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-ID", "")
        request.request_id = sent if _SANE_ID.match(sent) else uuid.uuid4().hex
        token = _REQUEST_ID.set(request.request_id)
        try:
            response = self.get_response(request)
            if (
                request.path.startswith("/api/")
                and response.status_code >= 400
                and not response.get("Content-Type", "").startswith(PROBLEM_TYPE)
            ):
                response = _as_problem(response)
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            _REQUEST_ID.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record (for the log format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem details: every error answer of the API.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code", "request_id"],
    "properties": {
        "type": {"type": "string", "example": "urn:tandem:problem:credit_limit_exceeded"},
        "title": {"type": "string", "example": "Conflict"},
        "status": {"type": "integer", "example": 409},
        "detail": {"type": "string", "description": "for people, in the caller's language"},
        "code": {"type": "string", "description": "stable, for programs"},
        "message": {"type": "string", "description": "the same as detail, for earlier clients"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "example": "lines.3.quantity"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
        "field": {"type": "string"},
        "lines": {"type": "array", "items": {"type": "object"}},
        "request_id": {"type": "string", "description": "also in the X-Request-ID header"},
    },
}
# What each error status usually means here, with an example code.
ERROR_EXAMPLES = {
    400: ("A business rule refused the request", "cart_has_problems"),
    401: ("No valid session or bearer token", "not_authenticated"),
    403: (
        "Not allowed for this user or key (insufficient_scope names the missing scope)",
        "permission_denied",
    ),
    404: ("Not found, or not visible to the caller", "not_found"),
    409: ("Conflicts with the current state (stock, credit limit, a request still running)", "conflict"),
    422: ("Invalid input: errors[] names each field", "validation_error"),
    429: ("Too many requests from this key or address (Retry-After says when to try again)", "rate_limited"),
    500: ("Our fault: quote the request_id", "server_error"),
}


def with_problem_responses(schema: dict) -> dict:
    """The OpenAPI document with the Problem schema and, on every operation, the error
    answers it can give, each with an example."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, (description, code) in ERROR_EXAMPLES.items():
                responses.setdefault(
                    str(status),
                    {
                        "description": description,
                        "content": {
                            PROBLEM_TYPE: {
                                "schema": {"$ref": "#/components/schemas/Problem"},
                                "example": {
                                    "type": f"urn:tandem:problem:{code}",
                                    "title": HTTPStatus(status).phrase,
                                    "status": status,
                                    "detail": description + ".",
                                    "code": code,
                                    "errors": [],
                                    "request_id": "3f2c9a0e5b1d4c7e9a8b6d5c4e3f2a1b",
                                },
                            }
                        },
                    },
                )
    return schema
