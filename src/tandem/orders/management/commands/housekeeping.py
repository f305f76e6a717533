from django.core.management.base import BaseCommand

from tandem.orders.housekeeping import orders_cancel_unpaid, orders_expire_approvals


class Command(BaseCommand):
    help = "Expire approvals that waited too long and cancel unpaid prepaid orders (run every few minutes)."

    def handle(self, *args, **options):
        expired = orders_expire_approvals()
        unpaid = orders_cancel_unpaid()
        self.stdout.write(f"{expired} approvals expired, {unpaid} unpaid orders cancelled")
