from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "tandem.pricing"
    label = "pricing"
    verbose_name = "Pricing"
