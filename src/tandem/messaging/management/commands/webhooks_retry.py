from django.core.management.base import BaseCommand

from tandem.messaging.webhooks import webhook_deliveries_retry


class Command(BaseCommand):
    help = "Queue the next attempt of webhook deliveries that are due (run every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"{webhook_deliveries_retry()} webhook deliveries queued")
