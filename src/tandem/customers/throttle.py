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

A successful sign-in clears the account's counters and is not counted against its address.
Password reset requests are counted the same way (``password_reset_allowed``): per account
and per address, so nobody floods a mailbox or probes many addresses.
The address comes from
``core.client_ip`` (``TRUSTED_PROXY_COUNT`` behind a reverse proxy).
"""

import contextlib
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


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


def sign_in_attempt(*, account: str, ip: str) -> None:
    """Count one attempt to sign in to ``account`` from ``ip``; SignInThrottled when any of
    the three limits is already used up (the password must then not be checked)."""
    account = account.strip().lower()
    over = [limit for key, limit in _keys(account, ip).values() if _count(key) > limit]
    if over:
        raise SignInThrottled(seconds=settings.LOGIN_THROTTLE_SECONDS)


def sign_in_succeeded(*, account: str, ip: str) -> None:
    """The right password: the account's counters start again, and the address's no longer
    counts this attempt (an office behind one address signs in all morning)."""
    keys = _keys(account.strip().lower(), ip)
    cache.delete_many([keys["pair"][0], keys["account"][0]])
    with contextlib.suppress(ValueError):  # the address's window has just ended
        cache.decr(keys["ip"][0])


def password_reset_allowed(*, account: str, ip: str) -> bool:
    """Count one password reset request for ``account`` from ``ip``; False once
    ``PASSWORD_RESET_THROTTLE_ATTEMPTS`` for the account or ``LOGIN_THROTTLE_IP_ATTEMPTS`` for
    the address were used in ``LOGIN_THROTTLE_SECONDS``."""
    account = account.strip().lower()
    limits = (
        (_key("reset-account", account), settings.PASSWORD_RESET_THROTTLE_ATTEMPTS),
        (_key("reset-ip", ip), settings.LOGIN_THROTTLE_IP_ATTEMPTS),
    )
    return not [limit for key, limit in limits if _count(key) > limit]


def second_factor_attempt(*, account: str, ip: str) -> None:
    """Count one code typed at the second sign-in step; SignInThrottled when the account
    (``LOGIN_THROTTLE_ATTEMPTS``) or the address (``LOGIN_THROTTLE_IP_ATTEMPTS``) has used
    its attempts. Whoever is here knows the password: the account's own limit is the low one."""
    account = account.strip().lower()
    limits = (
        (_key("code-account", account), settings.LOGIN_THROTTLE_ATTEMPTS),
        (_key("code-ip", ip), settings.LOGIN_THROTTLE_IP_ATTEMPTS),
    )
    if [limit for key, limit in limits if _count(key) > limit]:
        raise SignInThrottled(seconds=settings.LOGIN_THROTTLE_SECONDS)


def second_factor_succeeded(*, account: str, ip: str) -> None:
    cache.delete(_key("code-account", account.strip().lower()))
