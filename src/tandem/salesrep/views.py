"""Staff order pages (the sales-rep panel): search, export, and for staff who may change
orders the status, merchant status, partial shipments and cancellation. Thin views: reads
through orders.selectors, every write through the orders services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError, NotFound
from tandem.customers.staff_scope import companies_managed_by
from tandem.orders import selectors, services
from tandem.orders.exports import orders_download
from tandem.orders.models import CustomStatus, Order, OrderStatus
from tandem.orders.shipments import SHIPPABLE, ShipmentRequest, shipment_create
from tandem.orders.transitions import next_stages

PAGE_SIZE = 25
# column → (first sort when clicked, the other direction); arrows say which way it runs now
SORT_COLUMNS = {"number": ("number", "-number"), "date": ("newest", "oldest"), "total": ("-total", "total")}
SORT_ARROWS = {"number": "↑", "-number": "↓", "newest": "↓", "oldest": "↑", "total": "↑", "-total": "↓"}


def staff_orders_required(view):
    """Staff who see all orders, or a sales rep with customers; others are refused (403),
    anonymous visitors sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.may_manage_orders(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request: HttpRequest) -> tuple[selectors.OrderFilters, dict[str, str]]:
    try:
        return selectors.order_filters_parse(request.GET, staff=True), {}
    except selectors.OrderFilterError as error:
        return selectors.OrderFilters(), error.errors


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    links = {}
    for column, (first, second) in SORT_COLUMNS.items():
        active = current in (first, second)
        links[column] = {
            "sort": second if current == first else first,
            "arrow": SORT_ARROWS[current] if active else "",
        }
    return links


@staff_orders_required
def order_list(request: HttpRequest) -> HttpResponse:
    filters, errors = _filters(request)
    orders = Order.objects.none() if errors else selectors.orders_managed_by(request.user, filters)
    page = Paginator(orders.select_related("user", "company", "custom_status"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "salesrep/orders.html",
        {
            "page": page,
            "values": request.GET,
            "errors": errors,
            "sort": filters.sort,
            "statuses": OrderStatus.choices,
            "sorts": selectors.ORDER_SORT_LABELS.items(),
            "sort_links": _sort_links(filters.sort),
            "companies": companies_managed_by(request.user)
            .order_by("name", "pk")
            .values_list("pk", "name")[:500],
        },
        status=400 if errors else 200,
    )


@staff_orders_required
def order_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered, sorted list as CSV or XLSX, with the customer's company and VAT ID."""
    filters, errors = _filters(request)
    if errors:
        return HttpResponse(" ".join(errors.values()), status=400, content_type="text/plain; charset=utf-8")
    return orders_download(
        selectors.orders_managed_by(request.user, filters),
        file_format,
        actor_id=request.user.pk,
        filters=request.GET.urlencode(),
        customer_columns=True,
    )


def _order(request: HttpRequest, number: str) -> Order:
    try:
        return selectors.order_managed(request.user, number)
    except NotFound as error:
        raise Http404 from error


@staff_orders_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    can_change = request.user.has_perm("orders.change_order")
    lines = list(order.lines.all())
    next_statuses = next_stages(order.status) - {OrderStatus.CANCELLED}
    return render(
        request,
        "salesrep/order.html",
        {
            "order": order,
            "lines": lines,
            "can_change": can_change,
            "next_statuses": [
                (value, label) for value, label in OrderStatus.choices if value in next_statuses
            ],
            "custom_statuses": selectors.custom_statuses_for(order) if can_change else [],
            "can_ship": can_change
            and order.status in SHIPPABLE
            and any(line.remaining > 0 for line in lines),
            "can_cancel": can_change and services.may_cancel(request.user, order),
        },
    )


def _shipment_request(request: HttpRequest, order: Order) -> ShipmentRequest:
    """Quantities per SKU from the form's one field per line (empty or 0: not shipped now)."""
    quantities: dict[str, int] = {}
    problems = []
    for line in order.lines.all():
        text = request.POST.get(f"ship-{line.pk}", "").strip()
        if not text or text == "0":
            continue
        if not text.isdigit() or len(text) > 9:
            problems.append(_("%(sku)s: enter a whole number of units.") % {"sku": line.sku})
            continue
        quantities[line.sku] = quantities.get(line.sku, 0) + int(text)
    if problems:
        raise DomainError(" ".join(problems))
    if not quantities:
        raise DomainError(_("Enter how many units of at least one line leave in this shipment."))
    return ShipmentRequest(
        quantities=quantities,
        carrier=request.POST.get("carrier", "")[:80],
        tracking_number=request.POST.get("tracking_number", "")[:80],
    )


def _error(request: HttpRequest, error: DomainError) -> None:
    details = [f"{line['sku']}: {line['message']}" for line in getattr(error, "lines", [])]
    messages.error(request, " ".join([str(error.message), *details]))


@staff_orders_required
@require_POST
def order_ship(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    try:
        shipment = shipment_create(order=order, actor=request.user, request=_shipment_request(request, order))
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("Shipped with dispatch note %(number)s.") % {"number": shipment.number})
    return redirect("salesrep:order", number=order.number)


@staff_orders_required
@require_POST
def order_status(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    try:
        order = services.order_status_change(
            order=order,
            status=request.POST.get("status", "")[:30],
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("The order is now “%(status)s”.") % {"status": order.get_status_display()}
        )
    return redirect("salesrep:order", number=order.number)


@staff_orders_required
@require_POST
def order_custom_status(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    custom_status = CustomStatus.objects.filter(code=request.POST.get("code", "")[:40]).first()
    try:
        if custom_status is None:
            raise DomainError(_("Choose one of the merchant statuses."))
        services.order_custom_status_set(
            order=order, custom_status=custom_status, actor=request.user, note=request.POST.get("note", "")
        )
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The order is now “%(status)s”.") % {"status": custom_status.tr("name")})
    return redirect("salesrep:order", number=order.number)


@staff_orders_required
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    try:
        services.order_cancel(order=order, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Order %(number)s is cancelled; its reserved stock is released.") % {"number": order.number},
        )
    return redirect("salesrep:order", number=order.number)
