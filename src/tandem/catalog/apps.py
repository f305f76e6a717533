from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tandem.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from tandem.catalog.exports import PRODUCTS_EXPORT
        from tandem.core.exports import export_kind

        export_kind(PRODUCTS_EXPORT)
