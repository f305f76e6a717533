from decimal import Decimal

import pytest

from tandem.customers.selectors import customer_context_for
from tandem.customers.vat_check import reverse_charge_applies
from tandem.pricing.selectors import prices_for_variants
from tests.factories import make_company, make_company_user, make_product


@pytest.mark.parametrize(
    ("vat_id", "country", "applies"),
    [
        ("DE136695976", "DE", True),
        ("BG175074752", "BG", True),
        ("DE136695975", "DE", False),
        ("PL5260001246", "PL", False),
        ("CHE-116.281.710", "CH", False),
        ("", "DE", False),
    ],
    ids=["germany", "bulgaria", "bad-checksum", "home-country", "outside-eu", "no-vat-id"],
)
def test_reverse_charge_needs_a_valid_vat_id_in_another_member_state(vat_id, country, applies):
    assert reverse_charge_applies(vat_id=vat_id, country=country) is applies


class RejectingChecker:
    def is_valid(self, vat_id, country):
        return False


def test_the_vat_checker_is_replaceable(settings):
    settings.VAT_CHECKER = "tests.customers.test_vat_check.RejectingChecker"
    assert reverse_charge_applies(vat_id="DE136695976", country="DE") is False


@pytest.mark.django_db
def test_a_german_company_buys_net_without_vat_and_is_told_so(client):
    product = make_product("Drill", gross="123.00", currency="EUR")
    german = make_company("Schmidt GmbH", country="DE")
    user = make_company_user(german)
    context = customer_context_for(user, language="en")
    variant = product.variants.get()
    price = prices_for_variants(context, [(variant.pk, variant.tax_class_id)])[variant.pk]
    assert (price.unit_net, price.unit_gross, price.tax_rate) == (
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("0"),
    )
    assert price.explanation[-1] == "reverse charge: 0% VAT, the buyer accounts for VAT"
    client.force_login(user)
    assert 'data-testid="reverse-charge"' in client.get("/").text


@pytest.mark.django_db
def test_a_company_in_the_shops_country_pays_vat(buyer):
    context = customer_context_for(buyer, language="en")
    assert context.reverse_charge is False
