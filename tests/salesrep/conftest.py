"""Orders for search and staff-page tests: rows written directly (fast, any date, total or
status), and staff users in the real role groups."""

import itertools
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tandem.customers.models import Company, User
from tandem.orders.models import Order, OrderLine
from tests.factories import make_user

_numbers = itertools.count(1)


def make_order(
    *,
    company: Company | None = None,
    user: User | None = None,
    total: str = "100.00",
    lines: tuple[tuple[str, str, int], ...] = (("SKU-A", "Cordless drill", 1),),
    po_number: str = "",
    status: str = "placed",
    placed: datetime | None = None,
    email: str = "",
    currency: str = "PLN",
) -> Order:
    """An order as checkout would leave it, without going through checkout."""
    number = f"T{next(_numbers):06d}"
    gross = Decimal(total)
    net = (gross / Decimal("1.23")).quantize(Decimal("0.01"))
    order = Order.objects.create(
        number=number,
        channel="b2b" if company else "b2c",
        status=status,
        user=user,
        placed_by=user,
        company=company,
        email=email or (user.email if user else f"{number.lower()}@guest.test"),
        language="en",
        currency=currency,
        country="PL",
        buyer={"name": company.name, "vat_id": company.vat_id} if company else {"name": "Guest"},
        delivery_method="Courier",
        delivery_code="courier",
        payment_method="bank_transfer",
        payment_status="awaiting",
        po_number=po_number,
        goods_net=net,
        total_net=net,
        total_tax=gross - net,
        total_gross=gross,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                sku=sku,
                name=name,
                unit="pcs",
                quantity=quantity,
                unit_net=net,
                unit_gross=gross,
                tax_rate=Decimal("23"),
                line_net=net,
                price_source="base_list",
            )
            for sku, name, quantity in lines
        ]
    )
    if placed is not None:
        Order.objects.filter(pk=order.pk).update(created_at=placed)
        order.created_at = placed
    return order


def at(day: str) -> datetime:
    """Noon of an ISO day in the shop's time zone."""
    return timezone.make_aware(datetime.fromisoformat(f"{day}T12:00"))


def staff_user(email: str, *roles: str) -> User:
    user = make_user(email, is_staff=True, full_name=email.split("@")[0].title())
    user.groups.set(Group.objects.filter(name__in=roles))
    return User.objects.get(pk=user.pk)  # no stale permission cache


@pytest.fixture
def rep(db) -> User:
    return staff_user("rep@shop.test", "Sales rep")


@pytest.fixture
def fulfilment(db) -> User:
    return staff_user("warehouse@shop.test", "Fulfilment")
