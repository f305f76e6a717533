from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from tandem.core.events import outbox_deliver_pending, outbox_prune
        from tandem.core.exports import exports_expire
        from tandem.core.housekeeping import housekeeping_job
        from tandem.core.idempotency import idempotent_requests_forget
        from tandem.core.lookups import lookups_register
        from tandem.core.metrics import core_metrics_register
        from tandem.core.request_memo import request_memo_end, request_memo_start
        from tandem.core.scheduler import stalled_tasks_requeue

        lookups_register()
        core_metrics_register()
        request_started.connect(request_memo_start, dispatch_uid="request_memo_start")
        request_finished.connect(request_memo_end, dispatch_uid="request_memo_end")

        housekeeping_job("old idempotency keys", idempotent_requests_forget)
        housekeeping_job("old exports", exports_expire)
        housekeeping_job("stalled tasks", stalled_tasks_requeue, order=5)

        housekeeping_job(
            "old domain events",
            lambda: f"{outbox_prune(keep_days=settings.OUTBOX_KEEP_DAYS)} delivered domain events removed",
            order=95,
        )
        # last: what the other jobs published is delivered too, then the old ones go
        housekeeping_job(
            "domain events", lambda: f"{outbox_deliver_pending()} domain events delivered late", order=90
        )
