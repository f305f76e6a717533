"""Log in with an e-mail address; deactivated users and company users are refused."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _

from tandem.core.client_ip import client_ip
from tandem.core.errors import PermissionDenied
from tandem.customers.models import CompanyRole, CompanyUser
from tandem.customers.throttle import (
    SignInThrottled,
    device_cookie_name,
    device_cookie_new,
    known_device,
    sign_in_attempt,
    sign_in_succeeded,
    throttled_message,
)


def membership_of(user: Any) -> CompanyUser | None:
    """The user's CompanyUser row, or None for staff, B2C customers and anonymous visitors."""
    try:
        return user.company_user
    except get_user_model().company_user.RelatedObjectDoesNotExist:
        return None


def company_admin_membership(user, refusal: str):
    """The user's membership when they are an active admin of their company; otherwise
    PermissionDenied with ``refusal`` (what they tried to do, said to them)."""
    membership = membership_of(user) if user.is_authenticated else None
    if membership is None or not membership.is_active or membership.role != CompanyRole.ADMIN:
        raise PermissionDenied(refusal)
    return membership


def user_cache_key(user_id: int) -> str:
    return f"auth:user:{user_id}"


class EmailBackend(ModelBackend):
    """E-mail and password, behind the one sign-in throttle (``customers.throttle``): every
    form that signs people in (storefront, admin) goes through here."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else ""
        device = known_device(request, username)
        try:
            sign_in_attempt(account=username, ip=ip, device=device)
        except SignInThrottled as throttled:
            if request is not None:
                request.sign_in_throttled = throttled  # the form says so instead of "wrong password"
            raise DjangoPermissionDenied from throttled  # stops authenticate(): no password check
        user = super().authenticate(request, username=username, password=password)
        if user is not None:
            sign_in_succeeded(account=username, ip=ip, device=device)
            if request is not None and device is None:
                # set on the response by customers.security_middleware
                request.sign_in_device_cookie = (device_cookie_name(username), device_cookie_new(username))
        return user

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        membership = membership_of(user)
        if membership is not None:
            return membership.is_active and membership.company.is_active
        return True

    def get_user(self, user_id):
        """The signed-in user with company, terms and rep, cached briefly.

        Saving a user, membership or company drops the cached copy
        (``customers.cache_invalidation``), so deactivation takes effect on the next request.
        """
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user_model = get_user_model()
            user = (
                user_model._default_manager.select_related(
                    "company_user__company__payment_terms", "company_user__company__sales_rep"
                )
                .filter(pk=user_id)
                .first()
            )
            if user is None:
                return None
            cache.set(key, user, settings.AUTH_USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


class WrongPassword(PermissionDenied):
    code = "wrong_password"
    default_message = _("That is not your password.")


def password_confirm(*, user, password: str, ip: str = "") -> None:
    """A signed-in user confirms a grave step (erasing the account) with their password,
    counted by the sign-in throttle like any other password check: WrongPassword, or
    PermissionDenied ``throttled`` when the account's or address's attempts are used up."""
    try:
        sign_in_attempt(account=user.email, ip=ip)
    except SignInThrottled as throttled:
        raise PermissionDenied(throttled_message(throttled.seconds), code="throttled") from throttled
    if not user.check_password(password):
        raise WrongPassword(field="password")
    sign_in_succeeded(account=user.email, ip=ip)
