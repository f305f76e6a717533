"""Companies for the merchant's ERP: upserted by its customer number, and read back as they
change (docs/integrations.md). Merchant staff with the companies' rights; commercial terms
(groups, payment terms, credit limits, currency, sales rep) need their own permission."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, ConfigDict, field_validator

from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.errors import PermissionDenied
from tandem.core.money import MINOR_UNITS
from tandem.core.sync import ChangesQuery, changes_page
from tandem.core.upserts import UpsertOut, upsert_answer
from tandem.customers.api_auth import user_auth
from tandem.customers.company_upserts import companies_upsert, sends_terms
from tandem.customers.models import Company
from tandem.customers.staff_scope import companies_managed_by

router = Router(tags=["companies"], auth=user_auth)
COUNTRIES = {code for code, _name in COUNTRY_CHOICES}


class CompanyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=64, description="the customer's number in the ERP")
    name: str = Field(None, min_length=1, max_length=200)
    vat_id: str = Field(None, min_length=2, max_length=20, description="checked as on the shop's forms")
    country: str = Field(None, min_length=2, max_length=2)
    street: str = Field(None, min_length=1, max_length=200)
    postal_code: str = Field(None, min_length=1, max_length=20)
    city: str = Field(None, min_length=1, max_length=100)
    email: str = Field(
        None, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$", description="invoice e-mail"
    )
    phone: str = Field(None, max_length=40)
    language: Literal[tuple(code for code, _name in settings.LANGUAGES)] = None  # type: ignore[valid-type]
    is_active: bool = None  # type: ignore[assignment]
    customer_group: str | None = Field(None, max_length=40, description="the group's code; null: none")
    payment_terms: str | None = Field(None, max_length=40, description="the terms' code; null: none")
    sales_rep: str | None = Field(None, max_length=254, description="the staff member's e-mail; null: none")
    credit_limit: Decimal = Field(None, ge=0, max_digits=14, decimal_places=2)
    overdue_tolerance: Decimal = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(None, min_length=3, max_length=3)

    @field_validator("country")
    @classmethod
    def known_country(cls, value: str) -> str:
        if value not in COUNTRIES:
            raise ValueError("not an ISO 3166 country code the shop knows")
        return value

    @field_validator("currency")
    @classmethod
    def known_currency(cls, value: str) -> str:
        if value not in MINOR_UNITS:
            raise ValueError(f"not one of {', '.join(sorted(MINOR_UNITS))}")
        return value


class CompaniesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[CompanyIn] = Field(min_length=1, max_length=1_000)
    mode: Literal["all_or_nothing", "per_item"] = "all_or_nothing"


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
            created_at=company.created_at,
            updated_at=company.updated_at,
        )


class CompanyChangesOut(Schema):
    items: list[CompanyRecordOut]
    next_cursor: str | None = Field(description="pass it back for the next page; null at the end for now")


@router.put("/companies", response={200: UpsertOut})
def companies_put(request: HttpRequest, payload: CompaniesIn):
    """Create or change up to 1,000 companies by ``external_id`` (a company registered in
    the shop without one is found by its VAT ID and linked). Only the fields sent change; all
    or nothing unless ``mode`` is ``per_item``. Commercial terms need the permission to
    change them."""
    user = request.user
    items = [item.model_dump(exclude_unset=True) for item in payload.items]
    needed = ["customers.add_company", "customers.change_company"]
    if sends_terms(items):
        needed.append("customers.change_commercial_terms")
    if not (user.is_active and user.is_staff and user.has_perms(needed)):
        raise PermissionDenied(_("Only merchant staff with the companies' rights may write them."))
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
    page, next_cursor = changes_page(
        companies, updated_since=params.updated_since, cursor=params.cursor, limit=params.limit
    )
    return CompanyChangesOut(
        items=[CompanyRecordOut.of(company) for company in page], next_cursor=next_cursor
    )
