from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "tandem.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from tandem.core.exports import export_kind
        from tandem.core.housekeeping import housekeeping_job
        from tandem.customers import cache_invalidation, sessions
        from tandem.customers.exports import COMPANIES_EXPORT
        from tandem.customers.registration import unconfirmed_registrations_remove
        from tandem.customers.roles import staff_roles_sync_after_migrate

        post_migrate.connect(staff_roles_sync_after_migrate)
        housekeeping_job("unconfirmed registrations", unconfirmed_registrations_remove)
        cache_invalidation.connect()
        sessions.connect()
        export_kind(COMPANIES_EXPORT)
