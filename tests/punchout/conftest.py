from decimal import Decimal

import pytest

from tandem.core.tokens import token_digest
from tandem.customers.models import CompanyRole
from tandem.punchout.credentials import credential_create
from tandem.punchout.models import PunchoutCredential
from tests.factories import (
    company_address,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
)

HOOK_URL = "https://sap.acme.example/sap/bc/gui/sap/its/bbpsc02?~OkCode=ADDI"
RETURN_URL = "https://ariba.acme.example/punchout/return"


class Shop:
    """ACME (admin, buyer; a sales rep) with a drill at 100.00 net and a product restricted to
    ACME's catalog; Other Ltd with its own admin."""

    def __init__(self):
        make_delivery("courier", price_net="0.00")
        self.rep = make_user("rep@shop.test", is_staff=True)
        self.acme = make_company("ACME", credit_limit=Decimal("10000"), sales_rep=self.rep)
        self.admin = make_company_user(self.acme, CompanyRole.ADMIN, email="boss@acme.test")
        self.buyer = make_company_user(self.acme, CompanyRole.BUYER, email="buyer@acme.test")
        self.address = company_address(self.acme)
        self.drill = make_product("Cordless drill", net="100.00", stock=50, brand="Tandem").variants.get()
        self.drill.sku, self.drill.gtin, self.drill.unit = "DRILL-18V", "5901234123457", "pcs"
        self.drill.save()
        restricted = make_product("ACME special", net="40.00", stock=50, b2b_restricted=True)
        restricted.b2b_companies.add(self.acme)
        self.special = restricted.variants.get()
        self.special.unit = "box"
        self.special.save()
        self.other = make_company("Other", credit_limit=Decimal("10000"))
        self.other_admin = make_company_user(self.other, CompanyRole.ADMIN, email="boss@other.test")
        self.other_buyer = make_company_user(self.other, CompanyRole.BUYER, email="buyer@other.test")


@pytest.fixture
def shop(db) -> Shop:
    return Shop()


def connect(shop: Shop, *, protocol: str, identity: str, buyer=None, secret: str = "", **fields):
    """A connection made by ACME's admin (or another company's, with ``buyer`` of it); with
    ``secret`` its secret is set to that known value (as the docs' examples need)."""
    buyer = buyer or shop.buyer
    admin = shop.admin if buyer.company_user.company_id == shop.acme.pk else shop.other_admin
    credential, made = credential_create(
        actor=admin,
        name=fields.pop("name", "SAP SRM"),
        protocol=protocol,
        identity=identity,
        buyer_user_id=buyer.pk,
        **fields,
    )
    if secret:
        PunchoutCredential.objects.filter(pk=credential.pk).update(secret_hash=token_digest(secret))
        made = secret
    return credential, made
