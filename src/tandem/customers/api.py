"""The signed-in user's own account: company, addresses, users, invitations, persons
authorised to collect goods. Anyone else's data is a 404."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError
from tandem.customers import company_keys, company_users, selectors, services, two_factor
from tandem.customers.api_auth import user_auth
from tandem.customers.auth import membership_of
from tandem.customers.pickup_persons import PickupPersonData, pickup_person_delete, pickup_person_save

router = Router(tags=["account"], auth=user_auth)


class AddressOut(Schema):
    id: int
    kind: str
    label: str
    recipient: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str
    is_default: bool


class CompanyOut(Schema):
    id: int
    name: str
    vat_id: str
    country: str
    currency: str
    customer_group: str | None
    payment_terms: str | None
    payment_days: int | None
    credit_limit: str
    sales_rep: str | None
    sales_rep_email: str | None
    role: str
    require_two_factor: bool


@router.get("/company", response=CompanyOut)
def company(request: HttpRequest):
    """The caller's company and terms (404 for users who are not in a company)."""
    item = selectors.company_for_user(request.user)
    return CompanyOut(
        id=item.pk,
        name=item.name,
        vat_id=item.vat_id,
        country=item.country,
        currency=item.currency,
        customer_group=item.customer_group.name if item.customer_group else None,
        payment_terms=item.payment_terms.tr("name") if item.payment_terms else None,
        payment_days=item.payment_terms.net_days if item.payment_terms else None,
        credit_limit=str(item.credit_limit),
        sales_rep=str(item.sales_rep) if item.sales_rep else None,
        sales_rep_email=item.sales_rep.email if item.sales_rep else None,
        role=membership_of(request.user).role,
        require_two_factor=item.require_two_factor,
    )


class CompanyPatchIn(Schema):
    require_two_factor: bool | None = Field(
        None, description="Every user of the company confirms sign-ins with an authenticator app."
    )


@router.patch("/company", response=CompanyOut)
def company_update(request: HttpRequest, payload: CompanyPatchIn):
    """What the company's admin may change about the company: only the fields sent change.
    Requiring two-factor sign-in needs the admin to have it on (403 ``two_factor_off``)."""
    if payload.require_two_factor is not None:
        two_factor.company_two_factor_set(
            admin=request.user, required=payload.require_two_factor, ip_address=client_ip(request) or None
        )
    return company(request)


@router.get("/addresses", response=list[AddressOut])
def addresses(request: HttpRequest):
    """The caller's addresses (their company's, for a company user)."""
    return list(selectors.addresses_of(**selectors.address_owner(request.user)))


@router.get("/addresses/{address_id}", response=AddressOut)
def address(request: HttpRequest, address_id: int):
    """One of the caller's addresses (their company's for a company user); anyone else's is a 404."""
    return selectors.address_of(address_id=address_id, **selectors.address_owner(request.user))


class AddressIn(Schema):
    kind: Literal["delivery", "billing"] = "delivery"
    label: str = Field("", max_length=80)
    recipient: str = Field(..., min_length=1, max_length=150)
    street: str = Field(..., min_length=1, max_length=200)
    postal_code: str = Field(..., min_length=1, max_length=20)
    city: str = Field(..., min_length=1, max_length=100)
    country: str = Field(..., min_length=2, max_length=2)
    phone: str = Field("", max_length=40)
    is_default: bool = False


@router.post("/addresses", response={201: AddressOut})
def address_create(request: HttpRequest, payload: AddressIn):
    """Add an address (a company's: its admin only)."""
    return Status(201, services.address_save(user=request.user, data=services.AddressData(**payload.dict())))


@router.put("/addresses/{address_id}", response=AddressOut)
def address_update(request: HttpRequest, address_id: int, payload: AddressIn):
    """Replace an address (all fields; only the company admin changes company addresses)."""
    found = selectors.address_of(address_id=address_id, **selectors.address_owner(request.user))
    return services.address_save(
        user=request.user, data=services.AddressData(**payload.dict()), address=found
    )


@router.delete("/addresses/{address_id}", response={204: None})
def address_delete(request: HttpRequest, address_id: int):
    """Remove an address (only the company admin for company addresses); orders keep their copy."""
    found = selectors.address_of(address_id=address_id, **selectors.address_owner(request.user))
    services.address_delete(user=request.user, address=found)
    return Status(204, None)


class PickupPersonOut(Schema):
    id: int
    full_name: str
    document_number: str
    valid_until: date | None
    notes: str
    is_valid: bool


class PickupPersonIn(Schema):
    full_name: str = Field(..., max_length=150)
    document_number: str = Field(..., max_length=40)
    valid_until: date | None = None
    notes: str = Field("", max_length=255)


@router.get("/company/pickup-persons", response=list[PickupPersonOut])
def pickup_persons(request: HttpRequest):
    """Persons authorised to collect goods for the caller's company."""
    return list(selectors.pickup_persons_of(selectors.company_for_user(request.user)))


@router.post("/company/pickup-persons", response={201: PickupPersonOut})
def pickup_person_create(request: HttpRequest, payload: PickupPersonIn):
    """Add a person (company admin only)."""
    return Status(201, pickup_person_save(admin=request.user, data=PickupPersonData(**payload.dict())))


@router.put("/company/pickup-persons/{person_id}", response=PickupPersonOut)
def pickup_person_update(request: HttpRequest, person_id: int, payload: PickupPersonIn):
    """Replace a person authorised to collect goods (company admin only)."""
    return pickup_person_save(
        admin=request.user, data=PickupPersonData(**payload.dict()), person_id=person_id
    )


@router.delete("/company/pickup-persons/{person_id}", response={204: None})
def pickup_person_remove(request: HttpRequest, person_id: int):
    """Remove a person authorised to collect goods (company admin only)."""
    pickup_person_delete(admin=request.user, person_id=person_id)
    return Status(204, None)


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    spending_limit_per_order: Decimal | None
    spending_limit_per_month: Decimal | None
    is_active: bool


class MemberIn(Schema):
    role: str = Field(..., max_length=16)
    spending_limit_per_order: Decimal | None = Field(None, ge=0, lt=10**12, decimal_places=2)
    spending_limit_per_month: Decimal | None = Field(None, ge=0, lt=10**12, decimal_places=2)


class InviteIn(MemberIn):
    email: str = Field(..., max_length=254)


class MemberPatchIn(Schema):
    """Only the fields sent change."""

    role: str | None = Field(None, max_length=16)
    spending_limit_per_order: Decimal | None = Field(None, ge=0, lt=10**12, decimal_places=2)
    spending_limit_per_month: Decimal | None = Field(None, ge=0, lt=10**12, decimal_places=2)
    is_active: bool | None = None


def _member_out(member) -> MemberOut:
    return MemberOut(
        id=member.pk,
        email=member.user.email,
        full_name=member.user.full_name,
        role=member.role,
        spending_limit_per_order=member.spending_limit_per_order,
        spending_limit_per_month=member.spending_limit_per_month,
        is_active=member.is_active,
    )


def _terms(payload: MemberIn) -> company_users.MemberTerms:
    return company_users.MemberTerms(
        role=payload.role,
        spending_limit_per_order=payload.spending_limit_per_order,
        spending_limit_per_month=payload.spending_limit_per_month,
    )


@router.get("/company/users", response=list[MemberOut])
def company_members(request: HttpRequest):
    """The company's users (company admin only; an empty list for anyone else)."""
    found = selectors.company_for_user(request.user)
    return [_member_out(member) for member in selectors.company_members_for(request.user, found)]


@router.post("/company/invitations", response={201: dict})
def company_invite(request: HttpRequest, payload: InviteIn):
    """Invite a person by e-mail with a role and limits (company admin only); the link is
    e-mailed and works once for 7 days."""
    invitation, _token = company_users.company_user_invite(
        admin=request.user, email=payload.email, terms=_terms(payload)
    )
    return Status(
        201, {"id": invitation.pk, "email": invitation.email, "expires_at": invitation.expires_at.isoformat()}
    )


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires_at: datetime


@router.get("/company/invitations", response=list[InvitationOut])
def company_invitations(request: HttpRequest):
    """Invitations that can still be accepted (company admin only)."""
    return list(company_users.invitations_pending(request.user))


@router.delete("/company/invitations/{invitation_id}", response={204: None})
def company_invitation_revoke(request: HttpRequest, invitation_id: int):
    """Withdraw an invitation; its link stops working (company admin only)."""
    company_users.invitation_revoke(admin=request.user, invitation_id=invitation_id)
    return Status(204, None)


@router.patch("/company/users/{member_id}", response=MemberOut)
def company_member_update(request: HttpRequest, member_id: int, payload: MemberPatchIn):
    """Change a user's role, limits or active flag — only the fields sent; `null` for a
    limit removes it (company admin only; another company's user is a 404; the company keeps
    at least one active admin)."""
    changes = payload.dict(exclude_unset=True)
    if changes.get("role", "") is None or "is_active" in changes and changes["is_active"] is None:
        raise DomainError(_("role and is_active cannot be null."), code="null_not_allowed")
    member = company_users.company_user_patch(admin=request.user, member_id=member_id, changes=changes)
    return _member_out(member)


class CompanyKeyOut(Schema):
    id: int
    name: str
    user_email: str = Field(description="the user the key acts as")
    prefix: str = Field(description="the key starts with this")
    scopes: list[str]
    is_active: bool
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None

    @staticmethod
    def of(key) -> "CompanyKeyOut":
        return CompanyKeyOut(
            id=key.pk,
            name=key.name,
            user_email=key.user.email,
            prefix=key.prefix,
            scopes=key.scopes,
            is_active=key.is_active,
            created_at=key.created_at,
            expires_at=key.expires_at,
            last_used_at=key.last_used_at,
        )


class CompanyKeyNewOut(CompanyKeyOut):
    key: str = Field(description="the key itself: shown only now")


class CompanyKeyIn(Schema):
    name: str = Field(min_length=1, max_length=80, description="what uses it, e.g. our purchasing system")
    user_id: int = Field(ge=1, le=2_147_483_647, description="the company user the key acts as")
    scopes: list[str] = Field(min_length=1, max_length=20, description=", ".join(company_keys.COMPANY_SCOPES))
    expires_at: datetime | None = None


@router.get("/company/api-keys", response=list[CompanyKeyOut])
def company_api_keys(request: HttpRequest):
    """The company's API keys, every user's (company admin only)."""
    return [CompanyKeyOut.of(key) for key in company_keys.company_api_keys(request.user)]


@router.post("/company/api-keys", response={201: CompanyKeyNewOut})
def company_api_key_create(request: HttpRequest, payload: CompanyKeyIn):
    """A key for the company's own system, acting as one of its users with the scopes given
    (a customer's scopes only; a key cannot give more than it has). The key is shown once.
    Honours ``Idempotency-Key``."""
    key, plain = company_keys.company_api_key_create(
        admin=request.user,
        user_id=payload.user_id,
        name=payload.name,
        scopes=payload.scopes,
        expires_at=payload.expires_at,
        acting_key=getattr(request, "api_token", None),
        ip_address=client_ip(request) or None,
    )
    return Status(201, CompanyKeyNewOut(**CompanyKeyOut.of(key).dict(), key=plain))


@router.post("/company/api-keys/{key_id}/rotate", response={201: CompanyKeyNewOut})
def company_api_key_rotate(request: HttpRequest, key_id: int):
    """A new key with the same user, name and scopes; the old one works 24 more hours."""
    key, plain = company_keys.company_api_key_rotate(admin=request.user, key_id=key_id)
    return Status(201, CompanyKeyNewOut(**CompanyKeyOut.of(key).dict(), key=plain))


@router.delete("/company/api-keys/{key_id}", response={204: None})
def company_api_key_revoke(request: HttpRequest, key_id: int):
    """Revoke a key: it answers 401 from the next call."""
    company_keys.company_api_key_revoke(
        admin=request.user, key_id=key_id, ip_address=client_ip(request) or None
    )
    return Status(204, None)
