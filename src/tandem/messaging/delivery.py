"""Sending one webhook delivery: check where it goes, sign the body, POST it, record the
answer, schedule the next attempt.

Only http(s) URLs whose host resolves to public internet addresses are called (unless
``WEBHOOK_ALLOW_PRIVATE_NETWORKS``), and the connection goes to the very address that was
checked, so a DNS answer that changes in between cannot point it inside the network. No
redirects are followed. One attempt takes at most ``WEBHOOK_TIMEOUT`` seconds in all (plus
the DNS lookup), however slowly the receiver answers, so it always ends well within its
lease and the retry sweep never starts a second POST of the same delivery meanwhile."""

import base64
import functools
import hashlib
import hmac
import http.client
import io
import ipaddress
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.messaging.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)

# Attempt n+1 waits 1, 4, 16, 64 … minutes after attempt n (at most 6 hours).
RETRY_FIRST_DELAY = timedelta(minutes=1)
RETRY_FACTOR = 4
RETRY_MAX_DELAY = timedelta(hours=6)
ALLOWED_SCHEMES = ("http", "https")
ERROR_EXCERPT_BYTES = 300


class WebhookAddressRefused(Exception):
    """The webhook URL may not be called: not http(s), or its host is not a public address."""


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The exact bytes that are sent and signed."""
    envelope = {
        "id": delivery.pk,
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(secret: str, body: bytes, *, timestamp: str) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>``: the
    timestamp is signed with the body, so an old request cannot be replayed as new."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def standard_webhooks_secret(secret: str) -> str:
    """The endpoint's secret as Standard Webhooks libraries take it: ``whsec_`` and the key
    in base64 (the key is the secret's UTF-8 bytes, as for X-Tandem-Signature)."""
    return "whsec_" + base64.b64encode(secret.encode()).decode()


def standard_webhooks_signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`` — the
    Standard Webhooks signature (standardwebhooks.com), which its libraries verify."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_FIRST_DELAY * RETRY_FACTOR ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def attempt_lease() -> timedelta:
    """How long an attempt may be under way before the retry sweep may start another: twice
    the attempt's total deadline plus a margin (``WEBHOOK_ATTEMPT_MARGIN_SECONDS``: the DNS
    lookup, the worker, the database), so a claimed attempt has always ended first."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT * 2 + settings.WEBHOOK_ATTEMPT_MARGIN_SECONDS)


# --- where a webhook may go --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """A checked webhook URL: connect to ``address``; ``host`` names the site (the Host
    header, the TLS server name and certificate)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to: mapped (::ffff:a.b.c.d), 6to4
    (2002:aabb:ccdd::), NAT64 (64:ff9b::a.b.c.d) or the old compatible form (::a.b.c.d).
    Python calls 6to4 and NAT64 addresses global whatever they embed, so 2002:7f00:1::
    would reach 127.0.0.1 through a 6to4 relay on the same host."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _address_kind(address: str) -> str:
    """Why the address may not be called ("" when it is a public internet address)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(ip)) is not None:
        ip = embedded
    checks = [
        (ip.is_unspecified, _("an unspecified address")),
        (ip.is_loopback, _("a loopback address")),
        (ip.is_link_local, _("a link-local address")),
        (ip.is_multicast, _("a multicast address")),
        (ip.is_reserved, _("a reserved address")),
        (ip.is_private, _("a private network address")),
        (not ip.is_global, _("an address that is not on the public internet")),
    ]
    return next((kind for blocked, kind in checks if blocked), "")


def webhook_target(url: str) -> WebhookTarget:
    """Resolve the URL's host. Raises WebhookAddressRefused for a scheme other than http(s)
    or a host with any address that is loopback, private, link-local, multicast, reserved,
    unspecified or otherwise not public (all are allowed with WEBHOOK_ALLOW_PRIVATE_NETWORKS),
    and OSError when the host cannot be resolved now."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise WebhookAddressRefused(_("Only http:// and https:// URLs are allowed."))
    try:
        host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise WebhookAddressRefused(_("The URL's port is not valid.")) from error
    if not host:
        raise WebhookAddressRefused(_("The URL has no host."))
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as error:
        raise WebhookAddressRefused(_("The URL's host is not a valid name.")) from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise OSError(_("The host %(host)s has no address.") % {"host": host})
    if not settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        for address in addresses:
            if kind := _address_kind(address):
                message = (
                    _("%(address)s is %(kind)s; webhooks only go to public internet addresses.")
                    if address == host
                    else _(
                        "%(host)s resolves to %(address)s, %(kind)s; webhooks only go to public "
                        "internet addresses."
                    )
                )
                raise WebhookAddressRefused(message % {"host": host, "address": address, "kind": kind})
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(scheme=scheme, host=host, port=port, address=addresses[0], path=path)


# --- one POST within a total deadline ----------------------------------------------------------


class AttemptTimedOut(TimeoutError):
    """The attempt's total time (WEBHOOK_TIMEOUT) is up."""


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise AttemptTimedOut()
    return left


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each read given only the time left, so a receiver that trickles
    its answer byte by byte cannot hold the attempt past the deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        super().__init__()
        self._sock, self._deadline = sock, deadline
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open while the answer is read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(_time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *, deadline: float, **kwargs):
        super().__init__(sock, **kwargs)
        self.fp.close()
        self.fp = io.BufferedReader(_DeadlineReader(sock, deadline))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the target's checked address, every step given only the time left."""

    def __init__(self, target: WebhookTarget, deadline: float):
        super().__init__(target.host, target.port, timeout=_time_left(deadline))
        self.target, self.deadline = target, deadline
        self.response_class = functools.partial(_DeadlineResponse, deadline=deadline)

    def connect(self) -> None:
        self.sock = socket.create_connection((self.target.address, self.port), _time_left(self.deadline))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, data) -> None:
        if self.sock is not None:
            self.sock.settimeout(_time_left(self.deadline))
        super().send(data)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """HTTPS to the checked address; the certificate must be valid for the URL's host."""

    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(_time_left(self.deadline))
        self.sock = _tls_context().wrap_socket(self.sock, server_hostname=self.target.host)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass(frozen=True, slots=True)
class _Answer:
    code: int | None
    error: str = ""
    final: bool = False  # another attempt would end the same way


def _post(delivery: WebhookDelivery) -> _Answer:
    """POST the delivery to its endpoint and return the receiver's answer."""
    endpoint = delivery.endpoint
    try:
        target = webhook_target(endpoint.url)
    except WebhookAddressRefused as refused:
        return _Answer(None, _("Not sent: %(reason)s") % {"reason": refused}, final=True)
    except OSError as error:
        return _Answer(None, _("The host could not be resolved: %(error)s") % {"error": error})
    body = webhook_body(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tandem-Webhooks/1",
        "X-Tandem-Event": delivery.event,
        "X-Tandem-Delivery": str(delivery.pk),
        "X-Tandem-Timestamp": timestamp,
        "X-Tandem-Signature": webhook_signature(endpoint.secret, body, timestamp=timestamp),
        # The same delivery in the Standard Webhooks format (the id stays across retries).
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": " ".join(
            standard_webhooks_signature(secret, delivery.webhook_id, timestamp, body)
            for secret in endpoint.signing_secrets(timezone.now())
        ),
    }
    deadline = time.monotonic() + settings.WEBHOOK_TIMEOUT
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, deadline)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        with connection.getresponse() as response:
            if 200 <= response.status < 300:
                return _Answer(response.status)
            try:
                excerpt = response.read(ERROR_EXCERPT_BYTES).decode(errors="replace").strip()
            except (OSError, http.client.HTTPException):
                excerpt = ""
            return _Answer(response.status, f"HTTP {response.status}: {excerpt}".strip(": "))
    except TimeoutError:
        return _Answer(
            None,
            _("No complete answer within %(seconds)s seconds.")
            % {"seconds": f"{settings.WEBHOOK_TIMEOUT:g}"},
        )
    except (OSError, ValueError, http.client.HTTPException) as error:
        return _Answer(None, str(error) or type(error).__name__)
    finally:
        connection.close()


# --- the attempt -------------------------------------------------------------------------------


def webhook_delivery_attempt(*, delivery_id: int, attempt: int) -> str:
    """Make attempt number ``attempt`` of a pending delivery and record the result; returns
    the delivery's status, or "" when it was not this call's to make. The attempt is
    claimed with a conditional update, so two workers (or a sweep that ran twice) never
    send the same attempt twice. A delivery to an endpoint that was switched off, or to an
    address that is refused, fails at once without further retries."""
    pending = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1
    )
    if pending.filter(endpoint__is_active=False).update(
        status=DeliveryStatus.FAILED,
        next_attempt_at=None,
        last_error=_("Not sent: the endpoint is switched off."),
    ):
        return DeliveryStatus.FAILED
    claimed = pending.filter(endpoint__is_active=True).update(
        attempts=attempt, next_attempt_at=timezone.now() + attempt_lease()
    )
    if not claimed:
        return ""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    answer = _post(delivery)
    now = timezone.now()
    if answer.code is not None and 200 <= answer.code < 300:
        result = {"status": DeliveryStatus.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif answer.final or attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        result = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        logger.warning(
            "webhook delivery %s to %s failed after %s attempts: %s",
            delivery.pk,
            delivery.endpoint.url,
            attempt,
            answer.error,
        )
    else:
        result = {"status": DeliveryStatus.PENDING, "next_attempt_at": now + retry_delay(attempt)}
    WebhookDelivery.objects.filter(pk=delivery_id, attempts=attempt).update(
        response_code=answer.code, last_error=answer.error[:1000], **result
    )
    return result["status"]
