from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tandem.messaging"
    label = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from tandem.core.housekeeping import housekeeping_job
        from tandem.core.metrics import metric_family
        from tandem.messaging.quote_notices import subscribe_quote_notices
        from tandem.messaging.subscribers import subscribe_notifications
        from tandem.messaging.webhooks import webhook_deliveries_by_status, webhook_deliveries_retry

        subscribe_notifications()
        subscribe_quote_notices()
        housekeeping_job(
            "webhooks", lambda: f"{webhook_deliveries_retry()} webhook deliveries retried", order=30
        )
        metric_family(
            "tandem_webhook_deliveries",
            "Webhook deliveries by status (failed: given up after the last retry)",
            webhook_deliveries_by_status,
            labels=("status",),
        )
