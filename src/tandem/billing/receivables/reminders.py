"""Payment reminders: overdue invoices are e-mailed about at the steps of REMINDER_STEPS
(days after the due date), each step once, in the customer's language."""

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation

from tandem.billing.models import Invoice, ReminderSent
from tandem.billing.receivables.selectors import OpenInvoice, open_invoices
from tandem.core.emails import send_templated_email, site_url
from tandem.core.events import Event, event_publish
from tandem.core.money import format_money
from tandem.customers.models import CompanyRole, CompanyUser

logger = logging.getLogger("tandem.billing")

# who in a company hears about its unpaid invoices
PAYING_ROLES = (CompanyRole.ADMIN, CompanyRole.ACCOUNTANT)


def reminder_steps() -> list[int]:
    """The configured steps (days after the due date), ascending; bad entries are skipped."""
    steps = set()
    for step in settings.REMINDER_STEPS:
        try:
            value = int(step)
        except (TypeError, ValueError):
            logger.warning("REMINDER_STEPS: %r is not a number of days; skipped", step)
            continue
        if 0 < value <= 3650:
            steps.add(value)
    return sorted(steps)


def _recipients(item: OpenInvoice) -> tuple[list[str], list[int], str]:
    """E-mail addresses, inbox users and the language of whoever pays the invoice: the
    company's invoice e-mail and its admins and accountants (in the company's language),
    or the retail customer."""
    invoice = item.invoice
    if invoice.company_id is None:
        user = invoice.user
        if user is None or not user.is_active:
            return [], [], settings.LANGUAGE_CODE
        return [user.email], [user.pk], user.language or invoice.language
    company = invoice.company
    members = list(
        CompanyUser.objects.filter(
            company=company, is_active=True, user__is_active=True, role__in=PAYING_ROLES
        ).values_list("user_id", "user__email")
    )
    emails = [company.email] if company.email else []
    emails += [email for _user_id, email in members if email and email not in emails]
    return emails, [user_id for user_id, _email in members], company.language or invoice.language


def _send(item: OpenInvoice, step: int) -> bool:
    """Record the step and tell the customer, once: a second run at the same moment meets the
    unique (invoice, step) row and sends nothing."""
    invoice = item.invoice
    emails, user_ids, language = _recipients(item)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                invoice=invoice,
                step=step,
                days_overdue=item.days_overdue,
                open_amount=item.open_amount,
                recipients=emails,
            )
            with translation.override(language):
                amount = format_money(item.overdue_amount, invoice.currency)
                total = format_money(item.open_amount, invoice.currency)
            # The inbox subscribes in this transaction; the e-mail goes out from the outbox.
            event_publish(
                "invoice.overdue",
                {
                    "invoice_id": invoice.pk,
                    "number": invoice.number,
                    "step": step,
                    "days_overdue": item.days_overdue,
                    "overdue_amount": amount,
                    "open_amount": total,
                    "due_date": item.overdue_parts[0].due_date.isoformat(),
                    "user_ids": user_ids,
                    "emails": emails,
                    "language": language,
                },
                subject=invoice,
            )
    except IntegrityError:
        return False
    return True


def reminders_send(today: date | None = None) -> int:
    """Remind about every invoice with an overdue, unpaid amount that has reached a step not
    reminded of yet; an invoice first found late past several steps gets one reminder (the
    latest step). Returns how many reminders were sent."""
    today = today or timezone.localdate()
    steps = reminder_steps()
    if not steps:
        return 0
    overdue = [
        item
        for item in open_invoices(today=today)
        if item.overdue_amount > 0 and item.days_overdue >= steps[0]
    ]
    done = dict(
        ReminderSent.objects.filter(invoice__in=[item.invoice.pk for item in overdue])
        .values("invoice")
        .annotate(last=Max("step"))
        .values_list("invoice", "last")
    )
    sent = 0
    for item in overdue:
        step = max(step for step in steps if step <= item.days_overdue)
        if done.get(item.invoice.pk, 0) >= step:
            continue
        sent += _send(item, step)
    return sent


def reminder_email(event: Event) -> None:
    """The reminder's e-mail (an after-commit subscriber of ``invoice.overdue``)."""
    payload = event.payload
    invoice = Invoice.objects.filter(pk=payload["invoice_id"]).first()
    if invoice is None or not payload.get("emails"):
        return
    context = {
        "invoice": invoice,
        "overdue_amount": payload["overdue_amount"],
        "open_amount": payload["open_amount"],
        "days_overdue": payload["days_overdue"],
        "due_date": date.fromisoformat(str(payload["due_date"])),
        "bank_account": settings.SHOP_BANK_ACCOUNT,
        "url": site_url("storefront:account"),
    }
    send_templated_email(
        template="billing/email/reminder",
        context=context,
        to=list(payload["emails"]),
        language=str(payload["language"]),
    )
