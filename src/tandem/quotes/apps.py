from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "tandem.quotes"
    label = "quotes"
    verbose_name = "Quotes and offers"
