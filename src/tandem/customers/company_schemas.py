"""The companies the integration API and file imports take (pydantic models, validated at
the edge; fields left out are not changed)."""

from decimal import Decimal
from typing import Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.money import MINOR_UNITS

COUNTRIES = {code for code, _name in COUNTRY_CHOICES}


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(
        min_length=1, max_length=64, description="the address's key in the ERP (ship-to number)"
    )
    kind: Literal["billing", "delivery"] = None  # type: ignore[assignment]
    label: str = Field(None, max_length=80)
    recipient: str = Field(None, min_length=1, max_length=150)
    street: str = Field(None, min_length=1, max_length=200)
    postal_code: str = Field(None, min_length=1, max_length=20)
    city: str = Field(None, min_length=1, max_length=100)
    country: str = Field(None, min_length=2, max_length=2)
    phone: str = Field(None, max_length=40)
    is_default: bool = None  # type: ignore[assignment]

    @field_validator("country")
    @classmethod
    def known_country(cls, value: str) -> str:
        if value not in COUNTRIES:
            raise ValueError("not an ISO 3166 country code the shop knows")
        return value


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
    addresses: list[AddressIn] = Field(
        None, max_length=200, description="by external_id; addresses not sent stay"
    )

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


class CustomerGroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(None, min_length=1, max_length=120, description="required for a new group")
    translations: dict[str, dict[str, str]] = Field(None, description='{"pl": {"name": "…"}}')


class CustomerGroupsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[CustomerGroupIn] = Field(min_length=1, max_length=1_000)
    mode: Literal["all_or_nothing", "per_item"] = "all_or_nothing"


class CompanyUserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    role: Literal["admin", "buyer", "approver", "accountant"] = None  # type: ignore[assignment]
    spending_limit_per_order: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    spending_limit_per_month: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    is_active: bool = None  # type: ignore[assignment]


class CompanyUsersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[CompanyUserIn] = Field(min_length=1, max_length=1_000)
    mode: Literal["all_or_nothing", "per_item"] = "all_or_nothing"
