from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.orders.housekeeping import orders_cancel_unpaid, orders_expire_approvals
from tandem.orders.models import Order, OrderStatus
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    b2c_context,
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
def variant():
    make_delivery("courier")
    return make_product(net="100.00", gross="123.00", stock=10).variants.get()


def age(order: Order, **delta) -> None:
    then = timezone.now() - timedelta(**delta)
    Order.objects.filter(pk=order.pk).update(created_at=then, placed_at=then)


def test_an_order_waiting_too_long_for_approval_expires_and_frees_its_stock(variant, settings):
    settings.APPROVAL_EXPIRY_HOURS = 48
    company = make_company(credit_limit=Decimal("10000"))
    buyer = make_company_user(company, CompanyRole.BUYER, spending_limit_per_order=Decimal("1"))
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    age(order, hours=47)
    assert orders_expire_approvals() == 0
    age(order, hours=49)
    assert orders_expire_approvals() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and StockItem.objects.get().reserved == 0
    assert order.approvals.get().status == "rejected"
    assert order.events.filter(kind="approval_expired").exists()


@pytest.mark.parametrize(
    ("method", "hours", "cancelled"),
    [
        ("online", 23, False),
        ("online", 25, True),
        ("bank_transfer", 24 * 6, False),
        ("bank_transfer", 24 * 8, True),
    ],
)
def test_unpaid_prepaid_orders_are_cancelled_after_their_time(variant, method, hours, cancelled):
    order = order_place(
        cart=make_cart(lines=[(variant, 1)]),
        context=b2c_context(),
        acting_user=AnonymousUser(),
        details=retail_details(payment_method=method),
    )
    age(order, hours=hours)
    assert orders_cancel_unpaid() == int(cancelled)
    assert StockItem.objects.get().reserved == (0 if cancelled else 1)


def test_paid_orders_are_never_cancelled(variant):
    order = order_place(
        cart=make_cart(lines=[(variant, 1)]),
        context=b2c_context(),
        acting_user=AnonymousUser(),
        details=retail_details(payment_method="online"),
    )
    Order.objects.filter(pk=order.pk).update(payment_status="paid")
    age(order, days=30)
    call_command("housekeeping", stdout=open("/dev/null", "w"))  # noqa: SIM115
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_the_time_to_pay_starts_when_an_approved_order_is_placed(variant):
    from tandem.orders.approvals import order_decide

    company = make_company(credit_limit=Decimal("10000"))
    buyer = make_company_user(company, CompanyRole.BUYER, spending_limit_per_order=Decimal("1"))
    approver = make_company_user(company, CompanyRole.APPROVER)
    details = company_details(company_address(company).pk, payment_method="online")
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=details,
    )
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=30))
    order_decide(order=order, user=approver, approve=True)  # placed now, after 30 hours of waiting
    assert orders_cancel_unpaid() == 0
