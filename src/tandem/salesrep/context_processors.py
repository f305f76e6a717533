from tandem.cart.counts import cart_line_count
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
        "cart_count": lambda: cart_line_count(token=token) if token else 0,
    }
