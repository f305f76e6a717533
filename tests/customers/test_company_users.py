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
    invitation_revoke,
    invitations_pending,
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
    admin, acme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = company_user_invite(admin=admin, email="New@Acme.test", terms=BUYER)
    assert mail.outbox[0].to == ["new@acme.test"] and f"/invite/{token}/" in mail.outbox[0].body
    user = invitation_accept(token=token, full_name="Nina New", password="long-enough-password-1")
    membership = CompanyUser.objects.get(user=user)
    assert (membership.company, membership.role, membership.spending_limit_per_order) == (
        acme,
        CompanyRole.BUYER,
        Decimal("500.00"),
    )


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
        "boss@acme.test",
        "b@acme.test",
    }
    invited = client.post(
        "/api/v1/account/company/invitations",
        {"email": "n@acme.test", "role": "approver"},
        content_type="application/json",
    )
    assert invited.status_code == 201 and invited.json()["email"] == "n@acme.test"
    changed = client.patch(
        f"/api/v1/account/company/users/{buyer.company_user.pk}",
        {"role": "buyer", "spending_limit_per_order": "250.00", "is_active": False},
        content_type="application/json",
    ).json()
    assert (changed["spending_limit_per_order"], changed["is_active"]) == ("250.00", False)
    client.force_login(make_company_user(make_company("Other"), CompanyRole.ADMIN))
    assert (
        client.patch(
            f"/api/v1/account/company/users/{buyer.company_user.pk}",
            {"role": "buyer"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_a_withdrawn_invitation_no_longer_works(admin, client):
    invitation, token = company_user_invite(admin=admin, email="late@acme.test", terms=BUYER)
    assert list(invitations_pending(admin)) == [invitation]
    invitation_revoke(admin=admin, invitation_id=invitation.pk)
    assert list(invitations_pending(admin)) == []
    with pytest.raises(DomainError) as refused:
        invitation_accept(token=token, full_name="Late", password="long-enough-password-1")
    assert refused.value.code == "invitation_revoked"
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 410 and "withdrawn" in page.text
    assert not CompanyUser.objects.filter(user__email="late@acme.test").exists()


def test_an_invitation_dies_with_its_inviters_admin_rights(admin, acme):
    """The inviter was demoted after sending it: the link no longer adds anyone."""
    make_company_user(acme, CompanyRole.ADMIN)  # so the inviter is not the last admin
    _invitation, token = company_user_invite(admin=admin, email="x@acme.test", terms=BUYER)
    company_user_update(
        admin=admin,
        member_id=admin.company_user.pk,
        terms=MemberTerms(role=CompanyRole.BUYER),
        is_active=True,
    )
    with pytest.raises(DomainError) as refused:
        invitation_accept(token=token, full_name="X", password="long-enough-password-1")
    assert refused.value.code == "invitation_invalid"


def test_only_the_own_companys_admin_withdraws_invitations(admin, acme):
    invitation, _token = company_user_invite(admin=admin, email="y@acme.test", terms=BUYER)
    with pytest.raises(PermissionDenied):
        invitation_revoke(admin=make_company_user(acme, CompanyRole.BUYER), invitation_id=invitation.pk)
    with pytest.raises(NotFound):
        invitation_revoke(
            admin=make_company_user(make_company("Other"), CompanyRole.ADMIN), invitation_id=invitation.pk
        )
    assert Invitation.objects.get().revoked_at is None


def test_invitations_are_listed_and_withdrawn_in_the_panel_and_over_the_api(admin, client):
    first, _token = company_user_invite(admin=admin, email="p@acme.test", terms=BUYER)
    second, _token = company_user_invite(admin=admin, email="q@acme.test", terms=BUYER)
    client.force_login(admin)
    page = client.get("/account/company/")
    assert 'data-email="p@acme.test"' in page.text and 'data-email="q@acme.test"' in page.text
    client.post(f"/account/company/invitations/{first.pk}/revoke/")
    assert [item["email"] for item in client.get("/api/v1/account/company/invitations").json()] == [
        "q@acme.test"
    ]
    assert client.delete(f"/api/v1/account/company/invitations/{second.pk}").status_code == 204
    assert client.get("/api/v1/account/company/invitations").json() == []
    assert client.delete("/api/v1/account/company/invitations/999999").status_code == 404


def test_patch_changes_only_what_is_sent(admin, acme, client):
    """A new role keeps the limits; a new limit keeps a deactivated user deactivated; null
    removes a limit; role and active flag cannot be null."""
    buyer = make_company_user(acme, CompanyRole.BUYER, email="b@acme.test")
    client.force_login(admin)
    url = f"/api/v1/account/company/users/{buyer.company_user.pk}"

    def patch(body):
        return client.patch(url, body, content_type="application/json")

    patch({"spending_limit_per_order": "5000.00", "is_active": False})
    after_role = patch({"role": "approver"}).json()
    assert (after_role["role"], after_role["spending_limit_per_order"], after_role["is_active"]) == (
        "approver",
        "5000.00",
        False,
    )
    after_limit = patch({"spending_limit_per_month": "9000.00"}).json()
    assert (after_limit["is_active"], after_limit["spending_limit_per_order"]) == (False, "5000.00")
    assert patch({"spending_limit_per_order": None}).json()["spending_limit_per_order"] is None
    refused = patch({"role": None})
    assert refused.status_code == 400 and refused.json()["code"] == "null_not_allowed"
    assert patch({"is_active": None}).status_code == 400
