"""Receivables writes: payments received and their allocation to invoices, ledger
adjustments, bank statement imports, instalment plans.

A payment recorded by finance or imported from the bank is credited to the company's ledger
once, in full; allocations only say which invoices it settles (they never touch the ledger,
so the balance and the credit check stay ledger sums). What is not allocated is credit on
the account, applied to the next invoices. Every write runs in one transaction on the
locked company row, so two finance users (or an import and a user) cannot allocate the same
money or the same invoice twice.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.billing.models import (
    DocumentKind,
    Instalment,
    Invoice,
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentAllocation,
    PaymentSource,
    PaymentStatusChoices,
    ReceivedPayment,
)
from tandem.billing.receivables.selectors import (
    invoice_open_amount,  # noqa: F401 - asked for along with the writes
    payments_with_unallocated,
    receivable_invoices,
    with_open_amounts,
)
from tandem.core.audit import audit_record
from tandem.core.errors import DomainError, NotFound
from tandem.core.events import event_publish
from tandem.core.money import MINOR_UNITS, quantum, round_money
from tandem.core.tabular import TabularFileError, read_rows
from tandem.customers.models import Company, User
from tandem.orders.models import PaymentMethod

ZERO = Decimal("0")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_BANK_LINES = 5000


class PaymentError(DomainError):
    """A payment or an allocation breaks a receivables rule; nothing was booked."""

    code = "payment_invalid"
    default_message = gettext_lazy("The payment cannot be booked as asked.")


class BankFileError(DomainError):
    """The bank statement file as a whole cannot be read; nothing was booked."""

    code = "bank_file_invalid"


@dataclass(frozen=True, slots=True)
class AllocationRequest:
    """Settle ``amount`` of the invoice numbered ``invoice_number``."""

    invoice_number: str
    amount: Decimal


def _actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _money(amount, currency: str, *, field_name: str = "amount") -> Decimal:
    """A positive amount with no more places than the currency has; PaymentError otherwise."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if (
        value is None
        or not value.is_finite()
        or value <= 0
        or value > MAX_AMOUNT
        or value.as_tuple().exponent < -MINOR_UNITS.get(currency, 2)
    ):
        raise PaymentError(
            _("Give a positive amount with at most %(places)s decimal places.")
            % {"places": MINOR_UNITS.get(currency, 2)},
            code="amount_invalid",
            field=field_name,
        )
    return round_money(value, currency)


def _lock_company(company: Company) -> Company:
    # FOR NO KEY UPDATE, as at checkout: rows that merely reference the company (ledger
    # entries of a credit note or an invoice issued meanwhile) do not wait on it, nor it on them.
    locked = Company.objects.select_for_update(no_key=True).filter(pk=company.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _allocate(
    payment: ReceivedPayment, requests: list[AllocationRequest], *, available: Decimal, actor_id: int | None
) -> list[PaymentAllocation]:
    """Allocate parts of ``payment`` to the named invoices of its company (call with the
    company locked). Another company's invoice, or no such invoice, is NotFound; more than
    the payment has left or than an invoice has open is a PaymentError."""
    numbers = [request.invoice_number.strip()[:32] for request in requests]
    if len(set(numbers)) != len(numbers):
        raise PaymentError(_("Name each invoice once."), code="invoice_repeated", field="allocations")
    invoices = {
        invoice.number: invoice
        for invoice in with_open_amounts(
            Invoice.objects.select_for_update(of=("self",)).filter(
                number__in=numbers, company=payment.company_id, kind=DocumentKind.INVOICE
            )
        ).order_by("pk")
    }
    amounts = []
    for number, request in zip(numbers, requests, strict=True):
        invoice = invoices.get(number)
        if invoice is None:
            raise NotFound(_("There is no invoice %(number)s of this company.") % {"number": number})
        if invoice.currency != payment.currency:
            raise PaymentError(
                _("Invoice %(number)s is in %(currency)s, the payment is not.")
                % {"number": number, "currency": invoice.currency},
                code="currency_mismatch",
            )
        # Money the ledger holds pays what the ledger owes (invoices on account); money paid
        # ahead for an order (online, no ledger credit) only that order's invoices.
        if payment.ledger_entry_id is not None:
            wrong = invoice.payment_method != PaymentMethod.ON_ACCOUNT
        else:
            wrong = payment.online_payment_id is None or invoice.order_id != payment.online_payment.order_id
        if wrong:
            raise PaymentError(
                _("Invoice %(number)s was not issued on account; it is not a receivable.")
                % {"number": number},
                code="not_receivable",
            )
        amount = _money(request.amount, payment.currency)
        if amount > invoice.open_amount:
            left = round_money(invoice.open_amount, invoice.currency)
            raise PaymentError(
                _("Invoice %(number)s has only %(open)s left to pay.") % {"number": number, "open": left},
                code="over_allocated",
                field="allocations",
            )
        amounts.append((invoice, amount))
    if sum((amount for _invoice, amount in amounts), ZERO) > available:
        raise PaymentError(
            _("The allocations add up to more than the %(amount)s left of the payment.")
            % {"amount": available},
            code="over_allocated",
            field="allocations",
        )
    return PaymentAllocation.objects.bulk_create(
        [
            PaymentAllocation(payment=payment, invoice=invoice, amount=amount, created_by_id=actor_id)
            for invoice, amount in amounts
        ]
    )


def _allocate_oldest_first(
    payment: ReceivedPayment, invoices: QuerySet[Invoice], *, available: Decimal, actor_id: int | None
) -> list[PaymentAllocation]:
    """Allocate up to ``available`` to ``invoices`` with something open, the one due first
    first (call with the company locked)."""
    allocations = []
    rows = with_open_amounts(invoices.select_for_update(of=("self",))).order_by(
        "due_date", "issue_date", "pk"
    )
    for invoice in rows:
        if available <= 0:
            break
        amount = min(invoice.open_amount, available)
        if amount <= 0:
            continue
        allocations.append(
            PaymentAllocation(payment=payment, invoice=invoice, amount=amount, created_by_id=actor_id)
        )
        available -= amount
    return PaymentAllocation.objects.bulk_create(allocations)


def _payment_book(
    *,
    company: Company,
    amount: Decimal,
    currency: str,
    received_on: date,
    reference: str,
    actor_id: int | None,
    source: str,
    counterparty: str = "",
    note: str = "",
    bank_line_key: str | None = None,
    online_payment: Payment | None = None,
    in_ledger: bool = True,
) -> ReceivedPayment:
    """Create the payment and (``in_ledger``) its ledger credit; call with the company locked."""
    payment = ReceivedPayment.objects.create(
        company=company,
        amount=amount,
        currency=currency,
        received_on=received_on,
        source=source,
        reference=reference[:200],
        counterparty=counterparty[:200],
        note=note[:255],
        bank_line_key=bank_line_key,
        online_payment=online_payment,
        created_by_id=actor_id,
    )
    if in_ledger:
        payment.ledger_entry = LedgerEntry.objects.create(
            company=company,
            kind=LedgerKind.PAYMENT,
            reference=f"PAY-{payment.pk}",
            currency=currency,
            credit=amount,
            booked_on=received_on,
            note=reference[:255],
            created_by_id=actor_id,
        )
        ReceivedPayment.objects.filter(pk=payment.pk).update(ledger_entry=payment.ledger_entry)
    event_publish(
        "payment.received",
        {
            "payment_id": payment.pk,
            "company_id": company.pk,
            "amount": str(amount),
            "currency": currency,
            "received_on": received_on.isoformat(),
            "source": source,
            "reference": payment.reference,
        },
        subject=payment,
    )
    return payment


def _check_received_on(received_on: date) -> None:
    if not isinstance(received_on, date) or received_on > timezone.localdate() + timedelta(days=1):
        raise PaymentError(
            _("A payment cannot be received in the future."), code="date_invalid", field="received_on"
        )


def payment_record(
    *,
    company: Company,
    amount: Decimal,
    currency: str,
    received_on: date,
    reference: str,
    actor: User | None,
    allocations: list[AllocationRequest] | None = None,
    note: str = "",
) -> ReceivedPayment:
    """Book money a company paid (finance): a ledger credit for the whole amount, allocated
    to the named invoices, or without ``allocations`` to the oldest open invoices; what is
    left stays on the account as credit. Raises PaymentError for a currency other than the
    company's, a bad amount or date, or allocations beyond the payment or an invoice's open
    amount; NotFound for an invoice that is not this company's."""
    currency = (currency or "").strip().upper()
    amount = _money(amount, currency)
    _check_received_on(received_on)
    with transaction.atomic():
        company = _lock_company(company)
        if currency != company.currency:
            raise PaymentError(
                _("%(company)s pays in %(currency)s.")
                % {"company": company.name, "currency": company.currency},
                code="currency_mismatch",
                field="currency",
            )
        actor_id = _actor_id(actor)
        payment = _payment_book(
            company=company,
            amount=amount,
            currency=currency,
            received_on=received_on,
            reference=reference or "",
            actor_id=actor_id,
            source=PaymentSource.MANUAL,
            note=note,
        )
        if allocations:
            _allocate(payment, allocations, available=amount, actor_id=actor_id)
        else:
            _allocate_oldest_first(
                payment, receivable_invoices().filter(company=company), available=amount, actor_id=actor_id
            )
        audit_record(
            action="payment.recorded",
            actor_id=actor_id,
            target=payment,
            changes={
                "company": company.pk,
                "amount": str(amount),
                "currency": currency,
                "received_on": received_on.isoformat(),
                "reference": payment.reference,
            },
        )
    return payment


def payment_allocate(
    *, payment: ReceivedPayment, allocations: list[AllocationRequest], actor: User | None
) -> list[PaymentAllocation]:
    """Allocate more of a payment to its company's invoices (the rules of ``payment_record``);
    with no allocations, what is left goes to the oldest open invoices."""
    with transaction.atomic():
        _lock_company(payment.company)
        payment = (
            payments_with_unallocated(
                ReceivedPayment.objects.select_for_update(of=("self",)).filter(pk=payment.pk)
            )
            .select_related("company")
            .first()
        )
        if payment is None:
            raise NotFound()
        actor_id = _actor_id(actor)
        available = round_money(payment.unallocated, payment.currency)
        if available <= 0:
            raise PaymentError(_("This payment is allocated in full."), code="over_allocated")
        if allocations:
            created = _allocate(payment, allocations, available=available, actor_id=actor_id)
        else:
            created = _allocate_oldest_first(
                payment, _invoices_for(payment), available=available, actor_id=actor_id
            )
        if created:
            audit_record(
                action="payment.allocated",
                actor_id=actor_id,
                target=payment,
                changes={"allocations": {row.invoice.number: str(row.amount) for row in created}},
            )
    return created


def _invoices_for(payment: ReceivedPayment) -> QuerySet[Invoice]:
    """The invoices a payment may settle: the company's receivables for money credited to
    the ledger; the order's invoices for an online payment of an order paid in advance."""
    if payment.ledger_entry_id is None and payment.online_payment_id is not None:
        return Invoice.objects.filter(order_id=payment.online_payment.order_id, kind=DocumentKind.INVOICE)
    return receivable_invoices().filter(company=payment.company_id)


def ledger_adjustment(
    *, company: Company, amount: Decimal, reason: str, actor: User | None, booked_on: date | None = None
) -> LedgerEntry:
    """A correction of the company's account by finance: a positive amount is a debit (the
    company owes more), a negative one a credit. The reason is required; audited."""
    reason = " ".join((reason or "").split())[:255]
    if not reason:
        raise PaymentError(_("Give the reason for the adjustment."), code="reason_required", field="reason")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value == 0:
        raise PaymentError(_("Give a non-zero amount."), code="amount_invalid", field="amount")
    with transaction.atomic():
        company = _lock_company(company)
        size = _money(abs(value), company.currency)
        entry = LedgerEntry.objects.create(
            company=company,
            kind=LedgerKind.ADJUSTMENT,
            reference=_("Adjustment")[:60],
            currency=company.currency,
            debit=size if value > 0 else ZERO,
            credit=size if value < 0 else ZERO,
            booked_on=booked_on or timezone.localdate(),
            note=reason,
            created_by_id=_actor_id(actor),
        )
        audit_record(
            action="ledger.adjusted",
            actor_id=_actor_id(actor),
            target=entry,
            changes={
                "company": company.pk,
                "company_name": company.name,
                "amount": str(size if value > 0 else -size),
                "currency": company.currency,
                "reason": reason,
            },
        )
    return entry


# --- instalments and what happens when an invoice is issued ------------------------------------


def instalments_create(invoice: Invoice) -> list[Instalment]:
    """Split a receivable invoice into the instalments its company's payment terms ask for:
    equal parts (the last takes the rounding) falling due evenly up to the invoice's due
    date. Nothing for terms of one instalment, or when the plan exists already."""
    if (
        invoice.kind != DocumentKind.INVOICE
        or invoice.company_id is None
        or invoice.payment_method != PaymentMethod.ON_ACCOUNT
        or invoice.total_gross <= 0
    ):
        return []
    terms = invoice.company.payment_terms
    count = terms.instalments if terms is not None else 1
    count = min(count, int(invoice.total_gross / quantum(invoice.currency)))
    if count <= 1 or invoice.instalments.exists():
        return []
    due = invoice.due_date or invoice.issue_date
    days = max((due - invoice.issue_date).days, 0)
    part = (invoice.total_gross / count).quantize(quantum(invoice.currency), rounding=ROUND_DOWN)
    rows = []
    for position in range(1, count + 1):
        last = position == count
        rows.append(
            Instalment(
                invoice=invoice,
                position=position,
                due_date=due if last else invoice.issue_date + timedelta(days=days * position // count),
                amount=invoice.total_gross - part * (count - 1) if last else part,
            )
        )
    try:
        with transaction.atomic():
            return Instalment.objects.bulk_create(rows)
    except IntegrityError:  # made at the same moment by another call
        return []


def allocations_release_excess(invoice: Invoice) -> Decimal:
    """After a credit note: what was allocated to the invoice beyond its gross less its credit
    notes goes back to the payments (latest allocation first), so that money is credit again
    and settles the company's next invoices. Returns the amount released."""
    credited = invoice.credit_notes.aggregate(total=Sum("total_gross"))["total"] or ZERO
    excess = sum((row.amount for row in invoice.allocations.all()), ZERO) - (invoice.total_gross - credited)
    released = ZERO
    for allocation in invoice.allocations.select_for_update().order_by("-pk"):
        if excess <= 0:
            break
        take = min(allocation.amount, excess)
        if take == allocation.amount:
            allocation.delete()
        else:
            PaymentAllocation.objects.filter(pk=allocation.pk).update(amount=allocation.amount - take)
        excess -= take
        released += take
    if released and invoice.company_id:
        # in its own transaction after this one: the company is locked first there, as always
        company_id = invoice.company_id
        transaction.on_commit(lambda: credit_settle(Company.objects.get(pk=company_id)), robust=True)
    return released


def credit_settle(company: Company) -> None:
    """Apply the company's unallocated payments to its open invoices on account, the one due
    first first (after money came free, e.g. a credit note on a paid invoice)."""
    with transaction.atomic():
        _lock_company(company)
        payments = payments_with_unallocated(
            ReceivedPayment.objects.filter(company=company, ledger_entry__isnull=False)
        ).filter(unallocated__gt=0)
        receivable = Invoice.objects.filter(
            company=company, kind=DocumentKind.INVOICE, payment_method=PaymentMethod.ON_ACCOUNT
        )
        for payment in payments.order_by("received_on", "pk"):
            _allocate_oldest_first(
                payment,
                receivable.filter(currency=payment.currency),
                available=round_money(payment.unallocated, payment.currency),
                actor_id=None,
            )


def on_invoice_issued(invoice: Invoice) -> None:
    """After an invoice is issued: its instalment plan, and credit the company (or, for an
    order paid online, the order) already has on account applied to it. Safe to call again."""
    if invoice.kind != DocumentKind.INVOICE:
        return
    instalments_create(invoice)
    if invoice.company_id is None:
        return
    with transaction.atomic():
        _lock_company(invoice.company)
        on_account = invoice.payment_method == PaymentMethod.ON_ACCOUNT
        payments = payments_with_unallocated(
            ReceivedPayment.objects.filter(company=invoice.company_id)
        ).filter(unallocated__gt=0, currency=invoice.currency)
        if on_account:
            payments = payments.filter(ledger_entry__isnull=False)
        else:
            payments = payments.filter(ledger_entry__isnull=True, online_payment__order=invoice.order_id)
        for payment in payments.order_by("received_on", "pk"):
            _allocate_oldest_first(
                payment,
                Invoice.objects.filter(pk=invoice.pk),
                available=round_money(payment.unallocated, payment.currency),
                actor_id=None,
            )


def online_payment_booked(payment: Payment) -> ReceivedPayment | None:
    """Record a confirmed online payment of a company's order as received (once per
    payment), allocated to the order's invoices. Call it where the order becomes paid, in
    that transaction. The invoice of an order paid in advance is not a ledger debit, so the
    payment is no ledger credit either; an order on account paid online is credited."""
    order = payment.order
    if payment.status != PaymentStatusChoices.PAID or order.company_id is None:
        return None
    existing = ReceivedPayment.objects.filter(online_payment=payment).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        company = _lock_company(order.company)
        received = _payment_book(
            company=company,
            amount=payment.amount,
            currency=payment.currency,
            received_on=timezone.localdate(payment.confirmed_at or timezone.now()),
            reference=f"{order.number} {payment.provider} {payment.provider_transaction}".strip(),
            actor_id=None,
            source=PaymentSource.ONLINE,
            online_payment=payment,
            in_ledger=order.payment_method == PaymentMethod.ON_ACCOUNT,
        )
        _allocate_oldest_first(received, _invoices_for(received), available=received.amount, actor_id=None)
    return received


# --- bank statement import ------------------------------------------------------------------

BANK_COLUMNS = ("date", "amount", "currency", "title")
BANK_OPTIONAL = ("counterparty", "account", "id")
INVOICE_NUMBER = re.compile(r"\b(FV)[\s/_.-]*(\d{4})[\s/_.-]*(\d{1,6})\b", re.IGNORECASE)


class LineStatus:
    BOOKED = "booked"
    DUPLICATE = "duplicate"
    UNMATCHED = "unmatched"
    INVALID = "invalid"


@dataclass(slots=True)
class ReportLine:
    line: int  # the line in the file (1 = the header)
    status: str
    message: str = ""
    received_on: date | None = None
    amount: Decimal | None = None
    currency: str = ""
    title: str = ""
    company: str = ""
    invoices: list[str] = field(default_factory=list)
    payment_id: int | None = None


@dataclass(slots=True)
class ImportReport:
    file_name: str
    lines: list[ReportLine] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def booked(self) -> int:
        return self.count(LineStatus.BOOKED)

    @property
    def duplicates(self) -> int:
        return self.count(LineStatus.DUPLICATE)

    @property
    def unmatched(self) -> int:
        return self.count(LineStatus.UNMATCHED)

    @property
    def invalid(self) -> int:
        return self.count(LineStatus.INVALID)


class _LineRefused(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _bank_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise _LineRefused(
        LineStatus.INVALID,
        _("“%(value)s” is not a date (write 2026-03-31 or 31.03.2026).") % {"value": text[:40]},
    )


def _bank_amount(text: str) -> Decimal:
    """An amount as banks write it: 1234.56, 1 234,56, 1,234.56 or 1.234,56."""
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal_mark == "," else ",", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned) if re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned) else None
    except InvalidOperation:
        value = None
    if value is None or value.as_tuple().exponent < -2 or abs(value) > MAX_AMOUNT:
        raise _LineRefused(LineStatus.INVALID, _("“%(value)s” is not an amount.") % {"value": text[:40]})
    if value <= 0:
        raise _LineRefused(LineStatus.INVALID, _("Not an incoming payment (the amount is not positive)."))
    return value


def _invoice_numbers(title: str) -> list[str]:
    """The invoice numbers a transfer title names, written as the invoices write them."""
    found = []
    for prefix, year, number in INVOICE_NUMBER.findall(title):
        canonical = f"{prefix.upper()}/{year}/{int(number):06d}"
        if canonical not in found:
            found.append(canonical)
    return found


def _line_key(values: dict[str, str], received_on: date, amount: Decimal) -> str:
    """What identifies a statement line (the bank's own id when the file has one), however
    the file wrote its date and amount."""
    parts = [
        received_on.isoformat(),
        str(amount.quantize(Decimal("0.01"))),  # "100" and "100,00" alike
        values["currency"].strip().upper(),
        " ".join(values["title"].split()).lower(),
        " ".join(values.get("counterparty", "").split()).lower(),
        values.get("account", "").replace(" ", "").upper(),
        values.get("id", "").strip(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _match(title: str, amount: Decimal, currency: str) -> tuple[Company, list[Invoice] | None]:
    """The company (and the invoices named in the title, or None to allocate the invoice
    found by its open amount) a line pays; _LineRefused when it cannot be told."""
    numbers = _invoice_numbers(title)
    if numbers:
        invoices = list(receivable_invoices().filter(number__in=numbers).select_related("company"))
        companies = {invoice.company_id for invoice in invoices}
        if len(companies) == 1:
            return invoices[0].company, sorted(invoices, key=lambda invoice: (invoice.due_date, invoice.pk))
        if len(companies) > 1:
            raise _LineRefused(LineStatus.UNMATCHED, _("The title names invoices of different companies."))
    candidates = list(
        with_open_amounts(receivable_invoices().filter(currency=currency))
        .filter(open_amount=amount)
        .select_related("company")[:2]
    )
    if len(candidates) == 1:
        return candidates[0].company, [candidates[0]]
    if candidates:
        raise _LineRefused(LineStatus.UNMATCHED, _("More than one open invoice is for this amount."))
    if numbers:
        raise _LineRefused(LineStatus.UNMATCHED, _("No invoice on account has the number in the title."))
    raise _LineRefused(
        LineStatus.UNMATCHED, _("No invoice number in the title and no open invoice for this amount.")
    )


def _bank_line(values: dict[str, str], report_line: ReportLine, seen: set[str], actor_id: int | None) -> None:
    missing = [name for name in BANK_COLUMNS if not values.get(name, "").strip()]
    if missing:
        raise _LineRefused(LineStatus.INVALID, _("Missing: %(columns)s.") % {"columns": ", ".join(missing)})
    received_on = _bank_date(values["date"])
    amount = _bank_amount(values["amount"])
    currency = values["currency"].strip().upper()
    report_line.received_on, report_line.amount, report_line.currency = received_on, amount, currency
    if currency not in MINOR_UNITS:
        raise _LineRefused(LineStatus.INVALID, _("“%(value)s” is not a currency.") % {"value": currency[:10]})
    if received_on > timezone.localdate() + timedelta(days=1):
        raise _LineRefused(LineStatus.INVALID, _("The date is in the future."))
    key = _line_key(values, received_on, amount)
    if key in seen or ReceivedPayment.objects.filter(bank_line_key=key).exists():
        raise _LineRefused(LineStatus.DUPLICATE, _("This line is booked already."))
    seen.add(key)
    company, invoices = _match(values["title"], amount, currency)
    report_line.company = company.name
    if currency != company.currency:
        raise _LineRefused(
            LineStatus.INVALID,
            _("%(company)s pays in %(currency)s.") % {"company": company.name, "currency": company.currency},
        )
    with transaction.atomic():
        company = _lock_company(company)
        payment = _payment_book(
            company=company,
            amount=amount,
            currency=currency,
            received_on=received_on,
            reference=values["title"],
            counterparty=values.get("counterparty", ""),
            note=values.get("account", ""),
            actor_id=actor_id,
            source=PaymentSource.BANK,
            bank_line_key=key,
        )
        allocations = _allocate_oldest_first(
            payment,
            Invoice.objects.filter(pk__in=[i.pk for i in invoices]),
            available=amount,
            actor_id=actor_id,
        )
    report_line.status = LineStatus.BOOKED
    report_line.payment_id = payment.pk
    report_line.invoices = [allocation.invoice.number for allocation in allocations]
    left = amount - sum((allocation.amount for allocation in allocations), ZERO)
    report_line.message = _("Kept as credit: %(amount)s.") % {"amount": left} if left > 0 else ""


def bank_statement_import(*, file_name: str, content: bytes, actor: User | None) -> ImportReport:
    """Book the incoming payments of a bank statement (CSV: date, amount, currency, title;
    optionally counterparty, account, id). A line whose title names an invoice pays that
    invoice (its company's); else the only open invoice of exactly its amount; else it is
    reported unmatched and not booked. Every line gets a report row: booked, duplicate (the
    same line was booked before, by this file or an earlier one: never twice), unmatched or
    invalid (with why). One transaction for the file, a savepoint per line, so bad lines do
    not stop good ones. Raises BankFileError for an unreadable file or missing columns."""
    try:
        rows = read_rows(file_name, content, max_rows=MAX_BANK_LINES)
    except TabularFileError as error:
        raise BankFileError(str(error)) from error
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in BANK_COLUMNS if name not in header]
    if missing:
        raise BankFileError(
            _(
                "The first row must name the columns date, amount, currency and title (optionally "
                "counterparty, account and id); missing: %(columns)s."
            )
            % {"columns": ", ".join(missing)},
            code="bank_file_columns",
        )
    index = {name: header.index(name) for name in (*BANK_COLUMNS, *BANK_OPTIONAL) if name in header}
    report = ImportReport(file_name=file_name[:200])
    actor_id = _actor_id(actor)
    seen: set[str] = set()
    with transaction.atomic():
        for number, row in enumerate(rows[1:], start=2):
            values = {name: row[position] if position < len(row) else "" for name, position in index.items()}
            report_line = ReportLine(
                line=number, status=LineStatus.INVALID, title=values.get("title", "")[:200]
            )
            try:
                with transaction.atomic():
                    _bank_line(values, report_line, seen, actor_id)
            except _LineRefused as refusal:
                report_line.status, report_line.message = refusal.status, refusal.message
            except IntegrityError:  # booked at the same moment by another import
                report_line.status = LineStatus.DUPLICATE
                report_line.message = _("This line is booked already.")
            except DomainError as error:
                report_line.status, report_line.message = LineStatus.INVALID, str(error.message)
            report.lines.append(report_line)
        audit_record(
            action="bank_statement.imported",
            actor_id=actor_id,
            target=None,
            changes={
                "file": report.file_name,
                "booked": report.booked,
                "duplicates": report.duplicates,
                "unmatched": report.unmatched,
                "invalid": report.invalid,
            },
        )
    return report
