"""Rate limits of the API: so many requests a minute per key, and per address for callers
without one (browser sessions, anonymous catalog reads, payment notifications).

A fixed one-minute window counted in the shared cache (Redis in production, so every app
server counts together). Every API answer says where the caller stands (``RateLimit-Limit``,
``RateLimit-Remaining``, ``RateLimit-Reset`` in seconds); over the limit the answer is a 429
problem with ``Retry-After``. The key is counted by a digest of what the caller sent, before
the database is asked whether it is valid — a flood of requests costs no query.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tandem.core.client_ip import client_ip
from tandem.core.problems import problem

WINDOW_SECONDS = 60


def _caller(request: HttpRequest) -> tuple[str, int]:
    """Who is counted, and their limit a minute: the bearer key, else the address."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        digest = hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
        return f"key:{digest}", settings.API_RATE_LIMIT_PER_KEY
    return f"ip:{client_ip(request)}", settings.API_RATE_LIMIT_PER_IP


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS + 5)
        return 1


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        caller, limit = _caller(request)
        if limit <= 0:
            return self.get_response(request)
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        reset = max(int((window + 1) * WINDOW_SECONDS - now), 1)
        used = _count(f"api-rate:{caller}:{window}")
        if used > limit:
            response = problem(
                429,
                code="rate_limited",
                detail=_("Too many requests: %(limit)s a minute. Try again in %(seconds)s seconds.")
                % {"limit": limit, "seconds": reset},
            )
            response["Retry-After"] = str(reset)
        else:
            response = self.get_response(request)
        response["RateLimit-Limit"] = str(limit)
        response["RateLimit-Remaining"] = str(max(limit - used, 0))
        response["RateLimit-Reset"] = str(reset)
        return response
