import time

from django.core.management.base import BaseCommand

from tandem.demo.generator import seed_all


class Command(BaseCommand):
    help = "Load the demo shop, or bulk-generate a large catalog for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="the demo: 520 products, 5 companies")
        parser.add_argument("--products", type=int, default=520)
        parser.add_argument("--companies", type=int, default=5)
        parser.add_argument("--no-images", action="store_true")

    def handle(self, *args, **options):
        started = time.monotonic()
        products = 520 if options["demo"] else options["products"]
        companies = 5 if options["demo"] else options["companies"]

        def progress(done: int) -> None:
            if products >= 10_000:
                self.stdout.write(f"  {done} products…")

        result = seed_all(
            products=products, companies=companies, images=not options["no_images"], progress=progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result['products']} products in {result['categories']} categories and "
                f"{result['companies']} companies in {time.monotonic() - started:.1f} s."
            )
        )
