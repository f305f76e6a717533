from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class BillingConfig(AppConfig):
    name = "tandem.billing"
    label = "billing"
    verbose_name = pgettext_lazy("application", "Billing")  # not the billing address

    def ready(self) -> None:
        from tandem.billing.documents.exports import INVOICES_EXPORT
        from tandem.billing.receivables.reminders import reminders_send
        from tandem.billing.subscribers import subscribe_billing
        from tandem.core.exports import export_kind
        from tandem.core.housekeeping import housekeeping_job

        subscribe_billing()
        housekeeping_job("reminders", lambda: f"{reminders_send()} payment reminders sent", order=50)
        export_kind(INVOICES_EXPORT)
