"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

Who must use it (``two_factor_required``): everyone who turned it on, staff while
``STAFF_TWO_FACTOR`` is "required" (the default), and every user of a company whose admin
requires it. After the password, such a user's session is held at the second step
(``customers.security_middleware``) until a code from the app or a recovery code is given;
one who must use it and has no app yet is taken to set one up first.

The app and Tandem share a random 160-bit secret; a code is the HMAC-SHA1 of the current
30-second step, cut to six digits. A code of the step before or after is taken too (clocks
drift), but each step once: ``last_step`` only moves forward, in one conditional UPDATE, so
two requests racing with one code cannot both pass. Ten recovery codes are issued when the
app is confirmed and shown once; only their hashes are kept. Codes are counted by the one
sign-in throttle per account and address, and every change is in the audit log.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.audit import audit_record
from tandem.core.errors import DomainError, PermissionDenied
from tandem.customers.auth import company_admin_membership, membership_of
from tandem.customers.models import RecoveryCode, TwoFactorDevice, User
from tandem.customers.sessions import sign_out_everywhere
from tandem.customers.throttle import second_factor_attempt, second_factor_succeeded

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


class InvalidCode(DomainError):
    code = "invalid_code"
    default_message = _("That code is not valid. Type the current code from your authenticator app.")


# --- TOTP ----------------------------------------------------------------------------------------


def totp_secret_new() -> str:
    """A new shared secret, base32 as authenticator apps take it (32 characters)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def totp_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp_code(secret: str, step: int) -> str:
    """The six-digit code of ``step`` (RFC 6238 with SHA-1, as every authenticator app)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def _matching_step(secret: str, code: str, *, after: int) -> int | None:
    """The step within the allowed drift whose code is ``code`` and which comes after
    ``after`` (a code is good once); None when there is none."""
    if not (code.isascii() and code.isdigit() and len(code) == DIGITS):
        return None
    now = totp_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after and hmac.compare_digest(totp_code(secret, step), code):
            return step
    return None


def provisioning_uri(user: User, device: TwoFactorDevice) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    issuer = settings.SHOP_NAME
    label = quote(f"{issuer}:{user.email}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": device.secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )


def provisioning_qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (no image request, nothing sent elsewhere)."""
    # omitsize: a viewBox instead of a fixed size, so the page may scale it without cropping
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=True)


# --- who must use it -----------------------------------------------------------------------------


def two_factor_mandatory(user: User) -> bool:
    """Whether the user may not do without the second factor: staff while STAFF_TWO_FACTOR
    is "required", users of a company that requires it."""
    if user.is_staff and settings.STAFF_TWO_FACTOR == "required":
        return True
    membership = membership_of(user)
    return membership is not None and membership.company.require_two_factor


def two_factor_required(user: User) -> bool:
    """Whether a sign-in of this user needs the second step."""
    return bool(user.is_authenticated and (user.two_factor_enabled or two_factor_mandatory(user)))


# --- setting it up and taking it away ------------------------------------------------------------


def two_factor_begin(user: User) -> TwoFactorDevice:
    """The authenticator ``user`` is setting up: the one begun earlier and not confirmed yet
    (so reloading the page keeps the QR code already scanned), else a new one. Refused while
    one is confirmed: turn it off first."""
    if user.two_factor_enabled:
        raise PermissionDenied(_("Two-factor sign-in is already on."), code="two_factor_enabled")
    device, _created = TwoFactorDevice.objects.get_or_create(
        user=user, confirmed_at=None, defaults={"secret": totp_secret_new()}
    )
    return device


def two_factor_confirm(*, user: User, code: str, ip_address: str | None = None) -> list[str]:
    """Turn two-factor sign-in on with the first code from the app; returns the recovery
    codes, to be shown once."""
    device = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise InvalidCode(_("Start again: scan the new QR code."), field="code")
    step = _matching_step(device.secret, _digits(code), after=device.last_step)
    if step is None:
        raise InvalidCode(field="code")
    with transaction.atomic():
        confirmed = TwoFactorDevice.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), last_step=step
        )
        if not confirmed:  # a second request with the same code, a moment later
            raise InvalidCode(_("Two-factor sign-in is already on."), field="code")
        user.two_factor_enabled = True
        user.save(update_fields=["two_factor_enabled"])
        codes = _recovery_codes_issue(user)
        audit_record(action="two_factor.enabled", actor_id=user.pk, target=user, ip_address=ip_address)
    return codes


def two_factor_check(*, user: User, code: str, ip_address: str = "") -> None:
    """Accept a current code from the user's app or one unused recovery code; InvalidCode
    otherwise. Counted by the sign-in throttle (SignInThrottled when used up)."""
    second_factor_attempt(account=user.email, ip=ip_address)
    device = TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise InvalidCode(field="code")
    digits = _digits(code)
    if len(digits) == DIGITS and digits.isascii() and digits.isdigit():
        step = _matching_step(device.secret, digits, after=device.last_step)
        # Only moves forward: of two requests with one code, one updates the row.
        if step is not None and TwoFactorDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step
        ):
            second_factor_succeeded(account=user.email, ip=ip_address)
            return
        raise InvalidCode(field="code")
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        raise InvalidCode(field="code")
    second_factor_succeeded(account=user.email, ip=ip_address)
    audit_record(
        action="two_factor.recovery_code_used",
        actor_id=user.pk,
        target=user,
        changes={"left": recovery_codes_left(user)},
        ip_address=ip_address or None,
    )


def two_factor_disable(*, user: User, code: str, ip_address: str = "") -> None:
    """Turn two-factor sign-in off, with a current code; refused where it is required."""
    if two_factor_mandatory(user):
        raise PermissionDenied(
            _("Two-factor sign-in is required for your account and cannot be turned off."),
            code="two_factor_required",
        )
    two_factor_check(user=user, code=code, ip_address=ip_address)
    with transaction.atomic():
        two_factor_forget(user)
        audit_record(
            action="two_factor.disabled", actor_id=user.pk, target=user, ip_address=ip_address or None
        )


def two_factor_reset(*, user: User, staff: User, ip_address: str | None = None) -> None:
    """Staff take the authenticator away from a user who lost it (after checking who is
    asking); the user is signed out everywhere and sets up a new one at the next sign-in
    where it is required."""
    with transaction.atomic():
        two_factor_forget(user)
        audit_record(action="two_factor.reset", actor_id=staff.pk, target=user, ip_address=ip_address)
    sign_out_everywhere(user=user, actor=staff, ip_address=ip_address)


def recovery_codes_renew(*, user: User, code: str, ip_address: str = "") -> list[str]:
    """New recovery codes for old ones (all of which stop working), with a current code."""
    two_factor_check(user=user, code=code, ip_address=ip_address)
    with transaction.atomic():
        codes = _recovery_codes_issue(user)
        audit_record(
            action="two_factor.recovery_codes_renewed",
            actor_id=user.pk,
            target=user,
            ip_address=ip_address or None,
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def two_factor_forget(user: User) -> None:
    """The user's authenticator and recovery codes go; two-factor sign-in is off for them."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    user.two_factor_enabled = False
    user.save(update_fields=["two_factor_enabled"])  # drops the cached signed-in user


def _recovery_codes_issue(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_recovery_code_new() for _index in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


def _recovery_code_new() -> str:
    """Ten characters in two groups (about 49 bits), e.g. ``k7m2p-x9q4r``."""
    return "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _char in range(5)) for _group in range(2))


def _digits(code: str) -> str:
    return "".join(code.split())


def _recovery_hash(code: str) -> str:
    """Keyed with SECRET_KEY: a copy of the database alone cannot test ~49-bit codes offline."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def company_two_factor_set(*, admin: User, required: bool, ip_address: str | None = None) -> None:
    """The company's admin requires two-factor sign-in of every user of the company, or
    stops requiring it. They turn it on for themselves first, so that requiring it never
    sends them to set it up halfway through."""
    membership = company_admin_membership(admin, _("Only the company's admin changes its sign-in rules."))
    if required and not admin.two_factor_enabled:
        raise PermissionDenied(
            _("Turn on two-factor sign-in for yourself first (Security)."), code="two_factor_off"
        )
    company = membership.company
    if company.require_two_factor == required:
        return
    with transaction.atomic():
        company.require_two_factor = required
        company.save(update_fields=["require_two_factor"])
        audit_record(
            action="company.two_factor_required" if required else "company.two_factor_optional",
            actor_id=admin.pk,
            target=company,
            ip_address=ip_address,
        )
