from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "tandem.orders"
    label = "orders"
    verbose_name = "Orders"
