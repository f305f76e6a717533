"""The customer's order history: list with search, detail, cancel, reorder (thin views)."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.cart.lists import shopping_list_from_order
from tandem.cart.sessions import request_cart
from tandem.core.errors import DomainError, NotFound
from tandem.orders import approvals, recurring, selectors, services
from tandem.orders.exports import orders_download
from tandem.orders.models import Order, OrderStatus


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def order_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered order history as CSV or XLSX."""
    try:
        filters = selectors.order_filters_parse(request.GET)
    except selectors.OrderFilterError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    return orders_download(
        selectors.order_history(request.user, filters),
        file_format,
        actor_id=request.user.pk,
        filters=request.GET.urlencode(),
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    try:
        filters, errors = selectors.order_filters_parse(request.GET), {}
    except selectors.OrderFilterError as error:
        # show what was typed, say what is wrong, list nothing rather than the wrong orders
        filters, errors = selectors.OrderFilters(), error.errors
    orders = selectors.order_history(request.user, filters) if not errors else Order.objects.none()
    page = Paginator(orders.select_related("user"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/list.html",
        {
            "page": page,
            "values": request.GET,
            "errors": errors,
            "statuses": OrderStatus.choices,
            "sorts": selectors.ORDER_SORT_LABELS.items(),
        },
        status=400 if errors else 200,
    )


def _order(request: HttpRequest, number: str):
    try:
        return selectors.order_for(request.user, number)
    except NotFound as error:
        raise Http404 from error


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "can_cancel": services.may_cancel(request.user, order),
            "bank_account": settings.SHOP_BANK_ACCOUNT,
        },
    )


@login_required
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    try:
        services.order_cancel(order=order, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Order %(number)s is cancelled.") % {"number": order.number})
    return redirect("orders:detail", number=order.number)


@login_required
def recurring_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            recurring.recurring_set_state(
                user=request.user,
                recurring_id=int(request.POST.get("id") or 0),
                state=request.POST.get("state", ""),
            )
        except NotFound as error:
            raise Http404 from error
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("Check the values you entered.")))
        return redirect("orders:recurring")
    return render(
        request,
        "orders/recurring.html",
        {
            "recurring_orders": recurring.recurring_orders_of(request.user),
        },
    )


@login_required
@require_POST
def order_repeat(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    try:
        recurring.recurring_from_order(
            owner=request.user,
            order=order,
            every=int(request.POST.get("every") or 0),
            unit=request.POST.get("unit", ""),
            start=_date(request.POST.get("start", "")) or date.min,
            end=_date(request.POST.get("end", "")),
        )
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("Check the values you entered.")))
        return redirect("orders:detail", number=order.number)
    messages.success(request, _("The order will be repeated; you can pause it at any time."))
    return redirect("orders:recurring")


@login_required
def approvals_queue(request: HttpRequest) -> HttpResponse:
    """Orders of the company waiting for this user's decision."""
    return render(request, "orders/approvals.html", {"orders": approvals.orders_waiting_for(request.user)})


@login_required
@require_POST
def order_decide(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose Approve or Reject."))
        return redirect("orders:approvals")
    approve = decision == "approve"
    try:
        approvals.order_decide(
            order=order, user=request.user, approve=approve, comment=request.POST.get("comment", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Order %(number)s approved.") % {"number": order.number}
            if approve
            else _("Order %(number)s rejected.") % {"number": order.number},
        )
    return redirect("orders:approvals")


@login_required
@require_POST
def order_to_list(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    try:
        created = shopping_list_from_order(user=request.user, order=order, name=request.POST.get("name", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("orders:detail", number=order.number)
    return redirect("lists:detail", list_id=created.pk)


@login_required
@require_POST
def order_reorder(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    report = services.order_reorder(
        order=order, cart=request_cart(request, create=True), context=request.customer_context
    )
    # Post/redirect/get: reloading the result must not add the order to the cart again.
    request.session["reorder_report"] = {
        "order": order.number,
        "added": [result.sku for result in report.added.added],
        "refused": [
            {"sku": r.sku, "quantity": r.quantity, "reason": str(r.reason)} for r in report.added.refused
        ],
        "changes": [
            {"sku": c.sku, "name": c.name, "was": str(c.was), "now": str(c.now)} for c in report.price_changes
        ],
    }
    return redirect("orders:reorder_result", number=order.number)


@login_required
def order_reorder_result(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    report = request.session.get("reorder_report")
    if not report or report.get("order") != order.number:
        return redirect("orders:detail", number=order.number)
    return render(request, "orders/reorder.html", {"order": order, "report": report})
