from tandem.cart.counts import cart_line_count
from tandem.cart.sessions import TRANSFER_SESSION_KEY
from tandem.punchout.mode import PUNCHOUT_SESSION_KEY, SYSTEM_SESSION_KEY


def punchout(request):
    """``punchout`` (the procurement system's name) for the banner while a procurement system's
    user shops here; then ``cart_count`` counts the session's own cart (after "acting")."""
    session = getattr(request, "session", None)
    if session is None or not session.get(PUNCHOUT_SESSION_KEY):
        return {}
    token = session.get(TRANSFER_SESSION_KEY)
    return {
        "punchout": {"system": session.get(SYSTEM_SESSION_KEY, "")},
        "cart_count": lambda: cart_line_count(token=token) if token else 0,
    }
