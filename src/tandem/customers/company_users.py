"""The company admin's self-service: invite users, set their roles and spending limits,
deactivate and reactivate them. Every rule is enforced here, whatever page or endpoint
calls it."""

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.core.emails import send_templated_email, site_url
from tandem.core.errors import DomainError, NotFound
from tandem.customers.auth import company_admin_membership, membership_of
from tandem.customers.models import CompanyRole, CompanyUser, Invitation, User

INVITATION_DAYS = 7


@dataclass(frozen=True, slots=True)
class MemberTerms:
    """A company user's role and spending limits (None: no limit)."""

    role: str
    spending_limit_per_order: Decimal | None = None
    spending_limit_per_month: Decimal | None = None


def _admin_membership(admin: User) -> CompanyUser:
    return company_admin_membership(admin, _("Only the company admin can manage the company's users."))


def _check_terms(terms: MemberTerms) -> None:
    if terms.role not in CompanyRole.values:
        raise DomainError(_("Choose a role."), code="role_invalid", field="role")
    for field in ("spending_limit_per_order", "spending_limit_per_month"):
        value = getattr(terms, field)
        if value is not None and (value < 0 or value >= Decimal(10) ** 12):
            raise DomainError(
                _("A spending limit must be a positive amount."), code="limit_invalid", field=field
            )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def company_user_invite(*, admin: User, email: str, terms: MemberTerms) -> tuple[Invitation, str]:
    """Invite ``email`` to the admin's company and e-mail them the link (after commit).
    Returns the invitation and the secret token (only its hash is stored)."""
    membership = _admin_membership(admin)
    return invitation_create(company_id=membership.company_id, email=email, terms=terms, invited_by=admin)


def invitation_create(
    *, company_id: int, email: str, terms: MemberTerms, invited_by: User
) -> tuple[Invitation, str]:
    """Invite ``email`` to the company (its admin, or merchant staff through the API)."""
    _check_terms(terms)
    email = User.objects.normalize_email(email).strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("Enter a valid e-mail address."), code="email_invalid", field="email") from error
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and membership_of(existing) is not None:
        raise DomainError(
            _("This person already belongs to a company account."), code="already_member", field="email"
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            company_id=company_id,
            email=email,
            role=terms.role,
            spending_limit_per_order=terms.spending_limit_per_order,
            spending_limit_per_month=terms.spending_limit_per_month,
            token_hash=_token_hash(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        transaction.on_commit(lambda: _send_invitation(invitation.pk, token))
    return invitation, token


def _send_invitation(invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("company", "invited_by").get(pk=invitation_id)
    send_templated_email(
        template="storefront/email/invitation",
        to=[invitation.email],
        language=invitation.company.language,
        context={"invitation": invitation, "url": site_url("storefront:invitation", token)},
    )


def invitation_for(token: str) -> Invitation:
    """The invitation behind a link; NotFound for a made-up or tampered token, a clear
    refusal for one that is used or expired."""
    invitation = (
        Invitation.objects.select_related("company").filter(token_hash=_token_hash(token[:100])).first()
    )
    if invitation is None:
        raise NotFound()
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used. Log in instead."), code="invitation_used")
    if invitation.revoked_at is not None:
        raise DomainError(
            _("This invitation has been withdrawn. Ask your company admin for a new one."),
            code="invitation_revoked",
        )
    if invitation.expires_at < timezone.now():
        raise DomainError(
            _("This invitation has expired. Ask your company admin for a new one."), code="invitation_expired"
        )
    if not CompanyUser.objects.filter(
        user_id=invitation.invited_by_id,
        company_id=invitation.company_id,
        role=CompanyRole.ADMIN,
        is_active=True,
    ).exists():
        # Rights are checked again when the link is used: an admin who has since lost them
        # cannot have added anyone.
        raise DomainError(
            _(
                "The person who invited you no longer manages this company's users. "
                "Ask your company admin for a new invitation."
            ),
            code="invitation_invalid",
        )
    return invitation


def invitations_pending(admin: User):
    """The company's invitations that can still be accepted, newest first (admin only)."""
    membership = _admin_membership(admin)
    return Invitation.objects.filter(
        company_id=membership.company_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gte=timezone.now(),
    )


def invitation_revoke(*, admin: User, invitation_id: int) -> Invitation:
    """Withdraw an invitation that has not been accepted; its link stops working at once.
    Another company's invitation is NotFound."""
    membership = _admin_membership(admin)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, company_id=membership.company_id)
            .first()
        )
        if invitation is None:
            raise NotFound()
        if invitation.accepted_at is not None:
            raise DomainError(
                _("This invitation has already been accepted; deactivate the user instead."),
                code="invitation_used",
            )
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Create the invited person's account and membership. One invitation, one account:
    two clicks at the same moment cannot both succeed."""
    invitation = invitation_for(token)
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=timezone.now())
        if not claimed:
            raise DomainError(
                _("This invitation has already been used. Log in instead."), code="invitation_used"
            )
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(
                email=invitation.email,
                full_name=full_name.strip()[:150],
                language=invitation.company.language,
            )
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise DomainError(
                    " ".join(error.messages), code="password_invalid", field="password"
                ) from error
            user.set_password(password)
            user.save()
        elif user.is_staff or membership_of(user) is not None:
            raise DomainError(_("This person already belongs to a company account."), code="already_member")
        elif not user.check_password(password):
            raise DomainError(
                _("This e-mail already has an account: enter its password to join."),
                code="password_invalid",
                field="password",
            )
        CompanyUser.objects.create(
            user=user,
            company=invitation.company,
            role=invitation.role,
            spending_limit_per_order=invitation.spending_limit_per_order,
            spending_limit_per_month=invitation.spending_limit_per_month,
        )
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    return user


MEMBER_FIELDS = ("role", "spending_limit_per_order", "spending_limit_per_month", "is_active")


def company_user_update(*, admin: User, member_id: int, terms: MemberTerms, is_active: bool) -> CompanyUser:
    """Change a colleague's role, limits and active flag, all of them. Another company's
    user is NotFound; the company always keeps at least one active admin."""
    return company_user_patch(
        admin=admin, member_id=member_id, changes={**asdict(terms), "is_active": is_active}
    )


def company_user_patch(*, admin: User, member_id: int, changes: dict[str, object]) -> CompanyUser:
    """Change only what ``changes`` names (of MEMBER_FIELDS); the rest stays as it is — a new
    role keeps the limits, a new limit keeps the user deactivated."""
    return member_patch(
        company_id=_admin_membership(admin).company_id, member_id=member_id, changes=changes, actor=admin
    )


def member_patch(*, company_id: int, member_id: int, changes: dict[str, object], actor: User) -> CompanyUser:
    """``company_user_patch`` for the company's admin or for merchant staff (the API)."""
    with transaction.atomic():
        member = CompanyUser.objects.select_for_update().filter(pk=member_id, company_id=company_id).first()
        if member is None:
            raise NotFound()
        before = {name: getattr(member, name) for name in MEMBER_FIELDS}
        after = {**before, **{name: value for name, value in changes.items() if name in MEMBER_FIELDS}}
        terms = MemberTerms(
            role=after["role"],
            spending_limit_per_order=after["spending_limit_per_order"],
            spending_limit_per_month=after["spending_limit_per_month"],
        )
        _check_terms(terms)
        stays_admin = after["is_active"] and terms.role == CompanyRole.ADMIN
        if member.role == CompanyRole.ADMIN and member.is_active and not stays_admin:
            other_admins = (
                CompanyUser.objects.select_for_update()
                .filter(
                    company_id=company_id,
                    role=CompanyRole.ADMIN,
                    is_active=True,
                )
                .exclude(pk=member.pk)
            )
            if not other_admins.exists():
                raise DomainError(_("The company needs at least one active admin."), code="last_admin")
        for name in MEMBER_FIELDS:
            setattr(member, name, after[name])
        member.save()
        changed = {
            name: {"before": str(before[name]), "after": str(after[name])}
            for name in MEMBER_FIELDS
            if str(before[name]) != str(after[name])
        }
        if changed:
            audit_record(
                action="company_user.changed", actor_id=actor.pk, target=member.user, changes=changed
            )
    return member
