import socket
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission

from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tandem.messaging.events import WebhookEvent
from tandem.messaging.models import Notification, WebhookDelivery, WebhookEndpoint
from tandem.orders.models import ApprovalRule
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)


class Receiver:
    """A loopback HTTP server that records the webhooks it gets and answers ``status``."""

    def __init__(self):
        self.requests: list[tuple[str, object, bytes]] = []
        self.status = 200
        self.url = ""


@pytest.fixture
def private_networks_allowed(settings):
    """The loopback receivers of these tests are not public addresses: allow them."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True


@pytest.fixture
def receiver(private_networks_allowed):
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append((self.path, self.headers, body))
            self.send_response(received.status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if received.status < 300 else b"receiver is down")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_port}/hooks/tandem"
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url(private_networks_allowed) -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


@pytest.fixture
def slow_receiver(private_networks_allowed):
    """A loopback server that answers one byte of its headers every 0.1 s, for 10 s; its URL."""
    stop = threading.Event()
    server = socket.create_server(("127.0.0.1", 0))

    def trickle():
        connection, _address = server.accept()
        with connection:
            connection.recv(65536)
            try:
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for _tick in range(100):
                    if stop.wait(0.1):
                        break
                    connection.sendall(b"X")
            except OSError:  # the sender gave up and closed the connection
                pass

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks"
    stop.set()
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Host names of the test resolved to the addresses put in this dict (in that order);
    IP addresses and other names resolve as usual."""
    answers: dict[str, list[str]] = {}
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (address, port),
            )
            for address in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def endpoint(receiver, db) -> WebhookEndpoint:
    """An ERP that listens to the order events (not to stock or catalog ones)."""
    orders = [event for event in WebhookEvent.values if event.startswith(("order.", "recurring_order."))]
    return WebhookEndpoint.objects.create(name="ERP", url=receiver.url, events=orders)


def place_company_order(*, needs_approval: bool = False, approval_role: str = CompanyRole.ADMIN):
    """A company order placed by its buyer; the company also has an admin and an approver
    (approver@acme.test); staff who may change orders. ``needs_approval``: the order waits
    for one decision by ``approval_role``."""
    make_delivery("courier")
    company = make_company(credit_limit=Decimal("100000"))
    if needs_approval:
        ApprovalRule.objects.create(company=company, min_total=Decimal("1"), role=approval_role)
    buyer = make_company_user(company, email="buyer@acme.test")
    admin = make_company_user(company, CompanyRole.ADMIN, email="admin@acme.test", full_name="Ada Admin")
    make_company_user(company, CompanyRole.APPROVER, email="approver@acme.test", full_name="Amy Approver")
    drill = make_product(net="10.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(drill, 5)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    staff = make_user("warehouse@shop.test", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_order"))
    staff = type(staff).objects.get(pk=staff.pk)
    return order, buyer, admin, staff


@pytest.fixture
def placed(db):
    """A placed company order whose placement notices are cleared: tests see what follows."""
    placed_order = place_company_order()
    Notification.objects.all().delete()
    WebhookDelivery.objects.all().delete()
    return placed_order
