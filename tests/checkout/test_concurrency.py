"""Races at checkout between real parallel transactions: stock, credit, coupons, double
submissions (PostgreSQL only: see tests/concurrency.py)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from tandem.billing.errors import CreditLimitExceeded
from tandem.checkout.errors import CheckoutError
from tandem.checkout.services import order_place
from tandem.core.errors import DomainError
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem, StockMovement
from tandem.orders.models import Order
from tandem.pricing.models import Promotion
from tests.checkout.conftest import company_details, retail_details
from tests.concurrency import run_at_once
from tests.factories import (
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_coupon,
    make_delivery,
    make_product,
    user_context,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_twenty_buyers_for_five_units_make_exactly_five_orders():
    make_delivery("courier")
    variant = make_product(stock=5).variants.get()
    carts = [make_cart(lines=[(variant, 1)]) for _ in range(20)]
    results = run_at_once(
        [
            lambda cart=cart: order_place(
                cart=cart, context=b2c_context(), details=retail_details(), acting_user=AnonymousUser()
            )
            for cart in carts
        ]
    )
    orders = [result for result in results if isinstance(result, Order)]
    refusals = [result for result in results if isinstance(result, CheckoutError)]
    assert len(orders) == 5 and len(refusals) == 15, results
    assert StockItem.objects.get().reserved == 5
    assert Order.objects.count() == 5


def test_two_users_of_one_company_cannot_both_pass_the_credit_limit():
    make_delivery("courier", price_net="0.00")
    company = make_company(credit_limit=Decimal("1000.00"))
    address = company_address(company)
    variant = make_product(net="500.00", gross=None, stock=100).variants.get()  # 615.00 gross
    users = [make_company_user(company, CompanyRole.BUYER) for _ in range(2)]
    carts = [make_cart(user=user, lines=[(variant, 1)]) for user in users]
    results = run_at_once(
        [
            lambda user=user, cart=cart: order_place(
                cart=cart, context=user_context(user), acting_user=user, details=company_details(address.pk)
            )
            for user, cart in zip(users, carts, strict=True)
        ]
    )
    assert sorted(type(result).__name__ for result in results) == ["CreditLimitExceeded", "Order"], results
    refusal = next(result for result in results if isinstance(result, CreditLimitExceeded))
    assert "available credit of 385.00 PLN by 230.00 PLN" in str(refusal.message)
    assert Order.objects.count() == 1


def test_a_coupon_with_one_use_left_is_used_once():
    make_delivery("courier")
    coupon = make_coupon("LAST", value="10", usage_limit=3)
    Promotion.objects.filter(pk=coupon.pk).update(times_used=2)
    variant = make_product(stock=100).variants.get()
    carts = [make_cart(lines=[(variant, 1)]) for _ in range(6)]
    for cart in carts:
        cart.coupon_code = "LAST"
        cart.save()
    results = run_at_once(
        [
            lambda n=n, cart=cart: order_place(
                cart=cart,
                context=b2c_context(),
                acting_user=AnonymousUser(),
                details=retail_details(email=f"buyer{n}@shop.test"),
            )
            for n, cart in enumerate(carts)
        ]
    )
    orders = [result for result in results if isinstance(result, Order)]
    assert len(orders) == 1, results
    assert all(
        isinstance(result, DomainError) and result.code == "coupon_used_up"
        for result in results
        if not isinstance(result, Order)
    )
    coupon.refresh_from_db()
    assert coupon.times_used == 3


def test_the_same_submission_twice_at_once_makes_one_order():
    make_delivery("courier")
    variant = make_product(stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    results = run_at_once(
        [
            lambda: order_place(
                cart=cart,
                context=b2c_context(),
                details=retail_details(),
                acting_user=AnonymousUser(),
                idempotency_key="submit-1",
            )
            for _ in range(2)
        ]
    )
    assert Order.objects.count() == 1
    assert [getattr(result, "pk", result) for result in results] == [Order.objects.get().pk] * 2


def test_orders_placed_at_once_get_gapless_numbers_and_their_stock_says_which():
    """The number is taken at the end of each checkout: twelve at once still get 1..12, and
    every stock movement names its order's final number."""
    make_delivery("courier")
    variant = make_product(stock=100).variants.get()
    carts = [make_cart(lines=[(variant, 1)]) for _ in range(12)]
    results = run_at_once(
        [
            lambda cart=cart: order_place(
                cart=cart, context=b2c_context(), details=retail_details(), acting_user=AnonymousUser()
            )
            for cart in carts
        ]
    )
    orders = [result for result in results if isinstance(result, Order)]
    assert len(orders) == 12, results
    year = orders[0].created_at.year
    assert sorted(Order.objects.values_list("number", flat=True)) == [f"{year}-{n:06d}" for n in range(1, 13)]
    references = set(StockMovement.objects.filter(kind="reserve").values_list("reference", flat=True))
    assert references == {f"order:{order.number}" for order in Order.objects.all()}
