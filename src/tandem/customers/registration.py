"""Retail registration that tells nobody which addresses have an account.

Whatever the address, the page answers the same — "we sent you a link" — and the mailbox
learns the rest: a new address gets a link where its owner **chooses the password** and the
account opens (inactive until then), one still waiting for confirmation gets the link again,
and one that has an account gets a note saying so (with the way to a new password). The
password is chosen behind the link, not on the sign-up form: whoever registers someone
else's address first cannot plant a password the owner would then switch on. Sign-ups are limited per
client address, and mails per recipient, through the one throttle (``customers.throttle``).
Accounts never confirmed are removed after ``UNCONFIRMED_DAYS`` (housekeeping).
"""

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from tandem.core.emails import send_templated_email, site_url
from tandem.core.errors import DomainError
from tandem.customers.consents import consent_record
from tandem.customers.models import ConsentKind, ConsentSource, User
from tandem.customers.throttle import registration_allowed, registration_mail_allowed

UNCONFIRMED_DAYS = 7


class _ConfirmationTokens(PasswordResetTokenGenerator):
    """Links that work once: the hash covers the pending flag, which confirming clears
    (valid ``PASSWORD_RESET_TIMEOUT``, an hour)."""

    key_salt = "tandem.customers.registration"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verification_pending}{timestamp}"


confirmation_tokens = _ConfirmationTokens()


class RegistrationThrottled(DomainError):
    code = "registration_throttled"
    status = 429
    default_message = _("Too many sign-ups from your address. Try again later.")


class ConfirmationInvalid(DomainError):
    code = "confirmation_invalid"
    default_message = _(
        "This confirmation link is not valid or has expired. Register again to get a new one."
    )


def customer_register(
    *,
    email: str,
    full_name: str,
    language: str,
    marketing_email: bool = False,
    ip_address: str | None = None,
) -> None:
    """Ask for a retail (B2C) account; the same outcome for the caller whether or not the
    address has one (see the module's note). The person accepted the terms of sale and the
    privacy policy (recorded with their versions) and chose whether to get offers by e-mail.
    RegistrationThrottled after ``REGISTRATION_THROTTLE_ATTEMPTS`` sign-ups from one address."""
    if not registration_allowed(ip=ip_address or ""):
        raise RegistrationThrottled()
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        candidate = User(email=email, full_name=full_name.strip(), language=language, is_active=False)
        candidate.set_unusable_password()
        candidate.email_verification_pending = True
        try:
            with transaction.atomic():
                candidate.save()
                _consents_record(candidate, marketing_email=marketing_email, ip_address=ip_address)
        except IntegrityError:  # registered at the same moment by another request
            return
        transaction.on_commit(lambda: _mail_link(candidate))
        return
    if not registration_mail_allowed(email):
        return
    if existing.email_verification_pending:
        # Still waiting: the latest sign-up's name and choices count; the link goes again.
        existing.full_name, existing.language = full_name.strip(), language
        existing.save(update_fields=["full_name", "language"])
        _consents_record(existing, marketing_email=marketing_email, ip_address=ip_address)
        transaction.on_commit(lambda: _mail_link(existing))
    else:
        transaction.on_commit(lambda: _mail_account_exists(existing))


def _consents_record(user: User, *, marketing_email: bool, ip_address: str | None) -> None:
    for kind, granted in (
        (ConsentKind.TERMS, True),
        (ConsentKind.PRIVACY, True),
        (ConsentKind.MARKETING_EMAIL, marketing_email),
    ):
        consent_record(
            user=user, kind=kind, granted=granted, source=ConsentSource.REGISTRATION, ip_address=ip_address
        )


def _mail_link(user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    send_templated_email(
        template="storefront/email/registration_confirm",
        to=[user.email],
        language=user.language,
        context={"url": site_url("storefront:register_confirm", uid, confirmation_tokens.make_token(user))},
    )


def _mail_account_exists(user: User) -> None:
    send_templated_email(
        template="storefront/email/registration_exists",
        to=[user.email],
        language=user.language,
        context={
            "login_url": site_url("storefront:login"),
            "reset_url": site_url("storefront:password_reset"),
        },
    )


def registration_pending(*, uidb64: str, token: str) -> User:
    """The account waiting behind a confirmation link; ConfirmationInvalid for a tampered,
    used or expired link."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as error:
        raise ConfirmationInvalid() from error
    if not user.email_verification_pending or not confirmation_tokens.check_token(user, token):
        raise ConfirmationInvalid()
    return user


def registration_confirm(*, uidb64: str, token: str, password: str) -> User:
    """Open the account with the password its owner chose behind the link (validated like
    every password: ValidationError); ConfirmationInvalid for a bad link."""
    user = registration_pending(uidb64=uidb64, token=token)
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.email_verification_pending = False
    user.save(update_fields=["password", "is_active", "email_verification_pending"])
    return user


def unconfirmed_registrations_remove() -> str:
    """Accounts whose address was never confirmed go after UNCONFIRMED_DAYS (housekeeping)."""
    cutoff = timezone.now() - timedelta(days=UNCONFIRMED_DAYS)
    removed, _by_model = User.objects.filter(
        email_verification_pending=True, is_active=False, date_joined__lt=cutoff
    ).delete()
    return f"registrations: {removed} unconfirmed rows removed"
