from tandem.cart.models import CartLine
from tandem.cart.sessions import ACTING_SESSION_KEY
from tandem.customers.acting_session import acting_company_of


def acting(request):
    """``acting_company`` for the "acting for … as …" banner while a sales rep acts for a
    customer; then ``cart_count`` counts the acting cart (it comes after the shop's
    processor, whose count is the rep's own cart's)."""
    if not hasattr(request, "session") or not getattr(request, "user", None):
        return {}
    company = acting_company_of(request)
    if company is None:
        return {"acting_company": None}
    token = request.session.get(ACTING_SESSION_KEY % company.pk)
    return {
        "acting_company": company,
        "cart_count": lambda: (
            CartLine.objects.filter(cart__token=token, cart__user__isnull=True).count() if token else 0
        ),
    }
