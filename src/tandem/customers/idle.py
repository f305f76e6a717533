"""Staff sessions end after ``STAFF_IDLE_MINUTES`` without a request.

A staff session opens the admin, every customer's orders and acting on behalf of companies:
one left open on a shared warehouse or office computer should not stay usable for the 14 days
of a customer's session. The last request's time is kept in the session (written at most once
a minute); after the idle time the user is signed out and the request goes on as a guest's, so
every surface answers as it does for a guest (the admin and pages ask to sign in, the API
answers 401). Customers keep their long sessions.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SEEN_KEY = "staff_seen_at"
WRITE_EVERY_SECONDS = 60


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and hasattr(request, "session"):
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if isinstance(seen, int) and now - seen > settings.STAFF_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": settings.STAFF_IDLE_MINUTES},
                )
            elif not isinstance(seen, int) or now - seen >= WRITE_EVERY_SECONDS:
                request.session[SEEN_KEY] = now
        return self.get_response(request)
