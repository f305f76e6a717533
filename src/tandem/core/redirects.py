"""Where to send a visitor back to after a form: only ever to this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def _ours(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())


def safe_next(request: HttpRequest, default: str = "/", *, referer: bool = False) -> str:
    """The ``next`` the form carried (POST or GET), else — when ``referer`` — the page the
    form was on, if either is on this site; else ``default`` (a path or a URL name)."""
    for target in (
        request.POST.get("next"),
        request.GET.get("next"),
        request.META.get("HTTP_REFERER") if referer else None,
    ):
        if target and _ours(request, target):
            return target
    return default
