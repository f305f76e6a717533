import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from tandem.core.scheduler import scheduler_run


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (housekeeping) every SCHEDULER_INTERVAL_SECONDS and ask the worker "
        "for a heartbeat; run one per server: a lease lets exactly one act. Stops on SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=settings.SCHEDULER_INTERVAL_SECONDS)
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between lease checks")
        parser.add_argument("--once", action="store_true", help="one tick, then stop")

    def handle(self, *args, interval, tick, once, **options):
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        scheduler_run(interval=interval, tick=tick, once=once, stop=lambda: bool(stopping))
