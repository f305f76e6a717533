"""One sign-in throttle for every way in: the storefront and the admin, per account and
address, per account and per address, counted atomically."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from tandem.customers.throttle import SignInThrottled, device_cookie_name, sign_in_attempt
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


@pytest.fixture
def warehouse(db):
    return make_user("warehouse@shop.test", is_staff=True)


def admin_login(client, email, password=PASSWORD, **headers):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password}, **headers)


def shop_login(client, email, password=PASSWORD, **headers):
    return client.post(reverse("storefront:login"), {"username": email, "password": password}, **headers)


def test_the_admin_login_refuses_the_right_password_after_five_wrong_ones(client, warehouse):
    for _ in range(5):
        assert admin_login(client, warehouse.email, WRONG).status_code == 200

    response = admin_login(client, warehouse.email)

    assert response.status_code == 200 and "Too many failed attempts" in response.text
    assert client.get("/admin/").status_code == 302  # not signed in


def test_the_admin_and_the_storefront_share_one_count(client, warehouse):
    for _ in range(3):
        shop_login(client, warehouse.email, WRONG)
    for _ in range(2):
        admin_login(client, warehouse.email, WRONG)
    assert "Too many failed attempts" in shop_login(client, warehouse.email).text


def test_a_right_password_starts_the_count_again(client, warehouse):
    for _ in range(4):
        admin_login(client, warehouse.email, WRONG)
    assert admin_login(client, warehouse.email).status_code == 302
    client.logout()
    for _ in range(4):
        admin_login(client, warehouse.email, WRONG)
    assert admin_login(client, warehouse.email).status_code == 302


def test_an_account_is_guarded_across_addresses(client, warehouse, settings):
    settings.LOGIN_THROTTLE_ACCOUNT_ATTEMPTS = 8
    for n in range(8):
        admin_login(client, warehouse.email, WRONG, REMOTE_ADDR=f"203.0.113.{n}")
    response = admin_login(client, warehouse.email, REMOTE_ADDR="198.51.100.7")
    assert "Too many failed attempts" in response.text


def test_an_address_trying_many_accounts_is_stopped(client, settings):
    settings.LOGIN_THROTTLE_IP_ATTEMPTS = 6
    victim = make_user("victim@shop.test")
    for n in range(6):
        shop_login(client, f"guess{n}@shop.test", WRONG)
    assert "Too many failed attempts" in shop_login(client, victim.email).text


def test_behind_a_proxy_each_client_is_counted_on_its_own_address(client, warehouse, settings):
    """With TRUSTED_PROXY_COUNT, one client's failures do not lock out another's, and an
    address the client wrote into X-Forwarded-For itself is not believed."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):  # the attacker varies the part of the header it controls
        admin_login(client, warehouse.email, WRONG, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.9", **proxy)
    attacker_again = admin_login(client, warehouse.email, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    owner = admin_login(client, warehouse.email, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)

    assert "Too many failed attempts" in attacker_again.text
    assert owner.status_code == 302


def test_parallel_attempts_get_exactly_the_allowed_number_of_tries(settings):
    """Thirty attempts at once on one account: five password checks, never more."""
    settings.LOGIN_THROTTLE_ATTEMPTS = 5

    def attempt(_n) -> bool:
        try:
            sign_in_attempt(account="boss@acme.test", ip="203.0.113.1")
        except SignInThrottled:
            return False
        return True

    with ThreadPoolExecutor(max_workers=10) as pool:
        allowed = sum(pool.map(attempt, range(30)))
    assert allowed == 5


def test_password_reset_mails_are_limited_per_account_with_the_same_answer(client, warehouse, settings):
    """Nobody floods a mailbox with reset links; the page answers alike whether a mail went."""
    settings.PASSWORD_RESET_THROTTLE_ATTEMPTS = 3
    answers = [
        client.post(reverse("storefront:password_reset"), {"email": warehouse.email}) for _ in range(5)
    ]

    assert len(mail.outbox) == 3
    assert {answer.status_code for answer in answers} == {302}
    assert {answer.url for answer in answers} == {reverse("storefront:password_reset_done")}
    other = make_user("other@shop.test")
    client.post(reverse("storefront:password_reset"), {"email": other.email})
    assert len(mail.outbox) == 4  # another account is not held up


def test_a_reset_link_works_for_an_hour_not_days(warehouse, monkeypatch):
    token = default_token_generator.make_token(warehouse)
    now = datetime.now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: now + timedelta(minutes=59))
    assert default_token_generator.check_token(warehouse, token)
    monkeypatch.setattr(default_token_generator, "_now", lambda: now + timedelta(minutes=61))
    assert not default_token_generator.check_token(warehouse, token)


def test_guessing_from_many_addresses_does_not_lock_the_owner_out_of_a_known_browser(warehouse, settings):
    """The attacker uses up the account's limit; the owner's browser, which signed in
    before, is counted on its own and signs in; a browser never signed in is held."""
    from django.test import Client

    settings.LOGIN_THROTTLE_ACCOUNT_ATTEMPTS = 8
    owner = Client()
    assert shop_login(owner, warehouse.email).status_code == 302  # earns the device cookie
    owner.post("/accounts/logout/")  # (Client.logout() would forget every cookie)
    attacker = Client()
    for n in range(12):
        shop_login(attacker, warehouse.email, WRONG, REMOTE_ADDR=f"203.0.113.{n}")

    assert (
        "Too many failed attempts" in shop_login(Client(), warehouse.email, REMOTE_ADDR="198.51.100.7").text
    )
    assert shop_login(owner, warehouse.email, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_known_browser_still_has_its_own_limit_and_its_cookie_fits_one_account(warehouse, settings):
    from django.test import Client

    settings.LOGIN_THROTTLE_ACCOUNT_ATTEMPTS = 3
    browser = Client()
    shop_login(browser, warehouse.email)
    browser.post("/accounts/logout/")
    for _ in range(5):
        shop_login(browser, warehouse.email, WRONG)
    assert "Too many failed attempts" in shop_login(browser, warehouse.email).text

    other = make_user("other@shop.test")
    for n in range(3):  # the other account's limit, used up from elsewhere
        shop_login(Client(), other.email, WRONG, REMOTE_ADDR=f"203.0.113.{n}")
    stolen = Client()
    # The value is signed for its account: under another account's cookie name it is no device.
    stolen.cookies[device_cookie_name(other.email)] = browser.cookies[
        device_cookie_name(warehouse.email)
    ].value
    assert "Too many failed attempts" in shop_login(stolen, other.email, REMOTE_ADDR="198.51.100.7").text


def test_an_address_sending_wrong_api_tokens_is_stopped_and_right_tokens_are_not(settings):
    from django.test import Client

    from tandem.customers.api_auth import api_token_create

    settings.LOGIN_THROTTLE_IP_ATTEMPTS = 3
    _token, key = api_token_create(user=make_user("erp@shop.test"), name="ERP")
    guesser = Client(HTTP_AUTHORIZATION="Bearer tdm_guess", REMOTE_ADDR="203.0.113.5")
    assert [guesser.get("/api/v1/orders").status_code for _ in range(4)] == [401, 401, 401, 429]
    right_from_there = Client(HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="203.0.113.5")
    assert right_from_there.get("/api/v1/orders").status_code == 200  # one bad client holds up no one
    elsewhere = Client(HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="198.51.100.1")
    assert [elsewhere.get("/api/v1/orders").status_code for _ in range(5)] == [
        200
    ] * 5  # right keys cost nothing


def test_signing_in_from_a_known_browser_gives_the_address_nothing_back(settings):
    """Someone with their own account and its device cookie cannot refund wrong guesses on
    other accounts by signing in between them."""
    from django.test import Client

    settings.LOGIN_THROTTLE_IP_ATTEMPTS = 5
    settings.LOGIN_THROTTLE_ATTEMPTS = 100
    own = make_user("own@shop.test")
    client = Client()
    shop_login(client, own.email)
    client.post("/accounts/logout/")
    refused = 0
    for n in range(8):
        refused += "Too many failed attempts" in shop_login(client, f"victim{n}@shop.test", WRONG).text
        shop_login(client, own.email)
        client.post("/accounts/logout/")
    assert refused == 3  # five guesses from the address, then held
