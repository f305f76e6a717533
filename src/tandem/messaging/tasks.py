"""Background work of messaging: webhook deliveries."""

from django_tasks import task

from tandem.messaging.delivery import webhook_delivery_attempt


@task()
def webhook_deliver(*, delivery_id: int, attempt: int) -> str:
    """Send one webhook delivery from the worker, so a slow receiver never slows a page."""
    return webhook_delivery_attempt(delivery_id=delivery_id, attempt=attempt)
