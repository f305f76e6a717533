"""Order changes reach the buyer's inbox and the webhooks, in one transaction with the change."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tandem.checkout.services import order_place
from tandem.customers.models import Company, CompanyRole, User
from tandem.messaging.models import Notification, WebhookDelivery
from tandem.messaging.services import recurring_order_failed_notify
from tandem.orders.approvals import order_decide
from tandem.orders.models import CustomStatus, OrderStatus
from tandem.orders.recurring import recurring_from_order
from tandem.orders.services import order_cancel, order_custom_status_set, order_status_change
from tandem.orders.shipments import ShipmentRequest, shipment_create
from tests.checkout.conftest import retail_details
from tests.factories import b2c_context, make_cart, make_product, make_user
from tests.messaging.conftest import place_company_order

pytestmark = pytest.mark.django_db


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("title", flat=True))


def events() -> list[str]:
    return list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))


def test_a_placed_order_reaches_the_buyer_the_company_admins_and_the_webhooks(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, buyer, admin, _staff = place_company_order()
    assert inbox(buyer) == [f"Order {order.number} is placed"]
    assert inbox(admin) == [f"Order {order.number} is placed"]
    assert Notification.objects.get(user=buyer).url == f"/account/orders/{order.number}/"
    [(_path, headers, body)] = receiver.requests
    data = json.loads(body)["data"]
    assert headers["X-Tandem-Event"] == "order.placed"
    assert (data["number"], data["status"], data["company_vat_id"]) == (
        order.number,
        "placed",
        order.company.vat_id,
    )
    assert data["totals"]["gross"] == str(order.total_gross) and data["currency"] == "PLN"
    assert data["lines"] == [
        {
            "sku": order.lines.get().sku,
            "name": order.lines.get().name,
            "quantity": 5,
            "shipped": 0,
            "unit_net": "10.00",
            "line_net": "50.00",
        }
    ]


def test_an_order_waiting_for_approval_is_in_the_inbox_but_not_announced_as_placed(
    endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, buyer, _admin, _staff = place_company_order(needs_approval=True)
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert inbox(buyer) == [f"Order {order.number} waits for approval"]
    assert Notification.objects.get(user=buyer).kind == "order.placed"
    assert "order.placed" not in events()


def test_a_status_change_tells_the_buyer_and_the_webhooks(
    placed, endpoint, receiver, django_capture_on_commit_callbacks
):
    order, buyer, admin, staff = placed
    with django_capture_on_commit_callbacks(execute=True):
        order_status_change(order=order, status=OrderStatus.CONFIRMED, actor=staff, note="Ships Monday")
    assert inbox(buyer) == [f"Order {order.number}: Confirmed"]
    assert Notification.objects.get(user=buyer).body == "Note: Ships Monday"
    assert inbox(admin) == []
    [(_path, headers, body)] = receiver.requests
    assert headers["X-Tandem-Event"] == "order.status_changed"
    assert (json.loads(body)["data"]["status"], json.loads(body)["data"]["previous_status"]) == (
        "confirmed",
        "placed",
    )


def test_the_buyers_inbox_is_in_their_language(placed, endpoint):
    order, buyer, _admin, staff = placed
    type(buyer).objects.filter(pk=buyer.pk).update(language="pl")
    order_status_change(order=order, status=OrderStatus.CONFIRMED, actor=staff)
    assert inbox(buyer) == [f"Zamówienie {order.number}: Potwierdzone"]


def test_a_buyer_cancelling_their_own_order_is_not_told_about_it(placed, endpoint):
    order, buyer, _admin, _staff = placed
    order_cancel(order=order, actor=buyer, reason="Ordered twice")
    assert inbox(buyer) == []
    assert events() == ["order.cancelled"]


def test_a_refused_status_change_leaves_no_trace(placed, endpoint):
    order, buyer, _admin, staff = placed
    with pytest.raises(Exception):  # noqa: B017 - OrderStatusError; the point is what is left behind
        order_status_change(order=order, status=OrderStatus.DELIVERED, actor=staff)
    assert (inbox(buyer), events()) == ([], [])


def test_a_shipment_tells_the_buyer_with_the_tracking_number(
    placed, endpoint, receiver, django_capture_on_commit_callbacks
):
    order, buyer, _admin, staff = placed
    sku = order.lines.get().sku
    with django_capture_on_commit_callbacks(execute=True):
        shipment = shipment_create(
            order=order,
            actor=staff,
            request=ShipmentRequest(quantities={sku: 2}, carrier="DPD", tracking_number="TRK1"),
        )
    assert inbox(buyer) == [f"Part of order {order.number} has shipped"]
    body = Notification.objects.get(user=buyer).body
    assert body == f"Dispatch note {shipment.number}, DPD tracking number TRK1."
    data = json.loads(receiver.requests[0][2])["data"]
    assert (data["status"], data["lines"][0]["shipped"]) == ("in_progress", 2)
    assert data["shipment"] == {
        "number": shipment.number,
        "carrier": "DPD",
        "tracking_number": "TRK1",
        "lines": [{"sku": sku, "quantity": 2}],
    }


def test_marking_an_order_shipped_announces_the_shipment_once(placed, endpoint):
    order, buyer, _admin, staff = placed
    order_status_change(order=order, status=OrderStatus.CONFIRMED, actor=staff)
    order_status_change(order=order, status=OrderStatus.SHIPPED, actor=staff)
    assert events() == ["order.status_changed", "order.shipped"]
    assert WebhookDelivery.objects.order_by("id").last().payload["shipment"]["lines"][0]["quantity"] == 5
    assert inbox(buyer)[-1] == f"Order {order.number}: Shipped"


def test_a_merchant_status_is_told_by_its_own_name_once(placed, endpoint):
    order, buyer, _admin, staff = placed
    production = CustomStatus.objects.create(
        code="production",
        name="Awaiting production",
        stage=OrderStatus.IN_PROGRESS,
        translations={"pl": {"name": "Czeka na produkcję"}},
    )
    type(buyer).objects.filter(pk=buyer.pk).update(language="pl")
    order_custom_status_set(order=order, custom_status=production, actor=staff)
    assert inbox(buyer) == [f"Zamówienie {order.number}: Czeka na produkcję"]
    assert events() == ["order.status_changed"]
    assert WebhookDelivery.objects.get().payload["custom_status"] == "production"


def test_a_merchant_status_customers_do_not_see_only_reaches_the_webhooks(placed, endpoint):
    order, buyer, _admin, staff = placed
    order_status_change(order=order, status=OrderStatus.IN_PROGRESS, actor=staff)
    internal = CustomStatus.objects.create(
        code="qa", name="Quality check", stage=OrderStatus.IN_PROGRESS, visible_to_customer=False
    )
    order_custom_status_set(order=order, custom_status=internal, actor=staff)
    assert inbox(buyer) == [f"Order {order.number}: In progress"]
    assert events() == ["order.status_changed", "order.status_changed"]


def test_a_guest_order_changes_reach_only_the_webhooks(endpoint, placed):
    _order, _buyer, _admin, staff = placed
    variant = make_product(stock=10).variants.get()
    guest = order_place(
        cart=make_cart(lines=[(variant, 1)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=AnonymousUser(),
    )
    order_status_change(order=guest, status=OrderStatus.CONFIRMED, actor=staff)
    assert not Notification.objects.filter(order=guest).exists()
    assert events() == ["order.placed", "order.status_changed"]


def test_an_approval_reaches_the_deciders_and_then_the_buyer(endpoint):
    order, buyer, admin, _staff = place_company_order(needs_approval=True)
    assert inbox(admin) == [f"Order {order.number} waits for your approval"]
    assert Notification.objects.get(user=admin).url == "/account/approvals/"
    assert events() == ["order.approval_requested"]
    WebhookDelivery.objects.all().delete()

    order_decide(order=order, user=admin, approve=True)

    assert inbox(buyer)[-1] == f"Order {order.number} is approved and placed"
    assert events() == ["order.approved", "order.placed"]


def test_an_order_waiting_for_an_admin_tells_only_the_admins_once(django_capture_on_commit_callbacks):
    """At the admin's level approvers cannot decide; the admin, asked to decide, does not
    also get the buyer's "waits for approval" notice."""
    with django_capture_on_commit_callbacks(execute=True):
        order, buyer, admin, _staff = place_company_order(
            needs_approval=True, approval_role=CompanyRole.ADMIN
        )
    approver = User.objects.get(email="approver@acme.test")
    assert inbox(admin) == [f"Order {order.number} waits for your approval"]
    assert inbox(approver) == []
    assert inbox(buyer) == [f"Order {order.number} waits for approval"]


def test_an_order_waiting_for_an_approver_tells_the_approvers_and_admins_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        order, buyer, admin, _staff = place_company_order(
            needs_approval=True, approval_role=CompanyRole.APPROVER
        )
    approver = User.objects.get(email="approver@acme.test")
    assert inbox(admin) == [f"Order {order.number} waits for your approval"]
    assert inbox(approver) == [f"Order {order.number} waits for your approval"]
    assert inbox(buyer) == [f"Order {order.number} waits for approval"]


def test_a_failed_recurring_order_reaches_the_owner_and_the_companys_sales_rep(placed, endpoint):
    order, buyer, _admin, _staff = placed
    rep = make_user("rep@shop.test", is_staff=True)
    Company.objects.filter(pk=order.company_id).update(sales_rep=rep)
    recurring = recurring_from_order(
        owner=buyer, order=order, every=1, unit="month", start=timezone.localdate()
    )
    recurring.last_error = "No longer sold: DR-18V."
    recurring_order_failed_notify(recurring=recurring)
    assert inbox(buyer) == [f"Recurring order “{recurring.name}” could not be placed"]
    assert inbox(rep) == [f"Recurring order “{recurring.name}” of {order.company.name} could not be placed"]
    assert Notification.objects.get(user=rep).body == "It is paused. The reason: No longer sold: DR-18V."
    assert events() == ["recurring_order.failed"]
