"""The browsers a user is signed in on, and signing out of all of them.

A row per signed-in session is written when someone signs in (``user_logged_in``) and
removed when they sign out, so the security page can list where the account is open: when,
from which address and browser, last seen when (``session_seen``, written at most every
``SEEN_EVERY_SECONDS``). "Sign out everywhere" does not rely on those rows alone: it gives
the user a new ``session_token``, which is part of the session hash
(``User.get_session_auth_hash``), so every other session, listed or not, in any session
store, ends on its next request; the current one is kept with the new hash.
"""

import secrets
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from tandem.core.audit import audit_record
from tandem.core.client_ip import client_ip
from tandem.customers.models import SignedInSession, User

SEEN_KEY = "session_seen_at"
SEEN_EVERY_SECONDS = 300


def _store(session_key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_record(request: HttpRequest, user: User) -> None:
    """Remember the request's session as one of the user's."""
    key = request.session.session_key
    if not key:
        return
    SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_ip(request) or None,
            "user_agent": request.headers.get("user-agent", "")[:300],
            "last_seen_at": timezone.now(),
        },
    )
    request.session[SEEN_KEY] = int(time.time())


def session_renamed(request: HttpRequest, old_key: str | None) -> None:
    """The session got a new key (``cycle_key``): its row follows."""
    if old_key:
        SignedInSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)


def session_seen(request: HttpRequest) -> None:
    """Note that the signed-in user's session is in use (one UPDATE every few minutes)."""
    now = int(time.time())
    seen = request.session.get(SEEN_KEY)
    if isinstance(seen, int) and now - seen < SEEN_EVERY_SECONDS:
        return
    request.session[SEEN_KEY] = now
    if request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).update(
            last_seen_at=timezone.now()
        )


def sessions_of(user: User) -> list[SignedInSession]:
    """The user's sessions that still exist, most recently seen first (rows of sessions that
    expired meanwhile are dropped), each with ``browser``: what the user-agent says, short."""
    rows = list(SignedInSession.objects.filter(user=user))
    gone = [row.pk for row in rows if not _store().exists(row.session_key)]
    if gone:
        SignedInSession.objects.filter(pk__in=gone).delete()
    alive = [row for row in rows if row.pk not in gone]
    for row in alive:
        row.browser = browser_name(row.user_agent)
    return alive


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str) -> str:
    """ "Firefox on Windows" from a user-agent string; the string itself when it names no
    browser we know (a script, an app), cut short."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or user_agent[:40]


def sign_out_everywhere(
    *, user: User, actor: User, keep: HttpRequest | None = None, ip_address: str | None = None
) -> int:
    """End every session of ``user`` except ``keep``'s (the request of the user doing it);
    returns how many listed sessions were ended."""
    keep_key = keep.session.session_key if keep is not None else None
    user.session_token = secrets.token_hex(16)
    user.save(update_fields=["session_token"])  # drops the cached signed-in user too
    if keep is not None:
        update_session_auth_hash(keep, user)
        session_renamed(keep, keep_key)  # update_session_auth_hash cycles the key
        keep_key = keep.session.session_key
    ended = SignedInSession.objects.filter(user=user).exclude(session_key=keep_key or "")
    keys = list(ended.values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete()
    ended.delete()
    audit_record(
        action="sessions.signed_out_everywhere",
        actor_id=actor.pk,
        target=user,
        changes={"sessions": len(keys)},
        ip_address=ip_address,
    )
    return len(keys)


def _signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_record(request, user)


def _signed_out(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session") and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="tandem-session-record")
    user_logged_out.connect(_signed_out, dispatch_uid="tandem-session-forget")
