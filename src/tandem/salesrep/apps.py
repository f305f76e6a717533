from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesRepConfig(AppConfig):
    name = "tandem.salesrep"
    label = "salesrep"
    verbose_name = _("Sales-rep panel")
