from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "tandem.checkout"
    label = "checkout"
    verbose_name = _("Checkout")

    def ready(self) -> None:
        from tandem.checkout.recurring_runs import recurring_runs_report
        from tandem.core.housekeeping import housekeeping_job

        housekeeping_job("recurring orders", recurring_runs_report, order=20)
