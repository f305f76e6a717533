from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "tandem.feeds"
    label = "feeds"
    verbose_name = _("Catalog feeds")

    def ready(self) -> None:
        from tandem.core.events import subscribe
        from tandem.core.housekeeping import housekeeping_job
        from tandem.feeds.tasks import CATALOG_EVENTS, feeds_mark_stale_on, feeds_refresh

        for name in CATALOG_EVENTS:
            subscribe(name, feeds_mark_stale_on)
        housekeeping_job("catalog feeds", feeds_refresh, order=60)
