"""Payment provider notifications (server to server, signed; no user session)."""

from django.http import HttpRequest
from ninja import Router

from tandem.billing.payments.services import payment_notification_handle

router = Router(tags=["payments"])


@router.post("/notify/{provider}", auth=None, response={200: dict})
def payment_notify(request: HttpRequest, provider: str):
    """A provider confirms a payment. The body is verified with the provider's signature
    (``X-Signature`` header, HMAC-SHA256 for the test provider); replays are recognised by
    the event id and change nothing; a wrong signature, payment or amount is refused with
    400 and logged."""
    outcome = payment_notification_handle(
        provider_code=provider[:30], body=request.body, signature=request.headers.get("X-Signature", "")
    )
    return {"outcome": outcome}
