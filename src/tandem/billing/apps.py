from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "tandem.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from tandem.billing.subscribers import subscribe_billing

        subscribe_billing()
