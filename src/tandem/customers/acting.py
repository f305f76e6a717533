"""Acting for a customer: a sales rep opens a company's context and buys as its users would.

Who may act for whom is decided here, and checked again on every request (``acting_company``):
a company that is no longer the rep's, or no longer active, stops the acting at once. Starting
and stopping are in the audit log; what the rep does meanwhile records both identities (an
order's ``placed_by`` is the rep and its OrderEvent ``on_behalf_of`` the company).
"""

from django.db.models import QuerySet

from tandem.core.audit import audit_record
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.models import Company, User
from tandem.customers.selectors import company_context_for
from tandem.customers.staff_scope import is_active_staff, own_customers

ACT_FOR_ALL = "customers.act_for_all_customers"


def may_act_for_all(user: User) -> bool:
    """Staff who may act for every customer, not only for the companies assigned to them."""
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(ACT_FOR_ALL)


def companies_actable_by(rep: User) -> QuerySet[Company]:
    """The active companies this user may act for: a rep's own customers, every one with
    ``act_for_all_customers``; none for anyone who is not active staff."""
    if not is_active_staff(rep):
        return Company.objects.none()
    companies = Company.objects.all() if rep.has_perm(ACT_FOR_ALL) else own_customers(rep)
    return companies.filter(is_active=True)


def acting_company(rep: User, company_id: int | None) -> Company | None:
    """The company ``rep`` may act for with this id (terms, group and rep loaded), else None;
    whether it does not exist or is someone else's customer is never told apart."""
    if company_id is None:
        return None
    return (
        companies_actable_by(rep)
        .select_related("customer_group", "payment_terms", "sales_rep")
        .filter(pk=company_id)
        .first()
    )


def acting_start(
    *, rep: User, company_id: int, ip_address: str | None = None, current: Company | None = None
) -> Company:
    """Start acting for a company (stopping the acting for ``current``, another one); NotFound
    when the rep may not act for it. Both are audited."""
    company = acting_company(rep, company_id)
    if company is None:
        raise NotFound()
    if current is not None and current.pk != company.pk:
        acting_stop(rep=rep, company=current, ip_address=ip_address)
    audit_record(
        action="acting.started",
        actor_id=rep.pk,
        target=company,
        on_behalf_of_id=company.pk,
        ip_address=ip_address,
    )
    return company


def acting_stop(*, rep: User, company: Company, ip_address: str | None = None) -> None:
    """Record that the rep stopped acting for the company."""
    audit_record(
        action="acting.stopped",
        actor_id=rep.pk,
        target=company,
        on_behalf_of_id=company.pk,
        ip_address=ip_address,
    )


def acting_context(company: Company, *, rep: User, language: str) -> CustomerContext:
    """The company's own B2B context (its prices, assortment, currency and VAT treatment),
    with the rep as the acting user and the company as ``on_behalf_of``."""
    return company_context_for(company, user_id=rep.pk, language=language, on_behalf=True)
