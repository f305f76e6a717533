"""Order reads with tenancy: a customer sees their own orders, a company user their
company's; anything else is NotFound."""

from django.db.models import QuerySet

from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import User
from tandem.orders.models import Order


def orders_visible_to(user: User) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    membership = membership_of(user)
    if membership is not None and membership.is_active:
        return Order.objects.filter(company_id=membership.company_id)
    return Order.objects.filter(user=user, company__isnull=True)


def order_for(user: User, number: str) -> Order:
    order = orders_visible_to(user).prefetch_related("lines").filter(number=number[:32]).first()
    if order is None:
        raise NotFound()
    return order
