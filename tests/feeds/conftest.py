"""A small catalog for feeds: a public drill with volume prices for ACME, a wholesale-only product
restricted to ACME, and two companies — ACME with its own contract price list, Balkan without."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tandem.catalog.models import Product, Variant, Visibility
from tandem.customers.models import Company, CompanyRole, User
from tandem.feeds.models import Feed
from tandem.feeds.services import feed_create
from tandem.feeds.tasks import feed_write
from tandem.pricing.models import PriceList, PriceListEntry
from tests.factories import make_company, make_company_user, make_product


@dataclass
class Shop:
    acme: Company
    balkan: Company
    acme_admin: User
    balkan_admin: User
    drill: Variant
    restricted: Product
    contract: PriceList


@pytest.fixture
def shop(db) -> Shop:
    acme = make_company("ACME")
    balkan = make_company("Balkan")
    drill_product = make_product(
        "Drill",
        net="100.00",
        gross="123.00",
        stock=7,
        brand="Bosch",
        description="Cordless, 18 V.",
        translations={"pl": {"name": "Wiertarka", "description": "Akumulatorowa, 18 V."}},
    )
    drill = drill_product.variants.get()
    drill.gtin = "5901234123457"
    drill.save(update_fields=["gtin"])
    restricted = make_product(
        "Contract saw", net="500.00", gross="615.00", visibility=Visibility.B2B, b2b_restricted=True
    )
    restricted.b2b_companies.add(acme)
    contract = PriceList.objects.create(name="ACME contract", code="acme", currency="PLN")
    contract.companies.add(acme)
    PriceListEntry.objects.create(price_list=contract, variant=drill, min_quantity=1, price=Decimal("90.00"))
    PriceListEntry.objects.create(price_list=contract, variant=drill, min_quantity=10, price=Decimal("80.00"))
    return Shop(
        acme=acme,
        balkan=balkan,
        acme_admin=make_company_user(acme, CompanyRole.ADMIN, email="boss@acme.test"),
        balkan_admin=make_company_user(balkan, CompanyRole.ADMIN, email="boss@balkan.test"),
        drill=drill,
        restricted=restricted,
        contract=contract,
    )


def written(company: Company, admin: User, file_format: str, language: str = "en") -> tuple[Feed, str]:
    """A feed of ``company`` in ``file_format``, its file written; the feed and its token."""
    feed, token = feed_create(actor=admin, company=company, file_format=file_format, language=language)
    feed_write(feed.pk)
    feed.refresh_from_db()
    return feed, token


def content(feed: Feed) -> bytes:
    with feed.file.open("rb") as file:
        return file.read()
