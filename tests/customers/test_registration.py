"""Registration answers alike for every address; the mailbox gets the link or the note."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.utils import timezone

from tandem.customers.models import User
from tandem.customers.registration import unconfirmed_registrations_remove
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

FORM = {"full_name": "Nowy Klient", "accept_terms": "on"}
NEW_PASSWORD = "a-long-pass-phrase"


def register(client: Client, email: str, **extra):
    return client.post("/accounts/register/", {**FORM, "email": email, **extra})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/register/\S+)", message.body).group(1)


def test_a_new_customer_chooses_the_password_behind_the_link_and_lands_in_their_account(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, "New@Example.com ")
    assert response.status_code == 200 and "We sent a message to" in response.text
    user = User.objects.get(email="new@example.com")
    assert not user.is_active and user.email_verification_pending and not user.has_usable_password()

    [message] = mail.outbox
    assert message.to == ["new@example.com"] and "Confirm your e-mail address" in message.subject
    page = client.get(link_in(message))
    assert page.status_code == 200 and "new@example.com" in page.text
    user.refresh_from_db()
    assert user.email_verification_pending  # opening the link (a mail scanner) uses nothing up
    weak = client.post(link_in(message), {"password": "12345678"})
    assert "This password is too short" in weak.text
    landed = client.post(link_in(message), {"password": NEW_PASSWORD}, follow=True)
    assert landed.redirect_chain[-1][0] == "/account/" and "new@example.com" in landed.text
    user.refresh_from_db()
    assert user.is_active and not user.email_verification_pending and user.check_password(NEW_PASSWORD)
    assert Client().get(link_in(message)).status_code == 400  # the link works once


def test_whoever_registers_an_address_first_cannot_choose_its_owners_password(
    django_capture_on_commit_callbacks,
):
    """An attacker signs up the victim's address; the victim signs up too and opens the
    newest link: the password is the one the victim chooses there, the name the victim's."""
    with django_capture_on_commit_callbacks(execute=True):
        register(Client(), "victim@shop.test", full_name="Attacker")
        register(Client(), "victim@shop.test", full_name="Victim")
    victim = Client()
    victim.post(link_in(mail.outbox[-1]), {"password": "the-victims-own-phrase"})
    user = User.objects.get(email="victim@shop.test")
    assert user.is_active and user.full_name == "Victim" and user.check_password("the-victims-own-phrase")
    assert SESSION_KEY in victim.session


def test_an_address_with_an_account_gets_the_same_page_and_a_note_in_its_mailbox(
    client, django_capture_on_commit_callbacks
):
    make_user("anna@shop.test", full_name="Anna")
    with django_capture_on_commit_callbacks(execute=True):
        existing = register(client, "anna@shop.test")
        new = register(Client(), "piotr@shop.test")

    def same(response) -> str:  # the page without the address typed and the CSRF tokens
        return re.sub(r"\S+@shop\.test|(value|content)=\"[^\"]*\"", "", response.text)

    assert existing.status_code == new.status_code == 200 and same(existing) == same(new)
    note = next(message for message in mail.outbox if message.to == ["anna@shop.test"])
    assert "already has an account" in note.body and "/accounts/password-reset/" in note.body
    anna = User.objects.get(email="anna@shop.test")
    assert anna.check_password(PASSWORD) and anna.full_name == "Anna"  # nothing was changed


def test_sign_ups_are_limited_per_address_and_mails_per_mailbox(
    client, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATION_THROTTLE_ATTEMPTS = 4
    settings.PASSWORD_RESET_THROTTLE_ATTEMPTS = 2
    make_user("anna@shop.test")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            register(Client(), "anna@shop.test", REMOTE_ADDR=f"203.0.113.{n}")
    assert len(mail.outbox) == 2  # the mailbox is not flooded
    for _ in range(4):
        register(client, f"x{_}@shop.test")
    assert "Too many sign-ups from your address" in register(client, "y@shop.test").text


def test_accounts_never_confirmed_are_removed_after_a_week(client):
    register(client, "late@shop.test")
    register(Client(), "recent@shop.test")
    User.objects.filter(email="late@shop.test").update(date_joined=timezone.now() - timedelta(days=8))
    unconfirmed_registrations_remove()
    assert list(User.objects.values_list("email", flat=True)) == ["recent@shop.test"]


def test_a_tampered_link_opens_nothing(client):
    register(client, "new@shop.test")
    response = client.get("/accounts/register/MQ/abc-123/")
    assert response.status_code == 400 and "not valid" in response.text
    assert SESSION_KEY not in client.session


def test_an_account_staff_opened_by_hand_is_not_removed_as_unconfirmed(client):
    register(client, "late@shop.test")
    late = User.objects.get(email="late@shop.test")
    late.is_active = True  # "I never got the mail": staff tick active in the admin
    late.save()
    User.objects.filter(pk=late.pk).update(date_joined=timezone.now() - timedelta(days=8))
    unconfirmed_registrations_remove()
    assert User.objects.filter(pk=late.pk).exists()
