from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.money import gross_from_net, net_from_gross, round_money

rates = st.sampled_from([Decimal(r) for r in ("0", "5", "7", "8", "9", "19", "20", "21", "23", "27")])
nets = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("1.005", "PLN", "1.01"), ("1.004", "EUR", "1.00"), ("2.5", "JPY", "3"), ("-1.005", "PLN", "-1.01")],
    ids=["half-up", "down", "zero-decimals", "negative-half-up"],
)
def test_round_money_rounds_half_up_to_the_minor_unit(amount, currency, expected):
    assert round_money(Decimal(amount), currency) == Decimal(expected)


def test_gross_from_net_at_23_percent():
    assert gross_from_net(Decimal("100.00"), Decimal("23"), "PLN") == Decimal("123.00")
    assert net_from_gross(Decimal("123.00"), Decimal("23"), "PLN") == Decimal("100.00")


@given(net=nets, rate=rates)
def test_net_to_gross_and_back_round_trips_to_the_cent(net, rate):
    """A B2B net price shown to a B2C shopper and converted back is the same price."""
    gross = gross_from_net(net, rate, "PLN")
    assert net_from_gross(gross, rate, "PLN") == net
