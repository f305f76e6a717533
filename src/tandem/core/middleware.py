"""Request hygiene that every page and endpoint shares."""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest


class RejectNullBytesMiddleware:
    """Refuse URLs carrying NUL characters with a 400.

    No shop text ever contains one, and PostgreSQL refuses them in queries, so a NUL in a
    slug or a filter would otherwise surface as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("NUL characters are not allowed in URLs.",
                                          content_type="text/plain")
        return self.get_response(request)
