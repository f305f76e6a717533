"""Place an order: re-price → validate → reserve stock → check credit → write the order.

``order_place`` is one transaction. Either the order exists with its stock reserved, its
coupon use counted and (on account) its credit checked under the company's row lock, or
nothing changed at all. The storefront, the API and (later) the rep panel and recurring
orders all place orders through it.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.billing.errors import CreditLimitExceeded, OverdueBlocked
from tandem.billing.payments.providers import online_provider, provider_for
from tandem.billing.payments.services import payment_open
from tandem.billing.receivables.selectors import credit_position
from tandem.cart.calculations import DeliveryOption, PricedCart, price_cart
from tandem.cart.counts import cart_count_forget
from tandem.cart.models import Cart, CartLine
from tandem.cart.selectors import cart_inputs
from tandem.cart.services import cart_mark_seen
from tandem.catalog.models import Variant
from tandem.checkout.errors import CheckoutError, IdempotencyKeyReused, OutOfStock
from tandem.checkout.selectors import delivery_option
from tandem.core.audit import audit_record
from tandem.core.context import CustomerContext
from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.errors import PermissionDenied
from tandem.core.money import round_money
from tandem.core.numbering import next_number
from tandem.core.tabular import printable
from tandem.customers.auth import membership_of
from tandem.customers.errors import ACCOUNTANTS_CANNOT_ORDER
from tandem.customers.models import AddressKind, Company, CompanyUser, User
from tandem.customers.selectors import address_of, company_contact_email, may_place_orders
from tandem.customers.terms import terms_pending_for
from tandem.inventory.errors import StockShortage
from tandem.inventory.services import Reservation, StockRequest, stock_reference_rename, stock_reserve
from tandem.orders.approvals import approvals_needed, approvals_request
from tandem.orders.models import Order, OrderEvent, OrderLine, OrderStatus, PaymentMethod, PaymentStatus
from tandem.orders.transitions import order_event_publish
from tandem.pricing.errors import CouponError
from tandem.pricing.models import Promotion, PromotionRedemption

logger = logging.getLogger("tandem.checkout")
COUNTRIES = {code for code, _name in COUNTRY_CHOICES}
MAX_ORDER_TOTAL = Decimal(10) ** 11  # amounts are stored with 14 digits, 2 after the point


@dataclass(frozen=True, slots=True)
class ShippingAddress:
    recipient: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "recipient": self.recipient,
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
            "phone": self.phone,
        }


@dataclass(frozen=True, slots=True)
class CheckoutDetails:
    """What the buyer chose at checkout."""

    email: str
    delivery_method: str
    payment_method: str
    address_id: int | None = None  # a saved address (a company's delivery address for B2B)
    address: ShippingAddress | None = None  # typed in by a retail buyer
    po_number: str = ""
    comment: str = ""
    requested_delivery_date: date | None = None
    # The total the buyer was shown; when given, a different total stops the order.
    expected_total: Decimal | None = None


def payment_methods_for(context: CustomerContext, company: Company | None = None) -> list[str]:
    """Payment methods a customer may choose: retail pays up front (online when a provider
    is enabled, or by bank transfer); a company may buy on account when it has payment
    terms, or pay online."""
    online = [PaymentMethod.ONLINE] if online_provider() is not None else []
    if not context.is_b2b:
        return [*online, PaymentMethod.BANK_TRANSFER]
    on_account = [PaymentMethod.ON_ACCOUNT] if company is not None and company.payment_terms_id else []
    return [*on_account, *online]


def order_place(
    *,
    cart: Cart,
    context: CustomerContext,
    details: CheckoutDetails,
    acting_user: User | None,
    idempotency_key: str | None = None,
) -> Order:
    """Place the cart as an order. Returns the existing order when ``idempotency_key`` was
    used before (a double-submitted form or a retried API call), so one submission makes
    one order. Raises CheckoutError (prices changed, problems on lines, address, delivery,
    payment), OutOfStock, CreditLimitExceeded or OverdueBlocked; nothing is changed then."""
    if not may_place_orders(acting_user):
        raise PermissionDenied(ACCOUNTANTS_CANNOT_ORDER, code="role_cannot_order")
    pending_terms = terms_pending_for(acting_user)
    if pending_terms is not None:
        raise CheckoutError(
            _("Please accept the current terms of cooperation (%(version)s) before ordering.")
            % {"version": pending_terms.version},
            code="terms_not_accepted",
        )
    if idempotency_key:
        # Keys are scoped to the cart, so nobody can reach another customer's order by
        # guessing or reusing a key.
        idempotency_key = hashlib.sha256(f"{cart.token}:{idempotency_key}".encode()).hexdigest()
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_submission(existing, cart)
    company = (
        Company.objects.select_related("payment_terms").get(pk=context.company_id)
        if context.company_id
        else None
    )
    if context.on_behalf_of_id and company is not None:
        # A rep ordering for a customer orders in its name: the confirmation goes to the company.
        details = replace(details, email=company_contact_email(company) or details.email)
    _validate_details(context, details, company)
    delivery = delivery_option(context, details.delivery_method)
    if delivery is None:
        raise CheckoutError(
            _("Choose a delivery method."), code="delivery_method_invalid", field="delivery_method"
        )
    shipping = _shipping_address(
        context, details, company, acting_user, needs_address=delivery.kind == "courier"
    )

    # Prices the buyer has not seen yet are shown first: nobody pays a price they did not see.
    priced = price_cart(cart_inputs(context, cart, email=details.email, delivery=delivery))
    if priced.is_empty and idempotency_key:
        # The same submission may have just placed the order (and emptied the cart).
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    _refuse_unorderable(priced)
    if priced.price_changes:
        cart_mark_seen(priced=priced)
        raise CheckoutError(
            _("Some prices have changed since you last saw them. Please check your cart and order again."),
            code="prices_changed",
            lines=[
                {"sku": line.variant.sku, "was": str(line.previous_unit_price), "now": str(line.unit_price)}
                for line in priced.price_changes
            ],
        )
    try:
        with transaction.atomic():
            return _place(
                cart=cart,
                context=context,
                details=details,
                acting_user=acting_user,
                company=company,
                delivery=delivery,
                shipping=shipping,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # Two submissions with one key raced: the other one made the order.
        if idempotency_key:
            existing = Order.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise


def _same_submission(order: Order, cart: Cart) -> Order:
    """The order a key placed, when this is that submission again: the cart is empty (the
    order emptied it) or holds what the order holds (a double click racing the first).
    Other contents are another order: IdempotencyKeyReused, nothing is placed or returned."""
    in_cart = sorted(cart.lines.values_list("variant_id", "quantity"))
    if in_cart and in_cart != sorted(order.lines.values_list("variant_id", "quantity")):
        raise IdempotencyKeyReused(
            _(
                "This form was already sent and placed order %(number)s; your cart now holds other "
                "items. Open the checkout again to order them."
            )
            % {"number": order.number}
        )
    return order


def _place(
    *,
    cart: Cart,
    context: CustomerContext,
    details: CheckoutDetails,
    acting_user: User | None,
    company: Company | None,
    delivery: DeliveryOption,
    shipping: dict[str, str],
    idempotency_key: str | None,
) -> Order:
    if company is not None and details.payment_method == PaymentMethod.ON_ACCOUNT:
        # Two users of one company checking out at once queue here: credit is checked
        # against orders committed before this one.
        # FOR NO KEY UPDATE: other orders may still reference the company meanwhile.
        company = (
            Company.objects.select_for_update(of=("self",), no_key=True)
            .select_related("payment_terms")
            .get(pk=company.pk)
        )
    lines = (
        list(
            CartLine.objects.select_for_update(of=("self",))
            .filter(cart=cart)
            .select_related("variant__product")
        )
        if cart.pk
        else []
    )
    if idempotency_key:
        # The same submission may have been placed while this one waited for the locks.
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not lines:
        raise CheckoutError(_("Your cart is empty."), code="cart_empty")
    inputs = cart_inputs(context, cart, email=details.email, delivery=delivery, lines=lines, lock_coupon=True)
    priced = price_cart(inputs)
    _refuse_unorderable(priced)
    if cart.coupon_code and priced.coupon_error is not None:
        raise priced.coupon_error
    totals = priced.totals
    if details.expected_total is not None and details.expected_total != totals.gross:
        raise CheckoutError(
            _(
                "The total is now %(total)s %(currency)s instead of the %(shown)s %(currency)s you saw "
                "(a promotion or a delivery price changed). Please check it and confirm again."
            )
            % {"total": totals.gross, "shown": details.expected_total, "currency": context.currency},
            code="total_changed",
            field="expected_total",
        )
    if totals.gross >= MAX_ORDER_TOTAL:
        raise CheckoutError(
            _("This order is too large to place online; please ask us for an offer."), code="order_too_large"
        )
    if company is not None and details.payment_method == PaymentMethod.ON_ACCOUNT:
        _check_credit(company, totals.gross)
    # A company buyer's order may have to wait for an approver (company rules, limits).
    membership = (
        membership_of(acting_user)
        if company is not None and acting_user is not None and acting_user.is_authenticated
        else None
    )
    if membership is not None and membership.spending_limit_per_month is not None:
        # The buyer's own orders queue here, so two at once cannot both pass the monthly limit.
        CompanyUser.objects.select_for_update().filter(pk=membership.pk).first()
    needed = (
        approvals_needed(
            membership=membership,
            total=totals.gross,
            currency=context.currency,
            lines=[
                (
                    line.variant.product.category_id,
                    round_money(line.net * (100 + line.sure_price.tax_rate) / 100, context.currency),
                )
                for line in priced.lines
            ],
        )
        if membership is not None
        else []
    )
    status = OrderStatus.PENDING_APPROVAL if needed else OrderStatus.PLACED

    year = timezone.localdate().year
    provisional = f"new-{uuid.uuid4().hex[:24]}"  # the real number is taken last (below)
    terms = company.payment_terms if company is not None else None
    on_account = details.payment_method == PaymentMethod.ON_ACCOUNT
    order = Order.objects.create(
        number=provisional,
        idempotency_key=idempotency_key or None,
        channel=context.channel,
        status=status,
        placed_at=None if needed else timezone.now(),
        user=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        placed_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        company=company,
        email=details.email.lower(),
        language=context.language,
        currency=context.currency,
        country=context.country,
        reverse_charge=context.reverse_charge,
        buyer=_buyer_snapshot(company, shipping, details),
        shipping_address=shipping,
        delivery_method=delivery.name,
        delivery_code=delivery.code,
        delivery_net=priced.delivery_net,
        delivery_price=priced.delivery_value,
        delivery_tax_rate=delivery.tax_rate,
        payment_method=details.payment_method,
        payment_status=(
            PaymentStatus.ON_ACCOUNT
            if details.payment_method == PaymentMethod.ON_ACCOUNT
            else PaymentStatus.AWAITING
        ),
        payment_terms=terms.tr("name", context.language) if terms and on_account else "",
        payment_days=terms.net_days if terms and on_account else None,
        po_number=printable(details.po_number)[:60],
        comment=printable(details.comment, keep_newlines=True)[:2000],
        requested_delivery_date=details.requested_delivery_date,
        coupon_code=cart.coupon_code if any(d.rule.code for d in priced.discounts) else "",
        discounts=[
            {
                "promotion": d.rule.id,
                "name": d.rule.name,
                "code": d.rule.code,
                "amount": str(d.amount),
                "free_shipping": d.free_shipping,
            }
            for d in priced.discounts
        ],
        goods_net=sum((line.net for line in priced.lines), Decimal(0)),
        discount_total=priced.discount_total,
        total_net=totals.net,
        total_tax=totals.tax,
        total_gross=totals.gross,
        tax_summary=totals.summary(),
    )
    reservations = _reserve_stock(priced, order)
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                variant=line.variant,
                sku=line.variant.sku,
                name=_line_name(line.variant, context.language),
                unit=line.variant.unit,
                quantity=line.quantity,
                unit_net=line.sure_price.unit_net,
                unit_gross=line.sure_price.unit_gross,
                tax_rate=line.sure_price.tax_rate,
                discount=line.discount,
                line_net=line.net,
                price_source=line.sure_price.source,
                price_explanation=list(line.sure_price.explanation),
                reserved={str(k): v for k, v in reservations[line.variant.pk].taken.items()},
                backordered=reservations[line.variant.pk].backordered,
            )
            for line in priced.lines
        ],
        batch_size=500,
    )
    _count_promotion_uses(order, priced)
    OrderEvent.objects.create(
        order=order,
        kind="placed",
        status=status,
        actor=order.placed_by,
        on_behalf_of=company if context.on_behalf_of_id else None,
        message=_("Order placed; waiting for approval.") if needed else _("Order placed."),
        data={"acting_user": acting_user.pk if acting_user and acting_user.is_authenticated else None},
    )
    # The number last: its counter row stays locked until commit, so concurrent checkouts queue
    # only for this short end, not for their whole transaction. Still gapless: a rollback
    # returns the number.
    order.number = f"{year}-{next_number(series='order', year=year):06d}"
    Order.objects.filter(pk=order.pk).update(number=order.number)
    stock_reference_rename(reference=f"order:{provisional}", to=f"order:{order.number}")
    if context.on_behalf_of_id and company is not None:
        audit_record(
            action="acting.order_placed",
            actor_id=acting_user.pk if acting_user is not None else None,
            target=order,
            on_behalf_of_id=company.pk,
            changes={
                "number": order.number,
                "total_gross": str(order.total_gross),
                "currency": order.currency,
            },
        )
    if details.payment_method == PaymentMethod.ONLINE and not needed:
        payment_open(order)  # an order waiting for approval is paid once it is approved
    # Announced in this transaction: inbox, webhooks and invoicing subscribe (``core.events``);
    # the confirmation e-mail goes out from the outbox after commit.
    if needed:
        approvals_request(order, needed)
    else:
        order_event_publish("order.placed", order, actor=order.placed_by, via="checkout")
    CartLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
    Cart.objects.filter(pk=cart.pk).update(coupon_code="")
    cart_count_forget(cart)
    return order


def _validate_details(context: CustomerContext, details: CheckoutDetails, company: Company | None) -> None:
    try:
        validate_email(details.email)
    except ValidationError as error:
        raise CheckoutError(
            _("Enter a valid e-mail address."), code="email_invalid", field="email"
        ) from error
    if details.payment_method not in payment_methods_for(context, company):
        raise CheckoutError(
            _("This payment method is not available to you."),
            code="payment_method_invalid",
            field="payment_method",
        )
    problem = delivery_date_problem(details.requested_delivery_date)
    if problem is not None:
        raise CheckoutError(problem[1], code=problem[0], field="requested_delivery_date")


def delivery_date_problem(requested: date | None) -> tuple[str, str] | None:
    """(code, message) when a requested delivery date cannot be taken: in the past, or
    beyond ``DELIVERY_DATE_HORIZON_DAYS`` (the checkout form and the API ask the same)."""
    if requested is None:
        return None
    today = timezone.localdate()
    if requested < today:
        return "delivery_date_past", _("The requested delivery date is in the past.")
    if requested > today + timedelta(days=settings.DELIVERY_DATE_HORIZON_DAYS):
        return "delivery_date_too_far", _(
            "We take delivery dates up to %(days)s days ahead; choose an earlier date."
        ) % {"days": settings.DELIVERY_DATE_HORIZON_DAYS}
    return None


def _shipping_address(
    context: CustomerContext,
    details: CheckoutDetails,
    company: Company | None,
    acting_user: User | None,
    *,
    needs_address: bool,
) -> dict[str, str]:
    if details.address_id is not None:
        if company is None and (acting_user is None or not acting_user.is_authenticated):
            raise CheckoutError(_("Enter a delivery address."), code="address_required", field="address")
        if company is not None:
            address = address_of(address_id=details.address_id, company=company)
        else:
            address = address_of(address_id=details.address_id, user=acting_user)
        if company is not None and address.kind != AddressKind.DELIVERY:
            raise CheckoutError(
                _("Choose one of your company's delivery addresses."),
                code="address_not_delivery",
                field="address_id",
            )
        return {
            "recipient": address.recipient,
            "street": address.street,
            "postal_code": address.postal_code,
            "city": address.city,
            "country": address.country,
            "phone": address.phone,
        }
    if company is not None and needs_address:
        raise CheckoutError(
            _("Choose one of your company's delivery addresses."), code="address_required", field="address"
        )
    if details.address is not None:
        labels = {
            "recipient": _("recipient"),
            "street": _("street and number"),
            "postal_code": _("postal code"),
            "city": _("city"),
            "country": _("country"),
        }
        missing = [name for name in labels if not getattr(details.address, name).strip()]
        if not missing and details.address.country not in COUNTRIES:
            raise CheckoutError(
                _("We do not deliver to this country."), code="country_invalid", field="country"
            )
        if missing:
            raise CheckoutError(
                _("The delivery address is incomplete: %(fields)s.")
                % {"fields": ", ".join(str(labels[name]) for name in missing)},
                code="address_incomplete",
                field=missing[0],
            )
        return details.address.as_dict()
    if needs_address:
        raise CheckoutError(_("Enter a delivery address."), code="address_required", field="address")
    return {}


def _buyer_snapshot(
    company: Company | None, shipping: dict[str, str], details: CheckoutDetails
) -> dict[str, str]:
    if company is not None:
        return {
            "name": company.name,
            "vat_id": company.vat_id,
            "street": company.street,
            "postal_code": company.postal_code,
            "city": company.city,
            "country": company.country,
            "email": company.email or details.email,
        }
    return {
        "name": shipping.get("recipient", ""),
        "email": details.email,
        **{key: shipping.get(key, "") for key in ("street", "postal_code", "city", "country")},
    }


def _line_name(variant: Variant, language: str) -> str:
    name = variant.product.tr("name", language)
    variant_name = variant.tr("name", language)
    return f"{name} – {variant_name}" if variant_name else name


SOLD_OUT = ("out_of_stock", "insufficient_stock")


def _refuse_unorderable(priced: PricedCart) -> None:
    if priced.is_empty:
        raise CheckoutError(_("Your cart is empty."), code="cart_empty")
    if priced.problems and all(line.problem_code in SOLD_OUT for line in priced.problems):
        # the same answer as when another buyer takes the last units during the order
        raise OutOfStock(
            _("Not enough in stock for: %(skus)s.")
            % {"skus": ", ".join(line.variant.sku for line in priced.problems[:10])},
            lines=[
                {"sku": line.variant.sku, "code": line.problem_code, "message": line.problem}
                for line in priced.problems
            ],
        )
    if priced.problems:
        raise CheckoutError(
            _("Some lines of your cart cannot be ordered as they are: %(skus)s.")
            % {"skus": ", ".join(line.variant.sku for line in priced.problems[:10])},
            code="cart_has_problems",
            lines=[
                {"sku": line.variant.sku, "code": line.problem_code, "message": line.problem}
                for line in priced.problems
            ],
        )


def _check_credit(company: Company, order_total: Decimal) -> None:
    position = credit_position(company)
    if position.overdue_blocks:
        raise OverdueBlocked(
            _(
                "Orders on account are on hold: overdue invoices of %(overdue)s %(currency)s exceed the "
                "allowed %(tolerance)s %(currency)s. Please pay them or choose online payment."
            )
            % {
                "overdue": position.overdue,
                "tolerance": position.overdue_tolerance,
                "currency": position.currency,
            }
        )
    if order_total > position.available:
        raise CreditLimitExceeded(
            _(
                "This order of %(total)s %(currency)s exceeds your available credit of %(available)s "
                "%(currency)s by %(excess)s %(currency)s. Pay online instead, order less, or ask your "
                "sales rep about your limit."
            )
            % {
                "total": order_total,
                "available": max(position.available, Decimal(0)),
                "excess": order_total - max(position.available, Decimal(0)),
                "currency": position.currency,
            }
        )


def _reserve_stock(priced: PricedCart, order: Order) -> dict[int, Reservation]:
    """Hold every line's quantity through the stock service (``inventory.services``), so two
    orders can never take the same last unit; OutOfStock names the line that lacks units."""
    variants = {line.variant.pk: line.variant for line in priced.lines}
    try:
        return stock_reserve(
            requests=[
                StockRequest(
                    variant_id=line.variant.pk,
                    quantity=line.quantity,
                    allow_backorder=line.variant.product.allow_backorder,
                )
                for line in priced.lines
            ],
            reference=f"order:{order.number}",
            actor_id=order.placed_by_id,
        )
    except StockShortage as shortage:
        sku = variants[shortage.variant_id].sku
        raise OutOfStock(
            _("%(sku)s: only %(count)s left; someone else has just ordered the rest.")
            % {"sku": sku, "count": shortage.available},
            lines=[{"sku": sku, "available": shortage.available}],
        ) from shortage


def _count_promotion_uses(order: Order, priced: PricedCart) -> None:
    for applied in priced.discounts:
        rule = applied.rule
        if rule.usage_limit is not None:
            used = Promotion.objects.filter(pk=rule.id, times_used__lt=rule.usage_limit).update(
                times_used=F("times_used") + 1
            )
            if not used and rule.code:
                raise CouponError(_("This coupon has just been used up."), code="coupon_used_up")
            if not used:
                raise CheckoutError(
                    _("The promotion “%(name)s” has just ended. Please check your cart and order again.")
                    % {"name": rule.name},
                    code="promotion_ended",
                )
        else:
            Promotion.objects.filter(pk=rule.id).update(times_used=F("times_used") + 1)
        PromotionRedemption.objects.create(promotion_id=rule.id, order=order, customer_email=order.email)


def order_payment_url(order: Order, *, return_url: str) -> str | None:
    """Where to send the buyer to pay an online order (None when nothing is due online)."""
    payment = order.payments.filter(status="pending").first()
    if payment is None:
        return None
    provider = provider_for(payment.provider)
    if provider is None:  # its provider was switched off since: nothing to pay online now
        return None
    return provider.start_url(reference=str(payment.reference), return_url=return_url)
