"""The signed-in user's own account: company, addresses. Anyone else's data is a 404."""

from django.http import HttpRequest
from ninja import Router, Schema

from tandem.customers import selectors
from tandem.customers.api_auth import user_auth
from tandem.customers.auth import membership_of

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


@router.get("/company", response=CompanyOut)
def company(request: HttpRequest):
    """The caller's company and terms (404 for users who are not in a company)."""
    item = selectors.company_for_user(request.user)
    return CompanyOut(
        id=item.pk, name=item.name, vat_id=item.vat_id, country=item.country,
        currency=item.currency,
        customer_group=item.customer_group.name if item.customer_group else None,
        payment_terms=item.payment_terms.tr("name") if item.payment_terms else None,
        payment_days=item.payment_terms.net_days if item.payment_terms else None,
        credit_limit=str(item.credit_limit),
        sales_rep=str(item.sales_rep) if item.sales_rep else None,
        sales_rep_email=item.sales_rep.email if item.sales_rep else None,
        role=membership_of(request.user).role,
    )


@router.get("/addresses", response=list[AddressOut])
def addresses(request: HttpRequest):
    """The caller's addresses (their company's, for a company user)."""
    return list(selectors.addresses_of(**selectors.address_owner(request.user)))


@router.get("/addresses/{address_id}", response=AddressOut)
def address(request: HttpRequest, address_id: int):
    return selectors.address_of(address_id=address_id, **selectors.address_owner(request.user))
