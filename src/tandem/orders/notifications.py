"""Order e-mails, in the order's language: after-commit subscribers of the order's domain
events (``core.events``), delivered by the worker at least once.

The inbox rows and webhook deliveries of the same events are written in the change's own
transaction by ``messaging.subscribers``.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.core.emails import send_templated_email, site_url
from tandem.core.events import Event, subscribe
from tandem.core.tasks import send_email
from tandem.customers.models import CompanyRole, CompanyUser
from tandem.orders.models import CustomStatus, Order, RecurringOrder

DEFAULT_SUBJECT = "{{ order.number }}: {{ status }}"
logger = logging.getLogger(__name__)

# Parts of the confirmation e-mail from higher layers (service: "bought together"), each
# answering extra template context for an order. A part that fails leaves the e-mail whole.
_confirmation_parts: list[Callable[[Order], dict]] = []


def confirmation_part_register(part: Callable[[Order], dict]) -> None:
    if part not in _confirmation_parts:
        _confirmation_parts.append(part)


def _confirmation_extras(order: Order) -> dict:
    extras: dict = {}
    for part in _confirmation_parts:
        try:
            extras.update(part(order))
        except Exception:
            logger.exception("a part of the confirmation e-mail of %s failed", order.number)
    return extras


def _order(event: Event) -> Order | None:
    return Order.objects.select_related("company", "user").filter(pk=event.payload["order_id"]).first()


def order_confirmation_email(event: Event) -> None:
    """A new order from checkout (placed, or waiting for approval): the confirmation to the
    buyer and, for a company, its admins."""
    if event.payload.get("via") != "checkout" or (order := _order(event)) is None:
        return
    recipients = [order.email]
    if order.company_id:
        recipients += [
            email
            for email in CompanyUser.objects.filter(
                company_id=order.company_id,
                role=CompanyRole.ADMIN,
                is_active=True,
            ).values_list("user__email", flat=True)
            if email != order.email
        ]
    send_templated_email(
        template="orders/email/confirmation",
        to=recipients,
        language=order.language,
        context={
            "order": order,
            "bank_account": settings.SHOP_BANK_ACCOUNT,
            "url": site_url("checkout:order_done", order.token),
            **_confirmation_extras(order),
        },
    )


def approval_needed_email(event: Event) -> None:
    """The company's admins and approvers (not the buyer) hear that an order waits for them."""
    if (order := _order(event)) is None:
        return
    emails = list(
        CompanyUser.objects.filter(
            company_id=order.company_id,
            is_active=True,
            role__in=[CompanyRole.ADMIN, CompanyRole.APPROVER],
        )
        .exclude(user_id=order.user_id)
        .values_list("user__email", flat=True)
    )
    if emails:
        _mail(order, "orders/email/approval_needed", emails)


def approval_decision_email(event: Event) -> None:
    """The buyer hears that their order is placed (its last approval), rejected or expired."""
    approved = event.name == "order.placed"
    decided = {"order.placed": "place", "order.rejected": "reject", "order.cancelled": "expire"}[event.name]
    if event.payload.get("transition") != decided or (order := _order(event)) is None:
        return
    pay_url = (
        site_url("checkout:order_done", order.token)
        if approved and order.payments.filter(status="pending").exists()
        else ""
    )
    _mail(order, "orders/email/approval_decided", [order.email], approved=approved, pay_url=pay_url)


def custom_status_email(event: Event) -> None:
    """A merchant status the customer sees and is to be told about, in its own wording."""
    status_id = event.payload.get("custom_status_id")
    status = CustomStatus.objects.filter(pk=status_id).first() if status_id else None
    if status is None or not (status.notify_customer and status.visible_to_customer):
        return
    if (order := _order(event)) is None:
        return
    note = str(event.payload.get("note", ""))
    with translation.override(order.language):
        context = Context(
            {
                "order": order,
                "status": status.tr("name", order.language),
                "note": note,
                "shop_name": settings.SHOP_NAME,
            },
            autoescape=False,
        )
        subject = Template(status.tr("email_subject", order.language) or DEFAULT_SUBJECT)
        body = Template(status.tr("email_body", order.language) or DEFAULT_SUBJECT + "\n{{ note }}")
        send_email.enqueue(
            subject=" ".join(subject.render(context).split())[:200],
            body=body.render(context),
            to=[order.email],
        )


def recurring_failure_email(event: Event) -> None:
    """A recurring order could not be placed and is paused: its owner and the company's rep."""
    recurring = (
        RecurringOrder.objects.select_related("owner", "company__sales_rep")
        .filter(pk=event.payload["recurring_order_id"])
        .first()
    )
    if recurring is None:
        return
    recipients = [recurring.owner.email]
    if recurring.company and recurring.company.sales_rep:
        recipients.append(recurring.company.sales_rep.email)
    with translation.override(recurring.owner.language):
        subject = _("Recurring order “%(name)s” could not be placed") % {"name": recurring.name}
        body = _("It is paused. The reason: %(reason)s\n\nFix it and resume it in your account: %(url)s") % {
            "reason": event.payload.get("reason", ""),
            "url": site_url("orders:recurring"),
        }
    send_email.enqueue(subject=subject, body=body, to=recipients)


def _mail(order: Order, template: str, to: list[str], **extra) -> None:
    send_templated_email(
        template=template,
        to=to,
        language=order.language,
        context={"order": order, "url": site_url("orders:detail", order.number), **extra},
    )


def subscribe_order_emails() -> None:
    subscribe("order.approval_requested", approval_needed_email, after_commit=True)  # the deciders first
    for name in ("order.placed", "order.approval_requested"):
        subscribe(name, order_confirmation_email, after_commit=True)
    for name in ("order.placed", "order.rejected", "order.cancelled"):
        subscribe(name, approval_decision_email, after_commit=True)
    for name in ("order.status_changed", "order.shipped", "order.cancelled"):
        subscribe(name, custom_status_email, after_commit=True)
    subscribe("recurring_order.failed", recurring_failure_email, after_commit=True)
