from decimal import Decimal

from tandem.core.context import Channel, CustomerContext
from tandem.pricing import engine


def context(channel: str, currency: str = "PLN") -> CustomerContext:
    return CustomerContext(channel=channel, currency=currency, country="PL", language="en")


def variant(**prices) -> engine.VariantPricing:
    return engine.VariantPricing(
        variant_id=1,
        tax_rate=Decimal("23"),
        base_prices={tuple(key.split("_")): Decimal(value) for key, value in prices.items()},
    )


def test_retail_shopper_sees_the_stored_gross_list_price():
    result = engine.resolve_one(context(Channel.B2C), variant(b2c_PLN="123.00"))
    assert (result.unit_display, result.unit_net, result.includes_tax) == (
        Decimal("123.00"),
        Decimal("100.00"),
        True,
    )
    assert result.source == engine.PriceSource.BASE_LIST
    assert result.explanation == ("list price 123.00 PLN (gross)",)


def test_company_buyer_sees_the_stored_net_wholesale_price():
    result = engine.resolve_one(context(Channel.B2B), variant(b2c_PLN="123.00", b2b_PLN="90.00"))
    assert (result.unit_display, result.unit_gross, result.includes_tax) == (
        Decimal("90.00"),
        Decimal("110.70"),
        False,
    )


def test_company_buyer_without_a_wholesale_price_gets_the_retail_price_converted_to_net():
    result = engine.resolve_one(context(Channel.B2B), variant(b2c_PLN="123.00"))
    assert result.unit_display == Decimal("100.00")
    assert result.explanation == (
        "Retail (B2C) list price 123.00 PLN (gross)",
        "converted to net at VAT 23%: 100.00",
    )


def test_retail_shopper_without_a_retail_price_gets_the_net_price_plus_vat():
    result = engine.resolve_one(context(Channel.B2C), variant(b2b_PLN="10.00"))
    assert result.unit_display == Decimal("12.30")


def test_no_price_in_the_currency_means_no_price():
    assert engine.resolve_one(context(Channel.B2C, "EUR"), variant(b2c_PLN="123.00")) is None
    assert engine.resolve(context(Channel.B2C, "EUR"), [(variant(b2c_PLN="1.00"), 1)]) == {}


def test_a_foreign_company_gets_the_retail_price_net_of_the_shop_countrys_vat():
    """123.00 gross contains Polish VAT (23 %): net is 100.00 for a German buyer too."""
    german = CustomerContext(channel=Channel.B2B, currency="PLN", country="DE", language="en")
    pricing = engine.VariantPricing(
        variant_id=1,
        tax_rate=Decimal("19"),
        list_tax_rate=Decimal("23"),
        base_prices={("b2c", "PLN"): Decimal("123.00")},
    )
    result = engine.resolve_one(german, pricing)
    assert (result.unit_net, result.unit_gross) == (Decimal("100.00"), Decimal("119.00"))
    assert result.explanation[-1] == "converted to net at VAT 23%: 100.00"


def test_vat_rates_read_naturally_in_explanations():
    pricing = engine.VariantPricing(
        variant_id=1, tax_rate=Decimal("20.00"), base_prices={("b2b", "PLN"): Decimal("10.00")}
    )
    result = engine.resolve_one(context(Channel.B2C), pricing)
    assert result.explanation[-1] == "converted to gross at VAT 20%: 12.00"
