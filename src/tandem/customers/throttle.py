"""One sign-in throttle for every way in (storefront, admin, any ``authenticate()`` call).

Attempts, not failures, are counted, and the count is taken before the password is checked:
``cache.incr`` is atomic in Redis (production) and within a process, so a burst of parallel
attempts gets exactly the allowed number of password checks, never a few more. (The file
cache of the embedded one-machine setup increments by read-and-write: a burst across its
processes may get a check or two more.) Three
counters guard three attacks, each over ``LOGIN_THROTTLE_SECONDS``:

- the account from one address (``LOGIN_THROTTLE_ATTEMPTS``): guessing one password;
- the account from anywhere (``LOGIN_THROTTLE_ACCOUNT_ATTEMPTS``): guessing it from many
  addresses;
- the address, whatever the account (``LOGIN_THROTTLE_IP_ATTEMPTS``): trying a few
  passwords on many accounts.

A successful sign-in clears the account's counters and is not counted against its address,
and gives the browser a **device cookie** for the account (signed, a year). An attacker
failing on an account from many addresses uses up the account's limit for everyone — except
browsers that have signed in to it before: their attempts are counted per device
(``LOGIN_THROTTLE_ATTEMPTS``) and never by the account or the address, so the owner is not
locked out by somebody else's guessing (OWASP's "device cookies").
Password reset requests are counted the same way (``password_reset_allowed``): per account
and per address, so nobody floods a mailbox or probes many addresses.
The address comes from
``core.client_ip`` (``TRUSTED_PROXY_COUNT`` behind a reverse proxy).
"""

import contextlib
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

DEVICE_COOKIE_AGE = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class SignInThrottled(Exception):
    """Too many sign-in attempts; try again after ``seconds``."""

    seconds: int


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
    return f"sign-in:{parts[0]}:{digest}"


def _keys(account: str, ip: str) -> dict[str, tuple[str, int]]:
    return {
        "pair": (_key("pair", account, ip), settings.LOGIN_THROTTLE_ATTEMPTS),
        "account": (_key("account", account), settings.LOGIN_THROTTLE_ACCOUNT_ATTEMPTS),
        "ip": (_key("ip", ip), settings.LOGIN_THROTTLE_IP_ATTEMPTS),
    }


def _count(key: str) -> int:
    cache.add(key, 0, settings.LOGIN_THROTTLE_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, settings.LOGIN_THROTTLE_SECONDS)
        return 1


def _within(*limits: tuple[str, int]) -> bool:
    """Count one attempt on every (key, limit); False when any is over its limit (all are
    counted, so no counter is skipped by the order they are checked in)."""
    return not [limit for key, limit in limits if _count(key) > limit]


def throttled_message(seconds: int) -> str:
    """What a refused attempt says: how long to wait."""
    return _("Too many failed attempts. Try again in %(minutes)s minutes.") % {
        "minutes": max(seconds // 60, 1)
    }


def sign_in_attempt(*, account: str, ip: str, device: str | None = None) -> None:
    """Count one attempt to sign in to ``account`` from ``ip`` (from a known ``device`` of
    the account: per device only); SignInThrottled when a limit is already used up (the
    password must then not be checked)."""
    account = account.strip().lower()
    if device:
        limits = [(_key("device", account, device), settings.LOGIN_THROTTLE_ATTEMPTS)]
    else:
        limits = list(_keys(account, ip).values())
    if not _within(*limits):
        raise SignInThrottled(seconds=settings.LOGIN_THROTTLE_SECONDS)


def sign_in_succeeded(*, account: str, ip: str, device: str | None = None) -> None:
    """The right password: the account's counters start again, and the address's no longer
    counts this attempt (an office behind one address signs in all morning)."""
    account = account.strip().lower()
    keys = _keys(account, ip)
    forget = [keys["pair"][0], keys["account"][0]]
    if device:  # its attempts were not counted by the address: nothing to give back there
        forget.append(_key("device", account, device))
    cache.delete_many(forget)
    if not device:
        with contextlib.suppress(ValueError):  # the address's window has just ended
            cache.decr(keys["ip"][0])


def _device_salt(account: str) -> str:
    return f"tandem.sign-in-device:{account.strip().lower()}"


def device_cookie_name(account: str) -> str:
    """One cookie per account a browser signs in to (several people may share a computer)."""
    return "device-" + hashlib.sha256(account.strip().lower().encode()).hexdigest()[:12]


def device_cookie_new(account: str) -> str:
    """A signed value naming a new device of ``account``; worthless for any other account."""
    return signing.dumps(secrets.token_hex(8), salt=_device_salt(account))


def known_device(request: HttpRequest | None, account: str) -> str | None:
    """The device id in the request's cookie for ``account``, when it is genuine and not
    older than a year; else None."""
    value = request.COOKIES.get(device_cookie_name(account)) if request is not None else None
    if not value:
        return None
    try:
        return signing.loads(value, salt=_device_salt(account), max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None


def password_reset_allowed(*, account: str, ip: str) -> bool:
    """Count one password reset request for ``account`` from ``ip``; False once
    ``PASSWORD_RESET_THROTTLE_ATTEMPTS`` for the account or ``LOGIN_THROTTLE_IP_ATTEMPTS`` for
    the address were used in ``LOGIN_THROTTLE_SECONDS``."""
    account = account.strip().lower()
    return _within(
        (_key("reset-account", account), settings.PASSWORD_RESET_THROTTLE_ATTEMPTS),
        (_key("reset-ip", ip), settings.LOGIN_THROTTLE_IP_ATTEMPTS),
    )


def second_factor_attempt(*, account: str, ip: str) -> None:
    """Count one code typed at the second sign-in step; SignInThrottled when the account
    (``LOGIN_THROTTLE_ATTEMPTS``) or the address (``LOGIN_THROTTLE_IP_ATTEMPTS``) has used
    its attempts. Whoever is here knows the password: the account's own limit is the low one."""
    account = account.strip().lower()
    if not _within(
        (_key("code-account", account), settings.LOGIN_THROTTLE_ATTEMPTS),
        (_key("code-ip", ip), settings.LOGIN_THROTTLE_IP_ATTEMPTS),
    ):
        raise SignInThrottled(seconds=settings.LOGIN_THROTTLE_SECONDS)


def second_factor_succeeded(*, account: str, ip: str) -> None:
    cache.delete(_key("code-account", account.strip().lower()))


def registration_allowed(*, ip: str) -> bool:
    """Count one sign-up from ``ip``; False once ``REGISTRATION_THROTTLE_ATTEMPTS`` were used
    in ``LOGIN_THROTTLE_SECONDS``."""
    return _within((_key("register-ip", ip), settings.REGISTRATION_THROTTLE_ATTEMPTS))


def registration_mail_allowed(email: str) -> bool:
    """Count one registration mail to an address that has an account (or is waiting for
    its confirmation); False once ``PASSWORD_RESET_THROTTLE_ATTEMPTS`` went out in the window
    — nobody floods a mailbox through the sign-up form."""
    return _within((_key("register-mail", email.strip().lower()), settings.PASSWORD_RESET_THROTTLE_ATTEMPTS))


def token_refused(*, ip: str) -> bool:
    """Count one wrong API token from ``ip``; False once ``LOGIN_THROTTLE_IP_ATTEMPTS`` wrong
    ones were sent in ``LOGIN_THROTTLE_SECONDS`` (the caller answers 429). Counted atomically
    before answering, so a burst gets no more. Keys are 256-bit: this guards the logs and the
    database more than the keys."""
    return _within((_key("token-ip", ip), settings.LOGIN_THROTTLE_IP_ATTEMPTS))
