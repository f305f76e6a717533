"""Where webhooks may go (public addresses only, the checked one) and how long one may take."""

import socket
import time

import pytest
from django.db import transaction

from tandem.messaging.admin import WebhookEndpointForm
from tandem.messaging.delivery import webhook_delivery_attempt
from tandem.messaging.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.messaging.webhooks import event_emit

pytestmark = pytest.mark.django_db

PUBLIC_ADDRESS = "93.184.215.14"


def deliver_to(url: str) -> WebhookDelivery:
    """Record an event for one endpoint at ``url`` and make its first attempt."""
    WebhookEndpoint.objects.create(name="Target", url=url)
    with transaction.atomic():
        delivery = event_emit(event="order.placed", payload={"number": "B2C-1"})[0]
    webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://127.0.0.1:9/hook", "127.0.0.1 is a loopback address"),
        ("http://[::1]/hook", "::1 is a loopback address"),
        ("http://10.1.2.3/hook", "10.1.2.3 is a private network address"),
        ("http://192.168.0.10/hook", "192.168.0.10 is a private network address"),
        ("http://[fd00::7]/hook", "fd00::7 is a private network address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://224.0.0.1/hook", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/hook", "240.0.0.1 is a reserved address"),
        ("http://0.0.0.0/hook", "0.0.0.0 is an unspecified address"),
        ("http://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1 is a loopback address"),
        ("http://100.64.0.1/hook", "100.64.0.1 is an address that is not on the public internet"),
        ("http://[2002:7f00:1::]/hook", "2002:7f00:1:: is a loopback address"),
        ("http://[2002:a9fe:a9fe::1]/hook", "2002:a9fe:a9fe::1 is a link-local address"),
        ("http://[64:ff9b::a00:8]/hook", "64:ff9b::a00:8 is a private network address"),
        ("http://[::127.0.0.1]/hook", "::127.0.0.1 is a loopback address"),
    ],
    ids=[
        "loopback",
        "loopback-v6",
        "rfc1918-10",
        "rfc1918-192",
        "ula",
        "cloud-metadata",
        "multicast",
        "reserved",
        "unspecified",
        "v4-mapped-loopback",
        "carrier-nat",
        "6to4-loopback",
        "6to4-cloud-metadata",
        "nat64-private",
        "v4-compatible-loopback",
    ],
)
def test_a_non_public_address_is_refused_at_once_without_retries(url, error):
    delivery = deliver_to(url)
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED,
        1,
        None,
        None,
    )
    assert delivery.last_error == f"Not sent: {error}; webhooks only go to public internet addresses."


def test_a_host_name_resolving_to_a_private_address_is_refused(dns):
    dns["erp.partner.test"] = [PUBLIC_ADDRESS, "10.0.0.8"]
    delivery = deliver_to("https://erp.partner.test/hook")
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == (
        "Not sent: erp.partner.test resolves to 10.0.0.8, a private network address; "
        "webhooks only go to public internet addresses."
    )


def test_a_listening_loopback_receiver_gets_nothing_unless_private_networks_are_allowed(receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    delivery = deliver_to(receiver.url)
    assert (delivery.status, receiver.requests) == (DeliveryStatus.FAILED, [])


def test_the_connection_goes_to_the_address_that_was_checked(dns, monkeypatch):
    """DNS rebinding: the name resolves to a public address for the check and to loopback
    afterwards; the connection still goes to the checked address."""
    dns["erp.partner.test"] = [PUBLIC_ADDRESS]
    connected_to = []

    def create_connection(address, *args, **kwargs):
        connected_to.append(address)
        raise ConnectionRefusedError("refused by the test")

    real_getaddrinfo = socket.getaddrinfo

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        answers = real_getaddrinfo(host, port, *args, **kwargs)
        dns["erp.partner.test"] = ["127.0.0.1"]  # every later answer points inside
        return answers

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    delivery = deliver_to("http://erp.partner.test:8080/hook")
    assert connected_to == [(PUBLIC_ADDRESS, 8080)]
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.PENDING, "refused by the test")


def test_the_request_to_the_checked_address_names_the_urls_host(receiver, dns):
    dns["erp.partner.test"] = ["127.0.0.1"]
    port = receiver.url.split(":")[2].split("/")[0]
    delivery = deliver_to(f"http://erp.partner.test:{port}/hooks/tandem?source=shop")
    [(path, headers, _body)] = receiver.requests
    assert (path, headers["Host"]) == ("/hooks/tandem?source=shop", f"erp.partner.test:{port}")
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_deadline(slow_receiver, settings):
    """Each byte comes well within the timeout, but the whole answer does not: the attempt
    ends after WEBHOOK_TIMEOUT seconds in all, well within its lease."""
    settings.WEBHOOK_TIMEOUT = 1
    started = time.monotonic()
    delivery = deliver_to(slow_receiver)
    assert time.monotonic() - started < 2
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.PENDING, 1, None)
    assert delivery.last_error == "No complete answer within 1 seconds."


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1/hook", "127.0.0.1"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://intranet.partner.test/hook", "192.168.1.20"),
    ],
    ids=["loopback", "cloud-metadata", "name-resolving-to-private"],
)
def test_the_admin_form_refuses_a_non_public_address_and_names_it(url, address, dns):
    dns["intranet.partner.test"] = ["192.168.1.20"]
    form = WebhookEndpointForm(data={"name": "ERP", "url": url, "is_active": "on"})
    assert not form.is_valid()
    [error] = form.errors["url"]
    assert address in error and "webhooks only go to public internet addresses" in error


def test_the_admin_form_accepts_a_public_host(dns):
    dns["erp.partner.test"] = [PUBLIC_ADDRESS]
    form = WebhookEndpointForm(
        data={"name": "ERP", "url": "https://erp.partner.test/hook", "is_active": "on"}
    )
    assert form.is_valid(), form.errors


def test_the_admin_form_accepts_a_private_address_when_private_networks_are_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    form = WebhookEndpointForm(data={"name": "ERP", "url": "http://10.0.0.8/hook", "is_active": "on"})
    assert form.is_valid(), form.errors
