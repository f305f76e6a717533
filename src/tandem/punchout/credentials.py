"""Who manages a company's punchout credentials, and the changes they make: the company admin
for their own company, staff for the customers they work with (``customers.staff_scope``).
Pages, the API and the admin call these functions; a secret is returned once, then only its
hash is kept."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.core.tokens import token_digest
from tandem.customers.auth import membership_of
from tandem.customers.models import Company, CompanyRole, CompanyUser, User
from tandem.customers.staff_scope import companies_managed_by, is_active_staff
from tandem.punchout.models import Protocol, PunchoutCredential, PunchoutOrder, PunchoutSession
from tandem.punchout.services import secret_new

ONLY_ADMIN = _("Only the company admin manages the company's punchout connections.")


def punchout_companies(actor: User, action: str = "view") -> QuerySet[Company]:
    """The companies whose punchout the user manages: a company admin's own; the customers
    of staff with the punchout rights (``action``: view, add, change); none for anyone else."""
    if is_active_staff(actor):
        allowed = actor.has_perm(f"punchout.{action}_punchoutcredential")
        return companies_managed_by(actor) if allowed else Company.objects.none()
    membership = membership_of(actor) if actor.is_authenticated else None
    if membership is not None and membership.is_active and membership.role == CompanyRole.ADMIN:
        return Company.objects.filter(pk=membership.company_id)
    return Company.objects.none()


def may_manage_punchout(actor: User, action: str = "view") -> bool:
    if is_active_staff(actor):
        return actor.has_perm(f"punchout.{action}_punchoutcredential")
    return punchout_companies(actor, action).exists()


def _companies(actor: User, action: str = "view") -> QuerySet[Company]:
    if not may_manage_punchout(actor, action):
        raise PermissionDenied(ONLY_ADMIN)
    return punchout_companies(actor, action)


def credentials_of(actor: User) -> QuerySet[PunchoutCredential]:
    """The credentials the user manages, newest first; PermissionDenied for other users."""
    return (
        PunchoutCredential.objects.filter(company__in=_companies(actor).values("pk"))
        .select_related("company", "buyer__user")
        .order_by("-created_at", "-pk")
    )


def sessions_of(actor: User) -> QuerySet[PunchoutSession]:
    return (
        PunchoutSession.objects.filter(credential__company__in=_companies(actor).values("pk"))
        .select_related("credential")
        .order_by("-started_at", "-pk")
    )


def orders_of(actor: User) -> QuerySet[PunchoutOrder]:
    return (
        PunchoutOrder.objects.filter(credential__company__in=_companies(actor).values("pk"))
        .select_related("credential", "order")
        .order_by("-received_at", "-pk")
    )


def buyers_for(actor: User, company: Company | None = None) -> QuerySet[CompanyUser]:
    """The users a credential may shop and order as: active, not accountants (they may not order)."""
    companies = punchout_companies(actor, "add")
    if company is not None:
        companies = companies.filter(pk=company.pk)
    return (
        CompanyUser.objects.filter(company__in=companies.values("pk"), is_active=True, user__is_active=True)
        .exclude(role=CompanyRole.ACCOUNTANT)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def _credential(actor: User, credential_id: int) -> PunchoutCredential:
    _companies(actor, "change")
    found = credentials_of(actor).filter(pk=credential_id).first() if 0 < credential_id <= 2**31 - 1 else None
    if found is None:
        raise NotFound()
    return found


def credential_create(
    *,
    actor: User,
    name: str,
    protocol: str,
    identity: str,
    buyer_user_id: int,
    domain: str = "",
    vendor_number: str = "",
    company_id: int | None = None,
    ip_address: str | None = None,
) -> tuple[PunchoutCredential, str]:
    """A credential for one procurement system; the secret (OCI PASSWORD, cXML SharedSecret)
    is returned once. A company admin makes them for their company, staff for a customer
    (``company_id``)."""
    companies = _companies(actor, "add")
    if company_id is None:
        company = companies.first() if not is_active_staff(actor) else None
    else:
        company = companies.filter(pk=company_id).first() if 0 < company_id <= 2**31 - 1 else None
    if company is None:
        raise (
            NotFound()
            if company_id is not None
            else DomainError(_("Choose the company."), code="company_required", field="company_id")
        )
    if protocol not in Protocol.values:
        raise DomainError(_("Choose OCI or cXML."), code="protocol_invalid", field="protocol")
    name, identity = name.strip()[:80], identity.strip()[:128]
    domain = "" if protocol == Protocol.OCI else (domain.strip() or "NetworkID")[:40]
    if not name:
        raise DomainError(_("Name the procurement system."), code="name_required", field="name")
    if not identity:
        raise DomainError(_("Enter the user name or identity."), code="identity_required", field="identity")
    buyer = buyers_for(actor, company).filter(user_id=buyer_user_id).first()
    if buyer is None:
        raise DomainError(
            _("Choose an active user of the company who may order."),
            code="buyer_invalid",
            field="buyer_user_id",
        )
    secret = secret_new()
    with transaction.atomic():
        if PunchoutCredential.objects.filter(protocol=protocol, domain=domain, identity=identity).exists():
            raise DomainError(
                _("Another connection uses this identity already."), code="identity_taken", field="identity"
            )
        credential = PunchoutCredential.objects.create(
            company=company,
            name=name,
            protocol=protocol,
            domain=domain,
            identity=identity,
            secret_hash=token_digest(secret),
            buyer=buyer,
            vendor_number=vendor_number.strip()[:40],
        )
        audit_record(
            action="punchout_credential.created", actor_id=actor.pk, target=credential, ip_address=ip_address
        )
    return credential, secret


def credential_rotate(
    *, actor: User, credential_id: int, ip_address: str | None = None
) -> tuple[PunchoutCredential, str]:
    """A new secret; the old one stops working at once (the system is told the new one)."""
    credential = _credential(actor, credential_id)
    secret = secret_new()
    with transaction.atomic():
        credential.secret_hash = token_digest(secret)
        credential.save(update_fields=["secret_hash"])
        audit_record(
            action="punchout_credential.rotated", actor_id=actor.pk, target=credential, ip_address=ip_address
        )
    return credential, secret


def credential_deactivate(
    *, actor: User, credential_id: int, ip_address: str | None = None
) -> PunchoutCredential:
    """The system can no longer sign in nor send orders."""
    credential = _credential(actor, credential_id)
    with transaction.atomic():
        credential.is_active = False
        credential.save(update_fields=["is_active"])
        audit_record(
            action="punchout_credential.deactivated",
            actor_id=actor.pk,
            target=credential,
            ip_address=ip_address,
        )
    return credential
