from django.core.management.base import BaseCommand

from tandem.billing.reminders import reminders_send
from tandem.core.events import outbox_deliver_pending
from tandem.messaging.webhooks import webhook_deliveries_retry
from tandem.orders.housekeeping import orders_cancel_unpaid, orders_expire_approvals
from tandem.orders.recurring import recurring_run_due
from tandem.quotes.services import offers_expire


class Command(BaseCommand):
    help = ("Expire approvals that waited too long, cancel unpaid prepaid orders, place due recurring "
            "orders, retry failed webhook deliveries and expire offers (run every few minutes).")

    def handle(self, *args, **options):
        expired = orders_expire_approvals()
        unpaid = orders_cancel_unpaid()
        placed, failed = recurring_run_due()
        retried = webhook_deliveries_retry()
        offers = offers_expire()
        self.stdout.write(f"{expired} approvals expired, {unpaid} unpaid orders cancelled, "
                          f"{placed} recurring orders placed, {failed} failed (paused, buyer told), "
                          f"{retried} webhook deliveries retried, {offers} offers expired")
        self.stdout.write(f"{reminders_send()} payment reminders sent")
        self.stdout.write(f"{outbox_deliver_pending()} domain events delivered late")
