"""Terms of cooperation: which version is current, who accepted it, and the acceptance."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import CompanyRole, TermsAcceptance, TermsVersion, User


def current_terms() -> TermsVersion | None:
    """The newest published version, or None while none is published."""
    published = TermsVersion.objects.filter(published_at__lte=timezone.now())
    return published.order_by("-published_at", "-id").first()


def terms_pending_for(user: User | None) -> TermsVersion | None:
    """The current terms when this company user has not accepted them yet, else None (retail
    customers buy under the shop's terms of sale instead)."""
    if user is None or not user.is_authenticated or membership_of(user) is None:
        return None
    terms = current_terms()
    if terms is None or TermsAcceptance.objects.filter(terms=terms, user=user).exists():
        return None
    return terms


def terms_acceptances_for(user: User, company) -> list[TermsAcceptance]:
    """The company's acceptances of the terms, for its admin (nobody else sees them)."""
    membership = membership_of(user)
    if membership is None or membership.company_id != company.pk or membership.role != CompanyRole.ADMIN:
        return []
    return list(TermsAcceptance.objects.filter(company=company).select_related("user", "terms")[:50])


def terms_accept(*, user: User, terms_id: int, ip_address: str | None) -> TermsAcceptance:
    """Record that ``user`` accepts this version (only the current one can be accepted;
    accepting twice keeps the first record)."""
    terms = current_terms()
    if terms is None or terms.pk != terms_id:
        raise NotFound()
    membership = membership_of(user)
    try:
        with transaction.atomic():
            return TermsAcceptance.objects.create(
                terms=terms,
                user=user,
                company_id=membership.company_id if membership else None,
                ip_address=ip_address or None,
            )
    except IntegrityError:
        return TermsAcceptance.objects.get(terms=terms, user=user)
