"""Cart and quick-order pages (thin: parse, call cart services, render)."""

import dataclasses

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem.cart import selectors, services
from tandem.cart.errors import CartError, QuickOrderFileError
from tandem.cart.sessions import request_cart
from tandem.core.redirects import safe_next


def cart_detail(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    priced = selectors.priced_cart(request.customer_context, cart) if cart is not None else None
    if priced is not None:
        services.cart_mark_seen(priced=priced)
    return render(request, "cart/cart.html", {"cart": cart, "priced": priced})


def _quantity(request: HttpRequest, *, allow_zero: bool = False) -> int:
    raw = request.POST.get("quantity", "1")
    if allow_zero and raw.strip() == "0":
        return 0
    return services.parse_quantity(raw)


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    try:
        quantity = _quantity(request)
        line = services.cart_add(
            cart=request_cart(request, create=True),
            context=request.customer_context,
            sku=request.POST.get("sku", ""),
            quantity=quantity,
        )
    except CartError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Added %(quantity)s × %(name)s (%(sku)s) to your cart.")
            % {"quantity": quantity, "name": line.variant.product.tr("name"), "sku": line.variant.sku},
        )
    return redirect(safe_next(request, "cart:detail"))


@require_POST
def cart_update(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = request_cart(request)
    try:
        if cart is None:
            raise CartError(_("This line is no longer in your cart."), code="line_not_found")
        if "remove" in request.POST:
            services.cart_remove(cart=cart, line_id=line_id)
        else:
            services.cart_set_quantity(
                cart=cart,
                context=request.customer_context,
                line_id=line_id,
                quantity=_quantity(request, allow_zero=True),
            )
    except CartError as error:
        messages.error(request, error.message)
    return redirect("cart:detail")


@require_POST
def cart_coupon(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request, create=True)
    if "remove" in request.POST:
        services.cart_remove_coupon(cart=cart)
        return redirect("cart:detail")
    try:
        services.cart_apply_coupon(cart=cart, code=request.POST.get("code", ""))
    except CartError as error:
        messages.error(request, error.message)
    return redirect("cart:detail")


REPORT_SESSION_KEY = "cart_report"


def show_report(request: HttpRequest, report: services.QuickOrderReport, title: str = "") -> HttpResponse:
    """Post/redirect/get for a per-line report (quick order, shopping list to cart): the
    report waits in the session, so reloading the page shows it again instead of adding
    everything to the cart a second time."""
    request.session[REPORT_SESSION_KEY] = {
        "title": title,
        "results": [dataclasses.asdict(result) for result in report.results],
    }
    return redirect("cart:quick_order")


def _stored_report(request: HttpRequest) -> tuple[services.QuickOrderReport | None, str]:
    stored = request.session.pop(REPORT_SESSION_KEY, None)
    if not stored:
        return None, ""
    results = [
        services.QuickOrderResult(**{**result, "lines": tuple(result["lines"])})
        for result in stored["results"]
    ]
    return services.QuickOrderReport(results=results), stored["title"]


def quick_order(request: HttpRequest) -> HttpResponse:
    """Many SKUs at once: typed into a pad or uploaded as CSV/XLSX; a per-line report."""
    report, error, pad = None, None, ""
    title = ""
    if request.method == "GET":
        report, title = _stored_report(request)
    if request.method == "POST":
        pad = request.POST.get("pad", "")
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                rows = services.quick_order_rows_from_file(
                    upload.name, upload.read(services.MAX_UPLOAD_BYTES + 1)
                )
            else:
                rows = services.quick_order_rows_from_text(pad)
            if not rows:
                raise QuickOrderFileError(_("Enter at least one SKU, or choose a file."))
            report = services.quick_order_add(
                cart=request_cart(request, create=True), context=request.customer_context, rows=rows
            )
        except QuickOrderFileError as problem:
            error = problem.message
        else:
            if report.added and not report.refused:
                count = len(report.added)
                messages.success(
                    request,
                    ngettext(
                        "The item was added to your cart.",
                        "All %(count)s items were added to your cart.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("cart:detail")
            return show_report(request, report)
    return render(
        request, "cart/quick_order.html", {"report": report, "error": error, "pad": pad, "title": title}
    )
