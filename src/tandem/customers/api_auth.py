"""API authentication: a bearer token (integrations), else the browser session (with CSRF),
else a guest (only where guests are allowed, e.g. the cart)."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from tandem.core.audit import audit_record
from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError, PermissionDenied
from tandem.core.tokens import token_digest
from tandem.customers.api_scopes import ALL, SCOPES, key_allows, scope_needed
from tandem.customers.models import ApiToken, User
from tandem.customers.throttle import token_refused


class InsufficientScope(PermissionDenied):
    code = "insufficient_scope"


def scope_require(request, scope: str) -> None:
    """For a part of a request that needs another scope than its path (prices and stock sent
    with products): InsufficientScope when the caller's key lacks it. A session has every scope."""
    token = getattr(request, "api_token", None)
    if token is not None and not key_allows(token.scopes, scope):
        raise InsufficientScope(
            _("This API token lacks the scope %(scope)s.") % {"scope": scope}, field="scope"
        )


def api_token_create(
    *,
    user: User,
    name: str,
    scopes: list[str] | None = None,
    expires_at: datetime | None = None,
    actor: User | None = None,
    ip_address: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` (made by ``actor``, staff or the user) with ``scopes`` (all
    when not given) until ``expires_at`` (never when not given); the plain key is returned
    once and never stored."""
    scopes = list(scopes) if scopes is not None else [ALL]
    unknown = set(scopes) - set(SCOPES) - {ALL}
    if unknown:
        raise DomainError(
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}, field="scopes"
        )
    key = "tdm_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=token_digest(key), scopes=scopes, expires_at=expires_at
    )
    audit_record(
        action="api_token.created",
        actor_id=(actor or user).pk,
        target=token,
        changes={"user": user.email, "name": name, "prefix": token.prefix, "scopes": scopes},
        ip_address=ip_address,
    )
    return token, key


def api_token_rotate(
    *, token: ApiToken, actor: User, overlap: timedelta = timedelta(hours=24)
) -> tuple[ApiToken, str]:
    """A new key with the same user, name, scopes and expiry; the old one keeps working for
    ``overlap`` so the integration can switch without a gap, then expires."""
    new, key = api_token_create(
        user=token.user, name=token.name, scopes=token.scopes, expires_at=token.expires_at, actor=actor
    )
    ends = timezone.now() + overlap
    if token.expires_at is None or token.expires_at > ends:
        token.expires_at = ends
        token.save(update_fields=["expires_at"])
    audit_record(
        action="api_token.rotated",
        actor_id=actor.pk,
        target=token,
        changes={"new_prefix": new.prefix, "old_expires_at": token.expires_at.isoformat()},
    )
    return new, key


def api_token_active_set(
    *, token: ApiToken, active: bool, actor: User, ip_address: str | None = None
) -> None:
    """Revoke a token (it answers 401 from the next call) or give it back."""
    if token.is_active == active:
        return
    token.is_active = active
    token.save(update_fields=["is_active"])
    audit_record(
        action="api_token.reactivated" if active else "api_token.revoked",
        actor_id=actor.pk,
        target=token,
        changes={"user": token.user.email, "name": token.name, "prefix": token.prefix},
        ip_address=ip_address,
    )


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_digest(token), is_active=True)
            .first()
        )
        if found is not None and found.expires_at is not None and found.expires_at <= timezone.now():
            raise HttpError(401, _("This API token has expired."))
        if found is None or not found.user.is_active:
            # Counted per address; a right key is never held up by others' wrong ones behind
            # the same address (an office, a NAT).
            if not token_refused(ip=client_ip(request)):
                raise HttpError(429, _("Too many invalid API tokens from your address; try again later."))
            raise HttpError(401, _("Invalid or revoked API token."))
        if found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        needed = scope_needed(request.method, request.path.removeprefix("/api/v1"))
        if not key_allows(found.scopes, needed):
            raise InsufficientScope(
                _("This API token lacks the scope %(scope)s.") % {"scope": needed}, field="scope"
            )
        request.user = found.user
        request.api_token = found
        return found.user


class SessionUser(APIKeyCookie):
    """The signed-in browser user (unsafe methods need the CSRF token)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


class SessionOrGuest(SessionUser):
    """Like SessionUser, but a visitor without an account is let in as a guest."""

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else "guest"


user_auth = [BearerToken(), SessionUser()]
guest_auth = [BearerToken(), SessionOrGuest()]
