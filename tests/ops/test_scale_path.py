"""The production shape, proven: PostgreSQL + Redis, two web servers, two workers and a
scheduler, as separate processes on loopback. Buyers of twelve companies check out against
both servers at once; one web server and one worker are killed with SIGKILL mid-run; the
buyers retry on the other server with the same Idempotency-Key. Then: no unit oversold, no
company past its credit limit, every order's confirmation e-mail and webhook delivered (a
retried webhook keeps its id), a session made on one server valid on the other.

Runs when DATABASE_URL names PostgreSQL and REDIS_URL is set (CI: ``.ci/run``).
"""

import http.cookiejar
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and REDIS_URL),
    reason="the scale path runs on PostgreSQL + Redis (CI runs it: .ci/run)",
)

COMPANIES, ATTEMPTS, STOCK = 12, 3, 20
CREDIT = "250.00"  # two orders of 100.00 net (+ VAT) fit, not three

SETUP = """
import json, sys
import django
django.setup()
from decimal import Decimal
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import CompanyRole
from tandem.messaging.models import WebhookEndpoint
from tests import factories
from tests.factories import (company_address, make_company, make_company_user, make_delivery,
                             make_product)


def nip(n):  # a valid Polish VAT number (NIP) for the n-th company
    digits = [int(d) for d in f"{526000100 + n * 7:09d}"]
    check = sum(w * d for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), digits)) % 11
    return None if check == 10 else "PL" + "".join(map(str, digits)) + str(check)


factories.VAT_IDS["PL"] = [v for v in (nip(n) for n in range(40)) if v]
make_delivery("courier", price_net="0.00")
variant = make_product("Scale drill", net="100.00", gross="123.00", stock=int(sys.argv[1])).variants.get()
buyers = []
for n in range(int(sys.argv[2])):
    company = make_company(f"Scale {n}", credit_limit=Decimal(sys.argv[3]))
    user = make_company_user(company, CompanyRole.ADMIN, email=f"buyer{n}@scale.test")
    address = company_address(company)
    buyers.append({"key": api_token_create(user=user, name="scale")[1], "address": address.pk,
                   "email": user.email, "company": company.pk})
WebhookEndpoint.objects.create(url=sys.argv[4], events=["order.placed"], secret="whsec_" + "A" * 32)
from tandem.customers.models import User
User.objects.create_user("anna@scale.test", "scale-password-1234")
print(json.dumps({"sku": variant.sku, "variant": variant.pk, "buyers": buyers}))
"""

CHECK = """
import json, sys
import django
django.setup()
from django.db.models import Sum
from tandem.core.models import OutboxEvent
from tandem.customers.models import Company
from tandem.inventory.models import StockItem
from tandem.orders.models import Order, OrderLine
variant = int(sys.argv[1])
rows = StockItem.objects.filter(variant_id=variant)
stock = rows.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
orders = list(Order.objects.values("number", "company_id", "total_gross"))
credit = {}
for company in Company.objects.all():
    spent = sum(o["total_gross"] for o in orders if o["company_id"] == company.pk)
    credit[company.pk] = (str(company.credit_limit), str(spent))
print(json.dumps({
    "orders": [o["number"] for o in orders],
    "units": OrderLine.objects.filter(variant_id=variant).aggregate(n=Sum("quantity"))["n"] or 0,
    "stock": stock,
    "credit": credit,
    "undelivered": OutboxEvent.objects.filter(delivered_at__isnull=True).count(),
}))
"""


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver: remembers each delivery's webhook-id and order number."""

    seen: list[tuple[str, str]] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append((self.headers["webhook-id"], body.get("data", {}).get("number", "")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(
    base: str, path: str, key: str, body: dict | None = None, idempotency: str = ""
) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if idempotency:
        headers["Idempotency-Key"] = idempotency
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode() if body is not None else None, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_two_servers_two_workers_and_a_scheduler_lose_nothing_when_one_of_each_is_killed(
    tmp_path, own_database
):
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    Receiver.seen = []
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": own_database,
        "REDIS_URL": REDIS_URL.rsplit("/", 1)[0] + "/14",
        "TANDEM_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
        "SCHEDULER_INTERVAL_SECONDS": "2",
        "STAFF_TWO_FACTOR": "optional",
        "IDEMPOTENCY_ABANDONED_SECONDS": "3",  # a killed server's requests are retried soon
        "WEBHOOK_TIMEOUT": "2",  # …and a killed worker's webhooks (after 2 × 2 + 3 s)
        "WEBHOOK_ATTEMPT_MARGIN_SECONDS": "3",
    }

    def run(code: str, *args: str) -> dict:
        done = subprocess.run([PYTHON, "-c", code, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    subprocess.run([PYTHON, "-m", "tandem.cli", "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); from django.core.cache import cache; cache.clear()"],
        env=env,
        check=True,
    )
    world = run(SETUP, str(STOCK), str(COMPANIES), CREDIT, f"http://127.0.0.1:{receiver.server_port}/hook")
    ports = [_port(), _port()]
    commands = {
        "web A": ["serve", "--port", str(ports[0]), "--workers", "2"],
        "web B": ["serve", "--port", str(ports[1]), "--workers", "2"],
        "worker 1": ["worker"],
        "worker 2": ["worker"],
        "scheduler": ["scheduler"],
    }
    processes = {
        name: subprocess.Popen(
            [PYTHON, "-m", "tandem.cli", *args],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, args in commands.items()
    }
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in servers:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"{base} did not come up"
                    time.sleep(0.3)

        # a session made on one server is valid on the other (sessions in Redis + the database)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(servers[0] + "/accounts/login/")
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = f"csrfmiddlewaretoken={token}&username=anna%40scale.test&password=scale-password-1234"
        opener.open(
            urllib.request.Request(
                servers[0] + "/accounts/login/", data=form.encode(), headers={"Referer": servers[0] + "/"}
            )
        )
        for cookie in jar:  # the same cookies on the other server (another port, the same host)
            cookie.port, cookie.port_specified = None, False
        assert opener.open(servers[1] + "/account/").geturl().endswith("/account/")  # not sent to log in

        killed = threading.Event()
        after_kill, failovers = [], []

        def buy(index: int) -> list[tuple[int, str]]:
            buyer = world["buyers"][index % COMPANIES]
            answers = []
            for attempt in range(ATTEMPTS):
                key = f"scale-{index}-{attempt}"
                order = {
                    "delivery_method": "courier",
                    "payment_method": "on_account",
                    "address_id": buyer["address"],
                    "email": buyer["email"],
                }
                for tries in range(30):  # the first server may be gone: the same calls on the other
                    base = servers[(index + attempt + tries) % 2] if not killed.is_set() else servers[1]
                    try:
                        added, _body = _call(
                            base,
                            "/api/v1/cart/lines",
                            buyer["key"],
                            {"sku": world["sku"], "quantity": 1},
                            idempotency=f"{key}-add",
                        )
                        if added == 409:  # in progress on the killed server: retry after a while
                            time.sleep(1)
                            continue
                        status, body = _call(base, "/api/v1/checkout", buyer["key"], order, idempotency=key)
                        if status == 409 and body.get("code") == "idempotency_key_in_progress":
                            time.sleep(1)
                            continue
                        answers.append((status, body.get("number") or body.get("code", "")))
                        if killed.is_set():
                            after_kill.append(status)
                        break
                    except (urllib.error.URLError, ConnectionError, TimeoutError):
                        failovers.append(base)
                        time.sleep(0.5)
                else:
                    answers.append((0, "gave up"))
            return answers

        def chaos() -> None:
            time.sleep(1.5)
            os.killpg(processes["web A"].pid, signal.SIGKILL)
            os.killpg(processes["worker 1"].pid, signal.SIGKILL)
            killed.set()

        with ThreadPoolExecutor(max_workers=8) as pool:
            threading.Thread(target=chaos, daemon=True).start()
            answers = [answer for batch in pool.map(buy, range(COMPANIES * 2)) for answer in batch]
        assert killed.is_set() and after_kill, "the servers were killed after the buying was over"

        deadline = time.monotonic() + 90  # the surviving worker and the scheduler's sweep finish
        while True:
            state = run(CHECK, str(world["variant"]))
            delivered = {number for _id, number in Receiver.seen}
            mails = "".join(path.read_text() for path in mail_dir.glob("*.log")) if mail_dir.exists() else ""
            if (
                not state["undelivered"] and set(state["orders"]) <= delivered
            ) or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        receiver.shutdown()

    placed = {number for status, number in answers if status == 201}
    refusals = {code for status, code in answers if status != 201}
    assert placed and set(state["orders"]) == placed  # every 201 is an order, every order was answered
    # two buyers of a company share its cart: one may find it emptied by the other's order
    assert refusals <= {"credit_limit_exceeded", "out_of_stock", "cart_empty"}, refusals
    assert state["units"] <= STOCK  # no unit sold twice
    assert state["stock"]["reserved"] == state["units"] and state["stock"]["on_hand"] == STOCK
    for limit, exposure in state["credit"].values():
        assert float(exposure) <= float(limit)  # no company past its limit
    assert state["undelivered"] == 0
    ids_by_order: dict[str, set[str]] = {}
    for webhook_id, number in Receiver.seen:
        ids_by_order.setdefault(number, set()).add(webhook_id)
    assert set(ids_by_order) >= placed and all(len(ids) == 1 for ids in ids_by_order.values())
    assert all(f"order {number} received" in mails for number in placed)  # no confirmation lost
