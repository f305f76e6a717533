"""Companies for the merchant's ERP: upserted by its customer number, and read back as they
change (docs/integrations.md). Merchant staff with the companies' rights; commercial terms
(groups, payment terms, credit limits, currency, sales rep) need their own permission."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tandem.core.errors import PermissionDenied
from tandem.core.sync import ChangesQuery, changes_page
from tandem.core.upserts import UpsertOut, upsert_answer
from tandem.customers.api_auth import user_auth
from tandem.customers.company_schemas import CompaniesIn, CompanyUsersIn, CustomerGroupsIn
from tandem.customers.company_upserts import (
    companies_permissions,
    companies_upsert,
    company_users_upsert,
    customer_groups_upsert,
)
from tandem.customers.models import Company
from tandem.customers.staff_scope import companies_managed_by

router = Router(tags=["companies"], auth=user_auth)


class CompanyRecordOut(Schema):
    id: int
    external_id: str | None
    name: str
    vat_id: str
    country: str
    street: str
    postal_code: str
    city: str
    email: str
    phone: str
    language: str
    customer_group: str | None
    payment_terms: str | None
    sales_rep: str | None
    credit_limit: Decimal
    overdue_tolerance: Decimal
    currency: str
    is_reseller: bool
    is_active: bool
    addresses: list[dict] = Field(
        description="id, external_id, kind, label, recipient, street, postal_code, city, …"
    )
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def of(company: Company) -> "CompanyRecordOut":
        return CompanyRecordOut(
            id=company.pk,
            external_id=company.external_id,
            name=company.name,
            vat_id=company.vat_id,
            country=company.country,
            street=company.street,
            postal_code=company.postal_code,
            city=company.city,
            email=company.email,
            phone=company.phone,
            language=company.language,
            customer_group=company.customer_group.code if company.customer_group_id else None,
            payment_terms=company.payment_terms.code if company.payment_terms_id else None,
            sales_rep=company.sales_rep.email if company.sales_rep_id else None,
            credit_limit=company.credit_limit,
            overdue_tolerance=company.overdue_tolerance,
            currency=company.currency,
            is_reseller=company.is_reseller,
            is_active=company.is_active,
            addresses=[
                {
                    "id": address.pk,
                    "external_id": address.external_id,
                    "kind": address.kind,
                    "label": address.label,
                    "recipient": address.recipient,
                    "street": address.street,
                    "postal_code": address.postal_code,
                    "city": address.city,
                    "country": address.country,
                    "phone": address.phone,
                    "is_default": address.is_default,
                }
                for address in company.addresses.all()
            ],
            created_at=company.created_at,
            updated_at=company.updated_at,
        )


class CompanyChangesOut(Schema):
    items: list[CompanyRecordOut]
    next_cursor: str | None = Field(description="pass it back for the next page; null at the end for now")


def _staff(user, permissions: list[str]) -> None:
    if not (user.is_active and user.is_staff and user.has_perms(permissions)):
        raise PermissionDenied(_("Only merchant staff with the companies' rights may write them."))


@router.put("/companies", response={200: UpsertOut})
def companies_put(request: HttpRequest, payload: CompaniesIn):
    """Create or change up to 1,000 companies by ``external_id`` (a company registered in
    the shop without one is found by its VAT ID and linked). Only the fields sent change; all
    or nothing unless ``mode`` is ``per_item``. Commercial terms need the permission to
    change them."""
    user = request.user
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    needed = companies_permissions(items)
    _staff(user, needed)
    return upsert_answer(companies_upsert(items, per_item=payload.mode == "per_item", actor_id=user.pk))


@router.get("/companies/changes", response=CompanyChangesOut)
def companies_changes(request: HttpRequest, params: Query[ChangesQuery]):
    """Incremental sync: the companies the caller manages (a sales rep: their own), changed
    after ``updated_since``, oldest change first; keep the last ``next_cursor``. New
    registrations come here too, so the ERP can open their accounts."""
    user = request.user
    if not (user.is_staff and user.has_perm("customers.view_company")):
        raise PermissionDenied()
    companies = companies_managed_by(user).select_related("customer_group", "payment_terms", "sales_rep")
    companies = companies.prefetch_related("addresses")
    page, next_cursor = changes_page(
        companies, updated_since=params.updated_since, cursor=params.cursor, limit=params.limit
    )
    return CompanyChangesOut(
        items=[CompanyRecordOut.of(company) for company in page], next_cursor=next_cursor
    )


@router.put("/customer-groups", response={200: UpsertOut})
def customer_groups_put(request: HttpRequest, payload: CustomerGroupsIn):
    """Create or rename customer groups by ``code`` (companies and price lists name them)."""
    user = request.user
    _staff(user, ["customers.add_customergroup", "customers.change_customergroup"])
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    return upsert_answer(customer_groups_upsert(items, per_item=payload.mode == "per_item", actor_id=user.pk))


@router.put("/companies/{external_id}/users", response={200: UpsertOut})
def company_users_put(request: HttpRequest, external_id: str, payload: CompanyUsersIn):
    """The company's users by e-mail: a member's role, spending limits and active flag change
    (only what is sent; the company keeps an active admin); a new e-mail is invited by
    e-mail (``created``) and sets a password through the link. Merchant staff who may change
    companies."""
    user = request.user
    _staff(user, ["customers.change_company", "customers.change_companyuser"])
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    report = company_users_upsert(
        company_external_id=external_id[:64], items=items, actor=user, per_item=payload.mode == "per_item"
    )
    return upsert_answer(report)
