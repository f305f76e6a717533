from decimal import Decimal

import pytest
from django.core import mail

from tandem.checkout.services import order_place
from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.messaging.models import Notification
from tandem.orders.approvals import order_decide, orders_waiting_for
from tandem.orders.errors import ApprovalDecided
from tandem.orders.models import ApprovalRule, OrderStatus
from tests.checkout.conftest import company_details
from tests.concurrency import run_at_once
from tests.factories import (
    company_address,
    make_cart,
    make_category,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    user_context,
)


@pytest.fixture
def shop(db):
    make_delivery("courier", price_net="0.00")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    ApprovalRule.objects.create(company=company, min_total=Decimal("5000"), role="approver")
    ApprovalRule.objects.create(company=company, min_total=Decimal("50000"), role="admin")
    return {
        "company": company,
        "address": company_address(company),
        "buyer": make_company_user(company, CompanyRole.BUYER, spending_limit_per_order=Decimal("1000")),
        "approver": make_company_user(company, CompanyRole.APPROVER),
        "admin": make_company_user(company, CompanyRole.ADMIN),
        "variant": make_product(net="100.00", gross=None, stock=1000).variants.get(),
    }


def place(shop, quantity: int):
    buyer = shop["buyer"]
    return order_place(
        cart=make_cart(user=buyer, lines=[(shop["variant"], quantity)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(shop["address"].pk),
    )


def test_a_small_order_within_the_limit_is_placed_at_once(shop):
    assert place(shop, 5).status == OrderStatus.PLACED  # 615.00 gross, limit 1,000


def test_over_the_buyers_limit_an_approver_decides_and_the_order_is_placed(
    shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shop, 10)  # 1,230.00 gross
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert StockItem.objects.get().reserved == 10  # stock is held while it waits
    [request] = [message for message in mail.outbox if "waits for your approval" in message.subject]
    assert sorted(request.to) == sorted([shop["approver"].email, shop["admin"].email])
    assert list(orders_waiting_for(shop["approver"])) == [order]
    assert Notification.objects.filter(user=shop["approver"], order=order).exists()  # in the inbox too
    with django_capture_on_commit_callbacks(execute=True):
        order = order_decide(order=order, user=shop["approver"], approve=True, comment="ok")
    assert order.status == OrderStatus.PLACED and mail.outbox[-1].to == [order.email]
    assert Notification.objects.filter(user=shop["buyer"], order=order, kind="order.approved").exists()


def test_a_big_order_needs_the_approver_then_the_admin(shop):
    order = place(shop, 410)  # 50,430.00 gross: limit, 5,000 rule and 50,000 rule
    assert [(a.level, a.role) for a in order.approvals.all()] == [(1, "approver"), (2, "admin")]
    order = order_decide(order=order, user=shop["approver"], approve=True)
    assert order.status == OrderStatus.PENDING_APPROVAL
    with pytest.raises(PermissionDenied):
        order_decide(order=order, user=shop["approver"], approve=True)  # level 2 is the admin's
    assert order_decide(order=order, user=shop["admin"], approve=True).status == OrderStatus.PLACED


def test_a_rejection_cancels_the_order_and_releases_the_stock(shop):
    order = order_decide(order=place(shop, 10), user=shop["approver"], approve=False, comment="too much")
    assert order.status == OrderStatus.CANCELLED and StockItem.objects.get().reserved == 0
    assert order.events.get(kind="rejected").message == "too much"


def test_who_may_not_decide(shop):
    order = place(shop, 10)
    for user in (shop["buyer"], make_company_user(shop["company"], CompanyRole.ACCOUNTANT)):
        with pytest.raises(PermissionDenied):
            order_decide(order=order, user=user, approve=True)
    with pytest.raises(NotFound):
        stranger = make_company_user(make_company("Other"), CompanyRole.ADMIN)
        order_decide(order=order, user=stranger, approve=True)
    decided = order_decide(order=order, user=shop["admin"], approve=True)
    with pytest.raises(ApprovalDecided):
        order_decide(order=decided, user=shop["approver"], approve=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_approvers_at_once_make_one_decision():
    make_delivery("courier", price_net="0.00")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, CompanyRole.BUYER, spending_limit_per_order=Decimal("10"))
    approvers = [make_company_user(company, CompanyRole.APPROVER) for _ in range(2)]
    variant = make_product(net="100.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    results = run_at_once(
        [
            lambda user=user, approve=approve: order_decide(order=order, user=user, approve=approve)
            for user, approve in zip(approvers, (True, False), strict=True)
        ]
    )
    assert sorted(type(result).__name__ for result in results) == ["ApprovalDecided", "Order"], results
    assert order.approvals.get().status in ("approved", "rejected")
    assert order.events.filter(kind__in=["approved", "rejected"]).count() == 1


def test_the_approval_queue_page_and_api(shop, client):
    order = place(shop, 10)
    client.force_login(shop["approver"])
    page = client.get("/account/approvals/")
    assert order.number in page.text and "over the buyer&#x27;s limit of 1,000.00 PLN per order" in page.text
    assert [item["number"] for item in client.get("/api/v1/approvals").json()] == [order.number]
    client.post(f"/account/orders/{order.number}/decide/", {"decision": "approve", "comment": "fine"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    again = client.post(f"/api/v1/orders/{order.number}/approve", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "approval_decided"
    assert 'data-testid="no-approvals"' in client.get("/account/approvals/").text


def test_a_decision_must_be_explicit(shop, client):
    order = place(shop, 10)
    client.force_login(shop["approver"])
    client.post(f"/account/orders/{order.number}/decide/", {"comment": "pressed Enter"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_APPROVAL


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_orders_at_once_cannot_both_slip_under_the_monthly_limit():
    make_delivery("courier", price_net="0.00")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, CompanyRole.BUYER, spending_limit_per_month=Decimal("1000"))
    address = company_address(company)
    variant = make_product(net="500.00", gross=None, stock=10).variants.get()  # 615.00 gross each
    carts = [make_cart(lines=[(variant, 1)]) for _ in range(2)]
    results = run_at_once(
        [
            lambda cart=cart: order_place(
                cart=cart, context=user_context(buyer), acting_user=buyer, details=company_details(address.pk)
            )
            for cart in carts
        ]
    )
    assert sorted(result.status for result in results) == [OrderStatus.PENDING_APPROVAL, OrderStatus.PLACED]


def test_a_refused_decision_says_whose_decision_it_is(shop):
    order = order_decide(order=place(shop, 410), user=shop["approver"], approve=True)
    with pytest.raises(PermissionDenied) as error:
        order_decide(order=order, user=shop["approver"], approve=True)
    assert "company admin" in str(error.value.message)


@pytest.fixture
def tools(db):
    """A company whose buyers have no limits, with a rule on the "Power tools" category."""
    make_delivery("courier", price_net="0.00")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    tools = make_category("Tools")
    power = make_category("Power tools", parent=tools)
    ApprovalRule.objects.create(company=company, category=tools, min_total=Decimal("0"), role="approver")
    ApprovalRule.objects.create(company=company, category=power, min_total=Decimal("1000"), role="admin")
    return {
        "company": company,
        "address": company_address(company),
        "buyer": make_company_user(company, CompanyRole.BUYER),
        "drill": make_product(net="500.00", gross=None, stock=100, category=power).variants.get(),
        "paper": make_product(
            net="500.00", gross=None, stock=100, category=make_category("Paper")
        ).variants.get(),
    }


def place_lines(shop, lines, **details):
    buyer = shop["buyer"]
    return order_place(
        cart=make_cart(user=buyer, lines=lines),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(shop["address"].pk, **details),
    )


def test_a_rule_on_a_category_holds_orders_with_products_from_it_or_below_it(tools):
    """The "Tools" rule (from 0) covers the drill in its subcategory "Power tools"."""
    order = place_lines(tools, [(tools["drill"], 1), (tools["paper"], 10)])  # drill 615.00 gross
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert [(a.role, a.reason) for a in order.approvals.all()] == [("approver", "products from Tools")]


def test_an_order_without_products_from_the_category_is_placed_at_once(tools):
    assert place_lines(tools, [(tools["paper"], 100)]).status == OrderStatus.PLACED


def test_a_category_threshold_counts_only_that_categorys_lines(tools):
    """1,230.00 of power tools reach the admin's 1,000 rule; the paper does not count."""
    order = place_lines(tools, [(tools["drill"], 2), (tools["paper"], 1)])
    assert [(a.level, a.role) for a in order.approvals.all()] == [(1, "approver"), (2, "admin")]
    assert order.approvals.get(level=2).reason == "products from Power tools for 1,000.00 PLN or more"


def test_an_online_payment_waits_for_the_approval(tools, settings, django_capture_on_commit_callbacks):
    """Nobody pays for an order that may still be rejected; the payment opens on approval and
    the buyer gets the link."""
    settings.PAYMENT_TEST_ENABLED = True
    approver = make_company_user(tools["company"], CompanyRole.APPROVER)
    order = place_lines(tools, [(tools["drill"], 1)], payment_method="online")
    assert order.status == OrderStatus.PENDING_APPROVAL and not order.payments.exists()
    with django_capture_on_commit_callbacks(execute=True):
        order = order_decide(order=order, user=approver, approve=True)
    [payment] = order.payments.all()
    assert payment.status == "pending" and payment.amount == order.total_gross
    assert f"/order/{order.token}/" in mail.outbox[-1].body


def test_a_rejected_online_order_never_opens_a_payment(tools, settings):
    settings.PAYMENT_TEST_ENABLED = True
    approver = make_company_user(tools["company"], CompanyRole.APPROVER)
    order = place_lines(tools, [(tools["drill"], 1)], payment_method="online")
    order_decide(order=order, user=approver, approve=False)
    assert not order.payments.exists()
