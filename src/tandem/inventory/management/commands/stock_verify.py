from django.core.management.base import BaseCommand, CommandError

from tandem.inventory.selectors import stock_ledger_differences


class Command(BaseCommand):
    help = "Check that every stock row's on hand and reserved equal the sums of its movements."

    def handle(self, *args, **options):
        differences = stock_ledger_differences()
        for row in differences:
            self.stderr.write(
                f"stock item {row.item_id}: on hand {row.on_hand} "
                f"(movements {row.movements_on_hand}), reserved {row.reserved} "
                f"(movements {row.movements_reserved})"
            )
        if differences:
            raise CommandError(f"{len(differences)} stock rows differ from their movements")
        self.stdout.write("Every stock row equals the sum of its movements.")
