"""``tandem manage recommendations``: compute the recommendations now (the scheduler asks the
worker for it every RECOMMENDATIONS_INTERVAL_HOURS)."""

from django.core.management.base import BaseCommand

from tandem.service.recommendations import recommendations_compute


class Command(BaseCommand):
    help = "Compute the recommendations (bought together, for you, buy again) from the order book."

    def handle(self, *args, **options) -> None:
        self.stdout.write(recommendations_compute().line())
