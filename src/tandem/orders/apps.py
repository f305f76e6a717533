from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "tandem.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from tandem.orders.notifications import subscribe_order_emails

        subscribe_order_emails()
