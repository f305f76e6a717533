"""Approvals: which orders must wait for whom, and the decisions.

An order needs approval when it meets one of the company's rules (on its total, or on the
value of its lines in a category; the approver's level first, then the admin's) or when it
takes the buyer past their spending limit per order or per month (an approver decides).
While it waits it keeps its stock and counts against the credit limit; a rejection
cancels it and releases the stock. Online payment opens only once it is approved.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.catalog.models import Category
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.money import format_amount
from tandem.customers.auth import company_admin_membership, membership_of
from tandem.customers.models import Company, CompanyRole, CompanyUser, User
from tandem.orders.errors import ApprovalDecided
from tandem.orders.models import (
    ApprovalRule,
    ApprovalStatus,
    Order,
    OrderApproval,
    OrderEvent,
    OrderStatus,
)
from tandem.orders.transitions import order_event_publish, order_transition

logger = logging.getLogger("tandem.orders")


@dataclass(frozen=True, slots=True)
class NeededApproval:
    role: str  # CompanyRole.APPROVER or CompanyRole.ADMIN
    reason: str


def approvals_needed(
    *,
    membership: CompanyUser | None,
    total: Decimal,
    currency: str,
    lines: Sequence[tuple[int, Decimal]] = (),
) -> list[NeededApproval]:
    """The decisions an order of ``total`` by this company user must wait for (none for
    a company admin, whose orders are their own decision, or for retail customers).
    ``lines`` are the order's (category id, gross value) pairs, for rules on categories."""
    if membership is None or membership.role == CompanyRole.ADMIN:
        return []
    needed = []
    limit = membership.spending_limit_per_order
    if limit is not None and total > limit:
        needed.append(
            NeededApproval(
                CompanyRole.APPROVER,
                _("over the buyer's limit of %(limit)s %(currency)s per order")
                % {"limit": format_amount(limit, currency), "currency": currency},
            )
        )
    monthly = membership.spending_limit_per_month
    if monthly is not None:
        month_start = timezone.localdate().replace(day=1)
        spent = Order.objects.filter(
            user_id=membership.user_id,
            company_id=membership.company_id,
            created_at__date__gte=month_start,
        ).exclude(status=OrderStatus.CANCELLED).aggregate(total=Sum("total_gross"))["total"] or Decimal(0)
        if spent + total > monthly:
            needed.append(
                NeededApproval(
                    CompanyRole.APPROVER,
                    _("over the buyer's limit of %(limit)s %(currency)s per month")
                    % {"limit": format_amount(monthly, currency), "currency": currency},
                )
            )
    needed += _rules_met(membership.company_id, total, currency, lines)
    # an approver's decision covers every approver-level reason; the admin's comes last
    roles = [CompanyRole.APPROVER, CompanyRole.ADMIN]
    merged = []
    for role in roles:
        reasons = [item.reason for item in needed if item.role == role]
        if reasons:
            merged.append(NeededApproval(role, "; ".join(reasons)))
    return merged


def _rules_met(
    company_id: int, total: Decimal, currency: str, lines: Sequence[tuple[int, Decimal]]
) -> list[NeededApproval]:
    """The company's rules this order meets: on the whole total, or on the value of its
    lines in a category (with its subcategories)."""
    rules = list(ApprovalRule.objects.filter(company_id=company_id).select_related("category"))
    paths: dict[int, str] = {}
    if any(rule.category_id for rule in rules) and lines:
        paths = dict(
            Category.objects.filter(pk__in={category for category, _gross in lines}).values_list("pk", "path")
        )
    met = []
    for rule in rules:
        amount = {"amount": format_amount(rule.min_total, currency), "currency": currency}
        if rule.category is None:
            if total >= rule.min_total:
                met.append(NeededApproval(rule.role, _("order total from %(amount)s %(currency)s") % amount))
            continue
        prefix = rule.category.path or f"{rule.category_id:06d}."
        in_category = [gross for category, gross in lines if paths.get(category, "").startswith(prefix)]
        if not in_category or sum(in_category, Decimal(0)) < rule.min_total:
            continue
        name = rule.category.tr("name")
        met.append(
            NeededApproval(
                rule.role,
                _("products from %(category)s") % {"category": name}
                if not rule.min_total
                else _("products from %(category)s for %(amount)s %(currency)s or more")
                % {"category": name, **amount},
            )
        )
    return met


MAX_RULES = 50


def approval_rules_of(user: User):
    """The rules of the user's company (any of its users may read them: buyers should know
    when their orders will wait)."""
    membership = membership_of(user) if user.is_authenticated else None
    if membership is None:
        return ApprovalRule.objects.none()
    return ApprovalRule.objects.filter(company_id=membership.company_id).select_related("category")


def approval_rule_add(
    *, admin: User, min_total: Decimal, role: str, category_id: int | None = None
) -> ApprovalRule:
    """A new rule for the admin's company: orders (or their lines in a category) from
    ``min_total`` wait for a decision by ``role``."""
    membership = company_admin_membership(admin, _("Only the company admin can change the approval rules."))
    if role not in (CompanyRole.APPROVER, CompanyRole.ADMIN):
        raise DomainError(
            _("Choose who decides: an approver or the company admin."), code="role_invalid", field="role"
        )
    if min_total is None or not Decimal(0) <= min_total < Decimal(10) ** 12:
        raise DomainError(_("Enter an amount of 0 or more."), code="amount_invalid", field="min_total")
    category = None
    if category_id is not None:
        category = Category.objects.filter(pk=category_id, is_active=True).first()
        if category is None:
            raise DomainError(
                _("Choose one of the shop's categories."), code="category_invalid", field="category_id"
            )
    elif min_total == 0:
        raise DomainError(
            _("A rule on every order needs an amount above 0 (or choose a category)."),
            code="amount_invalid",
            field="min_total",
        )
    with transaction.atomic():
        # The company row is the lock: two admins adding at once cannot both pass the checks.
        Company.objects.select_for_update(no_key=True).filter(pk=membership.company_id).first()
        rules = ApprovalRule.objects.filter(company_id=membership.company_id)
        if rules.count() >= MAX_RULES:
            raise DomainError(
                _("A company can have up to %(count)d approval rules.") % {"count": MAX_RULES},
                code="too_many_rules",
            )
        if rules.filter(min_total=min_total, role=role, category=category).exists():
            raise DomainError(_("This rule exists already."), code="rule_exists")
        return ApprovalRule.objects.create(
            company_id=membership.company_id,
            role=role,
            category=category,
            min_total=min_total.quantize(Decimal("0.01")),
        )


def approval_rule_delete(*, admin: User, rule_id: int) -> None:
    """Remove one of the admin's company's rules (orders already waiting keep their levels);
    another company's rule is NotFound."""
    membership = company_admin_membership(admin, _("Only the company admin can change the approval rules."))
    deleted, _rows = ApprovalRule.objects.filter(pk=rule_id, company_id=membership.company_id).delete()
    if not deleted:
        raise NotFound()


def approvals_request(order: Order, needed: list[NeededApproval]) -> None:
    """Record the levels a new order waits for (inside the placing transaction, its lines
    written) and announce ``order.approval_requested``: the deciders are told (inbox,
    e-mail) by the event's subscribers."""
    OrderApproval.objects.bulk_create(
        [
            OrderApproval(order=order, level=level, role=item.role, reason=item.reason[:200])
            for level, item in enumerate(needed, start=1)
        ]
    )
    reasons = "; ".join(item.reason for item in needed)
    OrderEvent.objects.create(
        order=order,
        kind="approval_requested",
        status=OrderStatus.PENDING_APPROVAL,
        actor=order.placed_by,
        message=reasons[:2000],
    )
    order_event_publish(
        "order.approval_requested", order, actor=order.placed_by, reasons=reasons[:1000], via="checkout"
    )


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
    if (
        membership is None
        or not membership.is_active
        or membership.role not in (CompanyRole.ADMIN, CompanyRole.APPROVER)
    ):
        return Order.objects.none()
    waiting = Order.objects.filter(company_id=membership.company_id, status=OrderStatus.PENDING_APPROVAL)
    if membership.role == CompanyRole.APPROVER:
        waiting = waiting.exclude(user=user).filter(
            approvals__status=ApprovalStatus.PENDING, approvals__role=CompanyRole.APPROVER
        )
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
        problem = (
            _why_not_decide(user, approval, order)
            if approval is not None
            else _("You cannot decide on this order.")
        )
        if problem:
            raise PermissionDenied(problem)
        approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        approval.decided_by, approval.decided_at = user, timezone.now()
        approval.comment = comment.strip()[:2000]
        approval.save()
        decision = {"level": approval.level, "comment": approval.comment}
        if not approve:
            order_transition(
                order, "reject", actor=user, kind="rejected", note=approval.comment, data=decision
            )
            return order
        last = not order.approvals.filter(status=ApprovalStatus.PENDING).exists()
        OrderEvent.objects.create(
            order=order,
            kind="approved",
            status=order.status,
            actor=user,
            message=approval.comment,
            data={"level": approval.level},
        )
        order_event_publish("order.approved", order, actor=user, placed=last, **decision)
        if last:
            order.placed_at = timezone.now()  # the time to pay starts now
            order.save(update_fields=["placed_at", "updated_at"])
            order_transition(order, "place", actor=user, kind="placed", data={"via": "approval"})
    return order
