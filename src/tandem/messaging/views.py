"""The client panel's inbox (thin views over the inbox services and selectors)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.errors import NotFound
from tandem.core.redirects import safe_next
from tandem.messaging import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/inbox.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (only ever a page of this site)."""
    try:
        services.notification_read(user=request.user, notification_id=notification_id)
    except NotFound as error:
        raise Http404 from error
    return redirect(safe_next(request, reverse("messaging:inbox")))


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    return redirect(reverse("messaging:inbox"))
