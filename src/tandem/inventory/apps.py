from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "tandem.inventory"
    label = "inventory"
    verbose_name = "Inventory"
