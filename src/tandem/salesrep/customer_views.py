"""The rep's dashboard of customers and acting for one of them (thin views: the rules are in
``acting`` and the reads in ``selectors``)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import NotFound
from tandem.customers import acting
from tandem.customers.acting_session import acting_company_of, acting_session_start, acting_session_stop
from tandem.messaging.selectors import ThreadFilters, thread_list
from tandem.orders.selectors import orders_managed_by
from tandem.salesrep import selectors
from tandem.service.recommendations import reorders_due

PAGE_SIZE = 25
RECENT_ORDERS = 10


def staff_customers_required(view):
    """Staff who see every customer or a rep with customers; others are refused (403),
    anonymous visitors sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.may_use_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def filters_of(params) -> selectors.CustomerFilters:
    return selectors.CustomerFilters(
        query=(params.get("q") or "")[: selectors.QUERY_LIMIT],
        overdue_only=params.get("overdue") in ("1", "on", "true"),
    )


RECENT_THREADS = 8
REORDERS_DUE = 10


@staff_customers_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The rep's customers with activity, open quotes and money; their latest orders."""
    filters = filters_of(request.GET)
    companies = selectors.customer_rows(request.user, filters)
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = orders_managed_by(request.user).select_related("company", "user")[:RECENT_ORDERS]
    return render(
        request,
        "salesrep/dashboard.html",
        {
            "page": page,
            "rows": selectors.rows_of(request.user, page),
            "values": request.GET,
            "filters": filters,
            "recent_orders": recent,
            "recent_threads": thread_list(request.user, filters=ThreadFilters(unread_first=True))[
                :RECENT_THREADS
            ],
            "reorders_due": reorders_due(request.user, limit=REORDERS_DUE),
        },
    )


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@staff_customers_required
@require_POST
def act(request: HttpRequest, company_id: int) -> HttpResponse:
    """Start acting for a customer and open the shop as they see it."""
    try:
        company = acting.acting_start(
            rep=request.user,
            company_id=company_id,
            ip_address=_ip(request),
            current=acting_company_of(request),
        )
    except NotFound as error:
        raise Http404 from error
    acting_session_start(request, company)
    messages.success(
        request,
        _(
            "You are now acting for %(company)s: the shop shows their prices and "
            "products, and what you order is placed for them."
        )
        % {"company": company.name},
    )
    return redirect("storefront:home")


@login_required
@require_POST
def acting_stop(request: HttpRequest) -> HttpResponse:
    """Stop acting for the customer; back to the dashboard (the shop for anyone else)."""
    company = acting_company_of(request)
    acting_session_stop(request)
    if company is not None:
        acting.acting_stop(rep=request.user, company=company, ip_address=_ip(request))
        messages.success(
            request, _("%(company)s: you no longer act for this customer.") % {"company": company.name}
        )
    if selectors.may_use_dashboard(request.user):
        return redirect("salesrep:home")
    return redirect("storefront:home")
