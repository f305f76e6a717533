"""The companies export (core.exports): the companies a staff user manages (a sales rep:
their own), with the columns of the companies import (ship-to addresses only in JSON Lines,
as in ``PUT /api/v1/companies``)."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.core.exports import ExportKind, ExportSource
from tandem.customers.company_upserts import ADDRESS_FIELDS
from tandem.customers.models import Company, User
from tandem.customers.staff_scope import companies_managed_by

HEADER = [
    "external_id",
    "name",
    "vat_id",
    "country",
    "street",
    "postal_code",
    "city",
    "email",
    "phone",
    "language",
    "is_active",
    "customer_group",
    "payment_terms",
    "sales_rep",
    "credit_limit",
    "overdue_tolerance",
    "currency",
]


def _values(company: Company) -> dict[str, Any]:
    return {
        "external_id": company.external_id or "",
        "name": company.name,
        "vat_id": company.vat_id,
        "country": company.country,
        "street": company.street,
        "postal_code": company.postal_code,
        "city": company.city,
        "email": company.email,
        "phone": company.phone,
        "language": company.language,
        "is_active": company.is_active,
        "customer_group": company.customer_group.code if company.customer_group else None,
        "payment_terms": company.payment_terms.code if company.payment_terms else None,
        "sales_rep": company.sales_rep.email if company.sales_rep else None,
        "credit_limit": company.credit_limit,
        "overdue_tolerance": company.overdue_tolerance,
        "currency": company.currency,
    }


def companies_source(user: User, updated_since: datetime | None) -> ExportSource:
    companies = companies_managed_by(user).select_related("customer_group", "payment_terms", "sales_rep")
    if updated_since is not None:
        companies = companies.filter(updated_at__gt=updated_since)
    companies = companies.order_by("pk")

    def rows() -> Iterator[list[Any]]:
        for company in companies.iterator(chunk_size=2000):
            values = _values(company)
            yield [values[name] for name in HEADER]

    def items() -> Iterator[dict[str, Any]]:
        for company in companies.prefetch_related("addresses").iterator(chunk_size=2000):
            item = {name: value for name, value in _values(company).items() if value not in ("", None)}
            addresses = [
                {
                    name: getattr(address, name)
                    for name in ("external_id", *ADDRESS_FIELDS)
                    if getattr(address, name) != ""
                }
                for address in company.addresses.all()
                if address.external_id
            ]
            if addresses:
                item["addresses"] = addresses
            yield item

    return ExportSource(header=HEADER, count=companies.count(), rows=rows(), items=items())


COMPANIES_EXPORT = ExportKind(
    order=40,
    code="companies",
    label=_("Companies"),
    scope="customers:read",
    allowed=lambda user: user.is_staff and user.has_perm("customers.view_company"),
    source=companies_source,
    since=True,
)
