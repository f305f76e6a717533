from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "tandem.billing"
    label = "billing"
    verbose_name = "Billing"
