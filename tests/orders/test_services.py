from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from tandem.checkout.services import order_place
from tandem.core.errors import PermissionDenied
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.orders.errors import OrderStatusError
from tandem.orders.models import OrderStatus
from tandem.orders.services import order_cancel, order_reorder, order_status_change
from tandem.pricing.models import BasePrice, PriceList, PriceListEntry
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)


@pytest.fixture
def placed(db):
    make_delivery("courier")
    customer = make_user("anna@shop.test")
    variant = make_product(gross="100.00", stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=customer, lines=[(variant, 3)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=customer,
    )
    return order, customer, variant


@pytest.fixture
def fulfilment(db):
    user = make_user("warehouse@shop.test", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_order", "view_all_orders"]))
    return type(user).objects.get(pk=user.pk)


def test_a_customer_cancels_an_unconfirmed_order_and_the_stock_comes_back(placed):
    order, customer, _variant = placed
    assert StockItem.objects.get().reserved == 3
    order = order_cancel(order=order, actor=customer, reason="ordered twice")
    assert order.status == OrderStatus.CANCELLED and StockItem.objects.get().reserved == 0
    event = order.events.filter(kind="status").get()
    assert (event.status, event.actor, event.message) == ("cancelled", customer, "ordered twice")


def test_a_confirmed_order_can_no_longer_be_cancelled_by_the_customer(placed, fulfilment):
    order, customer, _variant = placed
    order_status_change(order=order, status=OrderStatus.CONFIRMED, actor=fulfilment)
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=customer)
    assert StockItem.objects.get().reserved == 3


def test_shipping_takes_the_reserved_units_out_of_the_warehouse(placed, fulfilment):
    order, _customer, _variant = placed
    order_status_change(order=order, status=OrderStatus.SHIPPED, actor=fulfilment)
    stock = StockItem.objects.get()
    assert (stock.on_hand, stock.reserved) == (7, 0)


def test_a_move_the_order_cannot_make_is_refused_and_changes_nothing(placed, fulfilment):
    order, _customer, _variant = placed
    order_status_change(order=order, status=OrderStatus.CANCELLED, actor=fulfilment)
    with pytest.raises(OrderStatusError) as error:
        order_status_change(order=order, status=OrderStatus.SHIPPED, actor=fulfilment)
    assert "its status is final" in str(error.value.message)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and StockItem.objects.get().on_hand == 10


def test_another_customer_cannot_cancel(placed):
    order, _customer, _variant = placed
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=make_user())


def test_a_reorder_is_priced_today_and_reports_what_changed(placed):
    order, customer, variant = placed
    gone = make_product(gross="5.00", stock=10).variants.get()
    order.lines.create(
        variant=gone,
        sku=gone.sku,
        name="Gone",
        unit="pcs",
        quantity=1,
        unit_net=1,
        unit_gross=Decimal("5.00"),
        tax_rate=23,
        line_net=1,
        price_source="base_list",
    )
    gone.is_active = False
    gone.save()
    BasePrice.objects.filter(variant=variant).update(amount=Decimal("110.00"))
    cart = customer.cart  # emptied when the order was placed
    report = order_reorder(order=order, cart=cart, context=b2c_context())
    assert [(c.sku, c.was, c.now) for c in report.price_changes] == [
        (variant.sku, Decimal("100.00"), Decimal("110.00"))
    ]
    assert [r.sku for r in report.added.refused] == [gone.sku]
    assert dict(cart.lines.values_list("variant__sku", "quantity")) == {variant.sku: 3}


def test_a_reorder_reports_the_price_of_the_quantity_now_in_the_cart(db):
    """The cart already holds 7; with the order's 3 it reaches the tier from 10, so the
    report shows the tier price the customer will pay, not the single-order one."""
    make_delivery("courier")
    company = make_company(credit_limit=Decimal("100000"))
    buyer = make_company_user(company, CompanyRole.BUYER)
    variant = make_product(net="100.00", gross=None, stock=100).variants.get()
    price_list = PriceList.objects.create(code="tiers", name="Tiers", currency="PLN")
    price_list.companies.add(company)
    PriceListEntry.objects.create(price_list=price_list, variant=variant, min_quantity=10, price="90.00")
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 3)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    cart = buyer.cart  # emptied when the order was placed
    cart.lines.create(variant=variant, quantity=7)
    report = order_reorder(order=order, cart=cart, context=user_context(buyer))
    assert cart.lines.get().quantity == 10
    assert [(c.was, c.now) for c in report.price_changes] == [(Decimal("100.00"), Decimal("90.00"))]


def test_in_a_company_the_admin_may_cancel_a_buyers_order_but_an_accountant_may_not(db):
    make_delivery("courier")
    company = make_company(credit_limit=Decimal("10000"))
    buyer = make_company_user(company, CompanyRole.BUYER)
    variant = make_product(net="10.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=make_company_user(company, CompanyRole.ACCOUNTANT))
    admin = make_company_user(company, CompanyRole.ADMIN)
    assert order_cancel(order=order, actor=admin).status == "cancelled"


def test_the_admin_order_page_reads_like_an_order_and_moves_it_with_a_button(client, placed):
    """No internal token, idempotency key or raw JSON; the address and VAT as text; a button
    per next stage, through the order service (stock and history as the bulk action)."""
    order, _customer, _variant = placed
    admin = make_user("admin@shop.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/orders/order/{order.pk}/change/"
    page = client.get(url).text
    assert str(order.token) not in page and "idempotency" not in page.lower()
    street = order.shipping_address["street"]
    assert f"{street}<br>" in page and '"street":' not in page  # the address as lines, not JSON
    assert f'name="_status" value="{OrderStatus.CONFIRMED}"' in page
    moved = client.post(url, {"_status": OrderStatus.CONFIRMED})
    assert moved.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.events.filter(kind="status", status=OrderStatus.CONFIRMED).exists()
    refused = client.post(url, {"_status": OrderStatus.PLACED})  # not a next stage
    order.refresh_from_db()
    assert refused.status_code == 302 and order.status == OrderStatus.CONFIRMED


def test_staff_without_the_right_to_change_orders_cannot_move_one_from_the_admin(client, placed):
    order, _customer, _variant = placed
    reader = make_user("reader@shop.test", is_staff=True)
    reader.user_permissions.add(*Permission.objects.filter(codename__in=["view_order", "view_all_orders"]))
    client.force_login(reader)
    answer = client.post(f"/admin/orders/order/{order.pk}/change/", {"_status": OrderStatus.CONFIRMED})
    order.refresh_from_db()
    assert answer.status_code == 403 and order.status == OrderStatus.PLACED
