"""Consents: to the terms of sale, the privacy policy, offers by e-mail — versioned, with
time, place and address, only ever added to (the latest of a kind is what holds now)."""

from django.conf import settings

from tandem.core.audit import audit_record
from tandem.customers.models import Consent, ConsentKind, User


def current_version(kind: str) -> str:
    return {
        ConsentKind.TERMS: settings.TERMS_VERSION,
        ConsentKind.PRIVACY: settings.PRIVACY_POLICY_VERSION,
    }.get(kind, "")


def consent_record(
    *, user: User, kind: str, granted: bool, source: str, ip_address: str | None = None
) -> Consent:
    """Note that ``user`` gave (or withdrew) consent of ``kind`` to the current version."""
    consent = Consent.objects.create(
        user=user,
        kind=kind,
        version=current_version(kind),
        granted=granted,
        source=source,
        ip_address=ip_address or None,
    )
    if kind == ConsentKind.MARKETING_EMAIL:
        audit_record(
            action="consent.granted" if granted else "consent.withdrawn",
            actor_id=user.pk,
            target=user,
            changes={"kind": kind, "source": source},
            ip_address=ip_address or None,
        )
    return consent


def consents_current(user: User) -> dict[str, Consent | None]:
    """The latest consent of every kind (None where there is none)."""
    latest: dict[str, Consent | None] = dict.fromkeys(ConsentKind.values)
    for consent in Consent.objects.filter(user=user).order_by("created_at", "pk"):
        latest[consent.kind] = consent
    return latest


def marketing_email_allowed(user: User) -> bool:
    consent = consents_current(user)[ConsentKind.MARKETING_EMAIL]
    return bool(consent and consent.granted)
