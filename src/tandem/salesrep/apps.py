from django.apps import AppConfig


class SalesRepConfig(AppConfig):
    name = "tandem.salesrep"
    label = "salesrep"
    verbose_name = "Sales-rep panel"
