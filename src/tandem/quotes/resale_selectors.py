"""Reseller offers, read: who may build them (active non-accountant users of a reseller
company) and which ones they see (their company's; any other is NotFound)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.auth import membership_of
from tandem.customers.models import CompanyRole, CompanyUser, User
from tandem.quotes.models import ResellerOffer, ResellerOfferLine

RESELLERS_ONLY = _("Offers for your own clients are for users of a reseller's account.")
ACCOUNTANTS_CANNOT_OFFER = _("Accountants cannot prepare offers for clients.")


def reseller_membership(user: User) -> CompanyUser:
    """The user's membership when they may build offers for their own clients; otherwise
    PermissionDenied saying why."""
    membership = membership_of(user) if user.is_authenticated and user.is_active else None
    if (
        membership is None
        or not membership.is_active
        or not membership.company.is_active
        or not membership.company.is_reseller
    ):
        raise PermissionDenied(RESELLERS_ONLY, code="resellers_only")
    if membership.role == CompanyRole.ACCOUNTANT:
        raise PermissionDenied(ACCOUNTANTS_CANNOT_OFFER, code="role_cannot_offer")
    return membership


def may_build_resale_offers(user: User) -> bool:
    try:
        reseller_membership(user)
    except PermissionDenied:
        return False
    return True


def resale_offers_of(user: User) -> QuerySet[ResellerOffer]:
    """The offers of the user's reseller company, newest first (PermissionDenied for
    anyone who may not build them)."""
    return ResellerOffer.objects.filter(company_id=reseller_membership(user).company_id)


def resale_offer_detail(user: User, offer_id: int) -> ResellerOffer:
    """One offer of the user's company with its lines; NotFound for any other."""
    offer = (
        resale_offers_of(user)
        .select_related("company", "created_by")
        .prefetch_related("lines")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise NotFound()
    return offer


@dataclass(frozen=True, slots=True)
class ResaleSummary:
    """What the reseller earns on an offer: the purchase total and the margin (theirs only)."""

    purchase_net: Decimal
    sale_net: Decimal

    @property
    def margin(self) -> Decimal:
        return self.sale_net - self.purchase_net

    @property
    def margin_percent(self) -> Decimal | None:
        """The margin as a share of the sale, in per cent."""
        if not self.sale_net:
            return None
        return (self.margin * 100 / self.sale_net).quantize(Decimal("0.1"))


def resale_summary(lines: list[ResellerOfferLine]) -> ResaleSummary:
    return ResaleSummary(
        purchase_net=sum((line.purchase_price * line.quantity for line in lines), Decimal(0)),
        sale_net=sum((line.line_net for line in lines), Decimal(0)),
    )


def effective_markup(line: ResellerOfferLine, offer: ResellerOffer) -> Decimal:
    """The line's own mark-up, else the offer's."""
    return line.markup_percent if line.markup_percent is not None else offer.markup_percent
