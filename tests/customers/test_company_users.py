from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.customers.company_users import (
    MemberTerms,
    company_user_invite,
    company_user_update,
    invitation_accept,
    invitation_for,
)
from tandem.customers.models import CompanyRole, CompanyUser, Invitation
from tests.factories import PASSWORD, make_company, make_company_user

pytestmark = pytest.mark.django_db

BUYER = MemberTerms(role=CompanyRole.BUYER, spending_limit_per_order=Decimal("500.00"))


@pytest.fixture
def acme():
    return make_company("ACME")


@pytest.fixture
def admin(acme):
    return make_company_user(acme, CompanyRole.ADMIN, email="boss@acme.test")


def test_an_admin_invites_and_the_invitee_joins_with_role_and_limit(
        admin, acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = company_user_invite(admin=admin, email="New@Acme.test", terms=BUYER)
    assert mail.outbox[0].to == ["new@acme.test"] and f"/invite/{token}/" in mail.outbox[0].body
    user = invitation_accept(token=token, full_name="Nina New", password="long-enough-password-1")
    membership = CompanyUser.objects.get(user=user)
    assert (membership.company, membership.role, membership.spending_limit_per_order) == (
        acme, CompanyRole.BUYER, Decimal("500.00"))


def test_a_used_expired_or_made_up_invitation_is_refused(admin):
    _invitation, token = company_user_invite(admin=admin, email="a@acme.test", terms=BUYER)
    invitation_accept(token=token, full_name="A", password="long-enough-password-1")
    with pytest.raises(DomainError) as used:
        invitation_accept(token=token, full_name="A", password="long-enough-password-1")
    assert used.value.code == "invitation_used"
    old, old_token = company_user_invite(admin=admin, email="b@acme.test", terms=BUYER)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as expired:
        invitation_for(old_token)
    assert expired.value.code == "invitation_expired"
    with pytest.raises(NotFound):
        invitation_for(token[:-2] + "xx")


@pytest.mark.parametrize("role", [CompanyRole.BUYER, CompanyRole.APPROVER, CompanyRole.ACCOUNTANT])
def test_only_the_company_admin_invites_and_manages_users(acme, role):
    user = make_company_user(acme, role)
    with pytest.raises(PermissionDenied):
        company_user_invite(admin=user, email="x@acme.test", terms=BUYER)
    with pytest.raises(PermissionDenied):
        company_user_update(admin=user, member_id=user.company_user.pk, terms=BUYER, is_active=True)


def test_another_companys_user_is_not_found_and_the_last_admin_stays(admin, acme):
    stranger = make_company_user(make_company("Other"))
    with pytest.raises(NotFound):
        company_user_update(admin=admin, member_id=stranger.company_user.pk, terms=BUYER, is_active=False)
    with pytest.raises(DomainError) as last:
        company_user_update(admin=admin, member_id=admin.company_user.pk, terms=BUYER, is_active=True)
    assert last.value.code == "last_admin"


def test_a_deactivated_user_can_no_longer_log_in(admin, acme, client):
    buyer = make_company_user(acme, CompanyRole.BUYER, email="b@acme.test")
    company_user_update(admin=admin, member_id=buyer.company_user.pk, terms=BUYER, is_active=False)
    assert not client.login(username="b@acme.test", password=PASSWORD)
    company_user_update(admin=admin, member_id=buyer.company_user.pk, terms=BUYER, is_active=True)
    assert client.login(username="b@acme.test", password=PASSWORD)


def test_a_member_of_another_company_cannot_be_invited(admin):
    make_company_user(make_company("Other"), email="taken@other.test")
    with pytest.raises(DomainError) as error:
        company_user_invite(admin=admin, email="taken@other.test", terms=BUYER)
    assert error.value.code == "already_member"


def test_the_invitation_pages(admin, client, acme):
    _invitation, token = company_user_invite(admin=admin, email="web@acme.test", terms=BUYER)
    page = client.get(f"/invite/{token}/")
    assert "Join ACME" in page.text
    weak = client.post(f"/invite/{token}/", {"full_name": "Web", "password": "123"})
    assert weak.status_code == 200 and "too short" in weak.text
    joined = client.post(f"/invite/{token}/", {"full_name": "Web User", "password": "long-enough-password-1"})
    assert joined["Location"] == "/account/company/"
    assert client.get(f"/invite/{token}/").status_code == 410
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_company_users_over_the_api(admin, acme, client):
    buyer = make_company_user(acme, CompanyRole.BUYER, email="b@acme.test")
    client.force_login(admin)
    assert {m["email"] for m in client.get("/api/v1/account/company/users").json()} == {
        "boss@acme.test", "b@acme.test"}
    invited = client.post("/api/v1/account/company/invitations", {"email": "n@acme.test", "role": "approver"},
                          content_type="application/json")
    assert invited.status_code == 201 and invited.json()["email"] == "n@acme.test"
    changed = client.patch(f"/api/v1/account/company/users/{buyer.company_user.pk}",
                           {"role": "buyer", "spending_limit_per_order": "250.00", "is_active": False},
                           content_type="application/json").json()
    assert (changed["spending_limit_per_order"], changed["is_active"]) == ("250.00", False)
    client.force_login(make_company_user(make_company("Other"), CompanyRole.ADMIN))
    assert client.patch(f"/api/v1/account/company/users/{buyer.company_user.pk}", {"role": "buyer"},
                        content_type="application/json").status_code == 404
