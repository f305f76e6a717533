from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tandem.pricing import promotions
from tandem.pricing.errors import CouponError
from tandem.pricing.totals import document_totals
from tests.factories import b2c_context

NOW = timezone.now()


def rule(**fields) -> promotions.PromotionRule:
    defaults = dict(
        id=1,
        name="Ten off",
        code="TEN",
        kind="percent",
        value=Decimal(10),
        currency="PLN",
        minimum_order=Decimal(0),
        channel="b2c",
    )
    return promotions.PromotionRule(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "uses", "value", "code"),
    [
        ({"valid_until": NOW - timedelta(days=1)}, 0, "100", "coupon_expired"),
        ({"valid_from": NOW + timedelta(days=1)}, 0, "100", "coupon_not_started"),
        ({"usage_limit": 5, "times_used": 5}, 0, "100", "coupon_used_up"),
        ({"usage_limit_per_customer": 1}, 1, "100", "coupon_customer_limit"),
        ({"minimum_order": Decimal(200)}, 0, "199.99", "coupon_minimum_not_reached"),
        ({"channel": "b2b"}, 0, "100", "coupon_wrong_channel"),
        ({"is_active": False}, 0, "100", "coupon_invalid"),
        ({"currency": "EUR"}, 0, "100", "coupon_invalid"),
    ],
    ids=["expired", "not-started", "used-up", "per-customer", "minimum", "channel", "inactive", "currency"],
)
def test_a_coupon_that_cannot_be_used_says_why(fields, uses, value, code):
    signed_in = replace(b2c_context(), user_id=7)
    with pytest.raises(CouponError) as error:
        promotions.coupon_check(
            rule(**fields), context=signed_in, now=NOW, goods_value=Decimal(value), customer_uses=uses
        )
    assert error.value.code == code


def test_a_coupon_limited_per_customer_needs_an_account():
    """A guest could give another e-mail each time; an account is one customer."""
    limited = rule(usage_limit_per_customer=1)
    with pytest.raises(CouponError) as error:
        promotions.coupon_check(
            limited, context=b2c_context(), now=NOW, goods_value=Decimal(100), customer_uses=0
        )
    assert error.value.code == "coupon_sign_in"
    signed_in = replace(b2c_context(), user_id=7)
    promotions.coupon_check(limited, context=signed_in, now=NOW, goods_value=Decimal(100), customer_uses=0)
    promotions.coupon_check(rule(), context=b2c_context(), now=NOW, goods_value=Decimal(100), customer_uses=0)


def test_a_fixed_discount_never_exceeds_the_order():
    applied = promotions.discount_of(rule(kind="fixed", value=Decimal(50)), Decimal("30.00"))
    assert applied.amount == Decimal("30.00")


def test_the_best_qualifying_automatic_promotion_applies():
    rules = [
        rule(id=1, code="", value=Decimal(5), minimum_order=Decimal(500)),
        rule(id=2, code="", value=Decimal(8), minimum_order=Decimal(1000)),
        rule(id=3, code="COUPON", value=Decimal(50)),
    ]
    best = promotions.best_automatic(rules, context=b2c_context(), now=NOW, goods_value=Decimal("600"))
    assert (best.rule.id, best.amount) == (1, Decimal("30.00"))
    below = promotions.best_automatic(rules, context=b2c_context(), now=NOW, goods_value=Decimal("499"))
    assert below is None


@given(
    amount=st.decimals(min_value=0, max_value=10_000, places=2),
    weights=st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=5_000, places=2), min_size=1, max_size=30
    ),
)
def test_a_discount_is_split_over_lines_to_the_cent(amount, weights):
    amount = min(amount, sum(weights))
    parts = promotions.allocate(amount, weights, "PLN")
    assert sum(parts) == amount
    assert all(Decimal(0) <= part <= weight for part, weight in zip(parts, weights, strict=True))


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=100_000, places=2),
            st.sampled_from([Decimal(23), Decimal(8), Decimal(5), Decimal(0)]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_document_totals_equal_the_per_rate_sums(lines):
    totals = document_totals(lines, "PLN")
    assert totals.net == sum(net for net, _rate in lines)
    assert totals.tax == sum(rate.tax for rate in totals.rates)
    assert totals.gross == totals.net + totals.tax
    for rate in totals.rates:
        net = sum(net for net, line_rate in lines if line_rate == rate.rate)
        assert rate.net == net
        assert rate.tax == (net * rate.rate / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_vat_is_computed_on_the_sum_of_line_nets_not_per_line():
    # three lines of 0.02 at 23 %: per line VAT would round to 0.00 each; on the sum it is 0.01
    totals = document_totals([(Decimal("0.02"), Decimal(23))] * 3, "PLN")
    assert (totals.net, totals.tax) == (Decimal("0.06"), Decimal("0.01"))


@given(
    st.decimals(min_value=0, max_value=1_000_000, places=2),
    st.sampled_from([Decimal(23), Decimal(8), Decimal(5), Decimal(19), Decimal(0)]),
)
def test_a_retail_gross_total_is_reached_from_its_net_to_the_cent_or_one_below(gross, rate):
    from tandem.pricing.totals import net_for_gross

    net = net_for_gross(gross, rate, "PLN")
    total = document_totals([(net, rate)], "PLN").gross
    assert gross - Decimal("0.01") <= total <= gross
