from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "tandem.storefront"
    label = "storefront"
    verbose_name = "Storefront"
