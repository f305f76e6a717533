"""``Idempotency-Key`` for every API write (POST, PUT, PATCH, DELETE under /api/).

A caller that sends the header gets, for a retry with the same key and the same body, the
very answer of the first request (status, body; ``Idempotent-Replayed: true``) without
running it again — a second payment, order or request for quotation is never made by a
retry. The same key with a different body is refused (422 ``idempotency_key_reused``); a
retry while the first is still running gets 409 ``idempotency_key_in_progress``. Keys are
per caller (the bearer token, else the signed-in user, else the guest's session) and per
method and path. An answer of 500 or more is not kept: the retry runs. Kept
``IDEMPOTENCY_KEEP_HOURS``; housekeeping removes older ones. Services that must survive a
crash mid-request (checkout) keep their own key on the row they write as well.
"""

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.models import IdempotentRequest
from tandem.core.problems import problem

WRITES = ("POST", "PUT", "PATCH", "DELETE")
MAX_KEY_LENGTH = 255
MAX_KEPT_BODY = 1_000_000


def _caller(request: HttpRequest) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"session:{request.session.session_key or ''}" if hasattr(request, "session") else "anonymous"


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key or len(key) > MAX_KEY_LENGTH:
            return problem(
                422,
                code="idempotency_key_invalid",
                detail=_("Idempotency-Key must be 1 to %(count)s characters.") % {"count": MAX_KEY_LENGTH},
            )
        scope = hashlib.sha256(
            f"{_caller(request)}\0{request.method}\0{request.path}\0{key}".encode()
        ).hexdigest()
        fingerprint = hashlib.sha256(request.body).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    scope_hash=scope, fingerprint=fingerprint, attempt=uuid.uuid4().hex
                )
        except IntegrityError:
            abandoned = self._take_over(scope, fingerprint)
            if abandoned is None:
                return self._replay(scope, fingerprint)
            record = abandoned
        mine = IdempotentRequest.objects.filter(pk=record.pk, attempt=record.attempt)
        try:
            response = self.get_response(request)
        except BaseException:
            mine.delete()
            raise
        if response.status_code >= 500 or response.streaming or len(response.content) > MAX_KEPT_BODY:
            mine.delete()  # not kept: a retry runs again
            return response
        mine.update(
            status_code=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=response.content,
        )
        return response

    @staticmethod
    def _take_over(scope: str, fingerprint: str) -> IdempotentRequest | None:
        """The record of a first attempt that never answered — its server was killed or lost
        its database mid-request — once it is ``IDEMPOTENCY_ABANDONED_SECONDS`` old (longer
        than any request may run): this retry runs the request instead of being told "in
        progress" forever. Whatever the first attempt committed, the services' own keys find
        (an order is not placed twice)."""
        now = timezone.now()
        cutoff = now - timedelta(seconds=settings.IDEMPOTENCY_ABANDONED_SECONDS)
        attempt = uuid.uuid4().hex
        taken = IdempotentRequest.objects.filter(
            scope_hash=scope, fingerprint=fingerprint, status_code__isnull=True, created_at__lt=cutoff
        ).update(created_at=now, attempt=attempt)
        return IdempotentRequest.objects.filter(scope_hash=scope, attempt=attempt).first() if taken else None

    @staticmethod
    def _replay(scope: str, fingerprint: str) -> HttpResponse:
        record = IdempotentRequest.objects.filter(scope_hash=scope).first()
        if record is None:  # removed between the two reads (a failed first attempt)
            return problem(
                409,
                code="idempotency_key_in_progress",
                detail=_("The first request with this key failed; retry."),
            )
        if record.fingerprint != fingerprint:
            return problem(
                422,
                code="idempotency_key_reused",
                detail=_("This Idempotency-Key was used with a different request body; use a new key."),
            )
        if record.status_code is None:
            response = problem(
                409,
                code="idempotency_key_in_progress",
                detail=_("A request with this key is still being handled."),
            )
            response["Retry-After"] = "1"
            return response
        response = HttpResponse(
            bytes(record.body), status=record.status_code, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response


def idempotent_requests_forget() -> str:
    """Keys older than IDEMPOTENCY_KEEP_HOURS go (housekeeping)."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    removed, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return f"idempotency keys: {removed} removed"
