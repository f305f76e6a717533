"""The order's life: every (stage, transition) pair, and one place that sets a status."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from tandem.checkout.services import order_place
from tandem.core.models import OutboxEvent
from tandem.inventory.models import StockItem
from tandem.orders.errors import OrderStatusError
from tandem.orders.models import Order, OrderEvent, OrderStatus
from tandem.orders.transitions import TRANSITIONS, next_stages, order_transition
from tests.checkout.conftest import retail_details
from tests.factories import b2c_context, make_cart, make_delivery, make_product

pytestmark = pytest.mark.django_db
S = OrderStatus
SRC = Path(__file__).resolve().parents[2] / "src" / "tandem"

# What the table must say, written out here on its own: (stage, transition) → the stage after.
EXPECTED = {
    (S.PENDING_APPROVAL, "place"): S.PLACED,
    (S.PENDING_APPROVAL, "reject"): S.CANCELLED,
    (S.PENDING_APPROVAL, "expire"): S.CANCELLED,
    (S.PENDING_APPROVAL, "cancel"): S.CANCELLED,
    (S.DRAFT, "cancel"): S.CANCELLED,
    (S.PLACED, "cancel_unpaid"): S.CANCELLED,
    (S.PLACED, "cancel"): S.CANCELLED,
    (S.PLACED, "confirm"): S.CONFIRMED,
    (S.PLACED, "start"): S.IN_PROGRESS,
    (S.PLACED, "ship_part"): S.IN_PROGRESS,
    (S.PLACED, "ship"): S.SHIPPED,
    (S.CONFIRMED, "cancel"): S.CANCELLED,
    (S.CONFIRMED, "start"): S.IN_PROGRESS,
    (S.CONFIRMED, "ship_part"): S.IN_PROGRESS,
    (S.CONFIRMED, "ship"): S.SHIPPED,
    (S.IN_PROGRESS, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "ship_part"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "ship"): S.SHIPPED,
    (S.SHIPPED, "deliver"): S.DELIVERED,
    (S.SHIPPED, "complete"): S.COMPLETED,
    (S.DELIVERED, "complete"): S.COMPLETED,
}
PAIRS = [(stage, name) for stage in S.values for name in TRANSITIONS]


@pytest.fixture
def order():
    make_delivery("courier")
    variant = make_product(gross="100.00", stock=10).variants.get()
    return order_place(
        cart=make_cart(lines=[(variant, 3)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=AnonymousUser(),
    )


@pytest.mark.parametrize(("stage", "name"), PAIRS, ids=[f"{stage}-{name}" for stage, name in PAIRS])
def test_each_transition_from_each_stage(order, stage, name):
    Order.objects.filter(pk=order.pk).update(status=stage)
    order.refresh_from_db()
    events_before, outbox_before = OrderEvent.objects.count(), OutboxEvent.objects.count()

    with transaction.atomic():
        if (stage, name) in EXPECTED:
            order_transition(order, name, note="by the table")
        else:
            with pytest.raises(OrderStatusError):
                order_transition(order, name)

    order.refresh_from_db()
    if (stage, name) in EXPECTED:
        assert order.status == EXPECTED[stage, name]
        assert OrderEvent.objects.latest("pk").data["from"] == stage
        assert OutboxEvent.objects.latest("pk").name == TRANSITIONS[name].event
    else:
        assert order.status == stage
        assert (OrderEvent.objects.count(), OutboxEvent.objects.count()) == (events_before, outbox_before)


def test_an_illegal_move_says_what_is_possible(order):
    Order.objects.filter(pk=order.pk).update(status=S.SHIPPED)
    order.refresh_from_db()
    with transaction.atomic(), pytest.raises(OrderStatusError, match="it can become: Delivered, Completed"):
        order_transition(order, "confirm")


def test_cancelling_gives_the_stock_back(order):
    with transaction.atomic():
        order_transition(order, "cancel")
    assert StockItem.objects.get().reserved == 0
    assert order.lines.get().reserved == {}


def test_the_stages_a_person_may_ask_for():
    assert next_stages(S.PLACED) == {S.CONFIRMED, S.IN_PROGRESS, S.SHIPPED, S.CANCELLED}
    assert next_stages(S.PENDING_APPROVAL) == {S.CANCELLED}  # placed only by its approvers
    assert next_stages(S.COMPLETED) == set()


def test_no_module_but_the_lifecycle_sets_an_order_status():
    """Creating an order with its first stage is checkout's; every later change is here."""
    assigns = re.compile(r"\border\w*\.status\s*=(?!=)|Order\.objects[^\n]*\.update\([^)\n]*\bstatus=")
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        if path.name != "transitions.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if assigns.search(line)
    ]
    assert offenders == []
