from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "tandem.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from tandem.core.housekeeping import housekeeping_job
        from tandem.privacy.services import personal_data_retention_apply

        housekeeping_job("privacy retention", personal_data_retention_apply, order=80)
