"""Request hygiene that every page and endpoint shares."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest

# Bodies whose text fields end up in the database. Multipart bodies carry binary files
# (an XLSX legitimately contains NUL bytes); their text fields are checked once parsed.
TEXT_BODIES = ("application/x-www-form-urlencoded", "application/json")


class RejectNullBytesMiddleware:
    """Refuse NUL characters in URLs and in submitted text with a 400.

    No shop text ever contains one, and PostgreSQL refuses them, so a NUL in a slug, a
    filter, a form field or a JSON string would otherwise surface as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return self._refuse("URLs")
        if request.method in ("POST", "PUT", "PATCH") and self._body_has_nul(request):
            return self._refuse("submitted text")
        return self.get_response(request)

    @staticmethod
    def _body_has_nul(request) -> bool:
        content_type = request.content_type or ""
        if content_type.startswith("multipart/"):
            return any("\x00" in value for value in request.POST.values())
        if not content_type.startswith(TEXT_BODIES):
            return False
        body = request.body
        if content_type.startswith("application/json"):
            return b"\x00" in body or b"\\u0000" in body
        return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))

    @staticmethod
    def _refuse(where: str) -> HttpResponseBadRequest:
        return HttpResponseBadRequest(
            f"NUL characters are not allowed in {where}.", content_type="text/plain"
        )


# Browser features no page of the shop uses: a script injected into a page cannot use them
# either (Django sets the other security headers: nosniff, Referrer-Policy, COOP, HSTS).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()"
)


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` and ``Content-Security-Policy`` with every response.

    The content policy (``settings.CONTENT_SECURITY_POLICY``) allows scripts only from the
    shop's own files: no inline script, no event-handler attribute, no ``eval`` — stricter
    than nonces, and no page part kept in a cache has to carry one. A script that an
    attacker slips into a page as text is not run. Styles may be inline (style attributes
    colour merchant statuses; a style cannot run code)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
