from django.core.management.base import BaseCommand

from tandem.orders.housekeeping import orders_cancel_unpaid, orders_expire_approvals
from tandem.orders.recurring import recurring_run_due


class Command(BaseCommand):
    help = ("Expire approvals that waited too long, cancel unpaid prepaid orders and place due recurring "
            "orders (run every few minutes).")

    def handle(self, *args, **options):
        expired = orders_expire_approvals()
        unpaid = orders_cancel_unpaid()
        placed, failed = recurring_run_due()
        self.stdout.write(f"{expired} approvals expired, {unpaid} unpaid orders cancelled, "
                          f"{placed} recurring orders placed, {failed} failed (paused, buyer told)")
