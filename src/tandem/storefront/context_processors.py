from django.conf import settings

from tandem.cart.counts import cart_line_count
from tandem.cart.sessions import SESSION_KEY as CART_SESSION_KEY
from tandem.catalog.caching import request_catalog_version
from tandem.catalog.selectors import category_tree
from tandem.customers.staff_scope import manages_any_customer


def shop(request):
    """Shop-wide template values: name, currencies, the category tree, the buyer's company."""
    context = getattr(request, "customer_context", None)
    company, membership = None, None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        membership = getattr(user, "company_user", None)
        company = membership.company if membership is not None else None
    return {
        "shop_name": settings.SHOP_NAME,
        "shop_currencies": settings.SHOP_CURRENCIES,
        "customer_context": context,
        "current_company": company,
        "current_role": membership.role if company is not None else "",
        "category_nav": category_tree,  # callables: evaluated only by templates that use them
        "catalog_version": lambda: request_catalog_version(request),
        "cart_count": lambda: _cart_count(request),
        # staff with customers get the rep panel's link (read only where the header is rendered)
        "rep_panel": lambda: bool(user is not None and user.is_authenticated and manages_any_customer(user)),
    }


def _cart_count(request) -> int:
    """Lines in the visitor's cart (from the shared cache; no query for a visitor who never
    had a cart)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return cart_line_count(user_id=user.pk)
    token = request.session.get(CART_SESSION_KEY) if hasattr(request, "session") else None
    return cart_line_count(token=token) if token else 0
