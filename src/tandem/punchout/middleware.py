"""Punchout mode holds the browser to shopping: the catalog, the session's cart and its way
back. The procurement system signed the browser in as the credential's buyer, but orders go
through the procurement system's approvals — so nothing else the buyer's account can do
(accept a quote, repeat an order, manage the company's users, API keys and punchout secrets)
is reachable while the mode lasts. An allow-list: a page added later stays closed until
someone decides it belongs to shopping."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.core.problems import problem
from tandem.punchout.mode import PUNCHOUT_SESSION_KEY

# (namespace, url name); a name of None: every page of the namespace
SHOPPING_PAGES = {
    ("storefront", "home"),
    ("storefront", "category"),
    ("storefront", "search"),
    ("storefront", "product"),
    ("storefront", "preferences"),
    ("storefront", "favicon"),
    ("storefront", "logout"),
    ("cart", "detail"),
    ("cart", "add"),
    ("cart", "update"),
    ("cart", "coupon"),
    ("cart", "quick_order"),
    ("service", "faq"),
    ("service", "buy_again"),
    ("service", "recommendations_home"),
    ("service", "recommendations_cart"),
    ("service", "recommendations_product"),
    ("service", "compare"),
    ("service", "compare_add"),
    ("service", "compare_remove"),
    ("service", "compare_clear"),
    ("content", None),
    ("punchout", "oci"),
    ("punchout", "cxml"),
    ("punchout", "start"),
    ("punchout", "transfer"),
}
ROOT_PAGES = {"set_language", "healthz", "readyz", None}  # None: the media files
# the API as the shop's own pages call it while shopping (a prefix of the path inside /api/v1)
SHOPPING_API = ("/catalog", "/cart", "/compare", "/recommendations", "/articles", "/pages/", "/faq")
API_PREFIX = "/api/v1"


def in_punchout_mode(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(PUNCHOUT_SESSION_KEY))


def shopping_allows(namespace: str, url_name: str | None, path: str) -> bool:
    """Whether a punchout browser may open this page (or API path)."""
    if path.startswith(API_PREFIX + "/"):
        return path[len(API_PREFIX) :].startswith(SHOPPING_API)
    if not namespace:
        return url_name in ROOT_PAGES
    return (namespace, url_name) in SHOPPING_PAGES or (namespace, None) in SHOPPING_PAGES


class PunchoutModeMiddleware:
    """Refuses, in punchout mode, every page that is not shopping (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not in_punchout_mode(request):
            return None
        match = request.resolver_match
        namespace = match.namespace if match is not None else ""
        url_name = match.url_name if match is not None else None
        if shopping_allows(namespace, url_name, request.path_info):
            return None
        message = _(
            "In a punchout session only the catalog and the cart are open: transfer the cart to "
            "your procurement system, or sign in to the shop directly."
        )
        if request.path_info.startswith(API_PREFIX + "/"):
            return problem(403, code="punchout_mode", detail=message)
        return render(
            request,
            "punchout/refused.html",
            {"title": _("Not available in a punchout session"), "message": message},
            status=403,
        )
