"""Online payment providers behind one small interface, and the built-in test provider.

A provider sends the buyer to its payment page (``start_url``) and later confirms the
outcome with a signed notification to the shop, independently of the buyer's browser.
Real gateways (PayU, Przelewy24, Stripe…) plug in by implementing the same interface and
registering in ``PROVIDERS``.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse


@dataclass(frozen=True, slots=True)
class Notification:
    """A verified provider notification."""

    event_id: str
    reference: str  # our Payment.reference
    status: str  # "paid" or "failed"
    amount: Decimal
    currency: str
    transaction_id: str = ""


class InvalidNotification(ValueError):
    """The notification's signature or content is wrong."""


class PaymentProvider(Protocol):
    code: str

    def start_url(self, *, reference: str, return_url: str) -> str:
        """Where to send the buyer to pay."""

    def verify(self, *, body: bytes, signature: str) -> Notification:
        """Check the signature and parse the notification; raise InvalidNotification."""


class TestProvider:
    """A payment page inside the shop that behaves like a gateway: the buyer pays or
    declines, and the 'gateway' confirms asynchronously (a background task) with an
    HMAC-SHA256-signed JSON notification to the shop's notification endpoint."""

    code = "test"

    @staticmethod
    def _secret() -> bytes:
        return (settings.PAYMENT_TEST_SECRET or f"test-provider:{settings.SECRET_KEY}").encode()

    def sign(self, body: bytes) -> str:
        return hmac.new(self._secret(), body, hashlib.sha256).hexdigest()

    def start_url(self, *, reference: str, return_url: str) -> str:
        return f"{reverse('checkout:test_gateway', args=[reference])}?{urlencode({'return': return_url})}"

    def notification_body(
        self, *, event_id: str, reference: str, status: str, amount: Decimal, currency: str
    ) -> bytes:
        return json.dumps(
            {
                "event_id": event_id,
                "reference": reference,
                "status": status,
                "amount": str(amount),
                "currency": currency,
                "transaction_id": f"TEST-{event_id[:12]}",
            },
            sort_keys=True,
        ).encode()

    def verify(self, *, body: bytes, signature: str) -> Notification:
        if not hmac.compare_digest(self.sign(body), signature or ""):
            raise InvalidNotification("bad_signature")
        try:
            data = json.loads(body)
            notification = Notification(
                event_id=str(data["event_id"])[:100],
                reference=str(data["reference"]),
                status=str(data["status"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
                transaction_id=str(data.get("transaction_id", ""))[:80],
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise InvalidNotification("malformed") from error
        if notification.status not in ("paid", "failed"):
            raise InvalidNotification("malformed")
        return notification


PROVIDERS: dict[str, PaymentProvider] = {"test": TestProvider()}


def provider_for(code: str) -> PaymentProvider | None:
    """A registered provider by code (the test gateway only while it is enabled)."""
    if code == TestProvider.code and not settings.PAYMENT_TEST_ENABLED:
        return None
    return PROVIDERS.get(code)


def online_provider() -> PaymentProvider | None:
    """The provider new online payments go to, or None when online payment is off."""
    return provider_for(settings.PAYMENT_PROVIDER)
