import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core import mail

from tandem.checkout.services import order_place
from tandem.core.errors import PermissionDenied
from tandem.inventory.models import StockItem
from tandem.orders.errors import OrderStatusError
from tandem.orders.models import CustomStatus, OrderStatus
from tandem.orders.services import order_custom_status_set
from tests.checkout.conftest import retail_details
from tests.factories import b2c_context, make_cart, make_delivery, make_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    make_delivery("courier")
    variant = make_product(stock=10).variants.get()
    order = order_place(
        cart=make_cart(lines=[(variant, 2)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=AnonymousUser(),
    )
    staff = make_user("staff@shop.test", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_order", "view_all_orders"]))
    staff = type(staff).objects.get(pk=staff.pk)
    production = CustomStatus.objects.create(
        code="production",
        name="Awaiting production",
        stage=OrderStatus.IN_PROGRESS,
        notify_customer=True,
        email_subject="{{ order.number }}: {{ status }}",
        email_body="Your order is {{ status }}. {{ note }}",
        translations={
            "pl": {"name": "Czeka na produkcję", "email_body": "Zamówienie: {{ status }}. {{ note }}"}
        },
    )
    pickup = CustomStatus.objects.create(code="pickup", name="Ready for pickup", stage=OrderStatus.SHIPPED)
    internal = CustomStatus.objects.create(
        code="qa",
        name="Quality check",
        stage=OrderStatus.IN_PROGRESS,
        visible_to_customer=False,
        notify_customer=True,
    )
    production.allowed_next.set([pickup])
    return order, staff, production, pickup, internal


def test_a_merchant_status_moves_the_core_stage_and_tells_the_customer(
    setup, django_capture_on_commit_callbacks
):
    order, staff, production, _pickup, _internal = setup
    with django_capture_on_commit_callbacks(execute=True):
        order = order_custom_status_set(order=order, custom_status=production, actor=staff, note="3 days")
    assert (order.status, order.custom_status) == (OrderStatus.IN_PROGRESS, production)
    assert mail.outbox[-1].subject == f"{order.number}: Awaiting production"
    assert mail.outbox[-1].body == "Your order is Awaiting production. 3 days"


def test_the_e_mail_is_in_the_orders_language(setup, django_capture_on_commit_callbacks):
    order, staff, production, _pickup, _internal = setup
    type(order).objects.filter(pk=order.pk).update(language="pl")
    with django_capture_on_commit_callbacks(execute=True):
        order_custom_status_set(order=order, custom_status=production, actor=staff)
    assert mail.outbox[-1].body == "Zamówienie: Czeka na produkcję. "


def test_only_allowed_next_statuses_and_core_rules_apply(setup):
    order, staff, production, pickup, internal = setup
    order_custom_status_set(order=order, custom_status=production, actor=staff)
    with pytest.raises(OrderStatusError):
        order_custom_status_set(order=order, custom_status=internal, actor=staff)
    order = order_custom_status_set(order=order, custom_status=pickup, actor=staff)
    assert order.status == OrderStatus.SHIPPED and StockItem.objects.get().on_hand == 8  # stock left
    with pytest.raises(PermissionDenied):
        order_custom_status_set(order=order, custom_status=pickup, actor=make_user())


def test_an_internal_status_is_not_shown_or_mailed_to_the_customer(setup, client):
    order, staff, _production, _pickup, internal = setup
    customer = make_user("anna@shop.test")
    type(order).objects.filter(pk=order.pk).update(user=customer)
    sent = len(mail.outbox)
    order_custom_status_set(order=order, custom_status=internal, actor=staff)
    assert len(mail.outbox) == sent
    client.force_login(customer)
    page = client.get(f"/account/orders/{order.number}/").text
    assert "Quality check" not in page and "In progress" in page


def test_custom_status_over_the_api(setup, client):
    order, staff, production, _pickup, _internal = setup
    client.force_login(staff)
    response = client.post(
        f"/api/v1/orders/{order.number}/custom-status",
        {"code": "production"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    assert (
        client.post(
            f"/api/v1/orders/{order.number}/custom-status", {"code": "nope"}, content_type="application/json"
        ).status_code
        == 404
    )
