import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tandem.pricing.errors import QuantityRuleError
from tandem.pricing.quantity import QuantityRule, quantity_check


@pytest.mark.parametrize(
    ("rule", "quantity", "code", "message"),
    [
        (
            QuantityRule(10),
            3,
            "quantity_below_minimum",
            "The minimum order quantity is 10; nearest valid quantity: 10.",
        ),
        (
            QuantityRule(1, 100),
            250,
            "quantity_above_maximum",
            "The maximum order quantity is 100; nearest valid quantity: 100.",
        ),
        (
            QuantityRule(1, None, 6),
            13,
            "quantity_not_multiple",
            "This item is sold in multiples of 6; nearest valid quantity: 12.",
        ),
        (
            QuantityRule(1, None, 6),
            15,
            "quantity_not_multiple",
            "This item is sold in multiples of 6; nearest valid quantity: 18.",
        ),
        (QuantityRule(5, None, 5), 0, "quantity_not_positive", "The quantity must be at least 1."),
    ],
    ids=["below-minimum", "above-maximum", "multiple-rounds-down", "multiple-tie-rounds-up", "zero"],
)
def test_a_broken_rule_says_what_is_wrong_and_the_nearest_valid_quantity(rule, quantity, code, message):
    with pytest.raises(QuantityRuleError) as error:
        quantity_check(rule, quantity)
    assert (error.value.code, str(error.value.message)) == (code, message)


def test_valid_quantities_pass():
    quantity_check(QuantityRule(10, 100, 5), 55)


@given(
    minimum=st.integers(1, 50),
    step=st.integers(1, 12),
    extra=st.one_of(st.none(), st.integers(0, 200)),
    quantity=st.integers(1, 10_000),
)
def test_the_suggested_quantity_always_obeys_the_rule(minimum, step, extra, quantity):
    rule = QuantityRule(minimum, None if extra is None else minimum + extra, step)
    lowest = -(-minimum // step) * step
    assume(rule.maximum is None or lowest <= rule.maximum)  # the rule admits some quantity
    quantity_check(rule, rule.valid_quantities_near(quantity))
