"""The second sign-in step on every surface, the note that a session is in use, and the
device cookie a successful sign-in earns (``customers.throttle``).

A user who needs two-factor sign-in (``customers.two_factor.two_factor_required``) and has
given only the password so far is signed in, but every request of theirs stops here: pages
send them to type a code (or to set up an authenticator app when they have none yet), the
API answers 401 ``two_factor_required``. Only that page, signing out and the language
switch are open to them. The check reads the user row already loaded for the request and the
session: no query.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.core.problems import problem
from tandem.customers.sessions import session_seen
from tandem.customers.throttle import DEVICE_COOKIE_AGE
from tandem.customers.two_factor import two_factor_required

VERIFIED_KEY = "two_factor_user"


def second_factor_given(request: HttpRequest) -> bool:
    return request.session.get(VERIFIED_KEY) == request.user.pk


def second_factor_passed(request: HttpRequest) -> None:
    """The session's user has given the second factor (call after cycling the key)."""
    request.session[VERIFIED_KEY] = request.user.pk


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if two_factor_required(user) and not second_factor_given(request):
                refusal = self._hold(request)
                if refusal is not None:
                    return refusal
            session_seen(request)
        response = self.get_response(request)
        device = getattr(request, "sign_in_device_cookie", None)
        if device is not None:
            name, value = device
            response.set_cookie(
                name,
                value,
                max_age=DEVICE_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def _hold(self, request: HttpRequest) -> HttpResponse | None:
        step = (
            "storefront:two_factor_verify"
            if request.user.two_factor_enabled
            else "storefront:two_factor_setup"
        )
        target = reverse(step)
        open_paths = {
            target,
            reverse("storefront:logout"),
            reverse("admin:logout"),
            reverse("storefront:preferences"),
        }
        if request.path in open_paths:
            return None
        if request.path.startswith("/api/"):
            return problem(
                401,
                code="two_factor_required",
                detail=_("Confirm the sign-in with a code from your authenticator app first."),
            )
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
