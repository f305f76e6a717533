"""The browser side of a punchout session: signed in as the credential's buyer, shopping into
the session's own cart (``cart.sessions.TRANSFER_SESSION_KEY``) until the cart is transferred.

The procurement system has authenticated its user with the credential's secret, so the
session counts as a completed sign-in (the company's two-factor rule asks people, not
systems, for a code)."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest

from tandem.cart.sessions import TRANSFER_SESSION_KEY
from tandem.customers.security_middleware import second_factor_passed
from tandem.punchout.models import PunchoutSession, SessionStatus

PUNCHOUT_SESSION_KEY = "punchout_session"
SYSTEM_SESSION_KEY = "punchout_system"


def punchout_enter(request: HttpRequest, session: PunchoutSession) -> None:
    """Sign the browser in as the buyer of ``session``'s credential, in punchout mode."""
    user = session.credential.buyer.user
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    second_factor_passed(request)
    request.session[PUNCHOUT_SESSION_KEY] = session.pk
    request.session[SYSTEM_SESSION_KEY] = session.credential.name
    request.session[TRANSFER_SESSION_KEY] = str(session.cart.token)


def punchout_of(request: HttpRequest) -> PunchoutSession | None:
    """The open punchout session of this browser, None outside punchout mode."""
    session_id = request.session.get(PUNCHOUT_SESSION_KEY) if hasattr(request, "session") else None
    if not session_id or not request.user.is_authenticated:
        return None
    return (
        PunchoutSession.objects.select_related("credential", "credential__company", "cart")
        .filter(pk=session_id, status=SessionStatus.OPEN, credential__buyer__user_id=request.user.pk)
        .first()
    )


def punchout_leave(request: HttpRequest) -> None:
    """End punchout mode: the browser is signed out, its session forgotten."""
    logout(request)
