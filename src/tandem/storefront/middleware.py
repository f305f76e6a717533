"""Per request: who is buying (``request.customer_context``: the visitor, or the company a sales
rep acts for) and B2B-only hostnames."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from tandem.core.context import CustomerContext
from tandem.customers.acting import acting_context
from tandem.customers.acting_session import acting_company_of
from tandem.customers.auth import membership_of
from tandem.customers.selectors import customer_context_for

# Paths a guest may open on a B2B-only host (to log in and to reset a password).
# The API authenticates on its own (tokens, session) and takes provider notifications.
B2B_HOST_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/admin/", "/media/", "/api/")


class CustomerContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.customer_context = SimpleLazyObject(lambda: self._context(request))
        if self._on_b2b_host(request) and not request.path.startswith(B2B_HOST_OPEN_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_staff or membership_of(user) is not None):
                # Logged in, but not as a company user: sending them to the login page
                # would bounce straight back (it redirects signed-in users), so say why.
                return render(request, "storefront/b2b_only.html", status=403)
        return self.get_response(request)

    @staticmethod
    def _context(request) -> CustomerContext:
        """The acting company's context for a rep acting for a customer (checked again on
        every request), else the visitor's own."""
        company = acting_company_of(request)
        if company is not None:
            return acting_context(company, rep=request.user, language=get_language())
        return customer_context_for(
            request.user, language=get_language(), currency=request.session.get("currency")
        )

    @staticmethod
    def _on_b2b_host(request) -> bool:
        return bool(settings.B2B_HOSTS) and request.get_host().split(":")[0] in settings.B2B_HOSTS
