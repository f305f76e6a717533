from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "tandem.pricing"
    label = "pricing"
    verbose_name = _("Pricing")

    def ready(self) -> None:
        from tandem.core.exports import export_kind
        from tandem.pricing.exports import LIST_PRICES_EXPORT

        export_kind(LIST_PRICES_EXPORT)
