"""Recurring orders placed when due (``tandem manage housekeeping``): each run goes through
``order_place``, so approvals, stock, credit and the customer's prices apply as to any order.
A run stops — the recurring order paused with the reason, its owner and rep told through the
``recurring_order.failed`` event — when an item is no longer sold, when a price rose by more
than the share the owner accepts, or when checkout refuses the order."""

import logging
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.cart.models import Cart, CartLine
from tandem.catalog.models import Variant
from tandem.checkout.services import CheckoutDetails, ShippingAddress, order_place
from tandem.core.context import CustomerContext
from tandem.core.errors import DomainError
from tandem.core.events import event_publish
from tandem.customers.selectors import customer_context_for
from tandem.orders.models import RecurringOrder
from tandem.orders.recurring import next_date, unit_prices_today

State = RecurringOrder.State
logger = logging.getLogger("tandem.orders")


def recurring_run_due(today: date | None = None) -> tuple[int, int]:
    """Place every active recurring order that is due; returns (placed, failed)."""
    today = today or timezone.localdate()
    placed = failed = 0
    due = RecurringOrder.objects.filter(state=State.ACTIVE, next_run__lte=today)
    for recurring_id in list(due.values_list("pk", flat=True)):
        # One transaction per run, holding the recurring order's row: two housekeeping
        # runs at once skip each other's rows, and a crash leaves no order half-recorded.
        with transaction.atomic():
            recurring = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("owner")
                .filter(pk=recurring_id)
                .first()
            )
            if recurring is None:
                continue
            if recurring.end_date is not None and recurring.next_run > recurring.end_date:
                RecurringOrder.objects.filter(pk=recurring.pk).update(state=State.ENDED)
                continue
            with translation.override(recurring.owner.language):  # reasons in the owner's language
                succeeded = _run(recurring)
            if succeeded:
                placed += 1
            else:
                failed += 1
    return placed, failed


def _run(recurring: RecurringOrder) -> bool:
    owner = recurring.owner
    context = customer_context_for(owner, language=owner.language)
    try:
        with transaction.atomic():  # a savepoint: a failure leaves the run's transaction usable
            cart = Cart.objects.create()
            sold = set(
                Variant.objects.filter(
                    pk__in=[item["variant_id"] for item in recurring.items], is_active=True
                ).values_list("pk", flat=True)
            )
            missing = [item["sku"] for item in recurring.items if item["variant_id"] not in sold]
            if missing:
                raise DomainError(
                    _("No longer sold: %(skus)s.") % {"skus": ", ".join(missing)}, code="items_gone"
                )
            rises = _price_rises(recurring, context)
            if rises:
                raise DomainError(
                    _(
                        "Prices rose by more than the %(share)s %% you accept: %(items)s. Resume the "
                        "recurring order to accept today's prices."
                    )
                    % {
                        "share": format(recurring.max_price_increase.normalize(), "f"),
                        "items": "; ".join(rises),
                    },
                    code="price_increased",
                )
            CartLine.objects.bulk_create(
                [
                    CartLine(cart=cart, variant_id=item["variant_id"], quantity=item["quantity"])
                    for item in recurring.items
                ]
            )
            details = CheckoutDetails(
                email=owner.email,
                delivery_method=recurring.delivery_method,
                payment_method=recurring.payment_method,
                address_id=recurring.address_id,
                address=ShippingAddress(**recurring.shipping_address) if recurring.shipping_address else None,
                po_number=recurring.po_number,
                comment=_("Recurring order “%(name)s”") % {"name": recurring.name},
            )
            order = order_place(cart=cart, context=context, details=details, acting_user=owner)
            cart.delete()
    except Exception as error:  # noqa: BLE001 - any failure pauses the run and is reported
        if not isinstance(error, DomainError):
            logger.exception("recurring order %s failed", recurring.pk)
        reason = (
            str(error.message)
            if isinstance(error, DomainError)
            else _("An unexpected problem; our team has been told.")
        )
        RecurringOrder.objects.filter(pk=recurring.pk).update(state=State.PAUSED, last_error=reason)
        recurring.last_error = reason
        # The owner and the rep are told (inbox, webhooks, e-mail) by the event's subscribers.
        event_publish(
            "recurring_order.failed",
            {"recurring_order_id": recurring.pk, "reason": reason},
            subject=recurring,
        )
        return False
    following = next_date(recurring.next_run, recurring.every, recurring.unit)
    ended = recurring.end_date is not None and following > recurring.end_date
    RecurringOrder.objects.filter(pk=recurring.pk).update(
        last_order=order, last_error="", next_run=following, state=State.ENDED if ended else State.ACTIVE
    )
    return True


def _price_rises(recurring: RecurringOrder, context: CustomerContext) -> list[str]:
    """The items whose price rose by more than the accepted share since it was agreed,
    as "SKU 10.00 → 12.50 PLN" (all of them when the currency itself changed)."""
    prices = unit_prices_today(context, recurring.items)
    rises = []
    for item in recurring.items:
        now, agreed = prices.get(item["variant_id"]), item.get("unit_price")
        if now is None or agreed is None:
            continue  # no price at all is refused by the checkout with its own reason
        agreed = Decimal(agreed)
        changed_currency = recurring.currency and recurring.currency != context.currency
        if changed_currency or (agreed > 0 and (now - agreed) * 100 / agreed > recurring.max_price_increase):
            rises.append(f"{item['sku']} {agreed} {recurring.currency} → {now} {context.currency}")
    return rises


def recurring_runs_report() -> str:
    placed, failed = recurring_run_due()
    return f"{placed} recurring orders placed, {failed} failed (paused, owner told)"
