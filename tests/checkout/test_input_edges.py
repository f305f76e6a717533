"""Edges of placing an order: a key names one submission, delivery dates within a horizon,
and "sold out" is one answer whenever it is found."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.cart.models import CartLine
from tandem.checkout.errors import CheckoutError, IdempotencyKeyReused, OutOfStock
from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    user_context,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer():
    make_delivery("courier", price_net="0.00")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    user = make_company_user(company, CompanyRole.ADMIN, email="boss@acme.test")
    return user, company_details(company_address(company).pk)


def _place(buyer, cart, **extra):
    user, details = buyer
    return order_place(cart=cart, context=user_context(user), acting_user=user, details=details, **extra)


def test_a_key_brings_back_its_order_for_the_same_submission_and_refuses_another_cart(buyer):
    drill, saw = (make_product(name, stock=50).variants.get() for name in ("Drill", "Saw"))
    cart = make_cart(user=buyer[0], lines=[(drill, 2)])

    order = _place(buyer, cart, idempotency_key="form-1")
    assert _place(buyer, cart, idempotency_key="form-1") == order  # the double click: cart emptied

    CartLine.objects.create(cart=cart, variant=drill, quantity=2)  # the same again, racing
    assert _place(buyer, cart, idempotency_key="form-1") == order
    cart.lines.all().delete()
    CartLine.objects.create(cart=cart, variant=saw, quantity=1)  # a new order behind an old key
    with pytest.raises(IdempotencyKeyReused) as refused:
        _place(buyer, cart, idempotency_key="form-1")
    assert (refused.value.code, refused.value.status) == ("idempotency_key_reused", 422)
    assert order.number in str(refused.value.message)
    assert _place(buyer, cart, idempotency_key="form-2").number != order.number


@pytest.mark.parametrize(
    ("requested", "code"),
    [(date(9999, 12, 31), "delivery_date_too_far"), (None, "delivery_date_past")],
)
def test_a_delivery_date_must_lie_between_today_and_the_horizon(buyer, settings, requested, code):
    settings.DELIVERY_DATE_HORIZON_DAYS = 365
    requested = requested or timezone.localdate() - timedelta(days=1)
    user, details = buyer
    drill = make_product("Drill", stock=50).variants.get()
    cart = make_cart(user=user, lines=[(drill, 1)])
    with pytest.raises(CheckoutError) as refused:
        order_place(
            cart=cart,
            context=user_context(user),
            acting_user=user,
            details=replace(details, requested_delivery_date=requested),
        )
    assert (refused.value.code, refused.value.field) == (code, "requested_delivery_date")
    last_day = timezone.localdate() + timedelta(days=365)
    order = order_place(
        cart=cart,
        context=user_context(user),
        acting_user=user,
        details=replace(details, requested_delivery_date=last_day),
    )
    assert order.requested_delivery_date == last_day


def test_sold_out_is_one_answer_whether_found_before_or_during_the_order(buyer):
    drill = make_product("Drill", stock=1).variants.get()
    cart = make_cart(user=buyer[0], lines=[(drill, 3)])
    with pytest.raises(OutOfStock) as refused:  # found when the cart is priced
        _place(buyer, cart)
    assert (refused.value.code, refused.value.status) == ("out_of_stock", 409)
    assert refused.value.lines[0]["sku"] == drill.sku
