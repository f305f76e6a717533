"""Approvals: which orders must wait for whom, and the decisions.

An order needs approval when its total reaches one of the company's rules (each rule one
level, decided in order of threshold) or when it takes the buyer past their spending
limit per order or per month (an approver decides). While it waits it keeps its stock
and counts against the credit limit; a rejection cancels it and releases the stock.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tandem.core.emails import send_templated_email, site_url
from tandem.core.errors import NotFound, PermissionDenied
from tandem.core.money import MINOR_UNITS, round_money
from tandem.customers.auth import membership_of
from tandem.customers.models import CompanyRole, CompanyUser, User
from tandem.orders.errors import ApprovalDecided
from tandem.orders.models import (
    ApprovalRule,
    ApprovalStatus,
    Order,
    OrderApproval,
    OrderEvent,
    OrderStatus,
)
from tandem.orders.services import release_reservations


@dataclass(frozen=True, slots=True)
class NeededApproval:
    role: str  # CompanyRole.APPROVER or CompanyRole.ADMIN
    reason: str


def approvals_needed(
    *, membership: CompanyUser | None, total: Decimal, currency: str
) -> list[NeededApproval]:
    """The decisions an order of ``total`` by this company user must wait for (none for
    a company admin, whose orders are their own decision, or for retail customers)."""
    if membership is None or membership.role == CompanyRole.ADMIN:
        return []
    needed = []
    limit = membership.spending_limit_per_order
    if limit is not None and total > limit:
        needed.append(NeededApproval(CompanyRole.APPROVER, _(
            "over the buyer's limit of %(limit)s %(currency)s per order") % {
                "limit": _amount(limit, currency), "currency": currency}))
    monthly = membership.spending_limit_per_month
    if monthly is not None:
        month_start = timezone.localdate().replace(day=1)
        spent = Order.objects.filter(
            user_id=membership.user_id, company_id=membership.company_id, created_at__date__gte=month_start,
        ).exclude(status=OrderStatus.CANCELLED).aggregate(total=Sum("total_gross"))["total"] or Decimal(0)
        if spent + total > monthly:
            needed.append(NeededApproval(CompanyRole.APPROVER, _(
                "over the buyer's limit of %(limit)s %(currency)s per month") % {
                    "limit": _amount(monthly, currency), "currency": currency}))
    for rule in ApprovalRule.objects.filter(company_id=membership.company_id, min_total__lte=total):
        needed.append(NeededApproval(rule.role, _("order total from %(amount)s %(currency)s") % {
            "amount": _amount(rule.min_total, currency), "currency": currency}))
    # an approver's decision covers every approver-level reason; the admin's comes last
    roles = [CompanyRole.APPROVER, CompanyRole.ADMIN]
    merged = []
    for role in roles:
        reasons = [item.reason for item in needed if item.role == role]
        if reasons:
            merged.append(NeededApproval(role, "; ".join(reasons)))
    return merged


def _amount(value: Decimal, currency: str) -> str:
    return number_format(round_money(value, currency), MINOR_UNITS.get(currency, 2), force_grouping=True)


def approvals_request(order: Order, needed: list[NeededApproval]) -> None:
    """Record the levels an order waits for (inside the placing transaction) and tell the
    people who decide, after commit."""
    OrderApproval.objects.bulk_create([
        OrderApproval(order=order, level=level, role=item.role, reason=item.reason[:200])
        for level, item in enumerate(needed, start=1)
    ])
    OrderEvent.objects.create(order=order, kind="approval_requested", status=OrderStatus.PENDING_APPROVAL,
                              actor=order.placed_by, message="; ".join(item.reason for item in needed)[:2000])
    transaction.on_commit(lambda: _notify_deciders(order.pk))


def _why_not_decide(user: User, approval: OrderApproval, order: Order) -> str:
    """Why this user may not take this decision ("" when they may)."""
    membership = membership_of(user)
    if membership is None or not membership.is_active or membership.company_id != order.company_id:
        return _("You cannot decide on this order.")
    if membership.role == CompanyRole.ADMIN:
        return ""
    if membership.role != CompanyRole.APPROVER:
        return _("Only the company's approvers and admins decide on orders.")
    if approval.role != CompanyRole.APPROVER:
        return _("The next decision on this order is the company admin's.")
    if order.user_id == user.pk:
        return _("Nobody approves their own order; another approver or the admin decides.")
    return ""


def orders_waiting_for(user: User):
    """The company's orders waiting for a decision this user may take, oldest first."""
    membership = membership_of(user)
    if membership is None or not membership.is_active or membership.role not in (
            CompanyRole.ADMIN, CompanyRole.APPROVER):
        return Order.objects.none()
    waiting = Order.objects.filter(company_id=membership.company_id, status=OrderStatus.PENDING_APPROVAL)
    if membership.role == CompanyRole.APPROVER:
        waiting = waiting.exclude(user=user).filter(
            approvals__status=ApprovalStatus.PENDING, approvals__role=CompanyRole.APPROVER)
    return waiting.distinct().select_related("user").prefetch_related("approvals").order_by("created_at")


def order_decide(*, order: Order, user: User, approve: bool, comment: str = "") -> Order:
    """Approve or reject the order's next waiting level. Two deciders at once: the order row
    is locked, so one decision is taken and the other finds the level decided. Approving
    the last level places the order; rejecting cancels it and releases its stock."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order.pk).first()
        membership = membership_of(user)
        if order is None or membership is None or membership.company_id != order.company_id:
            raise NotFound()
        if order.status != OrderStatus.PENDING_APPROVAL:
            raise ApprovalDecided(_("This order is no longer waiting for approval."))
        approval = order.approvals.filter(status=ApprovalStatus.PENDING).order_by("level").first()
        problem = _why_not_decide(user, approval, order) if approval is not None else _(
            "You cannot decide on this order.")
        if problem:
            raise PermissionDenied(problem)
        approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        approval.decided_by, approval.decided_at = user, timezone.now()
        approval.comment = comment.strip()[:2000]
        approval.save()
        if not approve:
            release_reservations(order)
            order.status = OrderStatus.CANCELLED
        elif not order.approvals.filter(status=ApprovalStatus.PENDING).exists():
            order.status = OrderStatus.PLACED
            order.placed_at = timezone.now()  # the time to pay starts now
        order.save(update_fields=["status", "placed_at", "updated_at"])
        OrderEvent.objects.create(
            order=order, kind="approved" if approve else "rejected", status=order.status, actor=user,
            message=approval.comment, data={"level": approval.level})
        transaction.on_commit(lambda: notify_buyer_of_decision(order.pk, approve))
    return order


def _notify_deciders(order_id: int) -> None:
    order = Order.objects.select_related("company", "user").get(pk=order_id)
    emails = list(CompanyUser.objects.filter(
        company_id=order.company_id, is_active=True, role__in=[CompanyRole.ADMIN, CompanyRole.APPROVER],
    ).exclude(user_id=order.user_id).values_list("user__email", flat=True))
    if emails:
        _mail(order, "orders/email/approval_needed", emails)


def notify_buyer_of_decision(order_id: int, approved: bool) -> None:
    """E-mail the buyer that their order is placed (all levels approved) or rejected."""
    order = Order.objects.select_related("company", "user").get(pk=order_id)
    if approved and order.status != OrderStatus.PLACED:
        return  # more levels to go
    _mail(order, "orders/email/approval_decided", [order.email], approved=approved)


def _mail(order: Order, template: str, to: list[str], **extra) -> None:
    send_templated_email(template=template, to=to, language=order.language, context={
        "order": order, "url": site_url("orders:detail", order.number), **extra})
