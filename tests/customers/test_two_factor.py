"""Two-factor sign-in with an authenticator app: required for staff, a company's choice for
its users, optional for everyone else; recovery codes; signing out everywhere."""

import base64
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tandem.core.models import AuditEntry
from tandem.customers import two_factor as tfa
from tandem.customers.models import RecoveryCode, SignedInSession, TwoFactorDevice
from tests.factories import PASSWORD, make_company, make_company_user, make_user

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, *, admin: bool = False):
    """The password step, through the storefront's or the admin's form."""
    url = "/admin/login/" if admin else "/accounts/login/"
    response = client.post(url, {"username": email, "password": PASSWORD})
    assert SESSION_KEY in client.session, response.content[:300]
    return response


def enable(user) -> str:
    """Turn two-factor sign-in on for ``user`` as the setup page does; the secret."""
    device = tfa.two_factor_begin(user)
    tfa.two_factor_confirm(user=user, code=tfa.totp_code(device.secret, tfa.totp_step()))
    return device.secret


def next_code(secret: str) -> str:
    """A code no earlier request used: the following step's (within the allowed drift)."""
    return tfa.totp_code(secret, tfa.totp_step() + 1)


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_codes_are_those_of_rfc_6238(unix_time, code):
    secret = base64.b32encode(b"12345678901234567890").decode()  # the RFC's SHA-1 test key
    assert tfa.totp_code(secret, tfa.totp_step(unix_time)) == code


def test_staff_set_up_an_app_at_the_first_sign_in_before_anything_opens(settings):
    settings.STAFF_TWO_FACTOR = "required"
    staff = make_user("warehouse@shop.test", is_staff=True, is_superuser=True)
    client = Client()
    response = sign_in(client, staff.email, admin=True)

    # Signed in with the password only: every surface holds the session at the second step.
    for path in ("/admin/", "/account/", "/rep/", "/admin/customers/company/"):
        held = client.get(path)
        assert held.status_code == 302 and held.url.startswith("/account/security/two-factor/?next="), path
    api = client.get("/api/v1/orders")
    assert api.status_code == 401 and api.json()["code"] == "two_factor_required"
    assert client.post("/api/v1/cart/lines", {}, content_type="application/json").status_code == 401

    page = client.get(response.url if "two-factor" in response.url else "/account/security/two-factor/")
    secret = re.search(rb'data-secret="([A-Z2-7]+)"', page.content).group(1).decode()
    assert b"<svg" in page.content  # the QR code, drawn in the page
    wrong = client.post("/account/security/two-factor/?next=/admin/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and "not valid" in wrong.content.decode()

    key_before = client.session.session_key
    done = client.post(
        "/account/security/two-factor/", {"code": tfa.totp_code(secret, tfa.totp_step()), "next": "/admin/"}
    )
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.content.decode())
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=staff).count() == 10
    assert client.session.session_key != key_before  # a new session key after both factors
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/orders").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enabled", actor=staff).exists()


def test_a_user_with_an_app_types_a_code_after_the_password_and_each_code_works_once():
    user = make_user("anna@shop.test")
    secret = enable(user)
    client = Client()
    sign_in(client, user.email)
    held = client.get("/account/orders/")
    assert held.status_code == 302 and held.url == "/accounts/two-factor/?next=%2Faccount%2Forders%2F"
    # A user who has an app cannot set up another one with the password alone.
    assert client.get("/account/security/two-factor/").url.startswith("/accounts/two-factor/")

    refused = client.post("/accounts/two-factor/", {"code": "123456"})
    assert refused.status_code == 200 and "not valid" in refused.content.decode()
    code = next_code(secret)
    passed = client.post("/accounts/two-factor/", {"code": code, "next": "/account/orders/"})
    assert passed.status_code == 302 and passed.url == "/account/orders/"
    assert client.get("/account/orders/").status_code == 200

    other = Client()
    sign_in(other, user.email)
    replay = other.post("/accounts/two-factor/", {"code": code})
    assert replay.status_code == 200 and "not valid" in replay.content.decode()
    assert other.get("/account/").status_code == 302


def test_a_recovery_code_signs_in_once():
    user = make_user("anna@shop.test")
    device = tfa.two_factor_begin(user)
    codes = tfa.two_factor_confirm(user=user, code=tfa.totp_code(device.secret, tfa.totp_step()))
    client = Client()
    sign_in(client, user.email)
    assert (
        client.post("/accounts/two-factor/", {"code": codes[0].upper().replace("-", " ")}).status_code == 302
    )
    assert client.get("/account/").status_code == 200
    assert tfa.recovery_codes_left(user) == 9
    assert AuditEntry.objects.filter(action="two_factor.recovery_code_used", actor=user).exists()

    again = Client()
    sign_in(again, user.email)
    assert again.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 200
    assert again.get("/account/").status_code == 302


def test_wrong_codes_are_throttled_per_account(settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    user = make_user("anna@shop.test")
    secret = enable(user)
    client = Client()
    sign_in(client, user.email)
    for _attempt in range(3):
        assert "not valid" in client.post("/accounts/two-factor/", {"code": "000000"}).content.decode()
    throttled = client.post("/accounts/two-factor/", {"code": next_code(secret)})
    assert "Too many failed attempts" in throttled.content.decode()
    assert client.get("/account/").status_code == 302


def test_a_company_can_require_it_of_its_users_and_they_cannot_turn_it_off():
    company = make_company(require_two_factor=True)
    buyer = make_company_user(company, email="buyer@acme.test")
    client = Client()
    sign_in(client, buyer.email)
    held = client.get("/c/anything/")
    assert held.status_code == 302 and held.url.startswith("/account/security/two-factor/")
    secret = re.search(rb'data-secret="([A-Z2-7]+)"', client.get(held.url).content).group(1).decode()
    client.post("/account/security/two-factor/", {"code": tfa.totp_code(secret, tfa.totp_step())})
    assert client.get("/account/").status_code == 200

    client.post("/account/security/two-factor/off/", {"code": next_code(secret)})
    buyer.refresh_from_db()
    assert buyer.two_factor_enabled and TwoFactorDevice.objects.filter(user=buyer).exists()


def test_anyone_else_chooses_and_may_turn_it_off_with_a_code(settings):
    settings.STAFF_TWO_FACTOR = "optional"
    staff = make_user("rep@shop.test", is_staff=True)
    retail = make_user("anna@shop.test")
    for user in (staff, retail):
        client = Client()
        sign_in(client, user.email)
        assert client.get("/account/").status_code == 200  # no app, not required: not held
    secret = enable(retail)
    client = Client()
    client.force_login(retail)
    assert "Off" not in client.get("/account/security/").content.decode()
    client.post("/account/security/two-factor/off/", {"code": next_code(secret)})
    retail.refresh_from_db()
    assert not retail.two_factor_enabled and not TwoFactorDevice.objects.filter(user=retail).exists()
    assert RecoveryCode.objects.filter(user=retail).count() == 0
    assert AuditEntry.objects.filter(action="two_factor.disabled", actor=retail).exists()


def test_staff_reset_a_lost_app_and_the_user_is_signed_out():
    user = make_user("anna@shop.test")
    enable(user)
    client = Client()
    client.force_login(user)
    admin = make_user("admin@shop.test", is_staff=True, is_superuser=True)
    staff = Client()
    staff.force_login(admin)
    response = staff.post(
        "/admin/customers/user/",
        {"action": "two_factor_reset", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.two_factor_enabled
    assert client.get("/account/").status_code == 302  # signed out
    assert AuditEntry.objects.filter(action="two_factor.reset", actor=admin).exists()


def test_sign_out_everywhere_ends_every_other_session_and_keeps_this_one():
    user = make_user("anna@shop.test")
    here, there, elsewhere = (
        Client(
            HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
        ),
        Client(),
        Client(),
    )
    for client in (here, there, elsewhere):
        sign_in(client, user.email)
    page = here.get("/account/security/").content.decode()
    assert page.count("<tr><td>") == 3 and "Firefox · Windows" in page
    assert SignedInSession.objects.filter(user=user).count() == 3

    response = here.post("/account/security/sign-out-everywhere/")
    assert response.status_code == 302
    assert here.get("/account/").status_code == 200
    for client in (there, elsewhere):
        assert client.get("/account/").status_code == 302
        assert SESSION_KEY not in client.session
    assert SignedInSession.objects.filter(user=user).count() == 1
    entry = AuditEntry.objects.get(action="sessions.signed_out_everywhere")
    assert entry.changes == {"sessions": 2}


def test_signing_out_removes_the_session_from_the_list():
    user = make_user("anna@shop.test")
    client = Client()
    sign_in(client, user.email)
    assert SignedInSession.objects.filter(user=user).count() == 1
    client.post("/accounts/logout/")
    assert SignedInSession.objects.filter(user=user).count() == 0


def test_a_code_in_other_letters_is_refused_not_a_500(settings):
    settings.STAFF_TWO_FACTOR = "required"
    user = make_user("anna@shop.test")
    enable(user)
    client = Client()
    sign_in(client, user.email)
    response = client.post("/accounts/two-factor/", {"code": "ąąąąąą"})
    assert response.status_code == 200 and "not valid" in response.content.decode()
    staff = Client()
    sign_in(staff, make_user("s@shop.test", is_staff=True).email)
    assert staff.post("/account/security/two-factor/", {"code": "ä"}).status_code == 200


def test_only_staff_who_may_change_users_reset_an_app_and_only_a_superuser_does_it_for_staff():
    from django.contrib.auth.models import Group

    from tandem.customers.roles import staff_roles_sync

    staff_roles_sync()
    root = make_user("root@shop.test", is_staff=True, is_superuser=True)
    customer = make_user("anna@shop.test")
    enable(root), enable(customer)
    finance = make_user("fin@shop.test", is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))  # sees every user, changes none
    manager = make_user("boss@shop.test", is_staff=True)
    manager.groups.add(Group.objects.get(name="Admin"))  # may change users, is no superuser

    def reset_by(staff_user, target):
        client = Client()
        client.force_login(staff_user)
        client.post("/admin/customers/user/", {"action": "two_factor_reset", "_selected_action": [target.pk]})
        target.refresh_from_db()
        return not target.two_factor_enabled

    assert not reset_by(finance, customer) and not reset_by(finance, root)
    assert not reset_by(manager, root)  # a staff account: superusers only
    assert reset_by(manager, customer)


def test_two_setups_with_one_code_at_once_turn_it_on_once():
    user = make_user("anna@shop.test")
    device = tfa.two_factor_begin(user)
    code = tfa.totp_code(device.secret, tfa.totp_step())
    first = tfa.two_factor_confirm(user=user, code=code)
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_step=0)  # as seen by the second request
    with pytest.raises(tfa.InvalidCode):
        tfa.two_factor_confirm(user=user, code=code)
    assert len(first) == RecoveryCode.objects.filter(user=user).count() == 10
