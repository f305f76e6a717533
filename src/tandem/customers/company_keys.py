"""API keys a company admin makes for the company's own systems (a purchasing or ERP system
that orders, reads invoices or keeps the address book in step).

A key acts as one active user of the company, within its scopes and that user's rights —
the same rule as every key. A company admin may only give the scopes a customer's key can
use (no catalog, price or stock writes, no webhooks), and a key used to make a key cannot
give more than it has itself. Pages and API call these functions.
"""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.customers.api_auth import api_token_active_set, api_token_create, api_token_rotate
from tandem.customers.api_scopes import ALL, key_allows
from tandem.customers.auth import membership_of
from tandem.customers.models import ApiToken, CompanyRole, CompanyUser, User

COMPANY_SCOPES = (
    "catalog:read",
    "customers:read",
    "customers:write",
    "orders:read",
    "orders:write",
    "documents:read",
)


def _company_id(admin: User) -> int:
    membership = membership_of(admin) if admin.is_authenticated else None
    if membership is None or not membership.is_active or membership.role != CompanyRole.ADMIN:
        raise PermissionDenied(_("Only the company admin manages the company's API keys."))
    return membership.company_id


def company_api_keys(admin: User) -> QuerySet[ApiToken]:
    """The keys of the admin's company (every user's), newest first."""
    members = CompanyUser.objects.filter(company_id=_company_id(admin)).values("user_id")
    return ApiToken.objects.filter(user_id__in=members).select_related("user").order_by("-created_at", "-pk")


def company_key_users(admin: User) -> QuerySet[CompanyUser]:
    """The users a key of the admin's company may act as (its active users); none for anyone
    but the company admin."""
    try:
        company_id = _company_id(admin)
    except PermissionDenied:
        return CompanyUser.objects.none()
    return (
        CompanyUser.objects.filter(company_id=company_id, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def _key(admin: User, key_id: int) -> ApiToken:
    key = company_api_keys(admin).filter(pk=key_id).first() if 0 < key_id <= 2_147_483_647 else None
    if key is None:
        raise NotFound()
    return key


def company_api_key_create(
    *,
    admin: User,
    user_id: int,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
    acting_key: ApiToken | None = None,
    ip_address: str | None = None,
) -> tuple[ApiToken, str]:
    """A key for one active user of the admin's company; the plain key is returned once."""
    _company_id(admin)
    member = company_key_users(admin).filter(user_id=user_id).first()
    if member is None:
        raise DomainError(_("Choose an active user of your company."), code="user_invalid", field="user_id")
    name = name.strip()
    if not name:
        raise DomainError(_("Name the system the key is for."), code="name_required", field="name")
    if not scopes:
        raise DomainError(_("Choose at least one scope."), code="scopes_required", field="scopes")
    beyond = sorted(set(scopes) - set(COMPANY_SCOPES))
    if beyond:
        raise DomainError(
            _("A company's key cannot have these scopes: %(scopes)s.") % {"scopes": ", ".join(beyond)},
            code="scope_not_allowed",
            field="scopes",
        )
    if acting_key is not None and ALL not in acting_key.scopes:
        more = sorted(scope for scope in scopes if not key_allows(acting_key.scopes, scope))
        if more:
            raise DomainError(
                _("A key cannot make a key with scopes it lacks: %(scopes)s.") % {"scopes": ", ".join(more)},
                code="scope_not_allowed",
                field="scopes",
            )
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry must be in the future."), code="expiry_past", field="expires_at")
    return api_token_create(
        user=member.user,
        name=name[:80],
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        actor=admin,
        ip_address=ip_address,
    )


def company_api_key_revoke(*, admin: User, key_id: int, ip_address: str | None = None) -> ApiToken:
    """Revoke a key of the company: it answers 401 from the next call."""
    key = _key(admin, key_id)
    api_token_active_set(token=key, active=False, actor=admin, ip_address=ip_address)
    return key


def company_api_key_rotate(*, admin: User, key_id: int) -> tuple[ApiToken, str]:
    """A new key with the same user, name and scopes; the old one works for 24 more hours."""
    key = _key(admin, key_id)
    if not key.is_active:
        raise DomainError(_("This key is revoked."), code="key_revoked")
    return api_token_rotate(token=key, actor=admin)
