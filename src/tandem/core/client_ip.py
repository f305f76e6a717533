"""The address a request came from, also behind reverse proxies."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address.

    With ``TRUSTED_PROXY_COUNT`` = N (the number of reverse proxies in front of the app, each
    appending to ``X-Forwarded-For``), the N-th address from the right of that header: the
    one the outermost trusted proxy saw. Addresses further left are whatever the client sent
    and are never trusted. Without proxies (N = 0), the socket's peer address.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-trusted] if len(forwarded) >= trusted else remote
