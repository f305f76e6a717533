from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "tandem.checkout"
    label = "checkout"
    verbose_name = "Checkout"

    def ready(self) -> None:
        from tandem.checkout.recurring_runs import recurring_runs_report
        from tandem.core.housekeeping import housekeeping_job

        housekeeping_job("recurring orders", recurring_runs_report, order=20)
