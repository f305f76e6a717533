from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "tandem.quotes"
    label = "quotes"
    verbose_name = _("Quotes and offers")

    def ready(self) -> None:
        from tandem.core.housekeeping import housekeeping_job
        from tandem.quotes.services import offers_expire

        housekeeping_job("offers", lambda: f"{offers_expire()} offers expired", order=40)
