"""Issuing invoices and credit notes.

One transaction each, on the locked order (or invoice) row: the number comes from the
locked gapless counter of its series and year (``core.numbering``), the document is a
snapshot, and a company's receivables ledger gets its debit (invoice on account) or
credit (credit note) in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.billing.errors import InvoiceError
from tandem.billing.models import DocumentKind, Invoice, InvoiceLine, LedgerEntry, LedgerKind
from tandem.billing.receivables.services import allocations_release_excess, on_invoice_issued
from tandem.core.errors import NotFound
from tandem.core.events import event_publish
from tandem.core.money import round_money
from tandem.core.numbering import next_number
from tandem.customers.models import User
from tandem.orders.models import Order, OrderLine, OrderStatus, PaymentMethod, PaymentStatus, Shipment
from tandem.pricing.totals import DocumentTotals, RateTotal, document_totals

NOT_INVOICEABLE = (OrderStatus.DRAFT, OrderStatus.PENDING_APPROVAL, OrderStatus.CANCELLED)
SERIES = {DocumentKind.INVOICE: ("invoice", "FV"), DocumentKind.CREDIT_NOTE: ("credit_note", "KOR")}


def seller_snapshot() -> dict:
    """The merchant as invoices state it (from settings at the time of issue)."""
    lines = [line.strip() for line in settings.SHOP_ADDRESS.split("|") if line.strip()]
    return {
        "name": settings.SHOP_NAME,
        "vat_id": settings.SHOP_VAT_ID,
        "country": settings.SHOP_COUNTRY,
        "address_lines": lines,
        "bank_account": settings.SHOP_BANK_ACCOUNT,
    }


def _buyer_snapshot(order: Order) -> dict:
    buyer = dict(order.buyer or {})
    if order.company_id:
        company = order.company
        buyer.update(
            {
                "name": company.name,
                "vat_id": company.vat_id,
                "country": company.country,
                "address_lines": [company.street, f"{company.postal_code} {company.city}"],
                "email": company.email or order.email,
            }
        )
    else:
        address = order.shipping_address or {}
        buyer.setdefault("name", address.get("recipient", "") or order.email)
        buyer.update(
            {
                "vat_id": "",
                "country": address.get("country") or order.country,
                "address_lines": [
                    line
                    for line in (
                        address.get("street", ""),
                        " ".join(
                            part for part in (address.get("postal_code", ""), address.get("city", "")) if part
                        ),
                    )
                    if line
                ],
                "email": order.email,
            }
        )
    return buyer


def _number(kind: str, year: int) -> str:
    series, prefix = SERIES[kind]
    return f"{prefix}/{year}/{next_number(series=series, year=year):06d}"


@dataclass(frozen=True, slots=True)
class _Part:
    order_line: OrderLine | None
    sku: str
    name: str
    unit: str
    quantity: int
    unit_net: Decimal
    tax_rate: Decimal
    line_net: Decimal


def invoice_issue(
    *, order: Order, actor: User | None, shipment: Shipment | None = None, issue_date: date | None = None
) -> Invoice:
    """Invoice the order (everything not invoiced yet) or one of its shipments (the units it
    carried). Delivery goes on the order's first invoice. Raises InvoiceError for an order
    that cannot be invoiced (waiting for approval, cancelled, already invoiced)."""
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("company")
            .filter(pk=order.pk)
            .first()
        )
        if order is None:
            raise NotFound()
        if order.status in NOT_INVOICEABLE:
            raise InvoiceError(
                _("Order %(number)s cannot be invoiced while it is “%(status)s”.")
                % {"number": order.number, "status": order.get_status_display()},
                code="not_invoiceable",
            )
        if shipment is not None and (
            shipment.order_id != order.pk
            or order.invoices.filter(shipment=shipment, kind=DocumentKind.INVOICE).exists()
        ):
            raise InvoiceError(_("This shipment is invoiced already."), code="already_invoiced")
        parts = _parts(order, shipment)
        if not parts:
            raise InvoiceError(
                _("Everything in order %(number)s is invoiced already.") % {"number": order.number},
                code="already_invoiced",
            )
        first = not order.invoices.filter(kind=DocumentKind.INVOICE).exists()
        if first and order.delivery_net:
            parts.append(
                _Part(
                    None,
                    "",
                    _("Delivery: %(method)s") % {"method": order.delivery_method},
                    "pcs",
                    1,
                    order.delivery_net,
                    order.delivery_tax_rate,
                    order.delivery_net,
                )
            )
        totals = document_totals([(part.line_net, part.tax_rate) for part in parts], order.currency)
        on_account = order.payment_method == PaymentMethod.ON_ACCOUNT
        invoice = Invoice.objects.create(
            kind=DocumentKind.INVOICE,
            number=_number(DocumentKind.INVOICE, issue_date.year),
            order=order,
            shipment=shipment,
            company=order.company,
            user=order.user if not order.company_id else None,
            issue_date=issue_date,
            sale_date=(shipment.shipped_at if shipment else order.created_at).date(),
            due_date=issue_date + timedelta(days=order.payment_days or 0) if on_account else issue_date,
            currency=order.currency,
            language=order.language,
            seller=seller_snapshot(),
            buyer=_buyer_snapshot(order),
            reverse_charge=order.reverse_charge,
            payment_method=order.payment_method,
            payment_terms=order.payment_terms,
            paid_at_issue=order.payment_status == PaymentStatus.PAID,
            total_net=totals.net,
            total_tax=totals.tax,
            total_gross=totals.gross,
            tax_summary=totals.summary(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        InvoiceLine.objects.bulk_create(
            [_invoice_line(invoice, position, part) for position, part in enumerate(parts, start=1)]
        )
        if order.company_id and on_account:
            LedgerEntry.objects.create(
                company=order.company,
                kind=LedgerKind.INVOICE,
                reference=invoice.number,
                currency=invoice.currency,
                debit=invoice.total_gross,
                booked_on=issue_date,
                due_date=invoice.due_date,
                created_by=invoice.created_by,
            )
        if not _parts(order, None):
            Order.objects.filter(pk=order.pk).update(invoiced=True)
        on_invoice_issued(invoice)  # instalments; credit already on the account settles it
        event_publish("invoice.issued", _document_payload(invoice), subject=invoice)
    return invoice


def _parts(order: Order, shipment: Shipment | None) -> list[_Part]:
    """The units still to invoice: all of the order's, or the shipment's. A line invoiced in
    parts gets its net in proportion, and its last part the remainder, to the cent."""
    invoiced = {
        row["order_line"]: (row["quantity"] or 0, row["net"] or Decimal(0))
        for row in InvoiceLine.objects.filter(
            invoice__order=order, invoice__kind=DocumentKind.INVOICE, order_line__isnull=False
        )
        .values("order_line")
        .annotate(quantity=Sum("quantity"), net=Sum("line_net"))
    }
    if shipment is not None:
        wanted = {item.order_line_id: item.quantity for item in shipment.lines.all()}
    else:
        wanted = {
            line.pk: line.quantity - int(invoiced.get(line.pk, (0, 0))[0]) for line in order.lines.all()
        }
    parts = []
    for line in order.lines.all():
        quantity = min(wanted.get(line.pk, 0), line.quantity - int(invoiced.get(line.pk, (0, 0))[0]))
        if quantity <= 0:
            continue
        done_quantity, done_net = invoiced.get(line.pk, (0, Decimal(0)))
        if done_quantity + quantity >= line.quantity:
            net = line.line_net - done_net
        else:
            net = round_money(line.line_net * quantity / line.quantity, order.currency)
        parts.append(_Part(line, line.sku, line.name, line.unit, quantity, line.unit_net, line.tax_rate, net))
    return parts


def _invoice_line(invoice: Invoice, position: int, part: _Part) -> InvoiceLine:
    """The line with ``line_net = round(quantity × unit_net) − discount`` and discount ≥ 0: the
    list unit price when the line's net is at or below it (a promotion's share is the
    discount), else the net per unit, rounded up to four places."""
    unit = part.unit_net
    gross_value = round_money(unit * part.quantity, invoice.currency)
    if gross_value < part.line_net:
        unit = (part.line_net / part.quantity).quantize(Decimal("0.0001"), rounding=ROUND_CEILING)
        gross_value = round_money(unit * part.quantity, invoice.currency)
    return InvoiceLine(
        invoice=invoice,
        position=position,
        order_line=part.order_line,
        sku=part.sku,
        name=part.name[:300],
        unit=part.unit,
        quantity=Decimal(part.quantity),
        unit_net=unit,
        discount=gross_value - part.line_net,
        tax_rate=part.tax_rate,
        line_net=part.line_net,
    )


# --- credit notes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Correction:
    """A line of an invoice after the correction: fewer units and/or a lower unit price
    (None: unchanged)."""

    line_id: int
    quantity: Decimal | None = None
    unit_net: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineState:
    line: InvoiceLine
    quantity: Decimal
    unit_net: Decimal
    line_net: Decimal


def invoice_line_states(invoice: Invoice) -> dict[int, LineState]:
    """Each invoice line as it stands after the credit notes issued so far."""
    states = {
        line.pk: LineState(line, line.quantity, line.unit_net, line.line_net) for line in invoice.lines.all()
    }
    corrections = InvoiceLine.objects.filter(corrects_line__invoice=invoice).order_by(
        "invoice__issue_date", "pk"
    )
    for correction in corrections:
        state = states[correction.corrects_line_id]
        states[correction.corrects_line_id] = LineState(
            state.line, correction.quantity, correction.unit_net, state.line_net - correction.line_net
        )
    return states


def _rate(value) -> Decimal:
    return Decimal(value).normalize() + 0  # 23, 23.0 and 23.00 are one rate


def _credit_totals(invoice: Invoice, states: dict[int, LineState], parts: list) -> DocumentTotals:
    """What a credit note takes off, per rate: the net taken, and the VAT as the difference
    between the VAT still on the invoice and the VAT on what remains after the note — so
    however many notes follow, together they never take off more VAT than the invoice had,
    and a note to zero takes exactly what is left."""
    currency = invoice.currency
    tax_left = {_rate(row["rate"]): Decimal(row["tax"]) for row in invoice.tax_summary}
    for earlier in invoice.credit_notes.all():
        for row in earlier.tax_summary:
            tax_left[_rate(row["rate"])] -= Decimal(row["tax"])
    taken_by_line = {state.line.pk: taken for state, _quantity, _unit, taken in parts}
    net_after: dict[Decimal, Decimal] = {}
    taken: dict[Decimal, Decimal] = {}
    for state in states.values():
        rate = _rate(state.line.tax_rate)
        remains = state.line_net - taken_by_line.get(state.line.pk, 0)
        net_after[rate] = net_after.get(rate, Decimal(0)) + remains
        if state.line.pk in taken_by_line:
            taken[rate] = taken.get(rate, Decimal(0)) + taken_by_line[state.line.pk]
    rates = tuple(
        RateTotal(
            rate=rate,
            net=round_money(net, currency),
            tax=tax_left.get(rate, Decimal(0)) - round_money(net_after[rate] * rate / 100, currency),
        )
        for rate, net in sorted(taken.items(), reverse=True)
    )
    return DocumentTotals(
        currency=currency,
        net=sum((r.net for r in rates), Decimal(0)),
        tax=sum((r.tax for r in rates), Decimal(0)),
        rates=rates,
    )


def credit_note_issue(
    *,
    invoice: Invoice,
    corrections: list[Correction],
    reason: str,
    actor: User | None,
    issue_date: date | None = None,
) -> Invoice:
    """A credit note to ``invoice``: per corrected line its values before and after, and
    what that takes off (never more than is left of the line: a credit note cannot exceed
    the invoice). Raises InvoiceError naming the lines that cannot be corrected so."""
    issue_date = issue_date or timezone.localdate()
    reason = " ".join(reason.split())[:2000]
    if not reason:
        raise InvoiceError(_("Give the reason for the correction."), code="reason_required", field="reason")
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("company", "order")
            .filter(pk=invoice.pk, kind=DocumentKind.INVOICE)
            .first()
        )
        if invoice is None:
            raise NotFound()
        states = invoice_line_states(invoice)
        parts, problems = [], []
        for correction in corrections:
            state = states.get(correction.line_id)
            if state is None:
                problems.append({"line": correction.line_id, "message": _("Not a line of this invoice.")})
                continue
            quantity = state.quantity if correction.quantity is None else Decimal(correction.quantity)
            unit_net = state.unit_net if correction.unit_net is None else Decimal(correction.unit_net)
            if not (0 <= quantity <= state.quantity and 0 <= unit_net <= state.unit_net):
                problems.append(
                    {
                        "line": correction.line_id,
                        "sku": state.line.sku,
                        "message": _(
                            "A credit note can only lower a line: at most %(quantity)s units at %(price)s."
                        )
                        % {"quantity": state.quantity.normalize(), "price": state.unit_net.normalize()},
                    }
                )
                continue
            before = state.quantity * state.unit_net
            after_net = (
                round_money(state.line_net * quantity * unit_net / before, invoice.currency) if before else 0
            )
            taken = state.line_net - after_net
            if taken <= 0:
                problems.append(
                    {
                        "line": correction.line_id,
                        "sku": state.line.sku,
                        "message": _("Nothing would change on this line."),
                    }
                )
                continue
            parts.append((state, quantity, unit_net, taken))
        if problems or not parts:
            raise InvoiceError(
                _("The correction cannot be issued: see each line."),
                code="correction_invalid",
                lines=problems or [{"message": _("Choose at least one line to correct.")}],
            )
        totals = _credit_totals(invoice, states, parts)
        note = Invoice.objects.create(
            kind=DocumentKind.CREDIT_NOTE,
            number=_number(DocumentKind.CREDIT_NOTE, issue_date.year),
            order=invoice.order,
            corrects=invoice,
            company=invoice.company,
            user=invoice.user,
            issue_date=issue_date,
            sale_date=invoice.sale_date,
            due_date=issue_date,
            currency=invoice.currency,
            language=invoice.language,
            seller=invoice.seller,
            buyer=invoice.buyer,
            reverse_charge=invoice.reverse_charge,
            payment_method=invoice.payment_method,
            payment_terms=invoice.payment_terms,
            total_net=totals.net,
            total_tax=totals.tax,
            total_gross=totals.gross,
            reason=reason,
            tax_summary=totals.summary(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=note,
                    position=position,
                    order_line=state.line.order_line_id and state.line.order_line,
                    corrects_line=state.line,
                    sku=state.line.sku,
                    name=state.line.name,
                    unit=state.line.unit,
                    quantity=quantity,
                    unit_net=unit_net,
                    discount=Decimal(0),
                    tax_rate=state.line.tax_rate,
                    line_net=taken,
                    before_quantity=state.quantity,
                    before_unit_net=state.unit_net,
                    before_line_net=state.line_net,
                )
                for position, (state, quantity, unit_net, taken) in enumerate(parts, start=1)
            ]
        )
        if invoice.company_id and invoice.payment_method == PaymentMethod.ON_ACCOUNT:
            LedgerEntry.objects.create(
                company=invoice.company,
                kind=LedgerKind.CREDIT_NOTE,
                reference=note.number,
                currency=note.currency,
                credit=note.total_gross,
                booked_on=issue_date,
                note=invoice.number,
                created_by=note.created_by,
            )
        allocations_release_excess(invoice)  # money paid beyond what is now owed is credit again
        event_publish(
            "credit_note.issued", {**_document_payload(note), "invoice_number": invoice.number}, subject=note
        )
    return note


def _document_payload(document: Invoice) -> dict[str, object]:
    return {
        "document_id": document.pk,
        "number": document.number,
        "kind": document.kind,
        "order_id": document.order_id,
        "company_id": document.company_id,
        "currency": document.currency,
        "total_net": str(document.total_net),
        "total_gross": str(document.total_gross),
        "due_date": document.due_date.isoformat() if document.due_date else None,
    }
