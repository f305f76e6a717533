from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "tandem.service"
    label = "service"
    verbose_name = _("Customer service")

    def ready(self) -> None:
        from tandem.core.housekeeping import housekeeping_job
        from tandem.orders.notifications import confirmation_part_register
        from tandem.service.recommendations import order_email_suggestions, recommendations_housekeeping

        housekeeping_job("recommendations", recommendations_housekeeping, order=70)
        confirmation_part_register(order_email_suggestions)
