"""The REST API (django-ninja) under /api/v1/: routers of the domain apps, one error map."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tandem.billing.payments.api import router as billing_router
from tandem.cart.api import router as cart_router
from tandem.cart.list_api import router as list_router
from tandem.catalog.api import router as catalog_router
from tandem.checkout.api import router as checkout_router
from tandem.core.errors import DomainError
from tandem.core.health import RETRY_AFTER_SECONDS
from tandem.core.problems import problem, validation_errors, with_problem_responses
from tandem.customers.api import router as customers_router
from tandem.messaging.api import router as inbox_router
from tandem.orders.api import order_router
from tandem.orders.api import router as orders_router
from tandem.quotes.api import router as quotes_router

logger = logging.getLogger(__name__)


class TandemAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The document ninja builds, with every operation's error answers (RFC 9457)."""
        return with_problem_responses(super().get_openapi_schema(*args, **kwargs))


api = TandemAPI(
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
api.add_router("", "tandem.catalog.write_api.router")
api.add_router("", "tandem.customers.company_api.router")
api.add_router("", "tandem.customers.export_api.router")
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
api.add_router("/webhooks", "tandem.messaging.webhook_api.router")
api.add_router("", "tandem.service.api.router")
api.add_router("", "tandem.service.compare_api.router")
api.add_router("", "tandem.service.recommendation_api.router")
api.add_router("", "tandem.content.api.router")
api.add_router("", "tandem.feeds.api.router")
api.add_router("/punchout", "tandem.punchout.api.router")


# Every error answer is an RFC 9457 problem (core.problems): code, detail, errors, request id.


@api.exception_handler(DomainError)
def domain_error(request, error: DomainError):
    message = str(error.message)
    errors = [{"field": error.field, "code": error.code, "message": message}] if error.field else []
    return problem(
        error.status, code=error.code, detail=message, errors=errors, field=error.field, lines=error.lines
    )


@api.exception_handler(ValidationError)
def invalid_request(request, error: ValidationError):
    errors = validation_errors(error.errors)
    return problem(
        422, code="validation_error", detail=_("The request is not valid: see errors."), errors=errors
    )


@api.exception_handler(AuthenticationError)
def not_authenticated(request, error):
    return problem(401, code="not_authenticated", detail=_("Sign in or send a valid bearer token."))


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    return problem(error.status_code, detail=str(error))


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, error):
    """A number bigger than the database stores (an id of 2**63, a quantity of 10**30) that
    got past a schema: the caller's mistake, a 422 — never a 500."""
    return problem(422, code="out_of_range", detail=_("A number in the request is out of range."))


@api.exception_handler(RequestDataTooBig)
def too_big(request, error):
    return problem(413, detail=_("The request body is too large."))


@api.exception_handler(Http404)
def not_found(request, error):
    return problem(404, code="not_found", detail=_("Not found."))


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, error):
    """The database cannot be reached (a restart, a failover): 503 with Retry-After, so a
    client retries; nothing was written (the request's transaction did not commit)."""
    logger.warning("database unavailable on %s %s: %s", request.method, request.path, error)
    answer = problem(
        503,
        code="service_unavailable",
        detail=_("The service is briefly unavailable; retry in a few seconds."),
    )
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer


@api.exception_handler(Exception)
def server_error(request, error):
    """A crash: logged with the request id, answered as a problem that says nothing inside."""
    logger.exception("API error on %s %s", request.method, request.path)
    return problem(
        500, code="server_error", detail=_("Something went wrong on our side; quote the request id.")
    )
