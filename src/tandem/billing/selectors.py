"""Receivables reads: a company's balance, overdue amount and available credit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from tandem.billing.models import LedgerEntry
from tandem.core.money import round_money
from tandem.customers.models import Company
from tandem.orders.models import Order, OrderStatus, PaymentMethod

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class CreditPosition:
    currency: str
    credit_limit: Decimal
    balance: Decimal  # open receivables: Σ debit − Σ credit
    open_orders: Decimal  # orders on account not invoiced yet (gross)
    overdue: Decimal  # past-due debits not covered by credits
    overdue_tolerance: Decimal

    @property
    def used(self) -> Decimal:
        return self.balance + self.open_orders

    @property
    def available(self) -> Decimal:
        return self.credit_limit - self.used

    @property
    def overdue_blocks(self) -> bool:
        return self.overdue > self.overdue_tolerance


def credit_position(company: Company, *, today: date | None = None) -> CreditPosition:
    """Where the company stands (two queries). Credits settle the oldest debts first, so
    the overdue amount is the past-due debits that all credits together do not cover."""
    today = today or timezone.localdate()
    sums = LedgerEntry.objects.filter(company=company).aggregate(
        debits=Sum("debit"), credits=Sum("credit"),
        past_due=Sum("debit", filter=Q(due_date__lt=today)),
    )
    debit, credit, past_due = (sums["debits"] or ZERO), (sums["credits"] or ZERO), (sums["past_due"] or ZERO)
    open_orders = Order.objects.filter(
        company=company, payment_method=PaymentMethod.ON_ACCOUNT, invoiced=False,
    ).exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.DRAFT]).aggregate(total=Sum("total_gross"))
    currency = company.currency
    return CreditPosition(
        currency=currency,
        credit_limit=round_money(company.credit_limit, currency),
        balance=round_money(debit - credit, currency),
        open_orders=round_money(open_orders["total"] or ZERO, currency),
        overdue=round_money(max(past_due - credit, ZERO), currency),
        overdue_tolerance=round_money(company.overdue_tolerance, currency),
    )
