import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_company_user


def login(client, email, password=PASSWORD):
    return client.post(reverse("storefront:login"), {"username": email, "password": password})


def test_a_company_user_logs_in_with_email_and_password(client, buyer):
    response = login(client, "BUYER@acme.test")
    assert response.status_code == 302
    assert client.get(reverse("storefront:company")).status_code == 200


def test_a_deactivated_company_user_cannot_log_in(client, company):
    user = make_company_user(company, email="gone@acme.test")
    user.company_user.is_active = False
    user.company_user.save()
    response = login(client, "gone@acme.test")
    assert response.status_code == 200
    assert "Wrong e-mail or password, or the account is not active." in response.text


def test_deactivating_a_company_user_ends_their_session(client, buyer):
    login(client, buyer.email)
    buyer.company_user.is_active = False
    buyer.company_user.save()
    response = client.get(reverse("storefront:company"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("storefront:login"))


def test_users_of_a_deactivated_company_cannot_log_in(client, buyer, company):
    company.is_active = False
    company.save()
    assert login(client, buyer.email).status_code == 200


@pytest.mark.parametrize("attempts", [5])
def test_login_is_throttled_after_repeated_failures(client, buyer, settings, attempts):
    settings.LOGIN_THROTTLE_ATTEMPTS = attempts
    for _ in range(attempts):
        login(client, buyer.email, "wrong-password")
    response = login(client, buyer.email)  # even the right password is refused for now
    assert response.status_code == 200
    assert "Too many failed attempts" in response.text


def test_deactivating_a_company_ends_its_users_sessions(client, buyer, company):
    login(client, buyer.email)
    assert client.get(reverse("storefront:company")).status_code == 200  # user now cached
    company.is_active = False
    company.save()
    assert client.get(reverse("storefront:company")).status_code == 302


def test_a_changed_name_shows_in_the_header_at_once(client, customer):
    client.force_login(customer)
    client.get("/")
    client.post(reverse("storefront:account"), {"full_name": "Zofia Nowak", "phone": "", "language": "en"})
    assert "Zofia" in client.get("/").text
