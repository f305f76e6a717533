from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from tandem.core.events import outbox_deliver_pending
        from tandem.core.housekeeping import housekeeping_job

        housekeeping_job(
            "domain events", lambda: f"{outbox_deliver_pending()} domain events delivered late", order=90
        )  # last: what the other jobs published is delivered too
