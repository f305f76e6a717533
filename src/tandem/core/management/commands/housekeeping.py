from django.core.management.base import BaseCommand

from tandem.core.housekeeping import housekeeping_run


class Command(BaseCommand):
    help = (
        "Run the periodic jobs every app registers (expire approvals and unpaid orders, place due "
        "recurring orders, retry webhooks, expire offers, send payment reminders, deliver late "
        "domain events). Run it every few minutes."
    )

    def handle(self, *args, **options):
        for line in housekeeping_run():
            self.stdout.write(line)
