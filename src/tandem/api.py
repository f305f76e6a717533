"""The REST API (django-ninja) under /api/v1/: routers of the domain apps, one error map."""

from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI

from tandem.billing.payments.api import router as billing_router
from tandem.cart.api import router as cart_router
from tandem.cart.list_api import router as list_router
from tandem.catalog.api import router as catalog_router
from tandem.checkout.api import router as checkout_router
from tandem.core.errors import DomainError
from tandem.customers.api import router as customers_router
from tandem.messaging.api import router as inbox_router
from tandem.orders.api import order_router
from tandem.orders.api import router as orders_router
from tandem.quotes.api import router as quotes_router

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description=(
        "One commerce platform for B2B and B2C. Prices follow the caller's channel: "
        "gross (VAT included) for retail and anonymous callers, net for company users."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/catalog", catalog_router)
api.add_router("/account", customers_router)
api.add_router("/account/privacy", "tandem.privacy.api.router")
api.add_router("/cart", cart_router)
api.add_router("/lists", list_router)
api.add_router("", checkout_router)
api.add_router("", order_router)
api.add_router("", orders_router)
api.add_router("", quotes_router)
api.add_router("", "tandem.quotes.resale_api.router")
api.add_router("", "tandem.billing.receivables.api.router")
api.add_router("/payments", billing_router)
api.add_router("", "tandem.billing.documents.api.router")
api.add_router("/inbox", inbox_router)
api.add_router("/messages", "tandem.messaging.api.thread_router")
api.add_router("/rep", "tandem.salesrep.api.router")


@api.exception_handler(DomainError)
def domain_error(request, error: DomainError):
    body = {"code": error.code, "message": str(error.message)}
    if error.field:
        body["field"] = error.field
    if error.lines:
        body["lines"] = error.lines
    return api.create_response(request, body, status=error.status)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, error):
    """A number bigger than the database stores (an id of 2**63, a quantity of 10**30) that
    got past a schema: the caller's mistake, a 422 — never a 500."""
    return api.create_response(
        request,
        {"code": "out_of_range", "message": "A number in the request is out of range."},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"code": "not_found", "message": "Not found."}, status=404)
