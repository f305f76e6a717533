"""Order reads with tenancy: a customer sees their own orders, a company user their
company's; anything else is NotFound."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import User
from tandem.orders.models import Order, OrderLine, OrderStatus


def orders_visible_to(user: User) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    membership = membership_of(user)
    if membership is not None and membership.is_active:
        return Order.objects.filter(company_id=membership.company_id)
    return Order.objects.filter(user=user, company__isnull=True)


def order_for(user: User, number: str) -> Order:
    order = (orders_visible_to(user).select_related("custom_status")
             .prefetch_related("lines", "events__actor", "approvals__decided_by",
                               "shipments__lines__order_line")
             .filter(number=number[:32]).first())
    if order is None:
        raise NotFound()
    return order


@dataclass(frozen=True, slots=True)
class OrderFilters:
    """What a buyer searches their order history by (all optional)."""

    query: str = ""  # order number, PO number, SKU or product name
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None


def order_history(user: User, filters: OrderFilters) -> QuerySet[Order]:
    """The orders this user may see, newest first, narrowed by the filters."""
    orders = orders_visible_to(user)
    text = filters.query.strip()[:100]
    if text:
        matching_lines = OrderLine.objects.filter(Q(sku__iexact=text) | Q(name__icontains=text))
        orders = orders.filter(
            Q(number__iexact=text) | Q(po_number__icontains=text)
            | Q(pk__in=matching_lines.values("order_id"))
        )
    if filters.status in OrderStatus.values:
        orders = orders.filter(status=filters.status)
    if filters.date_from:
        orders = orders.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        orders = orders.filter(created_at__date__lte=filters.date_to)
    return orders.order_by("-created_at", "-pk")


def order_for_management(user: User, number: str) -> Order:
    """Staff who manage orders reach any order by number; anyone else only the orders they
    may see (NotFound otherwise). What they may then do is decided by the services."""
    if not user.has_perm("orders.change_order"):
        return order_for(user, number)
    order = Order.objects.filter(number=number[:32]).first()
    if order is None:
        raise NotFound()
    return order
