from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "tandem.cart"
    label = "cart"
    verbose_name = "Cart"
