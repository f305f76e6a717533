from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "tandem.checkout"
    label = "checkout"
    verbose_name = "Checkout"
