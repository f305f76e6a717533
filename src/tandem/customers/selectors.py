"""Customer reads: who is buying (the customer context) and what they own."""

from django.conf import settings
from django.db.models import QuerySet

from tandem.core.context import Channel, CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.auth import membership_of
from tandem.customers.models import Address, Company, CompanyRole, CompanyUser, PickupPerson, User
from tandem.customers.vat_check import reverse_charge_applies


def customer_context_for(user: User | None, *, language: str, currency: str | None = None) -> CustomerContext:
    """The context for a visitor: B2B for an active company user, else B2C.

    ``currency`` is the retail shopper's choice; companies always buy in their own.
    """
    membership = membership_of(user) if user is not None and user.is_authenticated else None
    if membership is not None and membership.is_active:
        return company_context_for(membership.company, user_id=user.pk, language=language)
    if currency not in settings.SHOP_CURRENCIES:
        currency = settings.SHOP_CURRENCY
    return CustomerContext(
        channel=Channel.B2C,
        currency=currency,
        country=settings.SHOP_COUNTRY,
        language=language,
        user_id=user.pk if user is not None and user.is_authenticated else None,
    )


def company_context_for(
    company: Company, *, user_id: int | None, language: str, on_behalf: bool = False
) -> CustomerContext:
    """The B2B context of a company: its currency, country, group and VAT treatment.

    ``user_id`` is who buys: one of its users, or a sales rep acting for it (``on_behalf``),
    who then sees exactly the prices and products the company's users see.
    """
    return CustomerContext(
        channel=Channel.B2B,
        currency=company.currency,
        country=company.country,
        language=language,
        user_id=user_id,
        company_id=company.pk,
        customer_group_id=company.customer_group_id,
        on_behalf_of_id=company.pk if on_behalf else None,
        reverse_charge=reverse_charge_applies(vat_id=company.vat_id, country=company.country),
    )


def company_for_user(user: User) -> Company:
    """The user's company with its terms and rep; NotFound for anyone else."""
    membership = membership_of(user) if user.is_authenticated else None
    if membership is None or not membership.is_active:
        raise NotFound()
    return Company.objects.select_related("customer_group", "payment_terms", "sales_rep").get(
        pk=membership.company_id
    )


def address_owner(user: User) -> dict:
    """Whose addresses this user works with: their company's for a company user, else their
    own (as keyword arguments for ``addresses_of`` / ``address_of``)."""
    membership = membership_of(user)
    return {"company": membership.company} if membership is not None else {"user": user}


def is_company_admin(user: User) -> bool:
    membership = membership_of(user) if user.is_authenticated else None
    return membership is not None and membership.is_active and membership.role == CompanyRole.ADMIN


def can_manage_addresses(user: User) -> bool:
    """Retail customers manage their own addresses; in a company, only the company admin."""
    membership = membership_of(user)
    return membership is None or membership.role == CompanyRole.ADMIN


def addresses_of(*, user: User | None = None, company: Company | None = None) -> QuerySet[Address]:
    if company is not None:
        return Address.objects.filter(company=company)
    return Address.objects.filter(user=user)


def address_of(*, address_id: int, user: User | None = None, company: Company | None = None) -> Address:
    """One address owned by this user or company; anyone else's is NotFound."""
    address = addresses_of(user=user, company=company).filter(pk=address_id).first()
    if address is None:
        raise NotFound()
    return address


def company_members_for(user: User, company: Company) -> QuerySet[CompanyUser]:
    """The company's users, for its admin; nobody else sees the list."""
    membership = membership_of(user)
    if membership is None or membership.company_id != company.pk or (membership.role != CompanyRole.ADMIN):
        return CompanyUser.objects.none()
    return company.members.select_related("user").order_by("user__full_name", "user__email")


def pickup_persons_of(company: Company) -> QuerySet[PickupPerson]:
    return company.pickup_persons.all()


def pickup_person_of(user: User, person_id: int) -> PickupPerson:
    """One person of the user's company (any of its users may see them); NotFound otherwise."""
    membership = membership_of(user) if user.is_authenticated else None
    person = PickupPerson.objects.filter(
        pk=person_id, company_id=membership.company_id if membership else None
    ).first()
    if person is None:
        raise NotFound()
    return person


def company_contact_email(company: Company) -> str | None:
    """Where a company is written to about its orders: its invoice e-mail, else its first
    active admin, else any active user of it (None when it has nobody)."""
    if company.email:
        return company.email
    members = company.members.filter(is_active=True, user__is_active=True).order_by("pk")
    admin = members.filter(role=CompanyRole.ADMIN).values_list("user__email", flat=True).first()
    return admin or members.values_list("user__email", flat=True).first()


def may_place_orders(user: User | None) -> bool:
    """Anyone may order except a company's accountants (they see documents and balances)."""
    membership = membership_of(user) if user is not None and user.is_authenticated else None
    return membership is None or membership.role != CompanyRole.ACCOUNTANT
