"""Staff sessions end after a while without activity; passwords are at least 12 characters."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tandem.customers.idle import SEEN_KEY
from tests.factories import make_company, make_company_user

pytestmark = pytest.mark.django_db


def _idle(client, minutes: int) -> None:
    session = client.session
    session[SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_a_staff_session_ends_after_the_idle_time_on_every_surface(client, staff_admin, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(staff_admin)
    assert client.get("/admin/").status_code == 200
    _idle(client, 29)
    assert client.get("/admin/").status_code == 200  # active within the limit: still in

    _idle(client, 31)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert SESSION_KEY not in client.session
    assert client.get("/api/v1/orders").status_code == 401


def test_each_staff_request_keeps_the_session_alive(client, staff_admin, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(staff_admin)
    client.get("/admin/")
    _idle(client, 5)
    client.get("/admin/")  # seen again: the clock restarts
    assert time.time() - client.session[SEEN_KEY] < 5


def test_a_customer_session_does_not_time_out_on_idle(client, settings):
    settings.STAFF_IDLE_MINUTES = 30
    buyer = make_company_user(make_company("ACME"))
    client.force_login(buyer)
    _idle(client, 600)
    assert client.get(reverse("storefront:account")).status_code == 200


def test_a_password_needs_twelve_characters(client):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as short:
        validate_password("Xq7!pz-Lm2a")  # 11
    assert "at least 12 characters" in " ".join(short.value.messages)
    validate_password("Xq7!pz-Lm2ab")
