"""The built-in test gateway's asynchronous confirmation (as a real gateway's server would)."""

import uuid

from django_tasks import task

from tandem.billing.models import Payment
from tandem.billing.payments.providers import TestProvider
from tandem.billing.payments.services import payment_notification_handle


@task()
def test_gateway_notify(*, reference: str, status: str) -> str:
    """Send the shop a signed notification for a test payment."""
    provider = TestProvider()
    payment = Payment.objects.get(reference=reference)
    body = provider.notification_body(
        event_id=uuid.uuid4().hex,
        reference=reference,
        status=status,
        amount=payment.amount,
        currency=payment.currency,
    )
    return payment_notification_handle(provider_code="test", body=body, signature=provider.sign(body))
