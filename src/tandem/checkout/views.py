"""Checkout, order confirmation and the built-in test payment gateway (thin views)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.billing.models import Payment, PaymentStatusChoices
from tandem.billing.payments.services import payment_retry
from tandem.billing.payments.tasks import test_gateway_notify
from tandem.billing.receivables.selectors import credit_position
from tandem.cart.selectors import priced_cart
from tandem.cart.sessions import cart_goes_elsewhere, request_cart
from tandem.checkout import selectors
from tandem.checkout.errors import CartGoesElsewhere, CheckoutError
from tandem.checkout.forms import CheckoutForm
from tandem.checkout.services import (
    CheckoutDetails,
    ShippingAddress,
    order_payment_url,
    order_place,
    payment_methods_for,
)
from tandem.core.errors import DomainError, NotFound
from tandem.core.identifiers import is_uuid
from tandem.customers import selectors as customers
from tandem.customers.acting_session import acting_company_of
from tandem.customers.errors import ACCOUNTANTS_CANNOT_ORDER
from tandem.customers.models import AddressKind
from tandem.customers.terms import terms_pending_for
from tandem.orders.models import Order, PaymentMethod, PaymentStatus, RecurringOrder
from tandem.orders.recurring import recurring_from_order


def _company(request: HttpRequest):
    if request.customer_context.on_behalf_of_id:  # a sales rep acting for the company
        return acting_company_of(request)
    return customers.company_for_user(request.user) if request.customer_context.is_b2b else None


def _address_choices(request: HttpRequest, company) -> list[tuple[int, str]]:
    if company is not None:
        addresses = customers.addresses_of(company=company).filter(kind=AddressKind.DELIVERY)
    elif request.user.is_authenticated:
        addresses = customers.addresses_of(user=request.user)
    else:
        return []
    return [(address.pk, str(address)) for address in addresses]


def checkout(request: HttpRequest) -> HttpResponse:
    context = request.customer_context
    if not customers.may_place_orders(request.user):
        messages.error(request, ACCOUNTANTS_CANNOT_ORDER)
        return redirect("cart:detail")
    if cart_goes_elsewhere(request):  # a punchout session: the cart is transferred instead
        messages.error(request, CartGoesElsewhere.default_message)
        return redirect("cart:detail")
    cart = request_cart(request)
    company = _company(request)
    options = selectors.delivery_options(context)
    form = CheckoutForm(
        request.POST or None,
        initial={"email": request.user.email if request.user.is_authenticated else ""},
        delivery_choices=[(option.code, option.name) for option in options],
        payment_choices=payment_methods_for(context, company),
        address_choices=_address_choices(request, company),
        is_b2b=context.is_b2b,
        # a rep acting for a company does not keep its orders repeating (no repeat fields)
        email_locked=request.user.is_authenticated and not context.on_behalf_of_id,
    )
    if cart is None:
        return redirect("cart:detail")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = CheckoutDetails(
            # (a rep acting for a company: order_place writes to the company instead)
            email=request.user.email if request.user.is_authenticated else data["email"],
            delivery_method=data["delivery_method"],
            payment_method=data["payment_method"],
            address_id=data.get("address_id"),
            address=None
            if context.is_b2b or data.get("address_id")
            else ShippingAddress(
                recipient=data["recipient"],
                street=data["street"],
                postal_code=data["postal_code"],
                city=data["city"],
                country=data["country"] or "",
                phone=data["phone"],
            ),
            po_number=data.get("po_number", ""),
            comment=data.get("comment", ""),
            requested_delivery_date=data.get("requested_delivery_date"),
            expected_total=data.get("expected_total"),
        )
        try:
            order = order_place(
                cart=cart,
                context=context,
                details=details,
                acting_user=request.user,
                idempotency_key=f"web:{data['submission']}",
            )
        except CheckoutError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            for line in error.lines:
                if "message" in line:
                    form.add_error(None, f"{line['sku']}: {line['message']}")
            if error.code == "prices_changed":
                messages.warning(request, error.message)
                return redirect("cart:detail")
        except NotFound:
            # a saved address that is not (or no longer) one of the customer's own
            form.add_error("address_id", _("Choose one of your delivery addresses."))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if data.get("repeat_every"):
                _repeat(
                    request,
                    order,
                    every=data["repeat_every"],
                    unit=data["repeat_unit"] or RecurringOrder.Unit.MONTH,
                )
            done = reverse("checkout:order_done", args=[order.token])
            pay_url = order_payment_url(order, return_url=done)
            return redirect(pay_url or done)
    # Priced here only to show the page: placing the order prices it itself.
    chosen = request.POST.get("delivery_method") or (options[0].code if options else "")
    delivery = next((option for option in options if option.code == chosen), options[0] if options else None)
    priced = priced_cart(context, cart, email=request.POST.get("email", ""), delivery=delivery)
    if priced.is_empty:
        return redirect("cart:detail")
    position = credit_position(company) if company is not None else None
    return render(
        request,
        "checkout/checkout.html",
        {
            "form": form,
            "priced": priced,
            "options": options,
            "company": company,
            "position": position,
            "expected_field": True,
            "terms_pending": terms_pending_for(request.user),
        },
    )


def _repeat(request: HttpRequest, order: Order, *, every: int, unit: str) -> None:
    """Keep the placed order as a recurring one, first repeated one interval from today. The
    order stands whatever happens here; a problem is only reported."""
    try:
        recurring_from_order(owner=request.user, order=order, every=every, unit=unit)
    except DomainError as error:
        messages.warning(
            request,
            _("The order is placed, but it could not be set to repeat: %(reason)s")
            % {"reason": error.message},
        )
    else:
        messages.success(request, _("The order will be repeated; see Recurring orders in your account."))


def checkout_summary(request: HttpRequest) -> HttpResponse:
    """The totals for a delivery method (the checkout page refreshes them with htmx)."""
    context = request.customer_context
    cart = request_cart(request)
    delivery = selectors.delivery_option(context, request.GET.get("delivery_method", ""))
    priced = priced_cart(context, cart, delivery=delivery) if cart is not None else None
    if priced is None:
        return HttpResponse("")
    return render(request, "cart/_totals.html", {"priced": priced, "expected_field": True})


def order_done(request: HttpRequest, token: str) -> HttpResponse:
    """The order's confirmation page; its address is the secret (sent in the e-mail)."""
    if not is_uuid(token):
        raise Http404
    order = get_object_or_404(Order.objects.prefetch_related("lines"), token=token)
    pay_url = None
    if order.payment_method == PaymentMethod.ONLINE and order.payment_status == PaymentStatus.AWAITING:
        pay_url = order_payment_url(order, return_url=request.path)
    return render(
        request,
        "checkout/done.html",
        {
            "order": order,
            "pay_url": pay_url,
            "bank_account": settings.SHOP_BANK_ACCOUNT,
            "returned": "returned" in request.GET,
        },
    )


@require_POST
def order_pay_again(request: HttpRequest, token: str) -> HttpResponse:
    if not is_uuid(token):
        raise Http404
    order = get_object_or_404(Order, token=token)
    try:
        payment_retry(order=order)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("checkout:order_done", token=order.token)
    return redirect(
        order_payment_url(order, return_url=reverse("checkout:order_done", args=[order.token]))
        or reverse("checkout:order_done", args=[order.token])
    )


def test_gateway(request: HttpRequest, reference: str) -> HttpResponse:
    """The built-in test gateway's payment page (a stand-in for a real provider's site)."""
    if not settings.PAYMENT_TEST_ENABLED or not is_uuid(reference):
        raise Http404
    payment = get_object_or_404(Payment.objects.select_related("order"), reference=reference, provider="test")
    return_url = request.GET.get("return") or request.POST.get("return") or "/"
    if not url_has_allowed_host_and_scheme(return_url, {request.get_host()}, request.is_secure()):
        return_url = "/"
    if request.method == "POST" and payment.status == PaymentStatusChoices.PENDING:
        status = "paid" if request.POST.get("outcome") == "pay" else "failed"
        # The gateway confirms to the shop on its own, server to server.
        test_gateway_notify.enqueue(reference=str(payment.reference), status=status)
        separator = "&" if "?" in return_url else "?"
        return redirect(f"{return_url}{separator}returned=1")
    return render(request, "checkout/test_gateway.html", {"payment": payment, "return_url": return_url})
