"""Which cart a request works with: the signed-in user's, a guest's from the session, or a
sales rep's cart per company they act for. Used by every surface that touches the cart (pages,
API, the client panel, checkout, quotes)."""

from django.http import HttpRequest

from tandem.cart import services
from tandem.cart.models import Cart

SESSION_KEY = "cart_token"
ACTING_SESSION_KEY = "acting_cart:%d"  # a sales rep's cart for one company they act for
# A cart of this browser session alone that goes back to a procurement system (punchout):
# never the signed-in user's own cart, and never checked out here.
TRANSFER_SESSION_KEY = "transfer_cart_token"


def cart_goes_elsewhere(request: HttpRequest) -> bool:
    """The session fills a cart that another system orders (punchout): no checkout here."""
    return bool(getattr(request, "session", None) and request.session.get(TRANSFER_SESSION_KEY))


def request_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The visitor's cart: the signed-in user's, else the guest cart named in the session. A
    sales rep acting for a company fills a cart of its own, per company, kept in the session
    (never the rep's own cart nor one of the company's users); so does a punchout session."""
    context = getattr(request, "customer_context", None)
    if cart_goes_elsewhere(request):
        key = TRANSFER_SESSION_KEY
    elif context is not None and context.on_behalf_of_id:
        key = ACTING_SESSION_KEY % context.on_behalf_of_id
    elif request.user.is_authenticated:
        return services.cart_get(user_id=request.user.pk, token=None, create=create)
    else:
        key = SESSION_KEY
    cart = services.cart_get(user_id=None, token=request.session.get(key), create=create)
    if cart is not None:
        request.session[key] = str(cart.token)
    return cart


def merge_guest_cart(request: HttpRequest, token: str | None) -> None:
    """After login: the guest's cart joins the user's."""
    if token:
        guest = services.cart_get(user_id=None, token=token)
        services.cart_merge(guest=guest, user_id=request.user.pk)
        request.session.pop(SESSION_KEY, None)
