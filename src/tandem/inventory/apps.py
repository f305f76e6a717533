from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "tandem.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from tandem.core.exports import export_kind
        from tandem.inventory.exports import STOCK_EXPORT

        export_kind(STOCK_EXPORT)
